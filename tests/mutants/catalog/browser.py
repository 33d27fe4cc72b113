"""The page in a browser's mutants: image-tier runs of the page, and one cluster run of V-5's page; the HTTP checks must still pass."""

from __future__ import annotations

from functools import partial

from tests.mutants.catalog.features import FR001_MULTI_STAGE, PAGE_IN_A_BROWSER, V5_APP_WORKS, V5_APP_WORKS_IN_A_BROWSER
from tests.mutants.catalog.mutant import Mutant, append, key, replace
from tests.mutants.catalog.paths import API_JS, MAIN_JS, NGINX, STYLE_CSS

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
PAGE_TITLES = (PAGE_LOADS, "a todo added with the page's form is listed, and the API holds it",
               "a todo ticked on the page shows as done, and the API holds it done", "a todo deleted with its button leaves the page and the API",
               "a chat message sent on the page is answered and the list shows what it added", "a reload keeps the list",
               "the page is usable at a phone's width")
NO_BROWSER_PROBLEM = "the browser should have reported no console error"
# Where the page has just shown the list the API gave it.
LIST_RENDERED = "  renderTodos(Array.isArray(todos) ? todos : []);\n"
V5_TITLES = ("a todo created through the frontend is listed", "a todo completed through the frontend is done",
             "a todo deleted through the frontend leaves the list", "a chat message changes the todo list")
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
           [replace(STYLE_CSS, "minmax(300px, 1fr)", "minmax(560px, 1fr)")], tier="image", spares=IMAGE_HTTP_CHECKS),
    # A promise each, the steps before it holding: the page can look right while the API never heard of it, or log
    # an error while it works.
    Mutant("page-logs-error-listing", "the page logs a console error each time it shows the list (a debugging line left in)",
           [page(title) for title in PAGE_TITLES], [replace(MAIN_JS, LIST_RENDERED, LIST_RENDERED + '  console.error("todo list: shown from the last answer");\n')],
           tier="image", spares=IMAGE_HTTP_CHECKS, breaks=NO_BROWSER_PROBLEM),
    Mutant("page-v5-logs-error-listing", "the page logs a console error each time it shows the list (a debugging line left in)",
           [page_v5(title) for title in PAGE_V5_TITLES], [replace(MAIN_JS, LIST_RENDERED, LIST_RENDERED + '  console.error("todo list: shown from the last answer");\n')],
           tier="cluster", spares=HTTP_CHECKS, breaks=NO_BROWSER_PROBLEM),
    # The API answers every write and keeps none: the page, the API checks and the chat each see it at their promise.
    Mutant("backend-writes-never-commit", "the backend writes in a transaction it never commits: each write answers 201, 200 or 204, "
           "and is rolled back", [key(V5_APP_WORKS, title) for title in V5_TITLES]
           + [page_v5(title) for title in (PAGE_V5_TITLES[1], PAGE_V5_TITLES[4], PAGE_V5_TITLES[6])]
           + [page("a todo added with the page's form is listed, and the API holds it")],
           [replace("images/backend/app/db.py", "        with self.begin() as conn:\n            yield conn\n\n    def describe_error",
                    "        self.ensure_schema()\n        with self.engine.connect() as conn:\n            yield conn\n\n    def describe_error")],
           tier="cluster", spares=[page_v5(PAGE_V5_TITLES[0])]),
    Mutant("page-add-leaves-list-stale", "the page's form creates the todo and does not reload the list: the new todo shows only after a reload",
           [page("a todo added with the page's form is listed, and the API holds it")],
           [replace(MAIN_JS, '  run(async () => {\n    await createTodo(title);\n    elements.todoTitle.value = "";\n  });\n',
                    '  createTodo(title).then(() => { elements.todoTitle.value = ""; });\n')],
           tier="image", spares=IMAGE_HTTP_CHECKS, breaks='the page should list "buy milk" as open'),
    Mutant("page-adds-only-on-the-page", "the page's form puts the new todo on the page only: no request reaches the API",
           [page("a todo added with the page's form is listed, and the API holds it"), page("a reload keeps the list")],
           [replace(MAIN_JS, "function renderTodos(todos) {\n", "let shown = [];\nfunction renderTodos(todos) {\n  shown = [...todos];\n"),
            replace(MAIN_JS, '  run(async () => {\n    await createTodo(title);\n    elements.todoTitle.value = "";\n  });\n',
                    '  renderTodos([...shown, { id: Date.now(), title, done: false }]);\n  elements.todoTitle.value = "";\n')],
           tier="image", spares=[*IMAGE_HTTP_CHECKS, page(PAGE_LOADS), page("the page is usable at a phone's width")]),
    Mutant("page-ticks-and-deletes-only-on-the-page", "ticking or deleting a todo changes the page only: no request reaches the API",
           [page("a todo ticked on the page shows as done, and the API holds it done"), page("a todo deleted with its button leaves the page and the API")],
           [replace(MAIN_JS, 'checkbox.addEventListener("change", () => run(() => updateTodo(todo.id, { done: checkbox.checked })));',
                    'checkbox.addEventListener("change", () => { item.className = checkbox.checked ? "todo done" : "todo"; });'),
            replace(MAIN_JS, 'remove.addEventListener("click", () => run(() => deleteTodo(todo.id)));', 'remove.addEventListener("click", () => item.remove());')],
           tier="image", spares=IMAGE_HTTP_CHECKS, breaks="the API behind the page should"),
    Mutant("page-hides-list-on-a-phone", "at a phone's width the page hides its todo list",
           [page("the page is usable at a phone's width")], [append(STYLE_CSS, "@media (max-width: 480px) { .todo-list { display: none; } }\n")],
           tier="image", spares=[*IMAGE_HTTP_CHECKS, page("a todo added with the page's form is listed, and the API holds it")],
           breaks='the page should list "pay rent" as open'),
    Mutant("page-send-button-clipped-on-a-phone", "at a phone's width the chat's Send button is pushed out of its clipped form: "
           "nothing scrolls, and the button cannot be reached",
           [page("the page is usable at a phone's width")],
           [append(STYLE_CSS, "@media (max-width: 480px) { #chat-form { overflow: hidden; } #chat-form button { position: relative; left: 60vw; } }\n")],
           tier="image", spares=IMAGE_HTTP_CHECKS, breaks="the page's fields and buttons should lie within the window"),
]
