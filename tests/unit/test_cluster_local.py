"""Unit tests of the local provider's use of cluster/local/*.sh (fake scripts and kubectl; the real ones need root)."""

from __future__ import annotations

import types

import pytest

import acceptance.kube.clusters.local as local_module
from acceptance.kube.clusters import ClusterError, LocalProvider


@pytest.fixture
def scripts(fake_tools, local_available, tmp_path, monkeypatch):
    """Fake build.sh/up.sh/down.sh/load-image.sh that record their arguments (scripts.calls()); kubectl answers /readyz."""
    tools = fake_tools("kubectl")
    tools.api_server_answers()
    scripts_dir = tmp_path / "scripts"
    scripts_dir.mkdir()
    calls = tmp_path / "script-calls.txt"
    calls.touch()
    for name in ("build.sh", "up.sh", "down.sh", "load-image.sh"):
        (scripts_dir / name).write_text(f'echo "{name} $*" >>"{calls}"\necho "progress from {name}" >&2\n')
    monkeypatch.setattr(local_module, "SCRIPTS_DIR", scripts_dir)
    monkeypatch.setenv("TODO_CLUSTER_STATE", str(tmp_path / "state"))
    monkeypatch.setenv("PATH", f"{tools.bin_dir}:/usr/bin:/bin")  # bash for the scripts, fake kubectl first
    return types.SimpleNamespace(tools=tools, calls=lambda: calls.read_text().splitlines())


def test_ensure_builds_then_starts_then_checks_the_api(scripts, tmp_path, timeouts):
    provider = LocalProvider(timeouts)
    provider.ensure()
    assert scripts.calls() == ["build.sh ", "up.sh "]
    assert provider.created, "a cluster that did not answer before ensure() was started by it"
    assert scripts.tools.first_call("kubectl", "/readyz")[1:5] == [
        "--kubeconfig", str(tmp_path / "state" / "kubeconfig"), "--context", "todo-chatbot-local"]


def test_load_image_calls_its_script(scripts, timeouts):
    LocalProvider(timeouts).load_image("todo-chatbot-frontend:1.0.0")
    assert scripts.calls() == ["load-image.sh todo-chatbot-frontend:1.0.0"]


@pytest.mark.parametrize(("purge", "down"), [(False, "down.sh "), (True, "down.sh --purge")], ids=["stop", "purge"])
def test_a_cluster_ensure_started_is_stopped_by_delete(scripts, timeouts, purge, down):
    provider = LocalProvider(timeouts, purge_on_delete=purge)
    provider.ensure()
    provider.delete()
    provider.delete()
    assert scripts.calls() == ["build.sh ", "up.sh ", down], "delete() stops the cluster once, and only the one ensure() started"


def test_a_cluster_that_answered_before_ensure_is_left_running(scripts, tmp_path, timeouts):
    kubeconfig = tmp_path / "state" / "kubeconfig"
    kubeconfig.parent.mkdir()
    kubeconfig.write_text("apiVersion: v1\nkind: Config\n")
    provider = LocalProvider(timeouts)
    provider.ensure()
    provider.delete()
    assert not provider.created
    assert scripts.calls() == ["build.sh ", "up.sh "], "a cluster that was running before the run must be left running"


def test_delete_without_ensure_leaves_the_cluster_alone(scripts, timeouts):
    LocalProvider(timeouts, purge_on_delete=True).delete()
    assert scripts.calls() == []


def test_failing_up_names_the_component_first_and_stops_what_it_started(scripts, timeouts):
    (local_module.SCRIPTS_DIR / "up.sh").write_text(
        'echo "[07:00:01] preparing the host" >&2\n'
        'echo "error: kube-router exited: see /var/lib/todo-chatbot-cluster/logs/kube-router.log" >&2\nexit 1\n')
    with pytest.raises(ClusterError) as raised:
        LocalProvider(timeouts).ensure()
    assert str(raised.value).startswith("the local cluster did not start: kube-router exited: see /var/lib/todo-chatbot-cluster/logs/kube-router.log\n")
    assert "\nfix: " in str(raised.value)
    assert scripts.calls() == ["build.sh ", "down.sh "], "a start that failed (or was killed at its timeout) must stop what it started"


def test_a_failing_start_of_a_cluster_that_ran_before_leaves_it_to_its_owner(scripts, tmp_path, timeouts):
    kubeconfig = tmp_path / "state" / "kubeconfig"
    kubeconfig.parent.mkdir()
    kubeconfig.write_text("apiVersion: v1\nkind: Config\n")
    (local_module.SCRIPTS_DIR / "up.sh").write_text('echo "error: port 6443 is already in use" >&2\nexit 1\n')
    with pytest.raises(ClusterError, match=r"^the local cluster did not start: port 6443 is already in use"):
        LocalProvider(timeouts).ensure()
    assert scripts.calls() == ["build.sh "], "a cluster that answered before the run is not stopped by it"
