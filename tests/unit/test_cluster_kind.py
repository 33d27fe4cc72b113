"""Unit tests of the kind provider against recorded kind and kubectl output (fake CLIs on PATH)."""

from __future__ import annotations

import pytest

from acceptance.kube.clusters import ClusterError, KindProvider
from acceptance.kube.clusters.base import PUBLISHED_ADDRESS_JSONPATH


@pytest.fixture
def tools(fake_tools):
    tools = fake_tools("kind", "kubectl")
    tools.answer("kind", ["get", "kubeconfig"], stdout_file="kind/get-kubeconfig.yaml")
    tools.api_server_answers()
    return tools


@pytest.fixture
def kind(tools, timeouts):
    """A provider of the default cluster name, kind, made once the fake tools (and HOME) are in place."""
    return KindProvider(timeouts)


def test_missing_cluster_is_created_waiting_for_ready_and_its_kubeconfig_written(tools, kind, timeouts):
    tools.answer("kind", ["get", "clusters"], stderr_file="kind/get-clusters-none.stderr")
    tools.answer("kind", ["create", "cluster"], stderr_file="kind/create-cluster.stderr")
    kind.ensure()
    assert ["kind", "create", "cluster", "--name", "kind", "--wait", f"{int(timeouts.ready)}s"] in tools.calls("kind"), (
        "kind must wait for the control plane within the ready budget of pytest.ini")
    assert kind.created
    assert kind.context() == "kind-kind"
    kubeconfig = kind.kubeconfig()
    assert kubeconfig == tools.home / ".cache" / "todo-chatbot" / "kind-kind.kubeconfig"
    assert "server: https://127.0.0.1:40531" in kubeconfig.read_text()
    assert oct(kubeconfig.stat().st_mode & 0o777) == "0o600"
    assert tools.first_call("kubectl", "/readyz")[1:5] == ["--kubeconfig", str(kubeconfig), "--context", "kind-kind"]


def test_existing_cluster_is_reused_and_left_on_delete(tools, kind):
    tools.answer("kind", ["get", "clusters"], stdout_file="kind/get-clusters.stdout")
    kind.ensure()
    assert not tools.called("kind", "create")
    assert not kind.created
    kind.delete()
    assert not tools.called("kind", "delete")


def test_created_cluster_is_deleted(tools, timeouts):
    tools.answer("kind", ["get", "clusters"], stderr_file="kind/get-clusters-none.stderr")
    tools.answer("kind", ["create", "cluster"], stderr_file="kind/create-cluster.stderr")
    tools.answer("kind", ["delete", "cluster"], stderr="Deleting cluster \"suite\" ...\n")
    provider = KindProvider(timeouts, cluster_name="suite")
    provider.ensure()
    provider.delete()
    assert ["kind", "delete", "cluster", "--name", "suite"] in tools.calls("kind")
    assert not provider.kubeconfig().exists()
    assert not provider.created
    provider.delete()
    assert tools.calls("kind").count(["kind", "delete", "cluster", "--name", "suite"]) == 1, "a second delete() must not delete again"


def test_load_image_uses_kind_load_docker_image(tools, kind):
    tools.answer("kind", ["load", "docker-image"], stderr_file="kind/load-docker-image.stderr")
    kind.load_image("todo-chatbot-backend:1.0.0")
    assert ["kind", "load", "docker-image", "todo-chatbot-backend:1.0.0", "--name", "kind"] in tools.calls("kind")


def test_load_image_into_missing_cluster_names_cause_and_fix(tools, kind):
    tools.answer("kind", ["load", "docker-image"], stderr_file="kind/load-docker-image-no-cluster.stderr", exit_code=1)
    with pytest.raises(ClusterError, match=r'(?s)no nodes found for cluster "kind".*\nfix: '):
        kind.load_image("todo-chatbot-backend:1.0.0")


def test_service_url_is_the_address_the_cluster_publishes(tools, kind):
    tools.answer("kind", ["get", "clusters"], stdout_file="kind/get-clusters.stdout")
    tools.answer("kubectl", [PUBLISHED_ADDRESS_JSONPATH], stdout="LoadBalancer 172.18.0.7")
    kind.ensure()
    with kind.service_url("default", "todo-chatbot-frontend", 80) as url:
        assert url == "http://172.18.0.7:80"
    lookup = tools.first_call("kubectl", "service")
    assert "--context" in lookup and "kind-kind" in lookup and "todo-chatbot-frontend" in lookup


def test_service_url_of_a_cluster_ip_service_names_cause_and_fix(tools, kind):
    tools.answer("kind", ["get", "clusters"], stdout_file="kind/get-clusters.stdout")
    tools.answer("kubectl", [PUBLISHED_ADDRESS_JSONPATH], stdout="ClusterIP ")
    kind.ensure()
    with (pytest.raises(ClusterError, match=r"(?s)is of type ClusterIP: the cluster publishes no outside address.*\nfix: .*load-balancer controller"),
          kind.service_url("default", "todo-chatbot-backend", 8000)):
        pass


def test_listed_cluster_without_nodes_names_cause_and_fix(fake_tools, timeouts):
    tools = fake_tools("kind", "kubectl")
    tools.answer("kind", ["get", "clusters"], stdout_file="kind/get-clusters.stdout")
    tools.answer("kind", ["get", "kubeconfig"], stderr_file="kind/get-kubeconfig-no-cluster.stderr", exit_code=1)
    with pytest.raises(ClusterError, match=r"(?s)could not locate any control plane nodes.*\nfix: "):
        KindProvider(timeouts).ensure()
