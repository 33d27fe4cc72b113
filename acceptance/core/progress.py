"""One progress channel for long work (builds, cluster start, waits); the pytest plugin routes it to the terminal."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable

_sink: list[Callable[[str], None]] = []
# Work started early in a thread of its own (acceptance.core.background) runs while pytest runs scenarios: its lines are
# held until the main thread can show them, between scenarios or while it waits for that work.
BACKGROUND = "background:"
_held: list[str] = []
_held_lock = threading.Lock()


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def say(message: str) -> None:
    """Show one progress line now, stamped with the time."""
    line = f"[{time.strftime('%H:%M:%S')}] {message}"
    if threading.current_thread().name.startswith(BACKGROUND):
        with _held_lock:
            _held.append(line)
        return
    show_held()
    (_sink[0] if _sink else _stderr)(line)


def show_held() -> None:
    """Show the lines background work said since the last call (call it from the main thread only)."""
    with _held_lock:
        lines, _held[:] = list(_held), []
    for line in lines:
        (_sink[0] if _sink else _stderr)(line)


def elapsed(since: float) -> str:
    """Seconds since a time.monotonic() reading, for progress lines."""
    return f"{time.monotonic() - since:.0f}s"


def route_to(sink: Callable[[str], None] | None) -> None:
    """Send progress lines to sink (None: back to stderr)."""
    _sink[:] = [sink] if sink else []
