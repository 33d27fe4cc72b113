"""The page as a person meets it: Debian's Chromium, headless, driven by Playwright, and all the browser complained of.

The page's first load is awaited with the suite's wait_for, so a script that dies on load (an uncaught error, a
CSP violation) ends the wait at once, as a fatal state ends any other. After that, Playwright's own auto-waiting
(a locator becoming visible) waits for each action's effect, as helm's --wait does for a release: it watches the
page from inside the browser.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import shutil
from collections.abc import Callable
from typing import TYPE_CHECKING

from acceptance.core.wait import FatalState, WaitTimeout, wait_for

if TYPE_CHECKING:  # playwright is imported when a browser starts, not with this module
    from playwright.sync_api import BrowserContext, ConsoleMessage, Locator, Response, ViewportSize

CHROMIUM_ENV = "TODO_CHATBOT_CHROMIUM"
# Chromium's own connections (updates, sync, field trials) are refused on a closed network, many at a time, and
# slow every start; the page under test needs none of them. Root needs --no-sandbox.
FLAGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic")
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}  # a common phone's CSS pixels
# A violation the page meets is reported even where Chromium would only fire the event (a report-only policy).
CSP_LISTENER = ("document.addEventListener('securitypolicyviolation', event => console.error("
                "`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'an inline resource'}`));")
# The page has finished its first load once it shows the list or says it is empty, or shows why it cannot.
LOADED = "#todo-list li, #todo-empty:not([hidden]), #status.error"
# Problems after which the page cannot finish loading (its script died or was never run): waiting cannot help.
FATAL_PROBLEMS = ("uncaught error", "CSP violation")
# What Chromium says of a server that is not accepting connections yet (it has just started).
NOT_LISTENING_YET = ("ERR_EMPTY_RESPONSE", "ERR_CONNECTION_REFUSED", "ERR_CONNECTION_RESET", "ERR_SOCKET_NOT_CONNECTED")
# Everything a person can use on the page: each must lie within the window at a phone's width.
CONTROLS = ("#todo-title", "#todo-form button[type=submit]", "#chat-message", "#chat-form button[type=submit]")


class BrowserError(AssertionError):
    """The page did not show what a person was waiting for; says what it showed and what the browser reported."""


def chromium() -> str | None:
    """The Chromium to drive: $TODO_CHATBOT_CHROMIUM when set, else the chromium on PATH (Debian's package)."""
    configured = os.environ.get(CHROMIUM_ENV)
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    return shutil.which("chromium")


def unavailable_reason() -> str | None:
    """Why no browser can be driven here, with the fix; None when one can."""
    if importlib.util.find_spec("playwright") is None:
        return "the Playwright package is not installed: run `make setup`"
    if chromium() is None:
        configured = os.environ.get(CHROMIUM_ENV)
        where = f"${CHROMIUM_ENV}={configured} is not executable" if configured else "chromium not found on PATH"
        return f"{where}: run `make setup` (as root it installs Debian's chromium: apt-get install chromium)"
    return None


class Browser:
    """One headless Chromium for the run; every page opens in a fresh context (its own storage, cookies, cache)."""

    def __init__(self, timeout_s: float) -> None:
        from playwright.sync_api import sync_playwright

        self.timeout_s = timeout_s
        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(executable_path=chromium(), args=list(FLAGS), headless=True)
        except Exception:
            self._playwright.stop()
            raise
        self.version = self._browser.version

    def new_page(self, url: str, viewport: ViewportSize = DESKTOP) -> Page:
        """A new tab for url, watched from its first request; Page.load() opens it."""
        context = self._browser.new_context(viewport=viewport)
        context.add_init_script(CSP_LISTENER)
        return Page(context, url, self.timeout_s)

    def close(self) -> None:
        self._browser.close()
        self._playwright.stop()


@dataclasses.dataclass(frozen=True)
class ChatExchange:
    """One chat message sent on the page: what the page shows as its answer, and the reply the API gave it (None when
    the API's answer held no reply)."""

    shown: str
    reply: str | None


def api_reply(response: Response) -> str | None:
    """The reply field of the API's JSON answer; None when it is not JSON or holds no text reply."""
    try:
        body = response.json()
    except ValueError:
        return None
    reply = body.get("reply") if isinstance(body, dict) else None
    return reply if isinstance(reply, str) else None


class Page:
    """The app's page in one tab, with every console error, uncaught error, failed request and CSP violation seen."""

    def __init__(self, context: BrowserContext, url: str, timeout_s: float) -> None:
        self.url, self.timeout_ms = url, timeout_s * 1000
        self._context = context
        self.tab = context.new_page()
        self.problems: list[str] = []
        self.tab.on("console", self._console)
        self.tab.on("pageerror", lambda error: self.problems.append(f"uncaught error: {error}"))
        self.tab.on("requestfailed", lambda request: self.problems.append(
            f"request failed: {request.method} {request.url}: {request.failure}"))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location.get("url", "") if message.location else ""
            self.problems.append(f"console error: {message.text}" + (f" ({where})" if where else ""))

    def load(self) -> None:
        """Open the page; its first load has finished on return.

        Raises:
            BrowserError: the page did not show its list (or why it cannot) within the browser timeout, or its
                script died first (an uncaught error or a CSP violation before anything showed).
        """
        wait_for(self._opened, timeout=self.timeout_ms / 1000, interval=0.25, what=f"{self.url} to answer the browser")
        self._wait_loaded("the page to show its todo list")

    def _opened(self) -> bool:
        """Navigate to the page; False while its server does not accept connections yet (a container or pod that has
        just started): what the browser met then is no problem of the page, and is forgotten."""
        from playwright.sync_api import Error as PlaywrightError

        try:
            self.tab.goto(self.url, timeout=self.timeout_ms)
        except PlaywrightError as error:
            if not any(code in str(error) for code in NOT_LISTENING_YET):
                raise
            self.problems.clear()
            return False
        # A failed attempt's requestfailed event may arrive during the next attempt, after the clear above.
        self.problems[:] = [problem for problem in self.problems if not self._before_listening(problem)]
        return True

    def _before_listening(self, problem: str) -> bool:
        """Whether a problem is an attempt to open the page before its server listened."""
        return problem.startswith(f"request failed: GET {self.url}: ") and any(code in problem for code in NOT_LISTENING_YET)

    def reload(self) -> None:
        self.tab.reload(timeout=self.timeout_ms)
        self._wait_loaded("the reloaded page to show its todo list")

    def _wait_loaded(self, what: str) -> None:
        __tracebackhide__ = True

        def loaded() -> bool:
            if self.tab.locator(LOADED).count():
                return True
            died = [problem for problem in self.problems if any(mark in problem for mark in FATAL_PROBLEMS)]
            if died:
                raise FatalState(f"the page's script failed before the page showed anything: {died[0]}")
            return False

        try:
            wait_for(loaded, timeout=self.timeout_ms / 1000, interval=0.25, what=f"{what} at {self.url}")
        except (WaitTimeout, FatalState) as error:
            raise BrowserError(f"{error}\n{self.describe()}") from None

    def _until(self, wait: Callable[[], object], what: str) -> None:
        """Run one of Playwright's waits; on timeout, fail with what a person would have seen instead."""
        __tracebackhide__ = True
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            wait()
        except PlaywrightTimeout:
            raise BrowserError(f"waited {self.timeout_ms / 1000:g} s for {what} at {self.url}\n{self.describe()}") from None

    def _item(self, title: str, item: str = "li") -> Locator:
        """The list item (of the CSS selector item, e.g. "li.done") whose label is exactly title."""
        return self.tab.locator(f"#todo-list {item}").filter(has=self.tab.get_by_text(title, exact=True))

    def add_with_form(self, title: str) -> None:
        self.tab.fill("#todo-title", title, timeout=self.timeout_ms)
        self.tab.click("#todo-form button[type=submit]", timeout=self.timeout_ms)

    def tick(self, title: str) -> None:
        self._until(lambda: self._item(title).locator("input[type=checkbox]").click(timeout=self.timeout_ms), f"{title!r}'s checkbox")

    def delete(self, title: str) -> None:
        self._until(lambda: self._item(title).get_by_role("button", name="Delete").click(timeout=self.timeout_ms),
                    f"{title!r}'s Delete button")

    def chat(self, message: str) -> ChatExchange:
        """Send message with the chat form: the chat's answer on the page (a bot or error entry) once it shows, and
        the reply the API gave the page's request (its POST, the one the form sends)."""
        answers = self.tab.locator("#chat-log .chat-entry.bot, #chat-log .chat-entry.error")
        before = answers.count()
        self.tab.fill("#chat-message", message)
        with self.tab.expect_response(lambda response: response.request.method == "POST", timeout=self.timeout_ms) as sent:
            self.tab.click("#chat-form button[type=submit]")
        self._until(lambda: answers.nth(before).wait_for(timeout=self.timeout_ms), f"an answer to {message!r}")
        entry = answers.nth(before)
        shown = ("error: " if "error" in (entry.get_attribute("class") or "") else "") + entry.inner_text()
        return ChatExchange(shown, api_reply(sent.value))

    def wait_for_todo(self, title: str, done: bool) -> None:
        """Wait until the list shows title, ticked or not (the page reloads the list after each change)."""
        item = "li.done" if done else "li:not(.done)"
        self._until(lambda: self._item(title, item).wait_for(timeout=self.timeout_ms), f"{title!r} to show as {'done' if done else 'open'}")

    def wait_for_no_todo(self, title: str) -> None:
        self._until(lambda: self._item(title).wait_for(state="detached", timeout=self.timeout_ms), f"{title!r} to leave the list")

    def resize(self, viewport: ViewportSize) -> None:
        self.tab.set_viewport_size(viewport)

    def sideways_overflow(self) -> int:
        """CSS pixels the page is wider than its window (0: nothing to scroll sideways)."""
        overflow: int = self.tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        return overflow

    def controls_outside(self) -> dict[str, str]:
        """The controls (CONTROLS) not wholly visible within the window's width: selector -> where it is."""
        viewport = self.tab.viewport_size
        assert viewport is not None, "every page opens with a viewport (new_page)"
        width = viewport["width"]
        outside = {}
        for selector in CONTROLS:
            box = self.tab.locator(selector).bounding_box()
            if box is None or box["x"] < 0 or box["x"] + box["width"] > width or box["width"] < 1:
                outside[selector] = "not shown" if box is None else f"x {box['x']:.0f} to {box['x'] + box['width']:.0f} of {width}"
        return outside

    def failed_to_load(self) -> bool:
        """Whether the page says it could not load its list (its status line shows an error)."""
        return self.tab.locator("#status.error").count() > 0

    def shows_empty_list(self) -> bool:
        """Whether the page lists nothing and says so (the empty note is shown)."""
        return self.tab.locator("#todo-list li").count() == 0 and self.tab.locator("#todo-empty").is_visible()

    def describe(self) -> str:
        """What a person sees and what the browser reported: the status line, the page's text, the problems."""
        try:
            text = self.tab.evaluate("document.body ? document.body.innerText : ''")
        except Exception as error:  # noqa: BLE001 - a description must not fail on a broken page
            text = f"(page text unavailable: {type(error).__name__})"
        problems = "\n".join(f"  {problem}" for problem in self.problems) or "  none"
        return f"page text:\n{text[:4000]}\nthe browser reported:\n{problems}"

    def screenshot(self) -> bytes:
        return self.tab.screenshot(full_page=True, timeout=self.timeout_ms)

    def close(self) -> None:
        self._context.close()
