"""Todo storage operations on the database."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection, RowMapping

from .db import todos

# SQLite's integer range: an id (or an offset) beyond it names no todo (and would overflow the driver's binding).
ID_MAX = 2**63 - 1
# A page of the list: the default keeps an answer small, the maximum keeps any one answer bounded.
PAGE_DEFAULT = 100
PAGE_MAX = 1000


def _possible(todo_id: int) -> bool:
    return 1 <= todo_id <= ID_MAX


def _as_dict(row: RowMapping) -> dict[str, Any]:
    created = row["created_at"]
    if created.tzinfo is None:  # SQLite keeps no zone; the app always writes UTC
        created = created.replace(tzinfo=timezone.utc)
    return {"id": row["id"], "title": row["title"], "done": bool(row["done"]), "created_at": created}


def list_todos(conn: Connection, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    """Todos oldest first: all of them, or limit of them after skipping offset."""
    query = select(todos).order_by(todos.c.id).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [_as_dict(r) for r in conn.execute(query).mappings()]


def count_todos(conn: Connection) -> int:
    """How many todos there are."""
    return conn.execute(select(func.count()).select_from(todos)).scalar_one()


def get_todo(conn: Connection, todo_id: int) -> dict[str, Any] | None:
    """One todo, or None."""
    if not _possible(todo_id):
        return None
    row = conn.execute(select(todos).where(todos.c.id == todo_id)).mappings().first()
    return _as_dict(row) if row else None


def create_todo(conn: Connection, title: str) -> dict[str, Any]:
    """Insert a todo and return it."""
    now = datetime.now(timezone.utc)
    result = conn.execute(insert(todos).values(title=title, done=False, created_at=now))
    new_id = result.inserted_primary_key[0]
    return get_todo(conn, new_id)  # type: ignore[return-value]


def update_todo(conn: Connection, todo_id: int, changes: dict[str, Any]) -> dict[str, Any] | None:
    """Apply changes (title and/or done); None when the todo does not exist."""
    if not _possible(todo_id):
        return None
    if changes:
        result = conn.execute(update(todos).where(todos.c.id == todo_id).values(**changes))
        if result.rowcount == 0:
            return None
    return get_todo(conn, todo_id)


def delete_todo(conn: Connection, todo_id: int) -> bool:
    """Delete a todo; False when it did not exist."""
    if not _possible(todo_id):
        return False
    return conn.execute(delete(todos).where(todos.c.id == todo_id)).rowcount > 0


def find_by_title(conn: Connection, text: str) -> list[dict[str, Any]]:
    """Todos whose title equals text (case-insensitive), else those containing it."""
    wanted = text.strip().lower()
    items = list_todos(conn)
    exact = [t for t in items if t["title"].lower() == wanted]
    return exact or [t for t in items if wanted and wanted in t["title"].lower()]
