"""One progress channel for long work (builds, cluster start, waits); the pytest plugin routes it to the terminal."""

from __future__ import annotations

import sys
import time
from typing import Callable

_sink: list[Callable[[str], None]] = []


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def say(message: str) -> None:
    """Show one progress line now, stamped with the time."""
    line = f"[{time.strftime('%H:%M:%S')}] {message}"
    (_sink[0] if _sink else _stderr)(line)


def elapsed(since: float) -> str:
    """Seconds since a time.monotonic() reading, for progress lines."""
    return f"{time.monotonic() - since:.0f}s"


def route_to(sink: Callable[[str], None] | None) -> None:
    """Send progress lines to sink (None: back to stderr)."""
    _sink[:] = [sink] if sink else []
