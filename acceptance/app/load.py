"""A bounded request loop beside a rollout: at most max_requests, paced, stopped on demand (the one other place that
sleeps); and the traffic it sends as users do, reading the list and writing todos."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable

import requests

from acceptance.core import http
from acceptance.core.wait import wait_for


def succeeded(status: int) -> bool:
    """A 2xx answer (a write answers 201); no answer at all is status 0."""
    return 200 <= status < 300


class TodoTraffic:
    """What users do while a rollout runs: list the todos, and every write_every-th request write one (a title of its
    own, kept once the app answered 201), each on a connection of its own; at most max_writes, so the list afterwards
    fits the app's first page. Called by the LoadRunner's thread."""

    def __init__(self, base_url: str, timeout: float, tag: str, write_every: int = 4, max_writes: int = 40):
        self.base_url, self.timeout, self.tag = base_url, timeout, tag
        self.write_every, self.max_writes = write_every, max_writes
        self.written: list[str] = []  # the titles the app acknowledged, in order
        self._count = itertools.count(1)

    def __call__(self) -> tuple[int, str]:
        number = next(self._count)
        title = f"{self.tag} {number}"
        try:
            if number % self.write_every or len(self.written) >= self.max_writes:
                response = http.request("GET", f"{self.base_url}/api/todos", timeout=self.timeout)
            else:
                response = http.request("POST", f"{self.base_url}/api/todos", timeout=self.timeout, json={"title": title})
                if response.status_code == 201:
                    self.written.append(title)
        except requests.RequestException as error:
            return 0, f"{type(error).__name__}: {error}"
        return response.status_code, response.text

    def lost(self, titles: list[str]) -> list[str]:
        """The acknowledged writes that titles (the list afterwards) lacks, or holds more than once."""
        return [title for title in self.written if titles.count(title) != 1]

    def lost_problem(self, titles: list[str], during: str) -> str | None:
        """Why the writes made during a change do not show that the app kept them; None when they do."""
        if len(self.written) < 5:
            return f"only {len(self.written)} todos were written during the {during}: too few to judge whether writes are kept"
        lost = self.lost(titles)
        if lost:
            return (f"{len(lost)} of the {len(self.written)} todos the app acknowledged (201) during the {during} are missing from "
                    f"the list afterwards, or listed twice, e.g. {lost[:3]}: writes went where the new pods do not read")
        return None


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
            self.log.append((time.monotonic(), status, "" if succeeded(status) else body[:200]))
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

    def availability_problem(self, during: str) -> str | None:
        """Why the requests made during a change do not show it kept the app available; None when they do."""
        if len(self.log) < 20:
            return f"only {len(self.log)} requests ran during the {during}: too few to judge availability"
        failures = self.failures()
        return f"{len(failures)} of {len(self.log)} requests failed during the {during}, e.g. {failures[:3]}" if failures else None

    def failures(self) -> list[tuple[int, str]]:
        """The answers that were no success (no answer at all is status 0)."""
        return [(status, body) for _, status, body in self.log if not succeeded(status)]

    def transcript(self) -> str:
        return "\n".join(f"{at:.2f} {status} {body}" for at, status, body in self.log)
