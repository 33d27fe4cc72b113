"""Database access: engine setup (SQLite in WAL mode or PostgreSQL), schema and health check."""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    select,
)
from sqlalchemy.engine import Connection, Engine, URL, make_url

log = logging.getLogger(__name__)

metadata = MetaData()

todos = Table(
    "todos",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("title", String(500), nullable=False),
    Column("done", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

chat_messages = Table(
    "chat_messages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", String(64), nullable=False, index=True),
    Column("role", String(16), nullable=False),
    Column("content", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


def normalize_url(url: str) -> URL:
    """Parse a database URL; plain postgres:// and postgresql:// use the psycopg 3 driver."""
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _sqlite_engine(url: URL) -> Engine:
    # timeout: how long a writer waits for another's lock instead of failing with "database is locked".
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        # Let SQLAlchemy emit BEGIN itself (below) instead of the sqlite3 module's implicit one.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            if url.database not in (None, "", ":memory:"):
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        # IMMEDIATE takes the write lock up front: concurrent read-then-write transactions
        # queue on busy_timeout instead of failing when one cannot upgrade its lock.
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


class StoreNotWritable(Exception):
    """The SQLite data directory or file cannot be written; the message says why (a path, no secret)."""


def is_read_only_error(error: Exception) -> bool:
    """Whether a database error is SQLite refusing a write to a read-only database or file."""
    return str(getattr(getattr(error, "orig", None), "sqlite_errorname", "")).startswith("SQLITE_READONLY")


class Database:
    """One engine plus lazy, idempotent schema creation, so the app starts even when the store is down."""

    def __init__(self, url: str) -> None:
        self.url = normalize_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        if self.is_sqlite:
            self.engine = _sqlite_engine(self.url)
        else:
            self.engine = create_engine(self.url, pool_pre_ping=True, connect_args={"connect_timeout": 5})
        self._schema_ready = False
        self._lock = threading.Lock()

    @property
    def sqlite_path(self) -> str | None:
        """Path of the SQLite file, or None for in-memory SQLite and other databases.

        With uri=true the database is an SQLite URI filename (file:/app/data/todo.db), whose path is the file.
        """
        database = self.url.database if self.is_sqlite else None
        if database and self.url.query.get("uri") == "true" and database.startswith("file:"):
            database = urllib.parse.urlparse(database).path
        if database in (None, "", ":memory:"):
            return None
        return os.path.abspath(database)

    def ensure_schema(self) -> None:
        """Create the tables once; safe to call from many threads."""
        if self._schema_ready:
            return
        with self._lock:
            if not self._schema_ready:
                metadata.create_all(self.engine)
                self._schema_ready = True

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A connection in a transaction, committed on success and rolled back on error."""
        self.ensure_schema()
        with self.engine.begin() as conn:
            yield conn

    def storage_problem(self) -> str | None:
        """Why the SQLite data directory or file cannot be written, or None (always None for other databases)."""
        path = self.sqlite_path
        if path is None:
            return None
        data_dir = os.path.dirname(path)
        if not os.path.isdir(data_dir):
            return f"data directory {data_dir} does not exist"
        try:
            with tempfile.TemporaryFile(dir=data_dir, prefix=".health-"):
                pass
        except OSError as error:
            return f"data directory {data_dir} is not writable ({error.strerror or error})"
        if os.path.exists(path) and not os.access(path, os.W_OK):
            return f"database file {path} is not writable"
        return None

    def check(self) -> str | None:
        """Run a real query and, for SQLite, verify the data directory is writable.

        Returns:
            None when healthy, else a short reason without secrets.
        """
        problem = self.storage_problem()
        if problem is not None:
            return problem
        try:
            with self.begin() as conn:
                conn.execute(select(func.count()).select_from(todos)).scalar_one()
        except Exception as error:  # noqa: BLE001 - any failure means unhealthy
            return self.describe_error(error)
        return None

    @contextmanager
    def begin_write(self) -> Iterator[Connection]:
        """A transaction that writes, refused up front while /health would say the storage is not writable.

        SQLite keeps writing through the files it holds open after its directory or file turns read-only, so
        without this a write could succeed while /health reports 503 (and fail once a new connection opens).

        Raises:
            StoreNotWritable: the SQLite data directory or file cannot be written.
        """
        problem = self.storage_problem()
        if problem is not None:
            raise StoreNotWritable(problem)
        with self.begin() as conn:
            yield conn

    def describe_error(self, error: Exception) -> str:
        """First line of an error message, with the URL's password (if any) blanked out."""
        text = str(getattr(error, "orig", None) or error).strip().splitlines()
        reason = f"{type(error).__name__}: {text[0] if text else 'unknown error'}"
        if self.url.password:
            reason = reason.replace(str(self.url.password), "***")
        return reason[:300]

    def dispose(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()
