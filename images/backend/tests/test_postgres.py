"""The same API on PostgreSQL; runs only when TEST_POSTGRES_URL names a disposable database."""

from __future__ import annotations

import os

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from app.config import Settings
from app.main import create_app

URL = os.environ.get("TEST_POSTGRES_URL", "")
pytestmark = pytest.mark.skipif(not URL, reason="TEST_POSTGRES_URL not set (e.g. postgresql://user:pw@127.0.0.1:5432/todo)")


@pytest.fixture
def pg_client():
    app = create_app(Settings(database_url=URL))
    with TestClient(app) as client:
        with app.state.db.begin() as conn:
            conn.execute(text("TRUNCATE todos, chat_messages RESTART IDENTITY"))
        yield client


def test_postgres_health_crud_and_chat(pg_client: TestClient) -> None:
    assert pg_client.get("/health").json() == {"status": "ok", "database": "ok"}
    todo = pg_client.post("/api/todos", json={"title": "buy milk"}).json()
    assert pg_client.patch(f"/api/todos/{todo['id']}", json={"done": True}).json()["done"] is True
    assert pg_client.post("/api/chat", json={"message": "add call mom"}).json()["reply"] == 'Added #2 "call mom".'
    assert pg_client.post("/api/chat", json={"message": "what is left?"}).json()["reply"] == (
        'You have 1 open todo: #2 "call mom". (1 done)')
    assert pg_client.delete(f"/api/todos/{todo['id']}").status_code == 204
    assert [t["title"] for t in pg_client.get("/api/todos").json()] == ["call mom"]


def test_postgres_wrong_password_is_503_without_the_password() -> None:
    from sqlalchemy.engine import make_url

    wrong = make_url(URL).set(password="definitely-wrong-pw").render_as_string(hide_password=False)
    with TestClient(create_app(Settings(database_url=wrong))) as client:
        response = client.get("/health")
    assert response.status_code == 503
    assert "definitely-wrong-pw" not in response.text
    assert "authentication failed" in response.json()["database"]
