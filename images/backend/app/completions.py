"""The chat completions API call: a few at a time, bounded in time and size, and never redirected.

A slow API must not hold every worker thread (the other endpoints would wait behind it), and the API key must
reach no other host than OPENAI_BASE_URL's (urllib's redirect handler resends the Authorization header).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from typing import Any

from .config import Settings

# Calls in flight at once: far below the 40 worker threads the sync endpoints share, so chats waiting on a slow
# API leave the rest to GET /api/todos, the writes and the probes. A chat finding every slot taken is not queued.
MAX_CONCURRENT = 4
TIMEOUT_SECONDS = 20  # per network operation: connecting, and each read of the answer
DEADLINE_SECONDS = 30  # the whole answer: an API that drips it a byte at a time is cut off here
READ_CHUNK = 16 * 1024
ANSWER_MAX_BYTES = 1024 * 1024  # a JSON action is a few hundred bytes; anything near this is not one


class Busy(RuntimeError):
    """Every slot holds a call in flight."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A 3xx is an error, never followed: the request carries the API key."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        raise urllib.error.HTTPError(req.full_url, code, "redirect refused", headers, fp)


class Completions:
    """Calls to the chat completions API of settings.openai_base_url with settings.openai_api_key."""

    def __init__(self, settings: Settings, max_concurrent: int = MAX_CONCURRENT) -> None:
        self.url = f"{settings.openai_base_url}/chat/completions"
        self.model = settings.openai_model
        self.max_concurrent = max_concurrent
        self._key = settings.openai_api_key
        self._slots = threading.BoundedSemaphore(max_concurrent)
        self._opener = urllib.request.build_opener(_NoRedirect)

    def complete(self, messages: list[dict[str, str]]) -> str:
        """The model's answer to messages, a JSON object as text.

        Raises:
            Busy: max_concurrent calls are in flight; this one was not made.
            RuntimeError: the call failed, was redirected, or answered no usable content.
        """
        if not self._slots.acquire(blocking=False):
            raise Busy(f"{self.max_concurrent} chat completions calls already in flight")
        try:
            payload = self._post({"model": self.model, "temperature": 0,
                                  "response_format": {"type": "json_object"}, "messages": messages})
        finally:
            self._slots.release()
        try:
            content = payload["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError) as error:
            raise RuntimeError(f"unusable answer from the chat completions API ({type(error).__name__})") from None
        if not isinstance(content, str):
            raise RuntimeError("unusable answer from the chat completions API (content is not text)")
        return content

    def _post(self, body: dict[str, Any]) -> Any:
        request = urllib.request.Request(
            self.url,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self._key}"},
            method="POST",
        )
        try:
            deadline = time.monotonic() + DEADLINE_SECONDS
            with self._opener.open(request, timeout=TIMEOUT_SECONDS) as response:
                data = _read_by(response, deadline)
        except urllib.error.HTTPError as error:
            error.close()
            raise RuntimeError(f"HTTP {error.code} from the chat completions API") from None
        except (urllib.error.URLError, OSError) as error:
            raise RuntimeError(f"chat completions API unreachable ({type(error).__name__})") from None
        if len(data) > ANSWER_MAX_BYTES:
            raise RuntimeError(f"answer from the chat completions API over {ANSWER_MAX_BYTES} bytes")
        try:
            return json.loads(data)
        except ValueError as error:
            raise RuntimeError(f"unusable answer from the chat completions API ({type(error).__name__})") from None


def _read_by(response: Any, deadline: float) -> bytes:
    """The answer's body, at most ANSWER_MAX_BYTES + 1 of it, read in chunks until the deadline.

    Raises:
        RuntimeError: the deadline passed before the body ended.
    """
    data = b""
    while len(data) <= ANSWER_MAX_BYTES:
        if time.monotonic() > deadline:
            raise RuntimeError(f"the chat completions API took over {DEADLINE_SECONDS} s to answer")
        chunk = response.read1(READ_CHUNK)
        if not chunk:
            break
        data += chunk
    return data
