"""A request body over a limit is refused with 413 before anything reads it: by its Content-Length, or as it streams in."""

from __future__ import annotations

from fastapi import HTTPException
from fastapi.responses import JSONResponse

BODY_LIMIT = 64 * 1024  # the largest valid body (a 2000-character message) is far below this
TOO_LARGE = f"the request body is over {BODY_LIMIT // 1024} KiB"


class BodyLimit:
    """ASGI middleware: 413 for a body over limit bytes, so no parser ever holds a huge or deeply nested body."""

    def __init__(self, app, limit: int = BODY_LIMIT) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            await JSONResponse(status_code=413, content={"detail": TOO_LARGE})(scope, receive, send)
            return
        received = 0

        async def limited_receive():
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:  # a chunked body with no Content-Length; the app turns this into the 413
                raise HTTPException(status_code=413, detail=TOO_LARGE)
            return message

        await self.app(scope, limited_receive, send)
