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
# that make a title read otherwise than it is stored.
NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


def plain_text(value: str) -> str:
    found = NOT_TEXT.search(value)
    if found:
        raise ValueError(f"must not hold the control character U+{ord(found.group()):04X}")
    return value


def _clean_title(value: str) -> str:
    value = plain_text(value).strip()
    if not value:
        raise ValueError("title must not be blank")
    if len(value) > TITLE_MAX:
        raise ValueError(f"title must be at most {TITLE_MAX} characters")
    return value


class TodoCreate(BaseModel):
    """POST /api/todos body."""

    model_config = ConfigDict(extra="forbid")
    title: StrictStr

    _title = field_validator("title")(_clean_title)


class TodoUpdate(BaseModel):
    """PATCH /api/todos/{id} body: any of title and done, at least one."""

    model_config = ConfigDict(extra="forbid")
    title: Optional[StrictStr] = None
    done: Optional[StrictBool] = None

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
    message: StrictStr = Field(max_length=MESSAGE_MAX)
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
