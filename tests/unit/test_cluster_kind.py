"""Unit tests of the kind provider against recorded kind and kubectl output (fake CLIs on PATH)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from fixtures.cluster import ClusterError, KindProvider

_spec = importlib.util.spec_from_file_location("cluster_fakes", Path(__file__).parent / "data" / "cluster" / "fakes.py")
fakes = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fakes)


@pytest.fixture
def tools(tmp_path, monkeypatch):
    fake = fakes.FakeTools(tmp_path, monkeypatch)
    fake.install("kind", "kubectl")
    fake.answer("kind", ["get", "kubeconfig"], stdout_file="kind/get-kubeconfig.yaml")
    fake.answer("kubectl", ["get", "--raw", "/readyz"], stdout_file="kubectl/readyz.stdout")
    return fake


def test_missing_cluster_is_created_and_its_kubeconfig_written(tools):
    tools.answer("kind", ["get", "clusters"], stderr_file="kind/get-clusters-none.stderr")
    tools.answer("kind", ["create", "cluster"], stderr_file="kind/create-cluster.stderr")
    provider = KindProvider()
    provider.ensure()
    assert tools.called("kind", "create", "cluster", "--name", "kind")
    assert provider.context() == "kind-kind"
    kubeconfig = provider.kubeconfig()
    assert kubeconfig == tools.home / ".cache" / "todo-chatbot" / "kind-kind.kubeconfig"
    assert "server: https://127.0.0.1:40531" in kubeconfig.read_text()
    assert oct(kubeconfig.stat().st_mode & 0o777) == "0o600"
    readyz = [call for call in tools.calls("kubectl") if "/readyz" in call][0]
    assert readyz[1:5] == ["--kubeconfig", str(kubeconfig), "--context", "kind-kind"]


def test_existing_cluster_is_reused_and_left_on_delete(tools):
    tools.answer("kind", ["get", "clusters"], stdout_file="kind/get-clusters.stdout")
    provider = KindProvider()
    provider.ensure()
    assert not tools.called("kind", "create")
    provider.delete()
    assert not tools.called("kind", "delete")


def test_created_cluster_is_deleted(tools):
    tools.answer("kind", ["get", "clusters"], stderr_file="kind/get-clusters-none.stderr")
    tools.answer("kind", ["create", "cluster"], stderr_file="kind/create-cluster.stderr")
    tools.answer("kind", ["delete", "cluster"], stderr="Deleting cluster \"suite\" ...\n")
    provider = KindProvider(cluster_name="suite")
    provider.ensure()
    provider.delete()
    assert ["kind", "delete", "cluster", "--name", "suite"] in tools.calls("kind")
    assert not provider.kubeconfig().exists()


def test_load_image_uses_kind_load_docker_image(tools):
    tools.answer("kind", ["load", "docker-image"], stderr_file="kind/load-docker-image.stderr")
    KindProvider().load_image("todo-chatbot-backend:1.0.0")
    assert ["kind", "load", "docker-image", "todo-chatbot-backend:1.0.0", "--name", "kind"] in tools.calls("kind")


def test_load_image_into_missing_cluster_names_cause_and_fix(tools):
    tools.answer("kind", ["load", "docker-image"], stderr_file="kind/load-docker-image-no-cluster.stderr", exit_code=1)
    with pytest.raises(ClusterError) as raised:
        KindProvider().load_image("todo-chatbot-backend:1.0.0")
    assert 'no nodes found for cluster "kind"' in str(raised.value)
    assert "fix:" in str(raised.value)


def test_missing_kind_is_reported_with_install_hint(tmp_path, monkeypatch):
    fake = fakes.FakeTools(tmp_path, monkeypatch)
    fake.install("kubectl")
    with pytest.raises(ClusterError, match="kind not found on PATH: install kind"):
        KindProvider().ensure()


def test_service_url_is_a_port_forward(tools):
    tools.answer("kind", ["get", "clusters"], stdout_file="kind/get-clusters.stdout")
    tools.answer("kubectl", ["port-forward"], serve_port_forward=True)
    provider = KindProvider()
    provider.ensure()
    with provider.service_url("default", "todo-chatbot-frontend", 80) as url:
        assert url.startswith("http://127.0.0.1:")
    forward = [call for call in tools.calls("kubectl") if "port-forward" in call][0]
    assert "--context" in forward and "kind-kind" in forward


def test_listed_cluster_without_nodes_names_cause_and_fix(tmp_path, monkeypatch):
    fake = fakes.FakeTools(tmp_path, monkeypatch)
    fake.install("kind", "kubectl")
    fake.answer("kind", ["get", "clusters"], stdout_file="kind/get-clusters.stdout")
    fake.answer("kind", ["get", "kubeconfig"], stderr_file="kind/get-kubeconfig-no-cluster.stderr", exit_code=1)
    with pytest.raises(ClusterError) as raised:
        KindProvider().ensure()
    assert "could not locate any control plane nodes" in str(raised.value)
    assert "fix:" in str(raised.value)
