"""Unit tests of acceptance/core/wait.py wait_for (first truthy value, timeout naming the last observation, fatal stop, retried errors)
and of a hopeless state it stops on."""

from __future__ import annotations

import datetime
import time
import types

import pytest
import requests

from acceptance.app.client import past_gateway_errors
from acceptance.app.load import LoadRunner, TodoTraffic
from acceptance.core.timeouts import Timeouts
from acceptance.core.wait import Condition, FatalState, Pending, WaitTimeout, between_attempts, wait_for
from acceptance.kube.client import earliest_ready, readiness_path_missing


class Sequence:
    """A predicate that answers from a list (an exception in the list is raised) and counts its calls."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.calls = 0

    def __call__(self):
        answer = self.answers[min(self.calls, len(self.answers) - 1)]
        self.calls += 1
        if isinstance(answer, BaseException):
            raise answer
        return answer


def test_returns_the_first_truthy_value_and_stops_polling():
    predicate = Sequence(None, 0, "", [], "ready", "later")

    assert wait_for(predicate, timeout=5, interval=0.01, what="the pod") == "ready"
    assert predicate.calls == 5, f"polled {predicate.calls} times, expected to stop at the first truthy value (call 5)"


def test_returns_at_once_when_the_condition_already_holds():
    predicate = Sequence({"phase": "Running"})

    assert wait_for(predicate, timeout=5, interval=1, what="the pod") == {"phase": "Running"}
    assert predicate.calls == 1


def test_timeout_names_what_was_awaited_and_the_last_observation():
    predicate = Sequence(Pending("phase=Pending"), Pending("phase=ContainerCreating"))

    started = time.monotonic()
    with pytest.raises(WaitTimeout) as raised:
        wait_for(predicate, timeout=0.3, interval=0.05, what="the backend pod to be Ready")
    elapsed = time.monotonic() - started

    message = str(raised.value)
    assert "the backend pod to be Ready" in message, message
    assert "last observation: phase=ContainerCreating" in message, message
    assert predicate.calls >= 2, "the predicate was not retried before the timeout"
    assert 0.25 <= elapsed < 3, f"gave up after {elapsed:.2f}s with a 0.3s timeout"


def test_a_condition_names_what_is_awaited():
    condition = Condition("the claim data to be Bound", Sequence(Pending("phase=Pending"), Pending("phase=Pending"), "Bound"))

    assert wait_for(condition, timeout=5, interval=0.01) == "Bound"
    with pytest.raises(WaitTimeout, match=r"^the claim data to be Bound did not happen within \d+s; last observation: phase=Pending$"):
        wait_for(Condition("the claim data to be Bound", Sequence(Pending("phase=Pending"))), timeout=0.2, interval=0.05)


def test_wait_timeout_is_an_assertion_error_so_pytest_reports_a_failure():
    assert issubclass(WaitTimeout, AssertionError)


def test_fatal_state_stops_at_once_and_names_the_state():
    predicate = Sequence(None, FatalState("ImagePullBackOff: todo-chatbot-backend:9.9.9 not found"))

    started = time.monotonic()
    with pytest.raises(FatalState) as raised:
        wait_for(predicate, timeout=30, interval=0.05, what="the backend pod to be Ready")
    elapsed = time.monotonic() - started

    message = str(raised.value)
    assert elapsed < 2, f"a fatal state took {elapsed:.2f}s to stop a 30s wait"
    assert predicate.calls == 2, f"the predicate was called {predicate.calls} times after the fatal state"
    assert "the backend pod to be Ready" in message and "ImagePullBackOff" in message, message
    assert not isinstance(raised.value, WaitTimeout)


def test_transient_errors_are_retried_until_the_condition_holds():
    predicate = Sequence(ConnectionError("refused"), OSError("reset by peer"), None, "answered")

    assert wait_for(predicate, timeout=5, interval=0.01, what="the service") == "answered"
    assert predicate.calls == 4


def test_a_persistent_error_times_out_naming_the_error():
    predicate = Sequence(ConnectionError("connection refused on 127.0.0.1:8000"))

    with pytest.raises(WaitTimeout) as raised:
        wait_for(predicate, timeout=0.2, interval=0.05, what="the backend to answer")

    message = str(raised.value)
    assert "the backend to answer" in message, message
    assert "ConnectionError: connection refused on 127.0.0.1:8000" in message, message


def _namespaces(*phases_by_name):
    """A stand-in for the API's namespace list: each call answers the next {name: phase} mapping."""
    answers = list(phases_by_name)

    def list_namespace():
        now = answers.pop(0) if len(answers) > 1 else answers[0]
        items = [types.SimpleNamespace(metadata=types.SimpleNamespace(name=name), status=types.SimpleNamespace(phase=phase))
                 for name, phase in now.items()]
        return types.SimpleNamespace(items=items)

    return types.SimpleNamespace(core=types.SimpleNamespace(list_namespace=list_namespace))


def test_the_removal_of_the_runs_namespaces_is_awaited_once_for_all():
    from acceptance.kube.conditions import namespaces_gone

    kube = _namespaces({"acc-a": "Terminating", "acc-b": "Terminating", "default": "Active"}, {"acc-b": "Terminating"}, {"default": "Active"})
    assert wait_for(namespaces_gone(kube, ["acc-a", "acc-b"]), timeout=5, interval=0.01)


def test_a_namespace_left_behind_fails_the_wait_and_is_named():
    from acceptance.kube.conditions import namespaces_gone

    kube = _namespaces({"acc-a": "Terminating", "default": "Active"})
    with pytest.raises(WaitTimeout, match=r"namespaces acc-a, acc-b to be removed did not happen .*still there: acc-a \(Terminating\)"):
        wait_for(namespaces_gone(kube, ["acc-a", "acc-b"]), timeout=0.2, interval=0.05)


def test_work_between_attempts_runs_in_the_main_thread_and_never_fails_the_wait():
    done = []

    def work():
        done.append(1)
        raise RuntimeError("the work failed")

    between_attempts(work)
    try:
        assert wait_for(Sequence(None, None, "ready"), timeout=5, interval=0.01, what="the pod") == "ready"
    finally:
        between_attempts(None)
    assert done == [1, 1], "work runs once between each two attempts, and its failure is only logged"
    assert wait_for(Sequence(None, "ready"), timeout=5, interval=0.01) == "ready" and done == [1, 1], "None stops the work"


def probe_event(message: str, count: int | None, reason: str = "Unhealthy"):
    return types.SimpleNamespace(reason=reason, message=message, count=count, involved_object=types.SimpleNamespace(name="todo-backend-1"))


@pytest.mark.parametrize(("event", "hopeless"), [
    (probe_event("Readiness probe failed: HTTP probe failed with statuscode: 404", 3), True),
    (probe_event("Readiness probe failed: HTTP probe failed with statuscode: 404", 2), False),  # maybe still starting
    (probe_event("Readiness probe failed: HTTP probe failed with statuscode: 404", None), False),
    (probe_event("Readiness probe failed: HTTP probe failed with statuscode: 503", 9), False),  # not ready yet: waiting can help
    (probe_event("Liveness probe failed: HTTP probe failed with statuscode: 404", 9), False),  # restarts end in CrashLoopBackOff
    (probe_event("Readiness probe failed: HTTP probe failed with statuscode: 404", 9, reason="Killing"), False),
])
def test_a_readiness_probe_on_a_missing_path_is_hopeless(event, hopeless):
    found = readiness_path_missing(event)
    assert bool(found) is hopeless
    assert not found or ("todo-backend-1" in found and "does not serve" in found)


def test_a_service_that_never_answers_fails_with_its_own_error_within_its_retry_budget():
    """No answer at all is the outcome after the retry budget: the error is raised, not one more request made."""
    timeouts = Timeouts(**dict.fromkeys(Timeouts.names(), 1.0))
    calls = Sequence(requests.ConnectionError("no route"))
    send = past_gateway_errors(lambda method, path: calls(), timeouts)
    started = time.monotonic()
    with pytest.raises(requests.ConnectionError, match="no route"):
        send("GET", "/health.html")
    assert time.monotonic() - started < 3 and 2 <= calls.calls <= 3  # two seconds of retries, each a second apart


def test_a_gateway_error_that_persists_is_the_answer():
    timeouts = Timeouts(**dict.fromkeys(Timeouts.names(), 0.5))
    answers = Sequence(requests.ConnectionError("starting"), types.SimpleNamespace(status_code=502))
    assert past_gateway_errors(lambda method, path: answers(), timeouts)("GET", "/api/todos").status_code == 502


def new_pod(delay: int | None, started_at):
    probe = types.SimpleNamespace(initial_delay_seconds=delay) if delay is not None else None
    state = types.SimpleNamespace(running=types.SimpleNamespace(started_at=started_at) if started_at else None)
    return types.SimpleNamespace(spec=types.SimpleNamespace(containers=[types.SimpleNamespace(name="app", readiness_probe=probe)]),
                                 status=types.SimpleNamespace(container_statuses=[types.SimpleNamespace(name="app", state=state)]))


@pytest.mark.parametrize(("delay", "started_after", "soonest_after"), [
    (65, 3, 68),       # a started container: its start plus the probe's delay
    (65, None, 65),    # not started yet: no sooner than now plus the delay
    (0, 3, 3),
    (None, 3, 3),      # no readiness probe: Ready as soon as it runs
])
def test_the_soonest_a_new_pod_can_be_ready(delay, started_after, soonest_after):
    now = datetime.datetime(2026, 12, 4, 12, 0, tzinfo=datetime.UTC)
    started = now + datetime.timedelta(seconds=started_after) if started_after is not None else None
    assert earliest_ready(new_pod(delay, started), now) == now + datetime.timedelta(seconds=soonest_after)


def test_the_users_load_judges_availability_and_kept_writes():
    runner = LoadRunner(lambda: (200, ""))
    runner.log = [(0.0, 200, "")] * 25 + [(1.0, 0, "ConnectionError: refused")]
    traffic = TodoTraffic("http://127.0.0.1:1", 1, "written")
    traffic.written = [f"written {number}" for number in range(6)]

    assert "1 of 26 requests failed during the rollback" in (runner.availability_problem("rollback") or "")
    assert traffic.lost_problem([*traffic.written], "upgrade") is None
    assert "3 of the 6 todos" in (traffic.lost_problem([*traffic.written[:4], "written 0"], "upgrade") or ""), "two lost, one listed twice"


def test_a_pod_is_ready_no_sooner_than_its_slowest_container():
    """A sidecar listed first does not hide the app's readiness delay (nor the app a sidecar's)."""
    now = datetime.datetime(2026, 12, 4, 12, 0, tzinfo=datetime.UTC)
    running = types.SimpleNamespace(state=types.SimpleNamespace(running=types.SimpleNamespace(started_at=now)))
    containers = [types.SimpleNamespace(name=name, readiness_probe=types.SimpleNamespace(initial_delay_seconds=delay))
                  for name, delay in (("sidecar", 0), ("app", 65))]
    statuses = [types.SimpleNamespace(name=name, state=running.state) for name in ("app", "sidecar")]
    pod = types.SimpleNamespace(spec=types.SimpleNamespace(containers=containers), status=types.SimpleNamespace(container_statuses=statuses))
    assert earliest_ready(pod, now) == now + datetime.timedelta(seconds=65)
