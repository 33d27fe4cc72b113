"""Unit tests of select_provider's decisions (fake kubectl/minikube/kind on PATH) and of the existing provider."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from data.cluster.fakes import kubeconfig_for  # tests/unit is on sys.path

from acceptance.kube import clusters
from acceptance.kube.clusters import (
    ClusterError,
    ExistingProvider,
    KindProvider,
    LocalProvider,
    MinikubeProvider,
    select_provider,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def tools(fake_tools):
    return fake_tools("kubectl")


@pytest.mark.parametrize(
    ("name", "expected"),
    [("minikube", MinikubeProvider), ("kind", KindProvider), ("existing", ExistingProvider), ("local", LocalProvider)],
)
def test_named_provider_is_returned_without_probing(tools, local_available, name, expected, timeouts):
    tools.install("minikube", "kind")
    tools.write_kubeconfig("production")
    provider = select_provider(timeouts, name)
    assert isinstance(provider, expected)
    assert provider.timeouts is timeouts, "the provider must work within the budgets it was given"
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
def test_named_provider_that_cannot_work_here_names_cause_and_fix(tools, local_unavailable, name, message, timeouts):
    with pytest.raises(ClusterError, match=message):
        select_provider(timeouts, name)


def test_minikube_without_minikube_installed_is_the_offline_build(tools, offline_minikube_available, timeouts):
    provider = select_provider(timeouts, "minikube")
    assert isinstance(provider, MinikubeProvider) and provider.offline, "cluster/minikube builds and starts it"
    assert provider.status() == {}, "not built yet: ensure() builds and starts it, without asking a minikube that is not there"


@pytest.mark.parametrize(("wrapper", "offline"), [
    ('#!/bin/sh\n# minikube, as cluster/minikube/build.sh built it, with what its none driver needs\nexec x "$@"\n', True),
    ("#!/bin/sh\necho a minikube installed some other way\n", False),
], ids=["this-repository-build", "any-other-minikube"])
def test_an_installed_minikube_is_driven_by_the_offline_scripts_only_when_it_is_this_repositorys_build(tools, timeouts, wrapper, offline):
    minikube_on_path = tools.bin_dir / "minikube"
    minikube_on_path.write_text(wrapper)
    minikube_on_path.chmod(0o755)
    assert select_provider(timeouts, "minikube").offline is offline


def test_unknown_name_lists_the_choices(tools, timeouts):
    with pytest.raises(ClusterError, match="choose one of auto, minikube, kind, existing, local"):
        select_provider(timeouts, "k3s")


@pytest.mark.parametrize("context", ["production", "team-staging", "gke_project_zone_cluster"])
def test_auto_never_tests_in_a_current_context_that_is_not_a_local_development_cluster(tools, local_available, timeouts, context, monkeypatch):
    said: list[str] = []
    monkeypatch.setattr(clusters, "progress", said.append)
    tools.install("minikube")
    tools.cluster(context, reachable=True)

    provider = select_provider(timeouts)

    assert isinstance(provider, MinikubeProvider), "a team's or cloud cluster is used only when named"
    assert not tools.called("kubectl", "/readyz"), "auto must not even reach a cluster it may not use"
    assert any(f"--cluster existing --kube-context {context}" in line for line in said), said


@pytest.mark.parametrize("context", ["docker-desktop", "kind-dev", "minikube"])
def test_auto_uses_a_reachable_local_development_context(tools, local_available, timeouts, context):
    tools.cluster(context, reachable=True)
    provider = select_provider(timeouts)
    assert provider.context() == context
    assert provider.kubeconfig() == tools.home / ".kube" / "config"


def test_a_named_context_is_used_whatever_its_name(tools, local_available, timeouts):
    kubeconfig = tools.cluster("production", reachable=True)
    provider = select_provider(timeouts, kubeconfig=kubeconfig, context="production")
    assert isinstance(provider, ExistingProvider) and provider.context() == "production"


@pytest.mark.parametrize(("installed", "cluster", "expected", "context"), [
    (["minikube"], ("minikube", True), MinikubeProvider, "minikube"),
    (["kind"], ("kind-suite", True), KindProvider, "kind-suite"),
    (["minikube"], ("production", False), MinikubeProvider, "minikube"),
    (["minikube"], None, MinikubeProvider, "minikube"),
    ([], None, LocalProvider, "todo-chatbot-local"),
], ids=["prefers-minikube-for-its-reachable-context", "prefers-kind-for-its-reachable-context", "unreachable-context-falls-back-to-minikube",
        "no-kubeconfig-uses-minikube-when-installed", "no-kubeconfig-or-minikube-uses-local-when-root-on-linux"])
def test_auto_picks_the_most_capable_provider(tools, local_available, timeouts, installed, cluster, expected, context):
    tools.install(*installed)
    if cluster:
        tools.cluster(cluster[0], reachable=cluster[1])

    provider = select_provider(timeouts)

    assert (type(provider), provider.context()) == (expected, context)


def test_auto_with_nothing_available_lists_every_option(tools, local_unavailable, timeouts):
    tools.cluster("kind-dev", reachable=False)
    with pytest.raises(ClusterError) as raised:
        select_provider(timeouts)
    message = str(raised.value)
    assert "context kind-dev is unreachable" in message
    assert "minikube is not installed" in message
    assert "needs root" in message
    for option in ("--cluster existing", "--cluster minikube", "--cluster kind", "--cluster local"):
        assert option in message


def test_auto_with_an_explicit_unreachable_context_does_not_fall_through(tools, local_available, timeouts):
    tools.install("minikube")
    kubeconfig = tools.cluster("production", reachable=False, path=tools.home / "team.kubeconfig")
    with pytest.raises(ClusterError, match=r"(?s)127\.0\.0\.1:6553 was refused.*\nfix: "):
        select_provider(timeouts, kubeconfig=kubeconfig, context="staging")


def test_auto_with_an_explicit_missing_kubeconfig_names_the_file(tools, local_available, timeouts):
    with pytest.raises(ClusterError, match="does not exist"):
        select_provider(timeouts, kubeconfig=tools.home / "missing.kubeconfig")


def test_explicit_reachable_context_stays_existing_even_for_minikube(tools, local_available, timeouts):
    tools.install("minikube")
    kubeconfig = tools.cluster("minikube", reachable=True, path=tools.home / "team.kubeconfig")
    provider = select_provider(timeouts, kubeconfig=kubeconfig, context="minikube")
    assert isinstance(provider, ExistingProvider)
    assert provider.kubeconfig() == kubeconfig


def test_existing_provider_with_missing_kubeconfig_says_how_to_fix(tools, timeouts):
    with pytest.raises(ClusterError, match="pass --kubeconfig FILE"):
        ExistingProvider(timeouts, tools.home / "none").ensure()


def test_existing_provider_load_image_warns(tools, timeouts):
    with pytest.warns(UserWarning, match="must be pullable"):
        ExistingProvider(timeouts, tools.home / "none").load_image("todo-chatbot-backend:1.0.0")


def test_local_provider_reports_why_it_cannot_run(tools, local_unavailable, timeouts):
    with pytest.raises(ClusterError, match=r"needs root.*\n.*minikube, kind or existing"):
        LocalProvider(timeouts).ensure()


def test_failure_evidence_from_a_cluster_the_suite_did_not_start_covers_only_the_runs_namespaces(tools, timeouts, tmp_path):
    provider = ExistingProvider(timeouts, tools.cluster("team", reachable=True), "team")

    provider.export_logs(tmp_path / "evidence", ["acc-fr001-a1b2c"])

    calls = [" ".join(call) for call in tools.calls("kubectl")]
    assert calls, "nothing was collected"
    assert not [call for call in calls if "--all-namespaces" in call or "describe nodes" in call or "kube-system" in call], calls
    assert any("cluster-info dump --namespaces acc-fr001-a1b2c " in call for call in calls), calls


def test_failure_evidence_from_the_suites_own_cluster_adds_nodes_and_kube_system(tools, timeouts, tmp_path, monkeypatch):
    provider = ExistingProvider(timeouts, tools.cluster("kind-suite", reachable=True), "kind-suite")
    monkeypatch.setattr(provider, "created", True)

    provider.export_logs(tmp_path / "evidence", ["acc-fr001-a1b2c"])

    calls = [" ".join(call) for call in tools.calls("kubectl")]
    assert any("describe nodes" in call for call in calls), calls
    assert any("cluster-info dump --namespaces acc-fr001-a1b2c,kube-system " in call for call in calls), calls


def test_a_named_cluster_the_suite_did_not_start_is_shown_with_its_server_on_the_first_lines(tmp_path):
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(kubeconfig_for("https://team.example.internal:6443"))
    environment = {key: value for key, value in os.environ.items() if key not in ("CI", "PYTEST_ADDOPTS", "KUBECONFIG")}

    shown = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-m", "static", "--cluster", "existing",
                            f"--kubeconfig={kubeconfig}", "--kube-context", "test", f"--report-dir={tmp_path / 'reports'}"],
                           cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120, check=False)

    header = shown.stdout.split("collected")[0]
    assert "cluster: context test of" in header and "at https://team.example.internal:6443" in header, shown.stdout[:2000]
