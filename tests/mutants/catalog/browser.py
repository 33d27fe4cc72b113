"""The page in a browser's mutants: image-tier runs of the page, and one cluster run of V-5's page; the HTTP checks must still pass."""

from __future__ import annotations

from functools import partial

from tests.mutants.catalog.features import FR001_MULTI_STAGE, PAGE_IN_A_BROWSER, V5_APP_WORKS, V5_APP_WORKS_IN_A_BROWSER
from tests.mutants.catalog.mutant import Mutant, key, replace
from tests.mutants.catalog.paths import API_JS, MAIN_JS, NGINX

page = partial(key, PAGE_IN_A_BROWSER)  # a scenario of the image tier's page, by its title
page_v5 = partial(key, V5_APP_WORKS_IN_A_BROWSER)  # a scenario of V-5's page, by its title
PAGE_LOADS = "the page loads with no console error and no Content-Security-Policy violation"
PAGE_V5_TITLES = ("the page from the frontend Service loads with no console error and no Content-Security-Policy violation",
                  "a todo added with the page's form is listed, and the frontend Service's API holds it",
                  "a todo ticked on the page shows as done, and the frontend Service's API holds it done",
                  "a todo deleted with its button leaves the page and the frontend Service's API",
                  "a chat message sent on the page is answered and the list shows what it added",
                  "a reload keeps the list",
                  "the page is usable at a phone's width")
# What the HTTP checks of the frontend and of V-5 see: a browser mutant must leave them passing.
IMAGE_HTTP_CHECKS = [key(FR001_MULTI_STAGE, "the frontend's nginx runtime serves the built app with its protections"),
                     key(FR001_MULTI_STAGE, "the frontend's /api/ reaches the backend")]
HTTP_CHECKS = [*IMAGE_HTTP_CHECKS,
               key(V5_APP_WORKS, "a todo created through the frontend is listed"),
               key(V5_APP_WORKS, "a todo completed through the frontend is done"),
               key(V5_APP_WORKS, "a todo deleted through the frontend leaves the list"),
               key(V5_APP_WORKS, "a chat message changes the todo list")]

MUTANTS = [
    # The page in a browser: each defect passes the HTTP checks (spared) and only a person at the page sees it. One
    # cluster mutant fails every browser scenario of V-5 (the page never runs); the others, in the image tier, each
    # fail the scenario of its own defect (a cluster mutant costs about a minute, an image one about 20 s).
    Mutant("page-csp-blocks-script", "the Content-Security-Policy forbids every script, the app's own too: the page never runs",
           [page(PAGE_LOADS), *(page_v5(title) for title in PAGE_V5_TITLES)],
           [replace(NGINX, "default-src 'self'; object-src", "default-src 'self'; script-src 'none'; object-src")],
           tier="cluster", spares=HTTP_CHECKS),
    Mutant("page-lists-wrong-path", "the page asks for its list at /api/todo, which the API answers 404",
           [page(PAGE_LOADS), page("a reload keeps the list")],
           [replace(API_JS, 'request("GET", `/todos?limit=', 'request("GET", `/todo?limit=')], tier="image", spares=IMAGE_HTTP_CHECKS),
    Mutant("page-throws-on-load", "the page's script looks its form up by a wrong id and throws on load: the form does nothing",
           [page(PAGE_LOADS), page("a todo added with the page's form is listed, and the API holds it")],
           [replace(MAIN_JS, 'document.getElementById("todo-form")', 'document.getElementById("todo-from")')],
           tier="image", spares=IMAGE_HTTP_CHECKS),
    Mutant("page-tick-undoes", "ticking a todo on the page sends the opposite of what the checkbox shows",
           [page("a todo ticked on the page shows as done, and the API holds it done")],
           [replace(MAIN_JS, "updateTodo(todo.id, { done: checkbox.checked })", "updateTodo(todo.id, { done: !checkbox.checked })")],
           tier="image", spares=IMAGE_HTTP_CHECKS),
    Mutant("page-delete-wrong-path", "the page's Delete button asks the API to delete /api/todo/ID, which it answers 404",
           [page("a todo deleted with its button leaves the page and the API")],
           [replace(API_JS, 'request("DELETE", `/todos/', 'request("DELETE", `/todo/')], tier="image", spares=IMAGE_HTTP_CHECKS),
    Mutant("page-chat-leaves-list-stale", "after the chat answers, the page does not reload the list the chat changed",
           [page("a chat message sent on the page is answered and the list shows what it added")],
           [replace(MAIN_JS, "    // The chat may have added, completed or deleted todos: show the list as the backend now has it.\n    await refreshTodos();\n", "")],
           tier="image", spares=IMAGE_HTTP_CHECKS),
    # A promise each: the chat shows the API's reply, not a placeholder; a console error fails the scenario it
    # happens in, not only the page's load.
    Mutant("page-chat-drops-reply", "the page shows '(no reply)' whatever the API replied: a bubble, not the answer",
           [page("a chat message sent on the page is answered and the list shows what it added")],
           [replace(MAIN_JS, 'appendChat("bot", (answer && answer.reply) || "(no reply)");', 'appendChat("bot", "(no reply)");')],
           tier="image", spares=[*IMAGE_HTTP_CHECKS, page(PAGE_LOADS)]),
    Mutant("page-tick-logs-error", "ticking a todo works, and logs a console error each time",
           [page("a todo ticked on the page shows as done, and the API holds it done")],
           [replace(MAIN_JS, "updateTodo(todo.id, { done: checkbox.checked })",
                    'updateTodo(todo.id, { done: checkbox.checked }).finally(() => console.error("tick: state out of sync"))')],
           tier="image", spares=[*IMAGE_HTTP_CHECKS, page(PAGE_LOADS)]),
    Mutant("page-too-wide-for-a-phone", "the page's columns are at least 560 px wide: a phone scrolls sideways to reach them",
           [page("the page is usable at a phone's width")],
           [replace("images/frontend/src/style.css", "minmax(300px, 1fr)", "minmax(560px, 1fr)")], tier="image", spares=IMAGE_HTTP_CHECKS),
]
