"""Hand-picked hostile requests, named in words as the bad-input scenario's table names them.

The feature says which status each must get; this module only knows how to send it. Bodies are bytes, sent as
they are: a JSON escape such as \\u0000 reaches the server's parser, where the hostility is.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import requests

from acceptance.app.client import AppClient

JSON = "application/json"


@dataclasses.dataclass(frozen=True)
class BadRequest:
    method: str
    path: str
    body: bytes | Callable[[], bytes] | None = None  # a callable builds a large body only when it is sent
    content_type: str = JSON


def todo_with(title_json: str) -> BadRequest:
    return BadRequest("POST", "/api/todos", f'{{"title": "{title_json}"}}'.encode())


def todo_of_size(size: int) -> BadRequest:
    return BadRequest("POST", "/api/todos", lambda: b'{"title": "' + b"a" * size + b'"}')


def chat_with(message_json: str) -> BadRequest:
    return BadRequest("POST", "/api/chat", f'{{"message": "{message_json}"}}'.encode())


BAD_REQUESTS: dict[str, BadRequest] = {
    "a todo id past 2^63": BadRequest("GET", "/api/todos/9223372036854775808"),
    "a todo id of 0 to delete": BadRequest("DELETE", "/api/todos/0"),
    "a negative todo id to change": BadRequest("PATCH", "/api/todos/-1", b'{"done": true}'),
    "a title holding a NUL character": todo_with("a\\u0000b"),
    "a title holding a bell character": todo_with("ring\\u0007"),
    "a title holding a lone UTF-16 surrogate": todo_with("\\ud800"),
    "a title holding a right-to-left override": todo_with("\\u202egnp.exe"),
    "a chat message holding a NUL character": chat_with("add a\\u0000b"),
    "a chat message holding a lone UTF-16 surrogate": chat_with("add \\udfff"),
    "a chat message naming a todo past 2^63": chat_with("delete 99999999999999999999"),
    "a body that is not UTF-8": BadRequest("POST", "/api/todos", b'{"title": "\xff\xfe"}'),
    "a title given twice in one body": BadRequest("POST", "/api/todos", b'{"title": "a", "title": "b"}'),
    "a page of 0 todos": BadRequest("GET", "/api/todos?limit=0"),
    "JSON nested 10000 deep": BadRequest("POST", "/api/todos", b'{"title": ' + b"[" * 10000 + b"]" * 10000 + b"}"),
    "a body of 100 KiB": todo_of_size(100 * 1024),
    "a body of 10 MB": todo_of_size(10 * 1024 * 1024),
    "a todo sent as text/plain": BadRequest("POST", "/api/todos", b'{"title": "a"}', "text/plain"),
    "a todo sent as a form": BadRequest("POST", "/api/todos", b"title=a", "application/x-www-form-urlencoded"),
    "an empty change": BadRequest("PATCH", "/api/todos/1", b"{}"),
}


@dataclasses.dataclass(frozen=True)
class Answer:
    name: str
    expected: int
    response: requests.Response


def send_each(app: AppClient, table: list[list[str]]) -> list[Answer]:
    """Send every request the table names (columns: bad request, status) and keep each answer.

    Raises:
        AssertionError: the table names a request this module does not know.
    """
    __tracebackhide__ = True
    unknown = [row[0] for row in table[1:] if row[0] not in BAD_REQUESTS]
    assert not unknown, f"the table names requests with no definition in acceptance/app/bad_input.py: {unknown}"
    return [Answer(name, int(status), send(app, BAD_REQUESTS[name])) for name, status in table[1:]]


def send(app: AppClient, bad: BadRequest) -> requests.Response:
    body = bad.body() if callable(bad.body) else bad.body
    headers = {"Content-Type": bad.content_type} if body is not None else {}
    return app.request(bad.method, bad.path, data=body, headers=headers)


def wrong_answers(answers: list[Answer]) -> list[str]:
    """Each answer whose status is not the one expected, with what came back (at most 300 characters of it)."""
    return [f"{answer.name}: expected {answer.expected}, got {answer.response.status_code} {answer.response.text[:300]!r}"
            for answer in answers if answer.response.status_code != answer.expected]
