"""Steps using the todo app through the release's frontend Service: todos created, completed and deleted, and the chat."""

from __future__ import annotations

import requests
from pytest_bdd import given, parsers, then, when

from acceptance.app.client import AppClient


@given(parsers.parse('a todo "{title}" created through the frontend'))
@when(parsers.parse('a todo "{title}" is created through the frontend'))
def create_todo(through_frontend: AppClient, title: str) -> None:
    through_frontend.create_todo(title)


@then(parsers.parse('the todo list through the frontend should hold "{title}"'))
def list_holds(through_frontend: AppClient, title: str) -> None:
    through_frontend.todo(title)


@then(parsers.parse('the todo list through the frontend should not hold "{title}"'))
def list_lacks(through_frontend: AppClient, title: str) -> None:
    assert title not in through_frontend.todos(), f"the todo list still holds {title!r}"


@when(parsers.parse('the todo "{title}" is completed through the frontend'))
def complete_todo(through_frontend: AppClient, title: str) -> None:
    through_frontend.complete_todo(title)


@then(parsers.parse('the todo "{title}" should be done'))
def todo_done(through_frontend: AppClient, title: str) -> None:
    todo = through_frontend.todo(title)
    assert todo["done"] is True, f"the todo {title!r} is not done: {todo}"


@when(parsers.parse('the todo "{title}" is deleted through the frontend'))
def delete_todo(through_frontend: AppClient, title: str) -> None:
    through_frontend.delete_todo(title)


@when(parsers.parse('the chat is told "{message}" through the frontend'), target_fixture="response")
def tell_chat(through_frontend: AppClient, message: str) -> requests.Response:
    return through_frontend.chat(message)


@then("the chat should answer in words")
def chat_answers(response: requests.Response) -> None:
    reply = response.json().get("reply")
    assert isinstance(reply, str) and len(reply.split()) >= 2, f"the chat answered {reply!r}"

