"""Interrupted runs clean up: SIGTERM (or Ctrl-C) stops the tools the run waits for, in every thread, and the run ends
in seconds saying so; a second signal leaves at once, naming what the run made that is still there."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from data.cluster.fakes import kubeconfig_for  # tests/unit is on sys.path

from acceptance.core.leftovers import made, removed
from fixtures.interrupt import left_message

ROOT = Path(__file__).resolve().parents[2]


def slow_cluster_run(tmp_path: Path, kubectl_body: str) -> subprocess.Popen:
    """The cluster tier against a cluster whose kubectl never answers (a fake, first on PATH), started in a child:
    the cluster's start in the background blocks, and the first cluster scenario waits for it."""
    fakes = tmp_path / "bin"
    fakes.mkdir()
    (fakes / "kubectl").write_text('#!/bin/sh\ncase "$*" in *--client*) echo "Client Version: v1.34.4"; exit 0 ;; esac\n' + kubectl_body)
    (fakes / "kubectl").chmod(0o755)
    (tmp_path / "kubeconfig").write_text(kubeconfig_for("https://127.0.0.1:1"))
    environment = {key: value for key, value in os.environ.items() if key not in ("CI", "PYTEST_ADDOPTS", "KUBECONFIG")}
    environment.update(PATH=f"{fakes}:{os.environ['PATH']}", HOME=str(tmp_path), DOCKER_HOST="tcp://127.0.0.1:1")
    return subprocess.Popen([sys.executable, "-m", "pytest", "-m", "cluster and V_1", "-q", "--cluster", "existing",
                             f"--kubeconfig={tmp_path / 'kubeconfig'}", f"--report-dir={tmp_path / 'reports'}"],
                            cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_for_the_cluster_wait(tmp_path: Path, child: subprocess.Popen) -> None:
    """Until the fake kubectl has been called for /readyz (the cluster's start is under way)."""
    deadline = time.monotonic() + 60
    while not (tmp_path / "readyz-called").exists():
        assert child.poll() is None and time.monotonic() < deadline, "the run never reached the cluster's start"
        time.sleep(0.1)
    time.sleep(1)  # the main thread now waits for the start


def test_sigterm_stops_the_runs_tools_and_ends_the_run_in_seconds(tmp_path):
    child = slow_cluster_run(tmp_path, f'touch "{tmp_path}/readyz-called"\nexec sleep 120\n')
    wait_for_the_cluster_wait(tmp_path, child)
    signalled = time.monotonic()
    child.send_signal(signal.SIGTERM)
    output, _ = child.communicate(timeout=60)

    assert time.monotonic() - signalled < 20, f"the run took {time.monotonic() - signalled:.0f}s to end after SIGTERM:\n{output}"
    assert "interrupted: stopped 1 running tool(s)" in output, output
    assert child.returncode == 2, f"exit {child.returncode}, not pytest's 'interrupted':\n{output}"


def test_a_second_signal_leaves_at_once(tmp_path):
    """A tool that ignores SIGTERM keeps the cleanup waiting: the second signal does not wait for it."""
    stubborn = tmp_path / "kubectl.pid"  # a sleep that ignores SIGTERM (the disposition survives exec), killed below
    child = slow_cluster_run(tmp_path, f"trap '' TERM\ntouch \"{tmp_path}/readyz-called\"\necho $$ >\"{stubborn}\"\nexec sleep 120\n")
    try:
        wait_for_the_cluster_wait(tmp_path, child)
        child.send_signal(signal.SIGTERM)
        time.sleep(3)
        assert child.poll() is None, "the cleanup did not wait for the start it had stopped"
        child.send_signal(signal.SIGTERM)
        output, _ = child.communicate(timeout=10)
    finally:
        child.kill()
        if stubborn.exists():
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(stubborn.read_text()), signal.SIGKILL)
    assert "SIGTERM again: leaving at once, before the cleanup ended." in output, output
    assert child.returncode == 128 + signal.SIGTERM


def test_what_is_left_is_named_with_the_command_that_removes_it():
    made("namespace acc-v6-1a2b3", "kubectl --kubeconfig k delete namespace acc-v6-1a2b3")
    try:
        message = left_message("SIGINT")
    finally:
        removed("namespace acc-v6-1a2b3")
    assert message.splitlines() == ["SIGINT again: leaving at once, before the cleanup ended.",
                                    "What this run made is still there; remove it with:",
                                    "  namespace acc-v6-1a2b3: kubectl --kubeconfig k delete namespace acc-v6-1a2b3"]
    assert left_message("SIGINT").splitlines()[1] == "Nothing this run made is left."
