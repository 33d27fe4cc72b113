"""Unit tests of select_provider's decisions (fake kubectl/minikube/kind on PATH) and of the existing provider."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

import fixtures.cluster as cluster
from fixtures.cluster import (
    ClusterError,
    ExistingProvider,
    KindProvider,
    LocalProvider,
    MinikubeProvider,
    select_provider,
)

_spec = importlib.util.spec_from_file_location("cluster_fakes", Path(__file__).parent / "data" / "cluster" / "fakes.py")
fakes = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fakes)


@pytest.fixture
def tools(tmp_path, monkeypatch):
    fake = fakes.FakeTools(tmp_path, monkeypatch)
    fake.install("kubectl")
    return fake


@pytest.fixture
def local_unavailable(monkeypatch):
    monkeypatch.setattr(cluster.local, "unavailable_reason", lambda: "the local provider needs root")


@pytest.fixture
def local_available(monkeypatch):
    monkeypatch.setattr(cluster.local, "unavailable_reason", lambda: None)


def reachable(tools, context):
    tools.answer("kubectl", ["config", "current-context"], stdout=f"{context}\n")
    tools.answer("kubectl", ["/readyz"], stdout_file="kubectl/readyz.stdout")


def unreachable(tools, context):
    tools.answer("kubectl", ["config", "current-context"], stdout=f"{context}\n")
    tools.answer("kubectl", ["/readyz"], stderr_file="kubectl/unreachable.stderr", exit_code=1)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("minikube", MinikubeProvider), ("kind", KindProvider), ("existing", ExistingProvider), ("local", LocalProvider)],
)
def test_named_provider_is_returned_without_probing(tools, local_available, name, expected):
    tools.install("minikube", "kind")
    tools.write_kubeconfig("production")
    assert isinstance(select_provider(name), expected)
    assert tools.calls() == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("minikube", "minikube not found on PATH: install minikube"),
        ("kind", "kind not found on PATH: install kind"),
        ("local", "needs root(.|\\n)*choose --cluster minikube, kind or existing"),
        ("existing", "does not exist\\nfix: pass --kubeconfig FILE"),
    ],
)
def test_named_provider_that_cannot_work_here_names_cause_and_fix(tools, local_unavailable, name, message):
    with pytest.raises(ClusterError, match=message):
        select_provider(name)


def test_unknown_name_lists_the_choices(tools):
    with pytest.raises(ClusterError, match="choose one of auto, minikube, kind, existing, local"):
        select_provider("k3s")


def test_auto_uses_a_reachable_current_context(tools, local_available):
    tools.write_kubeconfig("production")
    reachable(tools, "production")
    provider = select_provider()
    assert isinstance(provider, ExistingProvider)
    assert provider.context() == "production"
    assert provider.kubeconfig() == tools.home / ".kube" / "config"


def test_auto_prefers_minikube_provider_for_a_reachable_minikube_context(tools, local_available):
    tools.install("minikube")
    tools.write_kubeconfig("minikube")
    reachable(tools, "minikube")
    assert isinstance(select_provider(), MinikubeProvider)


def test_auto_prefers_kind_provider_for_a_reachable_kind_context(tools, local_available):
    tools.install("kind")
    tools.write_kubeconfig("kind-suite")
    reachable(tools, "kind-suite")
    provider = select_provider()
    assert isinstance(provider, KindProvider)
    assert provider.cluster_name == "suite"


def test_auto_falls_back_to_minikube_when_the_context_is_unreachable(tools, local_available):
    tools.install("minikube")
    tools.write_kubeconfig("production")
    unreachable(tools, "production")
    assert isinstance(select_provider(), MinikubeProvider)


def test_auto_without_kubeconfig_uses_minikube_when_installed(tools, local_available):
    tools.install("minikube")
    assert isinstance(select_provider(), MinikubeProvider)


def test_auto_without_kubeconfig_or_minikube_uses_local_when_root_on_linux(tools, local_available):
    assert isinstance(select_provider(), LocalProvider)


def test_auto_with_nothing_available_lists_every_option(tools, local_unavailable):
    tools.write_kubeconfig("production")
    unreachable(tools, "production")
    with pytest.raises(ClusterError) as raised:
        select_provider()
    message = str(raised.value)
    assert "context production is unreachable" in message
    assert "minikube is not installed" in message
    assert "needs root" in message
    for option in ("--cluster existing", "--cluster minikube", "--cluster kind", "--cluster local"):
        assert option in message


def test_auto_with_an_explicit_unreachable_context_does_not_fall_through(tools, local_available):
    tools.install("minikube")
    kubeconfig = tools.write_kubeconfig("production", tools.home / "team.kubeconfig")
    unreachable(tools, "production")
    with pytest.raises(ClusterError) as raised:
        select_provider(kubeconfig=kubeconfig, context="staging")
    assert "127.0.0.1:6553 was refused" in str(raised.value)
    assert "fix:" in str(raised.value)


def test_auto_with_an_explicit_missing_kubeconfig_names_the_file(tools, local_available):
    with pytest.raises(ClusterError, match="does not exist"):
        select_provider(kubeconfig=tools.home / "missing.kubeconfig")


def test_explicit_reachable_context_stays_existing_even_for_minikube(tools, local_available):
    tools.install("minikube")
    kubeconfig = tools.write_kubeconfig("minikube", tools.home / "team.kubeconfig")
    reachable(tools, "minikube")
    provider = select_provider(kubeconfig=kubeconfig, context="minikube")
    assert isinstance(provider, ExistingProvider)
    assert provider.kubeconfig() == kubeconfig


def test_existing_provider_with_missing_kubeconfig_says_how_to_fix(tools):
    with pytest.raises(ClusterError, match="pass --kubeconfig FILE"):
        ExistingProvider(tools.home / "none").ensure()


def test_existing_provider_load_image_warns(tools):
    with pytest.warns(UserWarning, match="must be pullable"):
        ExistingProvider(tools.home / "none").load_image("todo-chatbot-backend:1.0.0")


def test_local_provider_reports_why_it_cannot_run(tools, local_unavailable):
    with pytest.raises(ClusterError, match="needs root.*\n.*minikube, kind or existing"):
        LocalProvider().ensure()
