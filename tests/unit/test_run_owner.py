"""One run at a time on a cluster, and what dead runs left removed: the run lock, the owner stamp, the sweep of a dead
run's namespaces and the adoption of a cluster a dead run started."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from test_suite_interrupt import slow_cluster_run, wait_for_the_cluster_wait  # tests/unit is on sys.path

from acceptance.core import leftovers, run_owner
from acceptance.core.run_owner import RunLock, RunLockHeld, StartedBy
from acceptance.kube.clusters.existing import ExistingProvider
from acceptance.release import lifecycle
from fixtures import cluster_tier

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def own_lock_directory(tmp_path, monkeypatch):
    """Locks and records of this test's own; what prepare() notes as made is forgotten after."""
    monkeypatch.setattr(run_owner, "LOCK_DIRECTORY", tmp_path / "locks")
    monkeypatch.delenv(run_owner.LOCK_HELD_VARIABLE, raising=False)
    before = leftovers.left()
    yield
    for what in set(leftovers.left()) - set(before):
        leftovers.removed(what)


def dead_stamp() -> str:
    """The stamp of a process of this host that has ended."""
    ended = subprocess.Popen(["true"])
    stamp = f"{socket.gethostname()}:{ended.pid}:{run_owner.start_time(ended.pid)}"
    ended.wait()
    return stamp


def holder(tmp_path: Path, context: str = "kind-dev") -> subprocess.Popen:
    """Another process holding the lock of (tmp_path/kubeconfig, context) until it is killed."""
    code = ("import sys, time; from pathlib import Path; from acceptance.core import run_owner\n"
            f"run_owner.LOCK_DIRECTORY = Path({str(tmp_path / 'locks')!r})\n"
            f"lock = run_owner.RunLock('kind', Path({str(tmp_path / 'kubeconfig')!r}), {context!r}, 'the kind cluster')\n"
            "lock.acquire()\n"
            "print('held', flush=True); time.sleep(120)\n")
    process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "held"
    return process


def test_a_second_run_on_the_same_cluster_refuses_at_once_naming_the_holder(tmp_path):
    first = holder(tmp_path)
    try:
        asked = time.monotonic()
        with pytest.raises(RunLockHeld) as refused:
            RunLock("kind", tmp_path / "kubeconfig", "kind-dev", "the kind cluster").acquire()
        assert time.monotonic() - asked < 1, "a second run must not wait for the first"
        assert f"pid {first.pid}" in str(refused.value) and f"kill {first.pid}" in str(refused.value), refused.value
    finally:
        first.kill()
        first.wait()
    RunLock("kind", tmp_path / "kubeconfig", "kind-dev", "the kind cluster").acquire()  # free once the holder is gone


def test_a_run_on_another_cluster_goes_alongside(tmp_path):
    first = holder(tmp_path, "kind-dev")
    try:
        RunLock("kind", tmp_path / "kubeconfig", "kind-other", "the kind cluster").acquire()
    finally:
        first.kill()
        first.wait()


def test_the_holders_child_runs_share_its_lock(tmp_path):
    lock = RunLock("kind", tmp_path / "kubeconfig", "kind-dev", "the kind cluster")
    lock.acquire()
    assert os.environ[run_owner.LOCK_HELD_VARIABLE] == str(lock.path), "child runs inherit the holder's lock"
    child = subprocess.run([sys.executable, "-c",
                            ("from pathlib import Path; from acceptance.core import run_owner\n"
                             f"run_owner.LOCK_DIRECTORY = Path({str(tmp_path / 'locks')!r})\n"
                             f"run_owner.RunLock('kind', Path({str(tmp_path / 'kubeconfig')!r}), 'kind-dev', 'x').acquire()\n")],
                           cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    lock.release()
    assert child.returncode == 0, child.stderr


@pytest.mark.parametrize(("stamp", "expected"), [
    (None, True), ("garbage", True), (f"another-host:{os.getpid()}:1", True), ("dead", False), ("self", True),
], ids=["unstamped", "unreadable", "another-host", "dead-process-here", "this-run"])
def test_only_a_run_known_to_be_dead_counts_as_dead(stamp, expected):
    stamp = {"dead": dead_stamp(), "self": run_owner.owner()}.get(stamp, stamp)
    assert run_owner.alive(stamp) is expected


def test_the_namespaces_of_dead_runs_are_deleted_and_no_others():
    def namespace(name: str, stamp: str | None, phase: str = "Active"):
        annotations = {run_owner.OWNER_KEY: stamp} if stamp else None
        return SimpleNamespace(metadata=SimpleNamespace(name=name, annotations=annotations), status=SimpleNamespace(phase=phase))

    deleted: list[str] = []
    listed = [namespace("acc-dead", dead_stamp()), namespace("acc-live", run_owner.owner()), namespace("acc-unstamped", None),
              namespace("acc-elsewhere", "another-host:1:1"), namespace("acc-going", dead_stamp(), "Terminating")]
    core = SimpleNamespace(list_namespace=lambda label_selector: SimpleNamespace(items=listed), delete_namespace=deleted.append)

    assert lifecycle.sweep_dead_runs(SimpleNamespace(core=core)) == ["acc-dead"]
    assert deleted == ["acc-dead"]


class StartableProvider(ExistingProvider):
    """A provider that could start its cluster, found running by ensure()."""

    name = "startable"

    def ensure(self) -> None:
        self.created = False

    def removal_command(self) -> str:
        return "stop-it"


def test_a_cluster_a_dead_run_started_is_adopted_and_stopped_by_the_next_run(tmp_path, timeouts):
    provider = StartableProvider(timeouts, tmp_path / "kubeconfig", "dev")
    started_by = StartedBy(provider.name, provider.kubeconfig(), provider.context())
    started_by.path.write_text(dead_stamp())

    cluster_tier.prepare(provider)

    assert provider.created, "the next run must stop a cluster a dead run left running"
    assert started_by.path.read_text() == run_owner.owner()


def test_a_cluster_a_live_run_started_stays_theirs(tmp_path, timeouts):
    provider = StartableProvider(timeouts, tmp_path / "kubeconfig", "dev")
    StartedBy(provider.name, provider.kubeconfig(), provider.context()).path.write_text(f"another-host:{os.getpid()}:1")
    cluster_tier.prepare(provider)
    assert not provider.created


def test_a_second_suite_run_beside_a_first_refuses_at_once(tmp_path):
    first = slow_cluster_run(tmp_path, f'touch "{tmp_path}/readyz-called"\nexec sleep 120\n')
    try:
        wait_for_the_cluster_wait(tmp_path, first)
        environment = {key: value for key, value in os.environ.items() if key not in ("CI", "PYTEST_ADDOPTS", "KUBECONFIG")}
        environment.update(HOME=str(tmp_path), DOCKER_HOST="tcp://127.0.0.1:1")
        asked = time.monotonic()
        second = subprocess.run([sys.executable, "-m", "pytest", "-m", "cluster and V_1", "-q", "--cluster", "existing",
                                 f"--kubeconfig={tmp_path / 'kubeconfig'}", f"--report-dir={tmp_path / 'second'}"],
                                cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120, check=False)
        output = second.stdout + second.stderr
        assert second.returncode == 4, f"exit {second.returncode}, not a usage error:\n{output}"
        assert f"pid {first.pid}" in output and f"kill {first.pid}" in output, output
        assert time.monotonic() - asked < 60, "the second run waited for the first"
    finally:
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=60)
