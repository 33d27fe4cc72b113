"""Request and response bodies; invalid input is answered with 422 naming the field."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr, field_validator, model_validator

TITLE_MAX = 500
MESSAGE_MAX = 2000
# What a title or a message may not hold: control characters (but tab, newline and carriage return), lone
# surrogates (not text at all: they cannot be stored or answered as UTF-8), and the bidi overrides and isolates
# that make a title read otherwise than it is stored. Written with \u escapes for the OpenAPI's pattern too, which
# leaves out the surrogates (JSON Schema's regex engines cannot hold them; JSON carries one only as a \u escape).
_CONTROLS = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069"
NOT_TEXT = re.compile(rf"[{_CONTROLS}\ud800-\udfff]")


def plain_text(value: str) -> str:
    found = NOT_TEXT.search(value)
    if found:
        raise ValueError(f"must not hold the control character U+{ord(found.group()):04X}")
    return value


def _text_schema(max_length: int) -> dict[str, object]:
    """What the OpenAPI says of a title or message: the rules plain_text and the blank check apply, so generated
    clients and property-based tests know them."""
    text = f"[^{_CONTROLS}]"
    return {"minLength": 1, "maxLength": max_length, "pattern": rf"^{text}*[^\s{_CONTROLS}]{text}*$"}


def _clean_title(value: str) -> str:
    # The limit holds for the title as sent, as the OpenAPI's maxLength says, not only once it is trimmed.
    if len(value) > TITLE_MAX:
        raise ValueError(f"title must be at most {TITLE_MAX} characters")
    value = plain_text(value).strip()
    if not value:
        raise ValueError("title must not be blank")
    return value


class TodoCreate(BaseModel):
    """POST /api/todos body."""

    model_config = ConfigDict(extra="forbid")
    title: StrictStr = Field(json_schema_extra=_text_schema(TITLE_MAX))

    _title = field_validator("title")(_clean_title)


class TodoUpdate(BaseModel):
    """PATCH /api/todos/{id} body: any of title and done, at least one."""

    # Absent means unchanged and null is refused, so the schema says string and boolean, not nullable.
    model_config = ConfigDict(extra="forbid", json_schema_extra={"minProperties": 1})
    title: StrictStr = Field(default=None, json_schema_extra=_text_schema(TITLE_MAX))  # type: ignore[assignment]
    done: StrictBool = None  # type: ignore[assignment]

    @field_validator("title", "done", mode="before")
    @classmethod
    def _not_null(cls, value: object) -> object:
        # Only runs for fields present in the body: an explicit null is an error, not "unchanged".
        if value is None:
            raise ValueError("must not be null")
        return value

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        return _clean_title(value)

    @model_validator(mode="after")
    def _something_to_change(self) -> TodoUpdate:
        if not self.model_fields_set:
            raise ValueError("give at least one of: title, done")
        return self


class Todo(BaseModel):
    """A todo as the API returns it."""

    id: int
    title: str
    done: bool
    created_at: datetime


class ChatRequest(BaseModel):
    """POST /api/chat body."""

    model_config = ConfigDict(extra="forbid")
    message: StrictStr = Field(max_length=MESSAGE_MAX, json_schema_extra=_text_schema(MESSAGE_MAX))
    session_id: Optional[StrictStr] = Field(default=None, pattern=r"^[A-Za-z0-9_.:-]{1,64}$")

    @field_validator("message")
    @classmethod
    def _message(cls, value: str) -> str:
        value = plain_text(value).strip()
        if not value:
            raise ValueError("message must not be blank")
        return value


class ChatResponse(BaseModel):
    """POST /api/chat answer: the reply in words, the action taken and the todos after it."""

    reply: str
    session_id: str
    action: str
    todos: list[Todo]


class Problem(BaseModel):
    """An error answer (400, 404, 413, 503): what went wrong in words."""

    detail: str


class FieldProblem(BaseModel):
    """One invalid part of a request: where (loc), which rule (type) and why (msg); never the input itself."""

    type: str
    loc: list[str | int]
    msg: str


class ValidationProblem(BaseModel):
    """A 422 answer: each invalid part of the request."""

    detail: list[FieldProblem]


class HealthStatus(BaseModel):
    """GET /health answer: "ok" twice, or "error" and the database's problem in words."""

    status: str
    database: str


class Liveness(BaseModel):
    """GET /livez answer."""

    status: str
