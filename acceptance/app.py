"""The Todo Chatbot's API as its users reach it, bound to a container's published port or a release's Service."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import requests

from acceptance import http
from acceptance.timeouts import Timeouts
from acceptance.wait import WaitTimeout, wait_for

Send = Callable[..., requests.Response]


class AppError(AssertionError):
    """The app answered a user's request with an error status."""


class AppClient:
    """get/post and the user's verbs (todos, create, complete, delete, chat); every response is observed for evidence."""

    def __init__(self, send: Send, where: str, observe: Callable[[str, requests.Response], None] = lambda name, response: None):
        self._send = send
        self.where = where
        self._observe = observe

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        """One request, whatever its status."""
        response = self._send(method, path, **kwargs)
        self._observe(f"response {method} {path} via {self.where}", response)
        return response

    def call(self, method: str, path: str, **kwargs) -> requests.Response:
        """One request a user expects to succeed.

        Raises:
            AppError: the app answered with a status of 400 or more.
        """
        __tracebackhide__ = True
        response = self.request(method, path, **kwargs)
        if response.status_code >= 400:
            raise AppError(f"{self.where} answered {method} {path} with:\n{http.describe(response)}")
        return response

    def todos(self) -> dict[str, dict]:
        """The todo list by title."""
        return {todo["title"]: todo for todo in self.call("GET", "/api/todos").json()}

    def todo(self, title: str) -> dict:
        __tracebackhide__ = True
        todos = self.todos()
        if title not in todos:
            raise AppError(f"the todo list through {self.where} does not hold {title!r}: {sorted(todos)}")
        return todos[title]

    def create_todo(self, title: str) -> dict:
        return self.call("POST", "/api/todos", json={"title": title}).json()

    def complete_todo(self, title: str) -> None:
        self.call("PATCH", f"/api/todos/{self.todo(title)['id']}", json={"done": True})

    def delete_todo(self, title: str) -> None:
        self.call("DELETE", f"/api/todos/{self.todo(title)['id']}")

    def chat(self, message: str) -> requests.Response:
        return self.call("POST", "/api/chat", json={"message": message, "session_id": "acceptance"})


def container_sender(base_url: Callable[[], str], timeouts: Timeouts) -> Send:
    """Requests to a container's published port, waiting for it to accept connections first (it may be starting)."""

    def send(method: str, path: str, **kwargs) -> requests.Response:
        return http.request(method, f"{base_url()}{path}", timeout=timeouts.request, wait=timeouts.container_healthy, **kwargs)

    return send


def service_sender(open_url: Callable[[], contextlib.AbstractContextManager[str]], timeouts: Timeouts) -> Send:
    """Requests through a fresh connection to a Service each time (a forward is tied to one pod, which may be replaced).

    Right after pods turn Ready, kube-proxy may not yet route a ClusterIP (the frontend answers 502):
    a gateway error is retried for a bounded while; one that persists is the answer.
    """

    def send(method: str, path: str, **kwargs) -> requests.Response:
        last: list[requests.Response] = []

        def answered() -> bool:
            with open_url() as url:
                last[:] = [http.request(method, f"{url}{path}", timeout=timeouts.request, wait=timeouts.request, **kwargs)]
            return last[0].status_code not in http.GATEWAY_ERRORS

        with contextlib.suppress(WaitTimeout):
            wait_for(answered, timeout=2 * timeouts.request, interval=1, what=f"{method} {path} past a gateway error")
        return last[0]

    return send

