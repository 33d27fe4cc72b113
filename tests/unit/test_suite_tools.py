"""Unit tests of the tool wrappers: helm.py try_template and template on the real chart, http.py's loopback rule.

The runner they share (acceptance/core/run.py) has its own tests in test_run.py.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import requests

from acceptance.core import http
from acceptance.core.run import Result, ToolError
from acceptance.core.wait import WaitTimeout
from acceptance.kube import helm

CHART = Path(__file__).resolve().parents[2] / "helm" / "todo-chatbot"


def test_try_template_of_the_chart_with_defaults_is_ok(timeouts):
    result = helm.try_template(CHART, timeouts.command, "todo-chatbot")

    assert result.ok and result.returncode == 0, result.describe()
    assert "kind: Deployment" in result.stdout, result.describe()


@pytest.mark.parametrize(("values", "string_values", "schema_message"), [
    ({"backendReplicaCount": "-1"}, None, "at '/backendReplicaCount': minimum: got -1, want 0"),
    ({"notAValue": "1"}, None, "additional properties 'notAValue' not allowed"),
    (None, {"backendServicePort": "abc"}, "at '/backendServicePort': got string, want integer"),
], ids=["out-of-range", "unknown-key", "wrong-type"])
def test_try_template_with_a_bad_value_returns_the_schema_error(timeouts, values, string_values, schema_message):
    result = helm.try_template(CHART, timeouts.command, "todo-chatbot", values=values, string_values=string_values)

    assert isinstance(result, Result)
    assert not result.ok and result.returncode != 0, result.describe()
    assert "values don't meet the specifications of the schema" in result.stderr, result.describe()
    assert schema_message in result.output, result.describe()


def test_template_raises_with_helms_stderr_where_try_template_returns(timeouts):
    with pytest.raises(ToolError) as raised:
        helm.template(CHART, timeouts.command, release="todo-chatbot", values={"backendReplicaCount": "-1"})

    message = str(raised.value)
    assert message.startswith("cannot render the chart: `") and "template todo-chatbot" in message, message
    assert "minimum: got -1, want 0" in message, message


def test_template_returns_the_rendered_resources(timeouts):
    resources = helm.template(CHART, timeouts.command, release="suite")

    assert {"Deployment", "Service"} <= {resource["kind"] for resource in resources}
    assert all(resource for resource in resources), "an empty YAML document was returned as a resource"


@pytest.mark.parametrize("url", [
    "http://192.0.2.1/health",
    "https://example.com/",
    "http://127.0.0.1.example.com:8000/",
    "http://localhost@192.0.2.1/",
    "http://10.0.0.5:30080/api/health",
], ids=["test-net", "public-name", "loopback-prefixed-name", "userinfo-trick", "node-port"])
@pytest.mark.parametrize("wait", [0, 5], ids=["no-wait", "wait"])
def test_request_refuses_a_non_loopback_url_before_sending_anything(monkeypatch, url, wait):
    """http.request checks the host first thing (acceptance/core/http.py, assert_loopback before any requests call)."""
    sent = []
    monkeypatch.setattr(requests, "request", lambda method, url, **kwargs: sent.append(url))

    started = time.monotonic()
    with pytest.raises(ToolError, match=r"refusing to send traffic to .*: the suite only targets this machine"):
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
