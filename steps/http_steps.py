"""Steps that talk HTTP to containers published on 127.0.0.1, and check what comes back."""

from __future__ import annotations

import json

import requests
from pytest_bdd import parsers, then, when

from acceptance.app import bad_input, fuzz
from acceptance.chart.manifests import Manifests
from acceptance.core import http
from acceptance.core.credentials import Canaries
from acceptance.docker_engine.containers import logs
from fixtures.images import Running
from steps.phrases import quoted


def the_container(container: Running, component: str) -> Running:
    """The scenario's container, checked to be the component the step names."""
    __tracebackhide__ = True
    assert container.component == component, f"the scenario's container is the {container.component}, not the {component}"
    return container


@when(parsers.parse('"{path}" is requested from the "{component}" container'), target_fixture="response")
def get_from_container(container: Running, path: str, component: str) -> requests.Response:
    return the_container(container, component).app.request("GET", path)


@when(parsers.parse('the health endpoint the chart probes is requested from the "{component}" container'), target_fixture="response")
def get_health_from_container(container: Running, component: str, default_manifests: Manifests) -> requests.Response:
    path = default_manifests.health_path(component)
    assert path, f"no probe of the chart's {component} container is an HTTP GET: it names no health endpoint to request"
    return the_container(container, component).app.request("GET", path)


@when(parsers.parse('"{path}" is requested from the "{component}" container with gzip accepted'), target_fixture="response")
def get_gzip(container: Running, path: str, component: str) -> requests.Response:
    return the_container(container, component).app.request("GET", path, headers={"Accept-Encoding": "gzip"})


@when(parsers.parse('"{path}" is posted to the "{component}" container with "{message}"'), target_fixture="response")
def post_chat(container: Running, path: str, component: str, message: str) -> requests.Response:
    return the_container(container, component).app.request("POST", path, json={"message": message, "session_id": "acceptance"})


@then(parsers.parse("the response status should be {status:d}"))
def response_status(response: requests.Response, status: int) -> None:
    assert response.status_code == status, f"expected {status}, got:\n{http.describe(response)}"


@then("the response should report a failure, as a probe reads it")
def response_fails_a_probe(response: requests.Response) -> None:
    # Kubernetes counts 200-399 as success, so an unhealthy answer is 400 or above (the seed's is 503).
    assert response.status_code >= 400, f"an unhealthy app answered {response.status_code}, which a probe reads as healthy:\n{http.describe(response)}"


@then(parsers.parse('the response JSON field "{field}" should be "{value}"'))
def json_field_is(response: requests.Response, field: str, value: str) -> None:
    body = response.json()
    assert str(body.get(field)) == value, f"{field} is {body.get(field)!r}, expected {value!r}:\n{http.describe(response)}"


@then("the response should be gzip-encoded")
def gzip_encoded(response: requests.Response) -> None:
    assert response.headers.get("Content-Encoding") == "gzip", f"the response is not gzip-encoded:\n{http.describe(response)}"


@then(parsers.re(r"the response should carry the headers (?P<names>.+)"))
def carries_headers(response: requests.Response, names: str) -> None:
    missing = [name for name in quoted(names) if not response.headers.get(name)]
    assert not missing, f"headers missing: {missing}\n{http.describe(response)}"


@then("the response should be the app's index page")
def is_index_page(response: requests.Response, container: Running) -> None:
    """The same page as /index.html, asked by its name: "/" would fall back as the route did, and so prove nothing."""
    index = container.app.request("GET", "/index.html")
    assert "text/html" in response.headers.get("Content-Type", "") and response.text == index.text, (
        f"a client-side route did not get the app's index page:\n{http.describe(response)}")


@then("the response should be a JSON list")
def json_list(response: requests.Response) -> None:
    assert isinstance(json_body(response), list), f"expected a JSON list:\n{http.describe(response)}"


def json_body(response: requests.Response):
    """The response's JSON, or None when it is not JSON."""
    try:
        return response.json()
    except json.JSONDecodeError:
        return None


@then("no canary credential should appear in the responses or the container logs")
def no_canary_leak(responses: list[requests.Response], container: Running, canaries: Canaries) -> None:
    leaks = canaries.found_in_responses(responses) + canaries.found_in(logs(container.container, tail=2000))
    assert responses, "no response was received, so nothing was checked"
    assert not leaks, f"credentials leaked in responses or logs: {leaks}"


# ---------------------------------------------------------------------------- hostile input
@when(parsers.parse('these bad requests are sent through the "{component}" container:'), target_fixture="bad_answers")
def send_bad_requests(container: Running, component: str, datatable: list[list[str]]) -> list[bad_input.Answer]:
    return bad_input.send_each(the_container(container, component).app, datatable)


@then("each should get its status")
def each_status(bad_answers: list[bad_input.Answer]) -> None:
    wrong = bad_input.wrong_answers(bad_answers)
    assert not wrong, "bad requests answered otherwise than the table says:\n" + "\n".join(wrong)


@then(parsers.parse('the todo list through the {component} container should still be empty'))
def todo_list_empty(container: Running, component: str) -> None:
    stored = the_container(container, component).app.todos()
    assert not stored, f"bad requests stored todos: {sorted(stored)}"


@when(parsers.parse('schemathesis runs against the "{component}" container\'s own OpenAPI with seed {seed:d} and {examples:d} examples per operation'),
      target_fixture="fuzz_run")
def fuzz_container(container: Running, schemathesis_run, component: str, seed: int, examples: int) -> fuzz.FuzzRun:
    backend = the_container(container, component)
    return schemathesis_run(backend.app, backend.url(), seed, examples)


@then("it should have tested every operation the OpenAPI lists")
def fuzz_tested_all(fuzz_run: fuzz.FuzzRun) -> None:
    total = fuzz_run.operations_total
    assert total and fuzz_run.operations_tested == total and fuzz_run.generated, (
        f"tested {fuzz_run.operations_tested} of {total} operations:\n{fuzz_run.describe()}")


@then("it should have found no server error and no answer the OpenAPI does not document")
def fuzz_clean(fuzz_run: fuzz.FuzzRun) -> None:
    assert not fuzz_run.problems, "schemathesis found:\n  " + "\n  ".join(fuzz_run.problems) + f"\n{fuzz_run.describe()}"
