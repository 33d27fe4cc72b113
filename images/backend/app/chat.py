"""Chat: turn a sentence into a todo action (OpenAI when configured, else a built-in parser) and answer in words."""

from __future__ import annotations

import json
import logging
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Optional

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection

from . import todos as store
from .completions import Completions
from .db import Database, chat_messages
from .schemas import NOT_TEXT, TITLE_MAX

log = logging.getLogger(__name__)

# Caps, so that a long conversation, a long list or a verbose model cost neither storage nor tokens without end.
HISTORY_LIMIT = 20  # messages (a user's and a reply are two) kept per session and sent to the model
REPLY_MAX = 2000  # characters of a reply; a longer one ends in "…"
TODOS_SHOWN = store.PAGE_DEFAULT  # todos in the model's prompt and in the chat's answer: the first page
ACTIONS = ("add", "list", "complete", "reopen", "delete", "help")

HELP = (
    'I can manage your todos. Try "add buy milk", "what is left?", '
    '"complete 2", "reopen 2" or "delete 3".'
)


@dataclass
class Intent:
    """What the user asked for: an action and its target (a title or a todo id)."""

    action: str
    title: Optional[str] = None
    todo_id: Optional[int] = None
    reply: Optional[str] = None  # a model's own words, used for "help"


_NUMBER = r"(?:todo|task|item|number|no\.?)?\s*#?(\d+)"
_ADD = re.compile(
    r"^(?:please\s+)?(?:add|create|new|remember to|remind me to|i need to|i have to|todo:?)"
    r"\s+(?:(?:a|an)\s+)?(?:(?:new\s+)?(?:todo|task|item)\s*(?::|to|called)?\s+)?(?P<title>.+)$",
    re.IGNORECASE,
)
_ADD_SUFFIX = re.compile(r"\s+(?:to|on|in)\s+(?:my|the)\s+(?:todo\s+|to-do\s+)?(?:list|todos|tasks)$", re.IGNORECASE)
_COMPLETE = re.compile(r"^(?:please\s+)?(?:complete|finish|finished|done|check off|tick off|close|mark)\s+(?P<target>.+?)"
                       r"(?:\s+as)?(?:\s+(?:done|complete|completed|finished))?$", re.IGNORECASE)
_COMPLETE_POSTFIX = re.compile(r"^(?P<target>.+?)\s+is\s+(?:done|complete|completed|finished)$", re.IGNORECASE)
_REOPEN = re.compile(r"^(?:please\s+)?(?:reopen|undo|uncomplete|unmark|mark)\s+(?P<target>.+?)"
                     r"(?:\s+as)?(?:\s+(?:not done|undone|open|incomplete|todo))?$", re.IGNORECASE)
_DELETE = re.compile(r"^(?:please\s+)?(?:delete|remove|drop|erase|cancel|forget)\s+(?P<target>.+)$", re.IGNORECASE)
_LIST = re.compile(
    r"\b(?:what(?:'s| is)? left|what do i (?:have|need)|what(?:'s| is) (?:on|in) my|list|show|todos|tasks|"
    r"pending|remaining|open items|to-?do list|agenda)\b",
    re.IGNORECASE,
)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().strip("?!. ")).strip()


def _target(action: str, raw: str) -> Intent:
    """An intent on the todo that raw names: by number ("2", "#2", "task 2") or by title."""
    raw = _clean(raw)
    match = re.fullmatch(_NUMBER, raw, re.IGNORECASE)
    if match:
        return Intent(action, todo_id=int(match.group(1)))
    return Intent(action, title=raw.strip("\"'"))


def parse_message(message: str) -> Intent:
    """Deterministic parser for the offline mode: a sentence in, an Intent out."""
    text = _clean(message)
    if not text:
        return Intent("help")

    reopen = _REOPEN.match(text)
    lowered = text.lower()
    if reopen and (not lowered.startswith("mark") or re.search(r"(not done|undone|open|incomplete)$", lowered)):
        return _target("reopen", reopen.group("target"))
    for pattern, action in ((_COMPLETE, "complete"), (_COMPLETE_POSTFIX, "complete"), (_DELETE, "delete")):
        match = pattern.match(text)
        if match:
            return _target(action, match.group("target"))
    add = _ADD.match(text)
    if add:
        title = _ADD_SUFFIX.sub("", add.group("title")).strip().strip("\"'").strip()
        if title and title.lower() not in ("todo", "task", "item"):
            return Intent("add", title=title)
        return Intent("help")
    if _LIST.search(text):
        return Intent("list")
    return Intent("help")


def _system_prompt(current: list[dict[str, Any]]) -> str:
    items = [{"id": t["id"], "title": t["title"], "done": t["done"]} for t in current]
    return (
        "You turn the user's message into one action on their todo list. Answer with a JSON object only: "
        '{"action": one of "add", "list", "complete", "reopen", "delete", "help", '
        '"title": the todo text for "add" or the title to match (or null), '
        '"id": the todo id for complete/reopen/delete when known (or null), '
        '"reply": a short friendly sentence}. Use "help" for anything that is not a todo action. '
        f"Current todos: {json.dumps(items)}"
    )


def _model_text(value: object, limit: int) -> str | None:
    """A string from the model as the app would accept it from a user: no control characters, lone surrogates or
    bidi overrides (a lone surrogate cannot even be stored), at most limit characters; None when nothing is left."""
    if not isinstance(value, str):
        return None
    text = NOT_TEXT.sub("", value).strip()
    return _capped(text, limit) if text else None


def _capped(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def ask_openai(completions: Completions, history: list[dict[str, str]], current: list[dict[str, Any]],
               message: str) -> Intent:
    """Ask the chat completions API for an Intent.

    Raises:
        RuntimeError: the request failed or the answer was not a usable action (completions.Busy: no free slot).
    """
    messages = [{"role": "system", "content": _system_prompt(current)}, *history, {"role": "user", "content": message}]
    try:
        answer = json.loads(completions.complete(messages))
    except ValueError as error:
        raise RuntimeError(f"unusable answer from the chat completions API ({type(error).__name__})") from None
    if not isinstance(answer, dict) or answer.get("action") not in ACTIONS:
        raise RuntimeError("the model chose no known action")
    todo_id = answer.get("id")
    return Intent(
        action=answer["action"],
        title=_model_text(answer.get("title"), TITLE_MAX),
        todo_id=todo_id if isinstance(todo_id, int) and not isinstance(todo_id, bool) else None,
        reply=_model_text(answer.get("reply"), REPLY_MAX),
    )


def _describe(todo: dict[str, Any]) -> str:
    return f'#{todo["id"]} "{todo["title"]}"'


def _resolve(conn: Connection, intent: Intent) -> tuple[dict[str, Any] | None, str | None]:
    """The todo an intent points at, or an explanation why there is none."""
    if intent.todo_id is not None:
        todo = store.get_todo(conn, intent.todo_id)
        return (todo, None) if todo else (None, f"There is no todo #{intent.todo_id}.")
    if intent.title:
        matches = store.find_by_title(conn, intent.title)
        if len(matches) == 1:
            return matches[0], None
        if not matches:
            return None, f'I found no todo matching "{intent.title}".'
        return None, f'"{intent.title}" matches {", ".join(_describe(t) for t in matches)}: which number?'
    return None, "Which todo? Give its number, for example 2."


def _list_reply(items: list[dict[str, Any]]) -> str:
    open_items = [t for t in items if not t["done"]]
    done_count = len(items) - len(open_items)
    if not items:
        return "Your list is empty. Add something with \"add buy milk\"."
    if not open_items:
        return "Nothing left: your only todo is done." if done_count == 1 else f"Nothing left: all {done_count} todos are done."
    listed = "; ".join(_describe(t) for t in open_items)
    noun = "todo" if len(open_items) == 1 else "todos"
    done = f" ({done_count} done)" if done_count else ""
    return f"You have {len(open_items)} open {noun}: {listed}.{done}"


def apply_intent(conn: Connection, intent: Intent) -> str:
    """Carry out an intent on the store and return the reply in words."""
    if intent.action == "add":
        if not intent.title:
            return "What should I add? For example: add buy milk."
        todo = store.create_todo(conn, intent.title[:TITLE_MAX])
        return f"Added {_describe(todo)}."
    if intent.action == "list":
        return _list_reply(store.list_todos(conn))
    if intent.action in ("complete", "reopen", "delete"):
        todo, problem = _resolve(conn, intent)
        if todo is None:
            return problem or HELP
        if intent.action == "delete":
            store.delete_todo(conn, todo["id"])
            return f"Deleted {_describe(todo)}."
        done = intent.action == "complete"
        if todo["done"] == done:
            return f"{_describe(todo)} was already {'done' if done else 'open'}."
        store.update_todo(conn, todo["id"], {"done": done})
        return f"Marked {_describe(todo)} as {'done' if done else 'not done'}."
    return intent.reply or HELP


def _history(conn: Connection, session_id: str) -> list[dict[str, str]]:
    rows = conn.execute(
        select(chat_messages.c.role, chat_messages.c.content)
        .where(chat_messages.c.session_id == session_id)
        .order_by(chat_messages.c.id.desc())
        .limit(HISTORY_LIMIT)
    ).all()
    return [{"role": role, "content": content} for role, content in reversed(rows)]


def _remember(conn: Connection, session_id: str, role: str, content: str) -> None:
    conn.execute(insert(chat_messages).values(
        session_id=session_id, role=role, content=content, created_at=datetime.now(timezone.utc)))


def _prune(conn: Connection, session_id: str) -> None:
    """Delete a session's messages older than its last HISTORY_LIMIT: they are never sent to the model again."""
    oldest_kept = conn.execute(
        select(chat_messages.c.id)
        .where(chat_messages.c.session_id == session_id)
        .order_by(chat_messages.c.id.desc())
        .offset(HISTORY_LIMIT - 1)
        .limit(1)
    ).scalar()
    if oldest_kept is not None:
        conn.execute(delete(chat_messages).where(chat_messages.c.session_id == session_id,
                                                 chat_messages.c.id < oldest_kept))


def handle_chat(db: Database, completions: Completions | None, message: str, session_id: str | None) -> dict[str, Any]:
    """Answer one chat message: choose the intent, apply it, keep both turns in the session."""
    session_id = session_id or uuid.uuid4().hex
    intent: Intent | None = None
    if completions is not None:
        with db.begin() as conn:
            history = _history(conn, session_id)
            current = store.list_todos(conn, limit=TODOS_SHOWN)
        # Outside any transaction: the API call may take seconds and SQLite writers would wait on it.
        try:
            intent = ask_openai(completions, history, current, message)
        except RuntimeError as error:
            # Busy too: the user gets an answer now, as when the API fails, rather than wait for a slot or get a 503.
            log.warning("chat: %s; answering with the built-in parser", error)
    if intent is None:
        intent = parse_message(message)
    with db.begin_write() as conn:
        reply = _capped(apply_intent(conn, intent), REPLY_MAX)
        _remember(conn, session_id, "user", message)
        _remember(conn, session_id, "assistant", reply)
        _prune(conn, session_id)
        items = store.list_todos(conn, limit=TODOS_SHOWN)
    return {"reply": reply, "session_id": session_id, "action": intent.action, "todos": items}
