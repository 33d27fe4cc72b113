"""Unit tests of the minikube provider against recorded minikube and kubectl output (fake CLIs on PATH)."""

from __future__ import annotations

import importlib.util
import socket
import threading
from pathlib import Path

import pytest

from fixtures.cluster import ClusterError, MinikubeProvider

_spec = importlib.util.spec_from_file_location("cluster_fakes", Path(__file__).parent / "data" / "cluster" / "fakes.py")
fakes = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fakes)


@pytest.fixture
def tools(tmp_path, monkeypatch):
    fake = fakes.FakeTools(tmp_path, monkeypatch)
    fake.install("minikube", "kubectl")
    return fake


def answer_reachable(tools):
    tools.answer("kubectl", ["get", "--raw", "/readyz"], stdout_file="kubectl/readyz.stdout")


def test_running_profile_is_reused_without_start(tools):
    tools.answer("minikube", ["status"], stdout_file="minikube/status-running.json")
    answer_reachable(tools)
    provider = MinikubeProvider()
    provider.ensure()
    assert not tools.called("minikube", "start"), tools.calls("minikube")
    assert provider.context() == "minikube"
    assert provider.kubeconfig() == tools.home / ".kube" / "config"
    provider.delete()
    assert not tools.called("minikube", "delete"), "a profile that existed before the run must be left alone"


def test_missing_profile_is_started_and_deleted_afterwards(tools):
    tools.answer("minikube", ["status"], stderr_file="minikube/status-profile-not-found.stderr", exit_code=85)
    tools.answer("minikube", ["start"], stdout_file="minikube/start.stdout")
    tools.answer("minikube", ["delete"], stdout="🔥  Deleting \"minikube\" in docker ...\n")
    answer_reachable(tools)
    provider = MinikubeProvider(start_arguments=("--driver", "docker"))
    provider.ensure()
    assert ["minikube", "-p", "minikube", "start", "--driver", "docker"] in tools.calls("minikube")
    provider.delete()
    assert tools.called("minikube", "delete")


def test_stopped_profile_is_started_but_not_deleted(tools):
    tools.answer("minikube", ["status"], stdout_file="minikube/status-stopped.json", exit_code=7)
    tools.answer("minikube", ["start"], stdout_file="minikube/start.stdout")
    answer_reachable(tools)
    provider = MinikubeProvider()
    provider.ensure()
    assert tools.called("minikube", "start")
    provider.delete()
    assert not tools.called("minikube", "delete")


def test_misconfigured_kubeconfig_is_repaired(tools):
    tools.answer("minikube", ["status"], stdout_file="minikube/status-misconfigured.json")
    tools.answer("minikube", ["update-context"], stdout="🎉  \"minikube\" context has been updated\n")
    answer_reachable(tools)
    MinikubeProvider().ensure()
    assert tools.called("minikube", "update-context")


def test_failed_start_names_cause_and_fix(tools):
    tools.answer("minikube", ["status"], stderr_file="minikube/status-profile-not-found.stderr", exit_code=85)
    tools.answer("minikube", ["start"], stderr_file="minikube/start-no-driver.stderr", exit_code=60)
    with pytest.raises(ClusterError) as raised:
        MinikubeProvider().ensure()
    message = str(raised.value)
    assert "DRV_DOCKER_NOT_RUNNING" in message
    assert "fix:" in message


def test_unreachable_api_server_names_cause_and_fix(tools):
    tools.answer("minikube", ["status"], stdout_file="minikube/status-running.json")
    tools.answer("kubectl", ["/readyz"], stderr_file="kubectl/unreachable.stderr", exit_code=1)
    with pytest.raises(ClusterError) as raised:
        MinikubeProvider().ensure()
    assert "127.0.0.1:6553 was refused" in str(raised.value)
    assert "fix:" in str(raised.value)


def test_missing_minikube_is_reported_with_install_hint(tmp_path, monkeypatch):
    fake = fakes.FakeTools(tmp_path, monkeypatch)
    fake.install("kubectl")
    with pytest.raises(ClusterError, match="minikube not found on PATH: install minikube"):
        MinikubeProvider().ensure()


def test_load_image_uses_minikube_image_load(tools):
    tools.answer("minikube", ["image", "load"], stdout_file="minikube/image-load.stdout")
    MinikubeProvider(profile="suite").load_image("todo-chatbot-backend:1.0.0")
    assert ["minikube", "-p", "suite", "image", "load", "todo-chatbot-backend:1.0.0"] in tools.calls("minikube")


@pytest.fixture
def http_server():
    """A TCP server on 127.0.0.1 standing in for minikube's NodePort."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    stop = threading.Event()

    def serve():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
                connection.close()
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    listener.close()


def test_service_url_uses_minikube_url_when_it_answers(tools, http_server):
    tools.set_values(minikube_host="127.0.0.1", node_port=http_server)
    tools.answer("minikube", ["service", "--url"], stdout_file="minikube/service-url-nodeport.stdout")
    tools.answer("kubectl", ["jsonpath={.spec.ports[*].port}"], stdout="80\n")
    with MinikubeProvider().service_url("default", "todo-chatbot-frontend", 80) as url:
        assert url == f"http://127.0.0.1:{http_server}"
    assert not tools.called("kubectl", "port-forward")


def test_service_url_picks_the_line_of_the_requested_port(tools, http_server):
    tools.set_values(minikube_host="127.0.0.1", node_port=http_server)
    tools.answer("minikube", ["service", "--url"], stdout_file="minikube/service-url-two-ports.stdout")
    tools.answer("kubectl", ["jsonpath={.spec.ports[*].port}"], stdout_file="kubectl/service-ports.stdout")
    with MinikubeProvider().service_url("default", "todo-chatbot", 8000) as url:
        assert url.endswith(f":{http_server}")


def test_service_url_falls_back_to_port_forward_for_cluster_ip_services(tools):
    tools.answer("minikube", ["service", "--url"], stderr_file="minikube/service-url-clusterip.stderr", exit_code=115)
    tools.answer("kubectl", ["port-forward"], serve_port_forward=True)
    with MinikubeProvider().service_url("default", "todo-chatbot-backend", 8000) as url:
        assert url.startswith("http://127.0.0.1:")
        port = int(url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=2) as connection:
            assert connection.recv(16).startswith(b"HTTP/1.0 200")
    forward = [call for call in tools.calls("kubectl") if "port-forward" in call][0]
    assert forward[forward.index("port-forward"):] == [
        "port-forward", "--address", "127.0.0.1", "-n", "default", "service/todo-chatbot-backend", f"{port}:8000"]
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_service_url_falls_back_when_minikube_url_does_not_answer(tools):
    tools.set_values(minikube_host="127.0.0.1", node_port=1)  # nothing listens on port 1
    tools.answer("minikube", ["service", "--url"], stdout_file="minikube/service-url-nodeport.stdout")
    tools.answer("kubectl", ["jsonpath={.spec.ports[*].port}"], stdout="80\n")
    tools.answer("kubectl", ["port-forward"], serve_port_forward=True)
    with MinikubeProvider().service_url("default", "todo-chatbot-frontend", 80) as url:
        assert url.startswith("http://127.0.0.1:") and not url.endswith(":1")
