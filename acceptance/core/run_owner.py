"""This run's identity, and the lock that keeps one run at a time on a cluster.

What a run makes outside itself (namespaces, Docker containers and networks, a cluster it starts) carries its owner
stamp: host, pid and the process's start time. A later run removes what a dead run left (a pid alone could have been
reused), and never what a live run, or a run on another host, still uses."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import socket
import tempfile
import time
from pathlib import Path
from typing import IO

# Stamped as a label (Docker) or annotation (Kubernetes) on what the run makes.
OWNER_KEY = "todo-chatbot.acceptance/owner"
DOCKER_OWNER_LABEL = "todo-chatbot.acceptance.owner"
# Set for the run's child pytest runs (the mutants'): the lock their parent holds is theirs too.
LOCK_HELD_VARIABLE = "TODO_ACCEPTANCE_RUN_LOCK"
LOCK_DIRECTORY = Path(tempfile.gettempdir()) / "todo-chatbot-acceptance"


class RunLockHeld(Exception):
    """Another live run holds the cluster's lock; the message names it and the fix."""


def start_time(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (field 22 of /proc/PID/stat), or None when it does not run."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


def owner() -> str:
    """This run's stamp: host:pid:start time."""
    return f"{socket.gethostname()}:{os.getpid()}:{start_time(os.getpid())}"


def alive(stamp: str | None) -> bool:
    """Whether the run of stamp may still be using what it made: it runs on this host, or it ran on another one (which
    this run cannot see). A missing or unreadable stamp counts as alive: only what is known to be dead is removed."""
    try:
        host, pid, started = (stamp or "").split(":")
        return host != socket.gethostname() or start_time(int(pid)) == started
    except ValueError:
        return True


def _key(provider_name: str, kubeconfig: Path, context: str | None) -> str:
    digest = hashlib.sha256(f"{kubeconfig.resolve()}\0{context or ''}".encode()).hexdigest()[:12]
    return f"{provider_name}-{digest}"


def _directory() -> Path:
    LOCK_DIRECTORY.mkdir(mode=0o1777, parents=True, exist_ok=True)
    return LOCK_DIRECTORY


class RunLock:
    """One run at a time on a cluster (one kubeconfig context), held for the whole pytest session; released when the
    process ends, however it ends (the kernel drops the flock)."""

    def __init__(self, provider_name: str, kubeconfig: Path, context: str | None, description: str) -> None:
        self.path = _directory() / f"{_key(provider_name, kubeconfig, context)}.lock"
        self.description = description
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        """Take the lock at once, or refuse.

        Raises:
            RunLockHeld: a live run holds it; the message names its pid, command and start, and the fix.
        """
        if os.environ.get(LOCK_HELD_VARIABLE) == str(self.path):
            return  # a child run of the run that holds it
        handle = self.path.open("a+")  # held open for the whole session
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            pid, holder = _holder(handle.read())
            handle.close()
            raise RunLockHeld(
                f"another acceptance run is testing in {self.description}: {holder}\n"
                f"fix: wait for it to end, or stop it (kill {pid}); a run on another cluster (--cluster, --kube-context) "
                "may go alongside"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"pid": os.getpid(), "owner": owner(), "since": time.strftime("%Y-%m-%d %H:%M:%S"),
                                 "command": " ".join(_command_line())[:300], "cluster": self.description}))
        handle.flush()
        self._file = handle
        os.environ[LOCK_HELD_VARIABLE] = str(self.path)

    def release(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
            os.environ.pop(LOCK_HELD_VARIABLE, None)


def _holder(text: str) -> tuple[str, str]:
    """The lock holder's pid and a description of it, from what it wrote into the lock file."""
    try:
        held = json.loads(text)
        return str(held["pid"]), f"pid {held['pid']}, since {held['since']}: {held['command']}"
    except (ValueError, KeyError, TypeError):
        return "PID", "a run that did not say who it is"


def _command_line() -> list[str]:
    try:
        return Path("/proc/self/cmdline").read_bytes().decode(errors="replace").split("\0")[:-1]
    except OSError:
        return ["pytest"]


class StartedBy:
    """Who started the cluster, when a run did: a run that dies (kill -9, a crash) before stopping it leaves this
    record, and the next run on the cluster adopts the cluster and stops it at its end."""

    def __init__(self, provider_name: str, kubeconfig: Path, context: str | None) -> None:
        self.path = _directory() / f"{_key(provider_name, kubeconfig, context)}.started-by"

    def record(self) -> None:
        self.path.write_text(owner())

    def forget(self) -> None:
        self.path.unlink(missing_ok=True)

    def dead_starter(self) -> str | None:
        """The stamp of the dead run that started the cluster and never stopped it, or None."""
        try:
            stamp = self.path.read_text().strip()
        except OSError:
            return None
        return None if alive(stamp) else stamp
