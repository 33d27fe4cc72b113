"""Steps a person takes on the page in Chromium, and what the page and the API behind it should show."""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from acceptance.app.browser import PHONE, ChatExchange
from fixtures.browser import AppPage
from fixtures.images import Running
from steps.http_steps import the_container


@given("the frontend container's page open in Chromium", target_fixture="app_page")
def container_page(container: Running, open_page) -> AppPage:
    frontend = the_container(container, "frontend")
    return AppPage(open_page(frontend.url("/")), frontend.app)


@given("the frontend Service's page open in Chromium", target_fixture="app_page")
def service_page(frontend_service_url: str, open_page, through_frontend) -> AppPage:
    return AppPage(open_page(f"{frontend_service_url}/"), through_frontend)


@given(parsers.parse('the todo "{title}" added with the page\'s form'))
def added_with_form(app_page: AppPage, title: str) -> None:
    app_page.page.add_with_form(title)
    app_page.page.wait_for_todo(title, done=False)


@when(parsers.parse('the todo "{title}" is added with the page\'s form'))
def add_with_form(app_page: AppPage, title: str) -> None:
    app_page.page.add_with_form(title)


@when(parsers.parse('"{title}" is ticked on the page'))
def tick(app_page: AppPage, title: str) -> None:
    app_page.page.tick(title)


@when(parsers.parse('"{title}" is deleted with its button on the page'))
def delete(app_page: AppPage, title: str) -> None:
    app_page.page.delete(title)


@when(parsers.parse('the page\'s chat is told "{message}"'), target_fixture="chat_answer")
def tell_chat(app_page: AppPage, message: str) -> ChatExchange:
    return app_page.page.chat(message)


@when("the page is reloaded")
def reload(app_page: AppPage) -> None:
    app_page.page.reload()


@given(parsers.parse("the window narrowed to a phone's {width:d} by {height:d} CSS pixels"))
def narrow(app_page: AppPage, width: int, height: int) -> None:
    assert {"width": width, "height": height} == PHONE, f"the suite's phone is {PHONE}, the step says {width}x{height}"
    app_page.page.resize(PHONE)


@then("the page should show its todo list")
def shows_list(app_page: AppPage) -> None:
    assert not app_page.page.failed_to_load(), f"the page could not load its list:\n{app_page.page.describe()}"


@then("the page should show its empty todo list")
def shows_empty_list(app_page: AppPage) -> None:
    assert app_page.page.shows_empty_list(), f"the page does not say its list is empty:\n{app_page.page.describe()}"


@then("the browser should have reported no console error, uncaught error, failed request or CSP violation")
def no_problems(app_page: AppPage) -> None:
    assert not app_page.page.problems, f"the browser reported:\n{app_page.page.describe()}"


@then(parsers.re(r'the page should list "(?P<title>[^"]+)" as (?P<state>open|done)'))
def lists_todo(app_page: AppPage, title: str, state: str) -> None:
    app_page.page.wait_for_todo(title, done=state == "done")


@then(parsers.parse('the page should not list "{title}"'))
def lists_no_todo(app_page: AppPage, title: str) -> None:
    app_page.page.wait_for_no_todo(title)


@then(parsers.re(r'the API behind the page should hold "(?P<title>[^"]+)" as (?P<state>open|done)'))
def api_holds(app_page: AppPage, title: str, state: str) -> None:
    todo = app_page.api.todo(title)
    assert todo["done"] is (state == "done"), f"{app_page.api.where} holds {todo}, expected {state}"


@then(parsers.parse('the API behind the page should not hold "{title}"'))
def api_lacks(app_page: AppPage, title: str) -> None:
    assert title not in app_page.api.todos(), f"{app_page.api.where} still holds {title!r}"


@then("the page's chat should show the reply the API gave it")
def chat_answered(chat_answer: ChatExchange) -> None:
    """Words, and the API's own: a placeholder the page shows when the reply is lost is no answer."""
    assert chat_answer.reply and chat_answer.reply.strip() and chat_answer.shown.strip() == chat_answer.reply.strip(), (
        f"the chat shows {chat_answer.shown!r}; the API replied {chat_answer.reply!r}")


@then("the page should not scroll sideways")
def no_sideways_scroll(app_page: AppPage) -> None:
    overflow = app_page.page.sideways_overflow()
    assert overflow <= 0, f"the page is {overflow} CSS pixels wider than the window:\n{app_page.page.describe()}"


@then("the page's fields and buttons should lie within the window")
def controls_within(app_page: AppPage) -> None:
    outside = app_page.page.controls_outside()
    assert not outside, f"not within the window: {outside}"
