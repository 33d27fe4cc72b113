"""Slow preparation started early in a thread of its own (the cluster's start overlaps the static and image tiers)."""

from __future__ import annotations

import concurrent.futures
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from acceptance.core import progress

T = TypeVar("T")


class Background(Generic[T]):
    """work() running in a daemon thread named progress.BACKGROUND + name; result() waits for it, showing its progress."""

    def __init__(self, name: str, work: Callable[[], T]) -> None:
        self.started = time.monotonic()
        self.finished: float | None = None
        executor = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"{progress.BACKGROUND}{name}")
        self._future = executor.submit(self._timed, work)
        executor.shutdown(wait=False)

    def _timed(self, work: Callable[[], T]) -> T:
        try:
            return work()
        finally:
            self.finished = time.monotonic()

    def result(self) -> T:
        """work()'s value, or its exception raised here; the held progress lines are shown every second meanwhile."""
        while not concurrent.futures.wait([self._future], timeout=1).done:
            progress.show_held()
        progress.show_held()
        return self._future.result()

    def wait(self, seconds: float) -> None:
        """Wait up to seconds for the work to end, whatever its outcome."""
        concurrent.futures.wait([self._future], timeout=seconds)

    def done(self) -> bool:
        return self._future.done()

    def seconds(self) -> float:
        """How long the work took (so far, if it still runs)."""
        return (self.finished or time.monotonic()) - self.started
