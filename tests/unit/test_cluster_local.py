"""Unit tests of the local provider's use of cluster/local/*.sh (fake scripts and kubectl; the real ones need root)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

import fixtures.cluster.local as local_module
from fixtures.cluster import ClusterError, LocalProvider

_spec = importlib.util.spec_from_file_location("cluster_fakes", Path(__file__).parent / "data" / "cluster" / "fakes.py")
fakes = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fakes)


@pytest.fixture
def scripts(tmp_path, monkeypatch):
    """Fake build.sh/up.sh/down.sh/load-image.sh that record their arguments; kubectl answers /readyz."""
    tools = fakes.FakeTools(tmp_path, monkeypatch)
    tools.install("kubectl")
    tools.answer("kubectl", ["/readyz"], stdout_file="kubectl/readyz.stdout")
    scripts_dir = tmp_path / "scripts"
    scripts_dir.mkdir()
    calls = tmp_path / "script-calls.txt"
    for name in ("build.sh", "up.sh", "down.sh", "load-image.sh"):
        (scripts_dir / name).write_text(f'echo "{name} $*" >>"{calls}"\necho "progress from {name}" >&2\n')
    monkeypatch.setattr(local_module, "SCRIPTS_DIR", scripts_dir)
    monkeypatch.setattr(local_module, "unavailable_reason", lambda: None)
    monkeypatch.setenv("TODO_CLUSTER_STATE", str(tmp_path / "state"))
    monkeypatch.setenv("PATH", f"{tools.bin_dir}:/usr/bin:/bin")  # bash for the scripts, fake kubectl first
    return calls, tools


def test_ensure_builds_then_starts_then_checks_the_api(scripts, tmp_path):
    calls, tools = scripts
    provider = LocalProvider()
    provider.ensure()
    assert calls.read_text().splitlines() == ["build.sh ", "up.sh "]
    readyz = [call for call in tools.calls("kubectl") if "/readyz" in call][0]
    assert readyz[1:5] == ["--kubeconfig", str(tmp_path / "state" / "kubeconfig"), "--context", "todo-chatbot-local"]


def test_load_image_and_delete_call_their_scripts(scripts):
    calls, _ = scripts
    LocalProvider().load_image("todo-chatbot-frontend:1.0.0")
    LocalProvider().delete()
    LocalProvider(purge_on_delete=True).delete()
    assert calls.read_text().splitlines() == ["load-image.sh todo-chatbot-frontend:1.0.0", "down.sh ", "down.sh --purge"]


def test_failing_up_names_the_component_log(scripts):
    calls, _ = scripts
    (local_module.SCRIPTS_DIR / "up.sh").write_text(
        'echo "error: kubelet exited: see /var/lib/todo-chatbot-cluster/logs/kubelet.log" >&2\nexit 1\n')
    with pytest.raises(ClusterError) as raised:
        LocalProvider().ensure()
    assert "logs/kubelet.log" in str(raised.value)
    assert "fix:" in str(raised.value)
