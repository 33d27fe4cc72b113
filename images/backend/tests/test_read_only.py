"""A data directory that turns read-only under a running backend: writes answer 503 with a JSON detail, as /health
does, never a 500; reads and the liveness probe go on; writes work again once the directory does."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app

from .conftest import read_only

NOT_WRITABLE = {"detail": "database is not writable"}


def test_writes_are_503_while_the_data_directory_is_read_only(client: TestClient, data_dir: Path) -> None:
    kept = client.post("/api/todos", json={"title": "kept"}).json()
    with read_only(data_dir):
        writes = [
            client.post("/api/todos", json={"title": "lost"}),
            client.patch(f"/api/todos/{kept['id']}", json={"done": True}),
            client.delete(f"/api/todos/{kept['id']}"),
            client.post("/api/chat", json={"message": "add lost"}),
        ]
        health = client.get("/health")
        listed = client.get("/api/todos")
        alive = client.get("/livez")
    for write in writes:
        assert (write.status_code, write.json()) == (503, NOT_WRITABLE), write.request.method
    assert health.status_code == 503 and "not writable" in health.json()["database"]
    assert listed.status_code == 200 and listed.json() == [kept]
    assert alive.status_code == 200
    assert client.post("/api/todos", json={"title": "again"}).status_code == 201
    assert client.get("/health").status_code == 200


def test_invalid_input_is_still_422_while_read_only(client: TestClient, data_dir: Path) -> None:
    """The client's mistake is named first: fixing the storage would not make the request valid."""
    with read_only(data_dir):
        assert client.post("/api/todos", json={"title": ""}).status_code == 422


@pytest.fixture
def read_only_database(settings: Settings, data_dir: Path) -> str:
    """A database URL SQLite opens read-only (mode=ro): every write fails inside SQLite itself."""
    with TestClient(create_app(settings)) as client:
        client.post("/api/todos", json={"title": "kept"})
    return f"sqlite:///file:{data_dir}/todo.db?mode=ro&uri=true"


def test_a_write_sqlite_refuses_as_read_only_is_503(read_only_database: str) -> None:
    """Where the directory looks writable but SQLite cannot write (a read-only open, a read-only mount), its own
    error answers the same 503, not a 500."""
    with TestClient(create_app(Settings(database_url=read_only_database))) as client:
        assert client.get("/api/todos").status_code == 200
        writes = [client.post("/api/todos", json={"title": "lost"}), client.patch("/api/todos/1", json={"done": True}),
                  client.delete("/api/todos/1"), client.post("/api/chat", json={"message": "add lost"})]
        for write in writes:
            assert (write.status_code, write.json()) == (503, NOT_WRITABLE)
        assert [t["title"] for t in client.get("/api/todos").json()] == ["kept"]
