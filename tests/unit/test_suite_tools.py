"""Unit tests of the tool wrappers: helm.py try_template on the real chart, commands.py run and path_without, http.py's loopback rule."""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import pytest
import requests

from fixtures import commands, helm, http
from fixtures.waits import WaitTimeout

CHART = Path(__file__).resolve().parents[2] / "helm" / "todo-chatbot"


def test_try_template_of_the_chart_with_defaults_is_ok():
    result = helm.try_template(CHART)

    assert result.ok and result.returncode == 0, result.describe()
    assert "kind: Deployment" in result.stdout, result.describe()


@pytest.mark.parametrize(("values", "string_values", "schema_message"), [
    ({"backendReplicaCount": "-1"}, None, "at '/backendReplicaCount': minimum: got -1, want 0"),
    ({"notAValue": "1"}, None, "additional properties 'notAValue' not allowed"),
    (None, {"backendServicePort": "abc"}, "at '/backendServicePort': got string, want integer"),
], ids=["out-of-range", "unknown-key", "wrong-type"])
def test_try_template_with_a_bad_value_returns_the_schema_error(values, string_values, schema_message):
    result = helm.try_template(CHART, values=values, string_values=string_values)

    assert isinstance(result, commands.Result)
    assert not result.ok and result.returncode != 0, result.describe()
    assert "values don't meet the specifications of the schema" in result.stderr, result.describe()
    assert schema_message in result.output, result.describe()


def test_template_raises_with_helms_stderr_where_try_template_returns():
    with pytest.raises(helm.HelmError) as raised:
        helm.template(CHART, values={"backendReplicaCount": "-1"})

    assert "helm template failed" in str(raised.value) and "minimum: got -1, want 0" in str(raised.value)


def test_run_keeps_the_exit_code_and_both_streams():
    result = commands.run([sys.executable, "-c", "import sys; print('out'); print('err', file=sys.stderr); sys.exit(3)"])

    assert (result.returncode, result.ok) == (3, False)
    assert result.stdout == "out\n" and result.stderr == "err\n"
    assert result.output == "out\n\nerr"
    assert "exit 3" in result.describe()


def test_run_reports_a_timeout_as_exit_124():
    started = time.monotonic()
    result = commands.run(["sleep", "30"], timeout=0.3)
    elapsed = time.monotonic() - started

    assert result.returncode == 124 and not result.ok, result.describe()
    assert "timed out after 0.3s" in result.stderr, result.describe()
    assert elapsed < 5, f"the timeout of 0.3s took {elapsed:.1f}s"


def test_path_without_hides_the_tool_and_keeps_the_others(tmp_path, monkeypatch):
    tools = tmp_path / "tools"
    tools.mkdir()
    for name in ("helm", "kubectl", "jq"):
        (tools / name).write_text("#!/bin/sh\nexit 0\n")
        (tools / name).chmod(0o755)
    (tools / "not-executable").write_text("data")
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")

    new_path = commands.path_without("kubectl", tmp_path / "bin")

    assert shutil.which("kubectl", path=new_path) is None, "kubectl is still on the new PATH"
    assert shutil.which("helm", path=new_path) == str(tmp_path / "bin" / "helm")
    assert Path(shutil.which("helm", path=new_path)).resolve() == (tools / "helm").resolve(), "the first helm on PATH must win"
    assert shutil.which("jq", path=new_path) and shutil.which("sh", path=new_path), "other tools are missing from the new PATH"
    assert not (tmp_path / "bin" / "not-executable").exists()
    assert commands.run(["sh", "-c", "command -v kubectl || echo absent"], env={"PATH": new_path}).stdout.strip() == "absent"


@pytest.mark.parametrize("url", [
    "http://192.0.2.1/health",
    "https://example.com/",
    "http://127.0.0.1.example.com:8000/",
    "http://localhost@192.0.2.1/",
    "http://10.0.0.5:30080/api/health",
], ids=["test-net", "public-name", "loopback-prefixed-name", "userinfo-trick", "node-port"])
@pytest.mark.parametrize("wait", [0, 5], ids=["no-wait", "wait"])
def test_request_refuses_a_non_loopback_url_before_sending_anything(monkeypatch, url, wait):
    """http.request checks the host first thing (fixtures/http.py, _assert_loopback before any requests call)."""
    sent = []
    monkeypatch.setattr(requests, "request", lambda method, url, **kwargs: sent.append(url))

    started = time.monotonic()
    with pytest.raises(AssertionError, match="refusing to send traffic to .*: the suite only targets this machine"):
        http.request("GET", url, timeout=1, wait=wait)

    assert sent == [], f"requests were sent: {sent}"
    assert time.monotonic() - started < 1, "refusing took as long as a connection attempt or a wait"


@pytest.mark.parametrize("url", ["http://127.0.0.1:1/health", "http://localhost:1/", "http://[::1]:1/"])
def test_request_to_loopback_is_sent(url):
    """Port 1 answers nothing, so the request goes out and fails to connect: the check let it through."""
    with pytest.raises(requests.ConnectionError):
        http.request("GET", url, timeout=1)


def test_request_with_wait_retries_a_loopback_server_that_does_not_answer_then_names_it():
    with pytest.raises(WaitTimeout, match=r"http://127\.0\.0\.1:1/health to answer did not happen within"):
        http.request("GET", "http://127.0.0.1:1/health", timeout=1, wait=0.3)
