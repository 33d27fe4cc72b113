"""Unit tests of the minikube provider against recorded minikube and kubectl output (fake CLIs on PATH)."""

from __future__ import annotations

import dataclasses
import socket
import threading

import pytest

from acceptance.kube.clusters import ClusterError, MinikubeProvider
from acceptance.kube.clusters.base import PUBLISHED_ADDRESS_JSONPATH


@pytest.fixture
def tools(fake_tools):
    return fake_tools("minikube", "kubectl")


@pytest.fixture
def minikube(tools, timeouts):
    """A provider of the default profile, minikube, made once the fake tools (and HOME) are in place."""
    return MinikubeProvider(timeouts)


@pytest.mark.parametrize(("status", "started", "created"), [
    ({"stdout_file": "minikube/status-running.json"}, False, False),
    ({"stdout_file": "minikube/status-profile-not-found.stdout", "exit_code": 85}, True, True),
    ({"stdout_file": "minikube/status-stopped.json", "exit_code": 2}, True, False),
], ids=["running-profile-is-reused", "missing-profile-is-created-then-deleted", "stopped-profile-is-started-but-not-deleted"])
def test_ensure_starts_what_is_not_running_and_delete_removes_only_what_it_created(tools, timeouts, status, started, created):
    tools.answer("minikube", ["status"], **status)
    tools.answer("minikube", ["start"], stdout_file="minikube/start.stdout")
    tools.answer("minikube", ["delete"], stdout_file="minikube/delete.stdout")
    tools.api_server_answers()
    provider = MinikubeProvider(timeouts, start_arguments=("--driver", "docker"))

    provider.ensure()
    assert (["minikube", "-p", "minikube", "start", "--driver", "docker"] in tools.calls("minikube")) is started, tools.calls("minikube")
    assert provider.created is created
    assert (provider.context(), provider.kubeconfig()) == ("minikube", tools.home / ".kube" / "config")

    provider.delete()
    assert tools.called("minikube", "delete") is created, "only a profile that did not exist before the run is deleted"


def test_misconfigured_kubeconfig_is_repaired(tools, minikube):
    tools.answer("minikube", ["status"], stdout_file="minikube/status-misconfigured.json", exit_code=4)
    tools.answer("minikube", ["update-context"], stdout_file="minikube/update-context.stdout")
    tools.api_server_answers()
    minikube.ensure()
    assert tools.called("minikube", "update-context")


def test_failed_start_names_cause_and_fix(tools, minikube):
    tools.answer("minikube", ["status"], stdout_file="minikube/status-profile-not-found.stdout", exit_code=85)
    tools.answer("minikube", ["start"], stdout_file="minikube/start-no-driver.stdout", stderr_file="minikube/start-no-driver.stderr", exit_code=63)
    with pytest.raises(ClusterError, match=r"(?s)PROVIDER_DOCKER_NOT_RUNNING.*\nfix: "):
        minikube.ensure()


def test_unreachable_api_server_names_cause_and_fix(tools, minikube):
    tools.answer("minikube", ["status"], stdout_file="minikube/status-running.json")
    tools.api_server_refuses()
    with pytest.raises(ClusterError, match=r"(?s)127\.0\.0\.1:6553 was refused.*\nfix: "):
        minikube.ensure()


def test_load_image_uses_minikube_image_load(tools, timeouts):
    tools.answer("minikube", ["image", "load"], stdout_file="minikube/image-load.stdout")
    MinikubeProvider(timeouts, profile="suite").load_image("todo-chatbot-backend:1.0.0")
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


@pytest.mark.parametrize(("urls", "ports", "service", "port"), [
    ("minikube/service-url-nodeport.stdout", {"stdout": "80\n"}, "todo-chatbot-frontend", 80),
    ("minikube/service-url-two-ports.stdout", {"stdout_file": "kubectl/service-ports.stdout"}, "todo-chatbot", 8000),
], ids=["one-port", "the-line-of-the-requested-port"])
def test_service_url_uses_minikube_url_when_it_answers(tools, http_server, minikube, urls, ports, service, port):
    tools.set_values(minikube_host="127.0.0.1", node_port=http_server)
    tools.answer("minikube", ["service", "--url"], stdout_file=urls)
    tools.answer("kubectl", ["jsonpath={.spec.ports[*].port}"], **ports)
    with minikube.service_url("default", service, port) as url:
        assert url == f"http://127.0.0.1:{http_server}"
    assert not tools.called("kubectl", "port-forward")


def test_service_url_falls_back_to_the_published_address_without_a_minikube_url(tools, minikube):
    tools.answer("minikube", ["service", "--url"], stderr_file="minikube/service-url-clusterip.stderr", exit_code=115)
    tools.answer("kubectl", [PUBLISHED_ADDRESS_JSONPATH], stdout="LoadBalancer 10.96.0.50")
    with minikube.service_url("default", "todo-chatbot-frontend", 80) as url:
        assert url == "http://10.96.0.50:80"


def test_service_url_falls_back_when_minikube_url_does_not_answer(tools, timeouts):
    minikube = MinikubeProvider(dataclasses.replace(timeouts, service_url=2))  # the NodePort is waited for this long
    tools.set_values(minikube_host="127.0.0.1", node_port=1)  # nothing listens on port 1
    tools.answer("minikube", ["service", "--url"], stdout_file="minikube/service-url-nodeport.stdout")
    tools.answer("kubectl", ["jsonpath={.spec.ports[*].port}"], stdout="80\n")
    tools.answer("kubectl", [PUBLISHED_ADDRESS_JSONPATH], stdout="LoadBalancer 10.96.0.51")
    with minikube.service_url("default", "todo-chatbot-frontend", 80) as url:
        assert url == "http://10.96.0.51:80"
