"""How the suite reaches a release: the in-cluster client's answers, the node's shell, the database file, unread configuration."""

from __future__ import annotations

import base64
import json
import socket
import subprocess
import sys

import pytest

from acceptance.chart.sources import unread_names
from acceptance.core import http
from acceptance.core.run import ToolError
from acceptance.kube.client_pod import REQUEST_SCRIPT, as_response, pod_manifest
from acceptance.kube.clusters import ClusterError, ExistingProvider, KindProvider
from acceptance.profile.database import sqlite_path


def test_an_answer_from_the_client_pod_reads_as_a_requests_response():
    answer = {"status": 404, "headers": {"Content-Type": "application/json"}, "body": base64.b64encode(b'{"detail": "no todo 7"}').decode()}

    response = as_response("GET", "http://todo-chatbot-backend:8000/api/todos/7", answer)

    assert response.status_code == 404 and response.json() == {"detail": "no todo 7"}
    assert response.headers["content-type"] == "application/json" and response.request.method == "GET"
    assert "GET http://todo-chatbot-backend:8000/api/todos/7 -> 404" in http.describe(response)


def run_request_script(url: str, timeout: float = 2) -> subprocess.CompletedProcess[str]:
    spec = {"method": "GET", "url": url, "timeout": timeout, "headers": {}, "body": None}
    return subprocess.run([sys.executable, "-c", REQUEST_SCRIPT, json.dumps(spec)], check=False, capture_output=True, text=True, timeout=30)


def test_the_client_pods_script_tells_no_answer_from_its_own_failure():
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # bound, never listening: refused
        refused = run_request_script(f"http://127.0.0.1:{port}/")
    broken = run_request_script("not a url")

    assert refused.returncode == 0 and "no_answer" in json.loads(refused.stdout), refused
    assert broken.returncode != 0 and "Traceback" in broken.stderr, "a script that cannot even send must not read as 'no answer'"


def test_the_client_pod_complies_with_the_restricted_standard():
    pod = pod_manifest("todo-chatbot-backend:1.0.0", "todo-chatbot-acceptance")
    security = pod.spec.containers[0].security_context

    assert (security.run_as_non_root, security.allow_privilege_escalation, security.capabilities.drop, security.seccomp_profile.type) == (
        True, False, ["ALL"], "RuntimeDefault")
    assert pod.spec.containers[0].resources.limits and not pod.spec.automount_service_account_token


@pytest.mark.parametrize(("url", "path"), [
    ("sqlite:////app/data/todo.db", "/app/data/todo.db"),
    ("sqlite:///file:/app/data/todo.db?canary=x&uri=true", "/app/data/todo.db"),
    ("sqlite:///relative.db", "relative.db"),
    ("postgresql://todo:pw@db:5432/todo", None),
])
def test_the_sqlite_file_a_database_url_names(url, path):
    assert sqlite_path(url) == path


def test_configuration_no_source_mentions_is_unread(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "config.py").write_text('LOG_LEVEL = env.get("LOG_LEVEL")\n')
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_config.py").write_text('DATA_DIR = "/app/data"\n')  # a test naming it reads nothing

    assert unread_names(["LOG_LEVEL", "DATA_DIR"], tmp_path) == ["DATA_DIR"]


def test_a_kind_node_shell_runs_the_script_in_the_control_plane_container(fake_tools, timeouts):
    tools = fake_tools("docker")
    tools.answer("docker", ["exec"], stdout="stopped 2 processes\n")

    result = KindProvider(timeouts, cluster_name="acc").node_shell("echo hi", "ns", "pod", "backend")

    assert result.ok and result.stdout == "stopped 2 processes\n"
    assert tools.calls("docker")[0][1:] == ["exec", "-i", "acc-control-plane", "sh", "-s", "--", "ns", "pod", "backend"]


def test_a_provider_without_a_node_shell_says_which_providers_have_one(fake_tools, timeouts):
    tools = fake_tools("kubectl")
    provider = ExistingProvider(timeouts, tools.write_kubeconfig("production"))

    with pytest.raises(ClusterError, match=r"(?s)cannot run a command on the cluster's node.*\nfix: run this scenario with --cluster local or --cluster kind"):
        provider.freeze_container("ns", "pod", "backend")


def test_only_loopback_and_published_addresses_are_reached(monkeypatch):
    monkeypatch.setattr(http, "_published_hosts", set())
    with pytest.raises(ToolError, match=r"refusing to send traffic to 203.0.113.9"):
        http.assert_loopback("http://203.0.113.9/health")
    http.allow("203.0.113.10")
    http.assert_loopback("http://203.0.113.10/health")
