"""FastAPI application: health, todos CRUD and chat, as docs/contracts.md fixes them."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Path, Query, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError

from . import __version__, errors
from . import todos as store
from .body_limit import BodyLimit
from .chat import handle_chat
from .completions import Completions
from .config import Settings, mask_url, openai_base_url_problem
from .db import Database
from .json_body import StrictJsonRoute
from .schemas import ChatRequest, ChatResponse, HealthStatus, Liveness, Todo, TodoCreate, TodoUpdate

# A todo id is a positive SQLite integer: anything else is the client's mistake (422), never the database's (500).
TodoId = Annotated[int, Path(ge=1, le=store.ID_MAX, description="the todo's id, 1 to 2^63-1")]
Limit = Annotated[int, Query(ge=1, le=store.PAGE_MAX, description=f"todos in the page, 1 to {store.PAGE_MAX}")]
Offset = Annotated[int, Query(ge=0, le=store.ID_MAX, description="todos to skip, oldest first")]

TOTAL_COUNT = {"X-Total-Count": {"required": True, "schema": {"type": "integer", "minimum": 0},
                                 "description": "how many todos there are in all pages"}}

log = logging.getLogger("app")


def _configure_logging(level_name: str) -> None:
    level = logging.getLevelName(level_name)
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not isinstance(level, int):
        log.warning("LOG_LEVEL %r is not a level; using INFO", level_name)
        level = logging.INFO
    logging.getLogger().setLevel(level)


def _document_health(app: FastAPI) -> None:
    """Write /health's answers, 200 and 503 with a HealthStatus, into the OpenAPI. Its route's decorator stays bare
    (the mutation tests move the route by the decorator's text), so they cannot be given there."""
    generate = app.openapi
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/HealthStatus"}}}

    def openapi() -> dict[str, Any]:
        schema = generate()
        if "/health" not in schema["paths"]:  # moved: nothing to document, and /openapi.json must still answer
            return schema
        schema["components"]["schemas"]["HealthStatus"] = HealthStatus.model_json_schema()
        schema["paths"]["/health"]["get"]["responses"] = {
            "200": {"description": "The database answers and, for SQLite, its storage is writable.", "content": body},
            "503": {"description": "The database is down or not writable; database says why.", "content": body},
        }
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application for the given settings (default: from the environment)."""
    settings = settings or Settings.from_env()
    _configure_logging(settings.log_level)
    problem = openai_base_url_problem(settings.openai_base_url)
    if problem is not None:
        raise RuntimeError(problem)
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

    completions = Completions(settings) if settings.openai_api_key else None

    app = FastAPI(title="Todo Chatbot backend", version=__version__, lifespan=lifespan)
    app.router.route_class = StrictJsonRoute  # before any route: each reads its JSON body strictly
    app.state.settings = settings
    app.state.db = db
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_methods=["*"], allow_headers=["*"], expose_headers=["X-Total-Count"])

    app.add_middleware(BodyLimit)
    errors.install(app)

    @app.get("/health")
    def health() -> JSONResponse:
        """200 when the database answers a query (and, for SQLite, its directory is writable), else 503."""
        reason = db.check()
        if reason is None:
            return JSONResponse({"status": "ok", "database": "ok"})
        log.warning("health: %s", reason)
        return JSONResponse({"status": "error", "database": reason}, status_code=503)

    _document_health(app)

    @app.get("/livez", response_model=Liveness)
    async def livez() -> JSONResponse:
        """200 while the process serves requests, whatever the database does: the liveness probe's endpoint,
        so a database outage takes pods out of the Service (readiness on /health) instead of restarting them.
        Async, so it needs none of the worker threads that slow requests may hold."""
        return JSONResponse({"status": "alive"})

    @app.get("/api/todos", response_model=list[Todo],
             responses={200: {"headers": TOTAL_COUNT}, **errors.INVALID, **errors.DATABASE_DOWN})
    def list_todos(response: Response, limit: Limit = store.PAGE_DEFAULT, offset: Offset = 0) -> list[dict]:
        """A page of the todos, oldest first; X-Total-Count says how many there are in all."""
        with db.begin() as conn:
            response.headers["X-Total-Count"] = str(store.count_todos(conn))
            return store.list_todos(conn, limit=limit, offset=offset)

    @app.post("/api/todos", response_model=Todo, status_code=201,
              responses={**errors.BAD_BODY, **errors.INVALID, **errors.DATABASE_DOWN})
    def create_todo(body: TodoCreate) -> dict:
        """Create a todo from its title."""
        with db.begin_write() as conn:
            return store.create_todo(conn, body.title)

    @app.get("/api/todos/{todo_id}", response_model=Todo,
             responses={**errors.NOT_FOUND, **errors.INVALID, **errors.DATABASE_DOWN})
    def get_todo(todo_id: TodoId) -> dict:
        """One todo, 404 when unknown."""
        with db.begin() as conn:
            todo = store.get_todo(conn, todo_id)
        if todo is None:
            raise HTTPException(status_code=404, detail=f"todo {todo_id} not found")
        return todo

    @app.patch("/api/todos/{todo_id}", response_model=Todo,
               responses={**errors.BAD_BODY, **errors.NOT_FOUND, **errors.INVALID, **errors.DATABASE_DOWN})
    def update_todo(todo_id: TodoId, body: TodoUpdate) -> dict:
        """Change a todo's title and/or done flag."""
        with db.begin_write() as conn:
            todo = store.update_todo(conn, todo_id, body.model_dump(exclude_unset=True))
        if todo is None:
            raise HTTPException(status_code=404, detail=f"todo {todo_id} not found")
        return todo

    @app.delete("/api/todos/{todo_id}", status_code=204,
                responses={**errors.NOT_FOUND, **errors.INVALID, **errors.DATABASE_DOWN})
    def delete_todo(todo_id: TodoId) -> Response:
        """Delete a todo."""
        with db.begin_write() as conn:
            deleted = store.delete_todo(conn, todo_id)
        if not deleted:
            raise HTTPException(status_code=404, detail=f"todo {todo_id} not found")
        return Response(status_code=204)

    @app.post("/api/chat", response_model=ChatResponse,
              responses={**errors.BAD_BODY, **errors.INVALID, **errors.DATABASE_DOWN})
    def chat(body: ChatRequest) -> dict:
        """Answer a sentence about the todos; the session keeps the conversation."""
        return handle_chat(db, completions, body.message, body.session_id)

    return app


app = create_app()
