"""/api/todos: CRUD, 404 for unknown ids, 422 naming the invalid field, concurrent writers."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest
from fastapi.testclient import TestClient

from app import todos as store
from app.db import Database


def _fields(response) -> list[str]:
    """The field names a 422 answer points at (last element of each error's loc)."""
    return [str(error["loc"][-1]) for error in response.json()["detail"]]


def test_crud_round_trip(client: TestClient) -> None:
    assert client.get("/api/todos").json() == []

    created = client.post("/api/todos", json={"title": "  buy milk "})
    assert created.status_code == 201
    todo = created.json()
    assert set(todo) == {"id", "title", "done", "created_at"}
    assert todo["title"] == "buy milk" and todo["done"] is False
    assert datetime.fromisoformat(todo["created_at"].replace("Z", "+00:00")).tzinfo is not None

    assert client.get(f"/api/todos/{todo['id']}").json() == todo
    assert client.get("/api/todos").json() == [todo]

    patched = client.patch(f"/api/todos/{todo['id']}", json={"done": True})
    assert patched.status_code == 200 and patched.json()["done"] is True
    renamed = client.patch(f"/api/todos/{todo['id']}", json={"title": "buy oat milk", "done": False})
    assert renamed.json()["title"] == "buy oat milk" and renamed.json()["done"] is False

    deleted = client.delete(f"/api/todos/{todo['id']}")
    assert deleted.status_code == 204 and deleted.content == b""
    assert client.get("/api/todos").json() == []


def test_list_is_oldest_first(client: TestClient) -> None:
    titles = ["one", "two", "three"]
    for title in titles:
        client.post("/api/todos", json={"title": title})
    assert [t["title"] for t in client.get("/api/todos").json()] == titles


@pytest.mark.parametrize(("method", "body"), [("get", None), ("patch", {"done": True}), ("delete", None)])
def test_unknown_id_is_404(client: TestClient, method: str, body: dict | None) -> None:
    kwargs = {"json": body} if body is not None else {}
    response = client.request(method.upper(), "/api/todos/999", **kwargs)
    assert response.status_code == 404
    assert "999" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "title"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": 42}, "title"),
        ({"title": None}, "title"),
        ({"title": "x" * 501}, "title"),
        ({"title": "ok", "priority": 1}, "priority"),
    ],
)
def test_create_rejects_invalid_body(client: TestClient, body: dict, field: str) -> None:
    response = client.post("/api/todos", json=body)
    assert response.status_code == 422
    assert field in _fields(response)


def test_create_rejects_non_json(client: TestClient) -> None:
    response = client.post("/api/todos", content=b"not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"done": "yes"}, "done"),
        ({"done": None}, "done"),
        ({"title": None}, "title"),
        ({"title": " "}, "title"),
        ({"titel": "typo"}, "titel"),
    ],
)
def test_update_rejects_invalid_body(client: TestClient, body: dict, field: str) -> None:
    todo = client.post("/api/todos", json={"title": "x"}).json()
    response = client.patch(f"/api/todos/{todo['id']}", json=body)
    assert response.status_code == 422
    assert field in _fields(response)


def test_update_needs_something_to_change(client: TestClient) -> None:
    todo = client.post("/api/todos", json={"title": "x"}).json()
    response = client.patch(f"/api/todos/{todo['id']}", json={})
    assert response.status_code == 422
    assert "title" in response.text and "done" in response.text


def test_non_integer_id_is_422_naming_it(client: TestClient) -> None:
    response = client.get("/api/todos/abc")
    assert response.status_code == 422
    assert _fields(response) == ["todo_id"]


def test_concurrent_writers_all_succeed(tmp_path) -> None:
    """SQLite in WAL mode with BEGIN IMMEDIATE: parallel read-then-write transactions do not fail."""
    db = Database(f"sqlite:///{tmp_path}/todo.db")

    def work(worker: int) -> None:
        for n in range(20):
            with db.begin() as conn:
                todo = store.create_todo(conn, f"w{worker}-{n}")
                store.update_todo(conn, todo["id"], {"done": True})

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(work, range(8)))
    with db.begin() as conn:
        items = store.list_todos(conn)
        mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
    db.dispose()
    assert len(items) == 160 and all(t["done"] for t in items)
    assert mode == "wal"


def test_data_survives_a_new_app(settings, client: TestClient) -> None:
    from app.main import create_app

    client.post("/api/todos", json={"title": "persist me"})
    with TestClient(create_app(settings)) as second:
        assert [t["title"] for t in second.get("/api/todos").json()] == ["persist me"]


@pytest.mark.parametrize("todo_id", ["0", "-1", "9223372036854775808", "99999999999999999999999"])
@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_an_id_outside_sqlite_range_is_the_clients_mistake(client: TestClient, method: str, todo_id: str) -> None:
    """Ids are 1 to 2^63-1: anything else is a 422 naming the id, never a 500 from the database driver."""
    response = client.request(method, f"/api/todos/{todo_id}", json={"done": True} if method == "PATCH" else None)
    assert response.status_code == 422 and _fields(response) == ["todo_id"]


def test_the_largest_id_is_merely_unknown(client: TestClient) -> None:
    assert client.get("/api/todos/9223372036854775807").status_code == 404


@pytest.mark.parametrize("todo_id", [0, -1, 2**63, 10**30])
def test_the_store_finds_no_todo_outside_the_range(tmp_path, todo_id: int) -> None:
    """The chat and the model's answers reach the store without the path's check: it answers 'no such todo'."""
    with Database(f"sqlite:///{tmp_path}/todo.db").begin() as conn:
        assert store.get_todo(conn, todo_id) is None
        assert store.update_todo(conn, todo_id, {"done": True}) is None
        assert store.delete_todo(conn, todo_id) is False


@pytest.mark.parametrize("title", ["a\u0000b", "bell\u0007", "del\u007f", "\u202eevil", "iso\u2066late", "\ud800"])
def test_a_title_holding_a_control_character_is_refused_and_not_stored(client: TestClient, title: str) -> None:
    response = client.post("/api/todos", content=json.dumps({"title": title}), headers={"content-type": "application/json"})
    assert response.status_code == 422 and _fields(response) == ["title"]
    assert client.get("/api/todos").json() == []


def test_a_title_may_hold_tabs_and_any_script(client: TestClient) -> None:
    assert client.post("/api/todos", json={"title": "tea\tand 茶 and ☕"}).status_code == 201


def test_a_422_never_echoes_the_request_back(client: TestClient) -> None:
    secret = "x" * 600  # too long a title: the answer names the field and the rule, not the value
    response = client.post("/api/todos", json={"title": secret})
    assert response.status_code == 422 and secret not in response.text and "input" not in response.json()["detail"][0]


@pytest.mark.parametrize("chunked", [False, True])
def test_a_body_over_64_kib_is_413_before_any_parsing(client: TestClient, chunked: bool) -> None:
    body = json.dumps({"title": "a" * (64 * 1024)}).encode()
    content = iter([body[:1000], body[1000:]]) if chunked else body  # a generator is sent without Content-Length
    response = client.post("/api/todos", content=content, headers={"content-type": "application/json"})
    assert response.status_code == 413 and "64 KiB" in response.json()["detail"]
    assert client.get("/api/todos").json() == []


@pytest.mark.parametrize("body", [b'{"title": "a", "title": "b"}', b'{"done": true, "done": false}',
                                  b'{"title": "a", "x": {"k": 1, "k": 2}}'])
def test_a_key_given_twice_is_422(client: TestClient, body: bytes) -> None:
    """Which of two equal keys wins differs between parsers: the body is refused, not read one way."""
    todo = client.post("/api/todos", json={"title": "keep"}).json()
    for method, path in (("POST", "/api/todos"), ("PATCH", f"/api/todos/{todo['id']}")):
        response = client.request(method, path, content=body, headers={"content-type": "application/json"})
        assert response.status_code == 422, response.text
        assert response.json()["detail"] == [{"type": "json_invalid", "loc": ["body", 0],
                                              "msg": "JSON decode error: an object holds the same key twice"}]
    assert client.get("/api/todos").json() == [todo]


@pytest.mark.parametrize("body", [b'{"title": "\xff\xfe"}', b'{"title": "caf\xe9"}', b'{"title": "\xed\xa0\x80"}',
                                  '{"title": "utf-16"}'.encode("utf-16")])
def test_a_body_that_is_not_utf8_is_422(client: TestClient, body: bytes) -> None:
    """JSON is UTF-8 (RFC 8259); a Latin-1, UTF-16 or CESU-8 body is text that is not valid UTF-8: a 422."""
    response = client.post("/api/todos", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422
    (problem,) = response.json()["detail"]
    assert problem["type"] == "json_invalid" and problem["msg"] == "JSON decode error: the body is not valid UTF-8"
    assert "\\u" not in response.text and "caf" not in response.text
    assert client.get("/api/todos").json() == []


def test_malformed_json_names_the_rule_only(client: TestClient) -> None:
    response = client.post("/api/todos", content=b'{"title": "secret', headers={"content-type": "application/json"})
    assert response.status_code == 422 and "secret" not in response.text
    assert response.json()["detail"][0]["msg"].startswith("JSON decode error: Unterminated string")


def test_json_nested_too_deep_for_the_parser_is_400(client: TestClient) -> None:
    body = b'{"title": ' + b"[" * 10000 + b"]" * 10000 + b"}"
    response = client.post("/api/todos", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400 and response.json() == {"detail": "There was an error parsing the body"}


def test_the_list_is_paged_and_counted(client: TestClient) -> None:
    with client.app.state.db.begin() as conn:
        for n in range(1, 151):
            store.create_todo(conn, f"t{n}")
    first = client.get("/api/todos")
    assert [t["title"] for t in first.json()] == [f"t{n}" for n in range(1, 101)]
    assert first.headers["x-total-count"] == "150"
    page = client.get("/api/todos", params={"limit": 20, "offset": 140})
    assert [t["title"] for t in page.json()] == [f"t{n}" for n in range(141, 151)]
    assert page.headers["x-total-count"] == "150"
    assert len(client.get("/api/todos", params={"limit": 1000}).json()) == 150
    past_the_end = client.get("/api/todos", params={"offset": store.ID_MAX})
    assert past_the_end.status_code == 200 and past_the_end.json() == []


@pytest.mark.parametrize(("params", "field"), [({"limit": 0}, "limit"), ({"limit": 1001}, "limit"),
                                               ({"limit": -1}, "limit"), ({"limit": "ten"}, "limit"),
                                               ({"offset": -1}, "offset"), ({"offset": 2**63}, "offset"),
                                               ({"offset": "1.5"}, "offset")])
def test_a_page_outside_the_bounds_is_422(client: TestClient, params: dict, field: str) -> None:
    response = client.get("/api/todos", params=params)
    assert response.status_code == 422 and _fields(response) == [field]


def test_a_title_padded_past_its_limit_is_refused_as_the_openapi_says(client) -> None:
    """maxLength 500 holds for the title as sent: 500 letters and a space are 501 characters, not 500 once trimmed."""
    response = client.post("/api/todos", json={"title": "a" * 500 + " "})
    assert response.status_code == 422
    assert client.post("/api/todos", json={"title": " " + "a" * 499}).status_code == 201
