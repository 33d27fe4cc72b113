"""Error answers: the handlers that turn failures into JSON with a 4xx or 503, and how the OpenAPI documents them."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError

from .body_limit import TOO_LARGE
from .db import StoreNotWritable, is_read_only_error
from .schemas import Problem, ValidationProblem

log = logging.getLogger("app")

NOT_WRITABLE = "database is not writable"
UNAVAILABLE = "database unavailable"

# The OpenAPI's record of each error status, merged into a route's responses= as it can answer them.
BAD_BODY: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "The body could not be parsed at all (JSON nested too deep)."},
    413: {"model": Problem, "description": f"The body is too large: {TOO_LARGE}."},
}
INVALID: dict[int | str, dict[str, Any]] = {
    422: {"model": ValidationProblem, "description": "A parameter or the body breaks a rule (JSON that is not "
          "UTF-8, not JSON, or holds a key twice included); each problem named, the input never echoed."},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "No todo has this id."},
}
DATABASE_DOWN: dict[int | str, dict[str, Any]] = {
    503: {"model": Problem, "description": f'The database cannot be reached ("{UNAVAILABLE}") or, for a '
          f'write, cannot be written ("{NOT_WRITABLE}").'},
}


async def _invalid_request(_request: Request, error: RequestValidationError) -> JSONResponse:
    """422 naming each invalid field and why, never echoing the input back (it may be large, or not encodable)."""
    details = [{"type": item["type"], "loc": list(item["loc"]), "msg": _message(item)} for item in error.errors()]
    return JSONResponse(status_code=422, content={"detail": details})


def _message(item: dict[str, Any]) -> str:
    # A body that is not JSON says which rule it broke: the JSON parser's and json_body's messages quote no input.
    if item["type"] == "json_invalid" and item.get("ctx", {}).get("error"):
        return f'{item["msg"]}: {item["ctx"]["error"]}'
    return item["msg"]


async def _store_not_writable(_request: Request, error: StoreNotWritable) -> JSONResponse:
    log.warning("write refused: %s", error)
    return JSONResponse(status_code=503, content={"detail": NOT_WRITABLE})


async def _database_error(request: Request, error: SQLAlchemyError) -> JSONResponse:
    log.error("database error: %s", request.app.state.db.describe_error(error))
    detail = NOT_WRITABLE if is_read_only_error(error) else UNAVAILABLE
    return JSONResponse(status_code=503, content={"detail": detail})


def install(app: FastAPI) -> None:
    """Register the error handlers on app."""
    app.add_exception_handler(RequestValidationError, _invalid_request)  # type: ignore[arg-type]
    app.add_exception_handler(StoreNotWritable, _store_not_writable)  # type: ignore[arg-type]
    app.add_exception_handler(SQLAlchemyError, _database_error)  # type: ignore[arg-type]
