"""What the run has made and not yet removed (its namespaces, a cluster it started), each with the command that removes
it by hand: what an interrupted run names when it is told to leave at once, before its cleanup is done."""

from __future__ import annotations

import threading

# Set once the run is interrupted (Ctrl-C, SIGTERM): cleanup then goes fast, waiting for nothing it can skip.
INTERRUPTED = threading.Event()

_made: dict[str, str] = {}
_lock = threading.Lock()


def made(what: str, removal: str) -> None:
    """Note that the run made what (e.g. 'namespace acc-v6-1a2b3'), which removal (a command) removes."""
    with _lock:
        _made[what] = removal


def removed(what: str) -> None:
    with _lock:
        _made.pop(what, None)


def left() -> dict[str, str]:
    """What the run made and has not removed yet -> the command that removes it."""
    with _lock:
        return dict(_made)
