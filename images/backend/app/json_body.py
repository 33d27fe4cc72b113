"""JSON bodies are read strictly: UTF-8 only (RFC 8259) and no key twice in an object, else a 422 like any bad field.

Python's json module guesses UTF-16/32, lets undecodable bytes through as a 400, and keeps the last of two equal
keys silently: a body two parsers may read differently (a proxy, a logger and this app) is refused instead.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute


class DuplicateKey(ValueError):
    """An object names one key twice."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        raise DuplicateKey
    return found


def loads_strictly(body: bytes) -> Any:
    """Parse a JSON body.

    Raises:
        json.JSONDecodeError: not UTF-8, not JSON, or a key twice in one object. FastAPI answers it with a 422
            of type json_invalid; the message says which rule, never the input.
    """
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise json.JSONDecodeError("the body is not valid UTF-8", "", error.start) from None
    try:
        return json.loads(text, object_pairs_hook=_unique_keys)
    except DuplicateKey:
        raise json.JSONDecodeError("an object holds the same key twice", "", 0) from None


class StrictJsonRequest(Request):
    """A request whose json() is loads_strictly (FastAPI reads JSON bodies through it)."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = loads_strictly(await self.body())
        return self._json


class StrictJsonRoute(APIRoute):
    """A route that hands its endpoint a StrictJsonRequest."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict_handler(request: Request) -> Response:
            return await handler(StrictJsonRequest(request.scope, request.receive))

        return strict_handler
