"""The suite's one wait: poll a condition until it holds, stop at once on a fatal state (no other loop sleeps)."""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable
from typing import TypeVar, overload

import tenacity

from acceptance.core.outcome import NotJudged

log = logging.getLogger("acceptance.core.wait")
T = TypeVar("T")


# Quick work the main thread does between the attempts of its waits (the cluster tier starts installing the next
# release ahead there): most of a cluster run is spent waiting, and scenario boundaries come too seldom.
_between_attempts: list[Callable[[], None]] = []


def between_attempts(work: Callable[[], None] | None) -> None:
    """Run work between the attempts of every wait of the main thread from now on (None: no more); a failure of
    work is logged and does not disturb the wait."""
    _between_attempts[:] = [work] if work else []


def _meanwhile() -> None:
    if threading.current_thread() is not threading.main_thread():
        return
    for work in _between_attempts:
        try:
            work()
        except Exception as error:  # noqa: BLE001 - work done meanwhile must never fail the wait it runs in
            log.warning("work between wait attempts failed: %s: %s", type(error).__name__, error)


class FatalState(Exception):
    """Raised by a predicate when waiting longer cannot help (ImagePullBackOff, CrashLoopBackOff ...)."""


class WaitTimeout(AssertionError):
    """The awaited condition did not hold within its budget."""


class Pending:
    """A falsy observation that says what is still pending (shown when a wait times out)."""

    def __init__(self, reason: str):
        self.reason = reason

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return self.reason


@dataclasses.dataclass(frozen=True)
class Condition:
    """A named condition (acceptance.kube.conditions): what is awaited, in words, and how to observe it."""

    what: str
    observe: Callable[[], object]


# A Condition's observation is whatever it observes (object); a callable's is its own type.
@overload
def wait_for(predicate: Condition, timeout: float, interval: float = 1.0, what: str | None = None) -> object: ...


@overload
def wait_for(predicate: Callable[[], T], timeout: float, interval: float = 1.0, what: str | None = None) -> T: ...


def wait_for(predicate: Callable[[], object] | Condition, timeout: float, interval: float = 1.0, what: str | None = None) -> object:
    """Call predicate until it returns a truthy value and return that value.

    Args:
        predicate: a Condition, or a callable that returns a falsy value to keep waiting; either
            raises FatalState to stop at once, or NotJudged to stop at once for a cause that is not the deployment's.
        timeout: seconds before giving up.
        interval: seconds between attempts.
        what: the awaited condition, in words, for the log and the error (a Condition names itself).

    Raises:
        WaitTimeout: the condition did not hold in time (the last falsy value or error is named).
        FatalState: the predicate reported a state that waiting cannot fix.
        NotJudged: the predicate found that this wait cannot judge the deployment (a cluster with no room).
    """
    __tracebackhide__ = True
    observe: Callable[[], object]
    if isinstance(predicate, Condition):
        observe, what = predicate.observe, what or predicate.what
    else:
        observe = predicate
    what = what or "condition"
    last: list[object] = [None]

    def attempt() -> object:
        try:
            value = observe()
        except (FatalState, NotJudged):
            raise
        except Exception as error:  # a transient error is one more reason to retry
            last[0] = f"{type(error).__name__}: {error}"
            raise
        last[0] = value
        if not value:
            raise _NotYet()
        return value

    def before_sleep(state: tenacity.RetryCallState) -> None:
        log.info("waiting for %s (attempt %d, %.0fs)", what, state.attempt_number, state.seconds_since_start or 0)
        _meanwhile()

    retrying = tenacity.Retrying(
        stop=tenacity.stop_after_delay(timeout),
        wait=tenacity.wait_fixed(interval),
        retry=tenacity.retry_if_not_exception_type((FatalState, NotJudged)),
        before_sleep=before_sleep,
        reraise=True,
    )
    try:
        return retrying(attempt)
    except FatalState as error:
        raise FatalState(f"gave up waiting for {what}: {error}") from None
    except NotJudged:
        raise
    except Exception:  # noqa: BLE001 - the last attempt's failure, whatever it is, is the timeout's observation
        raise WaitTimeout(f"{what} did not happen within {timeout:.0f}s; last observation: {last[0]!r}") from None


class _NotYet(Exception):
    """Internal: the predicate returned a falsy value."""
