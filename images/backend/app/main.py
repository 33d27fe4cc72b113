"""FastAPI application: health, todos CRUD and chat, as docs/contracts.md fixes them."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import FastAPI, HTTPException, Path, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError

from . import __version__
from . import todos as store
from .chat import handle_chat
from .config import Settings, mask_url
from .body_limit import BodyLimit
from .db import Database
from .schemas import ChatRequest, ChatResponse, Todo, TodoCreate, TodoUpdate

# A todo id is a positive SQLite integer: anything else is the client's mistake (422), never the database's (500).
TodoId = Annotated[int, Path(ge=1, le=store.ID_MAX, description="the todo's id, 1 to 2^63-1")]

log = logging.getLogger("app")


def _configure_logging(level_name: str) -> None:
    level = logging.getLevelName(level_name)
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not isinstance(level, int):
        log.warning("LOG_LEVEL %r is not a level; using INFO", level_name)
        level = logging.INFO
    logging.getLogger().setLevel(level)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application for the given settings (default: from the environment)."""
    settings = settings or Settings.from_env()
    _configure_logging(settings.log_level)
    try:
        db = Database(settings.database_url)
    except Exception as error:  # noqa: BLE001 - the message of a URL parse error may quote the URL
        raise RuntimeError(
            f"DATABASE_URL {mask_url(settings.database_url)} is not a usable database URL "
            f"({type(error).__name__}); expected sqlite:////path/to/file.db or postgresql://user:password@host/db"
        ) from None

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        log.info("config: %s", " ".join(f"{k}={v}" for k, v in settings.masked().items()))
        log.info("chat: %s", "OpenAI chat completions" if settings.openai_api_key else "built-in parser (no OPENAI_API_KEY)")
        try:
            db.ensure_schema()
        except SQLAlchemyError as error:
            # Start anyway: /health reports the cause and the schema is created on first use.
            log.error("database not ready at startup: %s", db.describe_error(error))
        yield
        db.dispose()

    app = FastAPI(title="Todo Chatbot backend", version=__version__, lifespan=lifespan)
    app.state.settings = settings
    app.state.db = db
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_methods=["*"], allow_headers=["*"])

    app.add_middleware(BodyLimit)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, error: RequestValidationError) -> JSONResponse:
        """422 naming each invalid field and why, never echoing the input back (it may be large, or not encodable)."""
        details = [{"type": item["type"], "loc": list(item["loc"]), "msg": item["msg"]} for item in error.errors()]
        return JSONResponse(status_code=422, content={"detail": details})

    @app.exception_handler(SQLAlchemyError)
    async def database_error(_request: Request, error: SQLAlchemyError) -> JSONResponse:
        log.error("database error: %s", db.describe_error(error))
        return JSONResponse(status_code=503, content={"detail": "database unavailable"})

    @app.get("/health")
    def health() -> JSONResponse:
        """200 when the database answers a query (and, for SQLite, its directory is writable), else 503."""
        reason = db.check()
        if reason is None:
            return JSONResponse({"status": "ok", "database": "ok"})
        log.warning("health: %s", reason)
        return JSONResponse({"status": "error", "database": reason}, status_code=503)

    @app.get("/livez")
    def livez() -> JSONResponse:
        """200 while the process serves requests, whatever the database does: the liveness probe's endpoint,
        so a database outage takes pods out of the Service (readiness on /health) instead of restarting them."""
        return JSONResponse({"status": "alive"})

    @app.get("/api/todos", response_model=list[Todo])
    def list_todos() -> list[dict]:
        """All todos, oldest first."""
        with db.begin() as conn:
            return store.list_todos(conn)

    @app.post("/api/todos", response_model=Todo, status_code=201)
    def create_todo(body: TodoCreate) -> dict:
        """Create a todo from its title."""
        with db.begin() as conn:
            return store.create_todo(conn, body.title)

    @app.get("/api/todos/{todo_id}", response_model=Todo)
    def get_todo(todo_id: TodoId) -> dict:
        """One todo, 404 when unknown."""
        with db.begin() as conn:
            todo = store.get_todo(conn, todo_id)
        if todo is None:
            raise HTTPException(status_code=404, detail=f"todo {todo_id} not found")
        return todo

    @app.patch("/api/todos/{todo_id}", response_model=Todo)
    def update_todo(todo_id: TodoId, body: TodoUpdate) -> dict:
        """Change a todo's title and/or done flag."""
        with db.begin() as conn:
            todo = store.update_todo(conn, todo_id, body.model_dump(exclude_unset=True))
        if todo is None:
            raise HTTPException(status_code=404, detail=f"todo {todo_id} not found")
        return todo

    @app.delete("/api/todos/{todo_id}", status_code=204)
    def delete_todo(todo_id: TodoId) -> Response:
        """Delete a todo."""
        with db.begin() as conn:
            deleted = store.delete_todo(conn, todo_id)
        if not deleted:
            raise HTTPException(status_code=404, detail=f"todo {todo_id} not found")
        return Response(status_code=204)

    @app.post("/api/chat", response_model=ChatResponse)
    def chat(body: ChatRequest) -> dict:
        """Answer a sentence about the todos; the session keeps the conversation."""
        return handle_chat(db, settings, body.message, body.session_id)

    return app


app = create_app()
