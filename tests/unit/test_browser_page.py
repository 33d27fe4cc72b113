"""Unit tests of acceptance/app/browser.py on local files in Debian's Chromium: what ends a page's first load."""

from __future__ import annotations

import time

import pytest

from acceptance.app import browser

pytestmark = pytest.mark.skipif(browser.unavailable_reason() is not None, reason=f"no browser: {browser.unavailable_reason()}")


@pytest.fixture(scope="module")
def chromium():
    started = browser.Browser(timeout_s=10)
    yield started
    started.close()


def open_file(chromium, tmp_path, body: str) -> browser.Page:
    page_file = tmp_path / "index.html"
    page_file.write_text(f"<!doctype html><html><body>{body}</body></html>")
    return chromium.new_page(page_file.as_uri())


def test_a_page_that_shows_its_list_has_loaded(chromium, tmp_path):
    page = open_file(chromium, tmp_path, '<ul id="todo-list"><li><label>a</label></li></ul>')
    page.load()
    assert not page.problems
    page.close()


def test_a_page_whose_script_dies_fails_its_load_at_once_naming_the_error(chromium, tmp_path):
    page = open_file(chromium, tmp_path, "<script>throw new Error('boom on load')</script>")
    started = time.monotonic()
    with pytest.raises(browser.BrowserError, match="boom on load"):
        page.load()
    assert time.monotonic() - started < 5, "the load waited for its timeout although the script had died"
    page.close()


def test_a_page_that_never_shows_its_list_fails_after_the_timeout_with_what_it_shows(chromium, tmp_path, monkeypatch):
    monkeypatch.setattr(chromium, "timeout_s", 1)
    page = open_file(chromium, tmp_path, "<p>still thinking</p>")
    with pytest.raises(browser.BrowserError, match="still thinking"):
        page.load()
    page.close()


def test_a_failed_attempt_before_the_server_listened_is_no_problem_of_the_page():
    """The event of an attempt to open the page before its server listened may arrive during the next attempt: it is
    forgotten once the page opens, and any other failed request is kept."""
    page = browser.Page.__new__(browser.Page)
    page.url = "http://127.0.0.1:33160/"

    assert page._before_listening("request failed: GET http://127.0.0.1:33160/: net::ERR_SOCKET_NOT_CONNECTED")
    assert not page._before_listening("request failed: GET http://127.0.0.1:33160/api/todos: net::ERR_CONNECTION_REFUSED")
    assert not page._before_listening("console error: Failed to load resource: 404")
