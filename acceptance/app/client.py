"""The Todo Chatbot's API as its users reach it, bound to a container's published port or a release's Service."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import requests

from acceptance.core import http
from acceptance.core.timeouts import Timeouts
from acceptance.core.wait import Condition, FatalState, Pending, WaitTimeout, wait_for
from acceptance.kube.client_pod import ClientPod

Send = Callable[..., requests.Response]


class AppError(AssertionError):
    """The app answered a user's request with an error status."""


class AppClient:
    """get/post and the user's verbs (todos, create, complete, delete, chat); every response is observed for evidence."""

    def __init__(self, send: Send, where: str, observe: Callable[[str, requests.Response], None] = lambda name, response: None):
        self._send = send
        self.where = where
        self._observe = observe

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """One request, whatever its status."""
        response = self._send(method, path, **kwargs)
        self._observe(f"response {method} {path} via {self.where}", response)
        return response

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """One request a user expects to succeed.

        Raises:
            AppError: the app answered with a status of 400 or more.
        """
        __tracebackhide__ = True
        response = self.request(method, path, **kwargs)
        if response.status_code >= 400:
            raise AppError(f"{self.where} answered {method} {path} with:\n{http.describe(response)}")
        return response

    def titles(self) -> list[str]:
        """The titles of the todo list, in its order, a title listed twice twice."""
        return [todo["title"] for todo in self.call("GET", "/api/todos").json()]

    def todos(self) -> dict[str, dict[str, Any]]:
        """The todo list by title."""
        return {todo["title"]: todo for todo in self.call("GET", "/api/todos").json()}

    def todo(self, title: str) -> dict[str, Any]:
        __tracebackhide__ = True
        todos = self.todos()
        if title not in todos:
            raise AppError(f"the todo list through {self.where} does not hold {title!r}: {sorted(todos)}")
        return todos[title]

    def create_todo(self, title: str) -> dict[str, Any]:
        created: dict[str, Any] = self.call("POST", "/api/todos", json={"title": title}).json()
        return created

    def complete_todo(self, title: str) -> None:
        self.call("PATCH", f"/api/todos/{self.todo(title)['id']}", json={"done": True})

    def delete_todo(self, title: str) -> None:
        self.call("DELETE", f"/api/todos/{self.todo(title)['id']}")

    def chat(self, message: str) -> requests.Response:
        return self.call("POST", "/api/chat", json={"message": message, "session_id": "acceptance"})


def container_sender(base_url: Callable[[], str], timeouts: Timeouts) -> Send:
    """Requests to a container's published port, waiting for it to accept connections first (it may be starting)."""

    def send(method: str, path: str, **kwargs: Any) -> requests.Response:
        return http.request(method, f"{base_url()}{path}", timeout=timeouts.request, wait=timeouts.container_healthy, **kwargs)

    return send


def service_sender(open_url: Callable[[], contextlib.AbstractContextManager[str]], timeouts: Timeouts) -> Send:
    """Requests from outside the cluster to the address it publishes for a Service, opened afresh each time."""

    def send_once(method: str, path: str, **kwargs: Any) -> requests.Response:
        with open_url() as url:
            return http.request(method, f"{url}{path}", timeout=timeouts.request, **kwargs)  # retried by past_gateway_errors

    return past_gateway_errors(send_once, timeouts)


def in_cluster_sender(client: ClientPod, base_url: str, timeouts: Timeouts) -> Send:
    """Requests from a pod inside the cluster to base_url (a Service's DNS name and port)."""

    def send_once(method: str, path: str, json: object = None, headers: dict[str, str] | None = None) -> requests.Response:
        return client.send(method, f"{base_url}{path}", json_body=json, headers=headers)

    return past_gateway_errors(send_once, timeouts)


def past_gateway_errors(send_once: Send, timeouts: Timeouts) -> Send:
    """send_once, retried for a bounded while on a gateway error or no answer; one that persists is the answer.

    Right after pods turn Ready, kube-proxy may not yet route a Service's address (no answer, or the
    frontend answers 502 for the backend's ClusterIP).
    """

    def send(method: str, path: str, **kwargs: Any) -> requests.Response:
        last: list[requests.Response] = []
        unanswered: list[requests.ConnectionError] = []

        def answered() -> bool:
            try:
                last[:] = [send_once(method, path, **kwargs)]
            except requests.ConnectionError as error:
                unanswered[:] = [error]
                return False
            return last[0].status_code not in http.GATEWAY_ERRORS

        with contextlib.suppress(WaitTimeout):
            wait_for(answered, timeout=2 * timeouts.request, interval=1, what=f"{method} {path} past a gateway error")
        if not last:
            raise unanswered[-1]  # no answer at all: the error is the outcome
        return last[0]

    return send


def path_answers(app: AppClient, path: str) -> Condition:
    """A GET of path through the app's address answers 200; no answer, or another status, is still pending."""

    def observe() -> bool | Pending:
        try:
            response = app.request("GET", path)
        except requests.RequestException as error:
            return Pending(f"no answer: {str(error)[:300]}")
        return response.status_code == 200 or Pending(f"GET {path} answered {response.status_code}")

    return Condition(f"GET {path} through {app.where} to answer 200", observe)


def todo_listed(app: AppClient, title: str) -> Condition:
    """The app lists the todo title; a list that answers without it is final (the data is gone), an error is not
    (right after a Service is recreated, the cluster's DNS may still give the old address for half a minute)."""

    def observe() -> bool | Pending:
        try:
            titles = app.todos()
        except AppError as error:
            return Pending(str(error)[:500])
        if title not in titles:
            raise FatalState(f"the todo list through {app.where} answered without {title!r}: {sorted(titles)}")
        return True

    return Condition(f"the todo {title!r} to be listed through {app.where}", observe)
