"""A bounded request loop beside a rollout: at most max_requests, paced, stopped on demand (the one other place that sleeps)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from acceptance.core.wait import wait_for


class LoadRunner:
    """Sends fetch() in a thread until stopped or max_requests ran; records (time, status, body of a failure)."""

    def __init__(self, fetch: Callable[[], tuple[int, str]], max_requests: int = 3000, pause: float = 0.05):
        self.fetch = fetch
        self.max_requests = max_requests
        self.pause = pause
        self.log: list[tuple[float, int, str]] = []
        self._done = threading.Event()
        self._worker = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        for _ in range(self.max_requests):
            if self._done.is_set():
                return
            status, body = self.fetch()
            self.log.append((time.monotonic(), status, body[:200] if status != 200 else ""))
            time.sleep(self.pause)

    def start(self, warm_up: int, timeout: float) -> None:
        """Start the loop and return once warm_up requests have run."""
        self._worker.start()
        self.wait_for_more(warm_up, timeout)

    def wait_for_more(self, count: int, timeout: float) -> None:
        """Return once count more requests have run (so a rollout's end is covered too)."""
        wanted = len(self.log) + count
        wait_for(lambda: len(self.log) >= wanted or not self._worker.is_alive(), timeout=timeout, interval=0.1,
                 what=f"{count} more requests of the load")

    def stop(self, timeout: float) -> None:
        self._done.set()
        self._worker.join(timeout=timeout)

    def failures(self) -> list[tuple[int, str]]:
        return [(status, body) for _, status, body in self.log if status != 200]

    def transcript(self) -> str:
        return "\n".join(f"{at:.2f} {status} {body}" for at, status, body in self.log)
