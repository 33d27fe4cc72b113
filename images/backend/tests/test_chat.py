"""/api/chat: the built-in parser, the OpenAI path (against a loopback fake), sessions and errors."""

from __future__ import annotations

import json
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app import completions
from app import todos as store
from app.chat import HISTORY_LIMIT, REPLY_MAX, Intent, parse_message
from app.completions import MAX_CONCURRENT
from app.db import chat_messages
from app.main import create_app

from .conftest import FakeOpenAI


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("add buy milk", Intent("add", title="buy milk")),
        ("Add 'Call Mom' to my list", Intent("add", title="Call Mom")),
        ("please add a todo: water plants", Intent("add", title="water plants")),
        ("remind me to pay rent", Intent("add", title="pay rent")),
        ("what is left?", Intent("list")),
        ("What's left", Intent("list")),
        ("show my todos", Intent("list")),
        ("list", Intent("list")),
        ("complete 2", Intent("complete", todo_id=2)),
        ("mark #2 as done", Intent("complete", todo_id=2)),
        ("done 4", Intent("complete", todo_id=4)),
        ("complete buy milk", Intent("complete", title="buy milk")),
        ("buy milk is done", Intent("complete", title="buy milk")),
        ("reopen 2", Intent("reopen", todo_id=2)),
        ("mark 2 as not done", Intent("reopen", todo_id=2)),
        ("delete 3", Intent("delete", todo_id=3)),
        ("remove task 3", Intent("delete", todo_id=3)),
        ("delete buy milk", Intent("delete", title="buy milk")),
        ("hello", Intent("help")),
        ("add", Intent("help")),
        ("?!", Intent("help")),
    ],
)
def test_parser(message: str, expected: Intent) -> None:
    assert parse_message(message) == expected


def chat(client: TestClient, message: str, session_id: str | None = "s1") -> dict:
    body = {"message": message} if session_id is None else {"message": message, "session_id": session_id}
    response = client.post("/api/chat", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_chat_conversation(client: TestClient) -> None:
    added = chat(client, "add buy milk")
    assert set(added) == {"reply", "session_id", "action", "todos"}
    assert added["action"] == "add" and added["session_id"] == "s1"
    assert added["reply"] == 'Added #1 "buy milk".'
    assert [t["title"] for t in added["todos"]] == ["buy milk"]
    chat(client, "add call mom")

    left = chat(client, "what is left?")
    assert left["action"] == "list"
    assert left["reply"] == 'You have 2 open todos: #1 "buy milk"; #2 "call mom".'

    done = chat(client, "complete 2")
    assert done["action"] == "complete" and done["reply"] == 'Marked #2 "call mom" as done.'
    assert client.get("/api/todos/2").json()["done"] is True
    assert chat(client, "complete 2")["reply"] == '#2 "call mom" was already done.'
    assert chat(client, "what is left")["reply"] == 'You have 1 open todo: #1 "buy milk". (1 done)'

    deleted = chat(client, "delete 1")
    assert deleted["action"] == "delete" and deleted["reply"] == 'Deleted #1 "buy milk".'
    assert [t["id"] for t in deleted["todos"]] == [2]
    assert chat(client, "what is left?")["reply"] == "Nothing left: your only todo is done."
    assert "reopen" in chat(client, "reopen 2")["action"]


def test_chat_by_title_and_unknown_targets(client: TestClient) -> None:
    chat(client, "add buy milk")
    chat(client, "add buy bread")
    assert chat(client, "complete milk")["reply"] == 'Marked #1 "buy milk" as done.'
    assert "which number" in chat(client, "delete buy")["reply"]
    assert chat(client, "delete 42")["reply"] == "There is no todo #42."
    assert chat(client, "complete eggs")["reply"] == 'I found no todo matching "eggs".'
    assert chat(client, "what is left?")["reply"].startswith("You have 1 open todo")


def test_chat_help_and_empty_list(client: TestClient) -> None:
    answer = chat(client, "hi there")
    assert answer["action"] == "help" and "add buy milk" in answer["reply"]
    assert chat(client, "what is left?")["reply"].startswith("Your list is empty")


def test_chat_session_kept_per_id(client: TestClient) -> None:
    first = chat(client, "add a", session_id=None)
    session = first["session_id"]
    assert len(session) == 32
    chat(client, "what is left?", session_id=session)
    chat(client, "hello", session_id="other")
    with client.app.state.db.begin() as conn:
        rows = conn.execute(select(chat_messages.c.session_id, chat_messages.c.role, chat_messages.c.content)
                            .order_by(chat_messages.c.id)).all()
    mine = [(role, content) for sid, role, content in rows if sid == session]
    assert [role for role, _ in mine] == ["user", "assistant", "user", "assistant"]
    assert mine[0][1] == "add a" and mine[2][1] == "what is left?"
    assert sum(1 for sid, *_ in rows if sid == "other") == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "message"),
        ({"message": ""}, "message"),
        ({"message": "   "}, "message"),
        ({"message": 5}, "message"),
        ({"message": "x" * 2001}, "message"),
        ({"message": "hi", "session_id": "bad id!"}, "session_id"),
        ({"message": "hi", "extra": 1}, "extra"),
    ],
)
def test_chat_rejects_invalid_body(client: TestClient, body: dict, field: str) -> None:
    response = client.post("/api/chat", json=body)
    assert response.status_code == 422
    assert field in [str(e["loc"][-1]) for e in response.json()["detail"]]


def test_chat_uses_openai_when_configured(settings, fake_openai, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    openai_settings = replace(settings, openai_api_key="sk-test-do-not-log", openai_model="gpt-test",
                              openai_base_url=fake_openai.base_url)
    fake_openai.answers += [
        (200, {"action": "add", "title": "buy milk", "id": None, "reply": "Sure!"}),
        (200, {"action": "help", "title": None, "id": None, "reply": "I am your todo assistant."}),
        (200, {"action": "complete", "title": None, "id": 1, "reply": "Done!"}),
    ]
    with TestClient(create_app(openai_settings)) as client:
        added = chat(client, "I really need milk")
        assert added["action"] == "add" and added["reply"] == 'Added #1 "buy milk".'
        assert chat(client, "who are you?")["reply"] == "I am your todo assistant."
        assert chat(client, "the milk is bought")["reply"] == 'Marked #1 "buy milk" as done.'
    first, _, third = fake_openai.requests
    assert first["path"] == "/v1/chat/completions"
    assert first["auth"] == "Bearer sk-test-do-not-log"
    assert first["body"]["model"] == "gpt-test"
    assert first["body"]["messages"][-1] == {"role": "user", "content": "I really need milk"}
    # The session history and the current todos go with later requests.
    assert {"role": "user", "content": "I really need milk"} in third["body"]["messages"]
    assert "buy milk" in third["body"]["messages"][0]["content"]
    assert "sk-test-do-not-log" not in caplog.text


@pytest.mark.parametrize("answer", [(500, {"error": "boom"}), (401, {"error": "bad key"}),
                                    (200, {"action": "launch rockets"}), (200, "not an object")])
def test_chat_falls_back_to_parser_when_openai_fails(settings, fake_openai, answer, caplog) -> None:
    caplog.set_level(logging.WARNING)
    openai_settings = replace(settings, openai_api_key="sk-test-do-not-log", openai_base_url=fake_openai.base_url)
    fake_openai.answers.append(answer)
    with TestClient(create_app(openai_settings)) as client:
        added = chat(client, "add buy milk")
    assert added["action"] == "add" and added["reply"] == 'Added #1 "buy milk".'
    assert "built-in parser" in caplog.text
    assert "sk-test-do-not-log" not in caplog.text


def test_chat_falls_back_when_openai_unreachable(settings) -> None:
    unreachable = replace(settings, openai_api_key="sk-x", openai_base_url="http://127.0.0.1:1/v1")
    with TestClient(create_app(unreachable)) as client:
        assert chat(client, "what is left?")["action"] == "list"


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("COMPLETE Task 2", Intent("complete", todo_id=2)),
        ("Delete İstanbul trip", Intent("delete", title="İstanbul trip")),
        ("ADD Call İlknur", Intent("add", title="Call İlknur")),
    ],
)
def test_parser_keeps_case_and_non_ascii_titles(message: str, expected: Intent) -> None:
    assert parse_message(message) == expected


def test_chat_names_an_id_past_the_range_as_unknown(client: TestClient) -> None:
    """A number no todo can have is "no such todo" in words, not a 500 from the database driver."""
    assert chat(client, "delete 99999999999999999999")["reply"] == "There is no todo #99999999999999999999."
    assert chat(client, "complete #9223372036854775808")["reply"] == "There is no todo #9223372036854775808."


@pytest.mark.parametrize("message", ["add a\u0000b", "add \u202eevil", "add \ud800"])
def test_a_message_holding_a_control_character_is_refused(client: TestClient, message: str) -> None:
    response = client.post("/api/chat", content=json.dumps({"message": message}), headers={"content-type": "application/json"})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "message"]
    assert client.get("/api/todos").json() == []


def _openai_client(settings, fake_openai) -> TestClient:
    return TestClient(create_app(replace(settings, openai_api_key="sk-test-do-not-log",
                                         openai_base_url=fake_openai.base_url)))


def test_a_slow_openai_starves_no_other_endpoint(settings, fake_openai) -> None:
    """More chats than worker threads, each waiting on a hanging API: only MAX_CONCURRENT calls are made, the other
    chats answer at once with the built-in parser, and the list and the probes answer while the calls hang."""
    fake_openai.gate = threading.Event()  # every call hangs until the test lets it go
    fake_openai.answers += [(200, {"action": "list", "title": None, "id": None, "reply": "ok"})] * MAX_CONCURRENT
    chats = 50  # anyio runs the sync endpoints on 40 worker threads
    with _openai_client(settings, fake_openai) as client, ThreadPoolExecutor(chats) as pool:
        try:
            pending = [pool.submit(client.post, "/api/chat", json={"message": f"add item {n}"}) for n in range(chats)]
            deadline = time.monotonic() + 20
            while sum(future.done() for future in pending) < chats - MAX_CONCURRENT and time.monotonic() < deadline:
                time.sleep(0.05)
            assert sum(not future.done() for future in pending) == MAX_CONCURRENT
            assert len(fake_openai.requests) == MAX_CONCURRENT
            started = time.monotonic()
            listed = client.get("/api/todos")
            alive = client.get("/livez")
            assert time.monotonic() - started < 2
        finally:
            fake_openai.gate.set()
        answers = [future.result(timeout=30) for future in pending]
    assert listed.status_code == 200 and alive.status_code == 200
    assert len(listed.json()) == chats - MAX_CONCURRENT  # each chat the parser answered added its item
    assert all(answer.status_code == 200 for answer in answers)
    assert [answer.json()["action"] for answer in answers].count("list") == MAX_CONCURRENT


def test_an_openai_that_drips_its_answer_is_cut_off_at_the_deadline(settings, fake_openai, monkeypatch) -> None:
    """Each byte arrives within the per-read timeout, yet the whole answer takes too long: the chat gives up at
    DEADLINE_SECONDS and answers with the built-in parser instead of holding its slot for minutes."""
    monkeypatch.setattr(completions, "DEADLINE_SECONDS", 1)
    fake_openai.drip_seconds = 0.05  # an answer of about 150 bytes: 7 s
    fake_openai.answers.append((200, {"action": "list", "title": None, "id": None, "reply": "ok"}))
    with _openai_client(settings, fake_openai) as client:
        started = time.monotonic()
        answer = client.post("/api/chat", json={"message": "add water the plants"})
        took = time.monotonic() - started
    assert answer.status_code == 200 and answer.json()["action"] == "add", answer.json()
    assert took < 4, f"the chat waited {took:.1f} s for a dripping API"


def _session_messages(client: TestClient, session_id: str) -> list[tuple[str, str]]:
    with client.app.state.db.begin() as conn:
        rows = conn.execute(select(chat_messages.c.role, chat_messages.c.content)
                            .where(chat_messages.c.session_id == session_id).order_by(chat_messages.c.id)).all()
    return [(role, content) for role, content in rows]


def test_a_session_keeps_only_its_last_messages(client: TestClient) -> None:
    chat(client, "hello", session_id="other")
    for n in range(15):  # 30 messages
        chat(client, f"add buy {n}")
    kept = _session_messages(client, "s1")
    assert len(kept) == HISTORY_LIMIT == 20
    assert kept[0] == ("user", "add buy 5") and kept[-1] == ("assistant", 'Added #15 "buy 14".')
    assert len(_session_messages(client, "other")) == 2  # another session's messages are its own


def test_the_model_gets_at_most_the_last_messages(settings, fake_openai) -> None:
    fake_openai.answers += [(200, {"action": "help", "title": None, "id": None, "reply": f"r{n}"}) for n in range(15)]
    with _openai_client(settings, fake_openai) as client:
        for n in range(15):
            chat(client, f"message {n}")
    messages = fake_openai.requests[-1]["body"]["messages"]
    assert messages[0]["role"] == "system" and messages[-1] == {"role": "user", "content": "message 14"}
    assert len(messages) == 1 + HISTORY_LIMIT + 1
    assert messages[1] == {"role": "user", "content": "message 4"}


def test_a_long_model_reply_is_cut_to_the_limit(settings, fake_openai) -> None:
    fake_openai.answers.append((200, {"action": "help", "title": None, "id": None, "reply": "blah " * 2000}))
    with _openai_client(settings, fake_openai) as client:
        reply = chat(client, "tell me everything")["reply"]
        assert len(reply) == REPLY_MAX and reply.endswith("…")
        assert _session_messages(client, "s1")[-1] == ("assistant", reply)


def test_a_long_list_reply_is_cut_to_the_limit(client: TestClient) -> None:
    for n in range(30):
        client.post("/api/todos", json={"title": f"{n} " + "x" * 100})
    reply = chat(client, "what is left?")["reply"]
    assert len(reply) == REPLY_MAX and reply.startswith("You have 30 open todos") and reply.endswith("…")


def test_the_chat_shows_the_first_page_of_todos(client: TestClient) -> None:
    with client.app.state.db.begin() as conn:
        for n in range(150):
            store.create_todo(conn, f"t{n}")
    answer = chat(client, "what is left?")
    assert [t["title"] for t in answer["todos"]] == [f"t{n}" for n in range(100)]
    assert answer["reply"].startswith("You have 150 open todos")


@pytest.mark.parametrize(("title", "stored"), [("buy\u0000 milk\u202e", "buy milk"), ("a\ud800", "a"),
                                               ("x" * 600, "x" * 499 + "…")])
def test_the_models_title_is_held_to_the_rules_for_a_users(settings, fake_openai, title: str, stored: str) -> None:
    """A model's answer is not trusted more than a user's: no control character, lone surrogate or bidi override
    is stored (a lone surrogate could not even be), and a title is at most 500 characters."""
    fake_openai.answers.append((200, {"action": "add", "title": title, "id": None, "reply": "ok\u0007"}))
    with _openai_client(settings, fake_openai) as client:
        answer = chat(client, "add something")
        assert [t["title"] for t in client.get("/api/todos").json()] == [stored]
    assert answer["action"] == "add"


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_from_the_api_is_not_followed(settings, fake_openai, status: int, caplog) -> None:
    """urllib's default handler would resend the Authorization header to the new host: a 3xx is an error instead."""
    caplog.set_level(logging.WARNING)
    thief = FakeOpenAI()
    try:
        fake_openai.answers.append((status, {"location": f"{thief.base_url}/chat/completions"}))
        with _openai_client(settings, fake_openai) as client:
            added = chat(client, "add buy milk")
    finally:
        thief.close()
    assert thief.requests == []
    assert added["action"] == "add" and added["reply"] == 'Added #1 "buy milk".'
    assert f"HTTP {status} from the chat completions API" in caplog.text
