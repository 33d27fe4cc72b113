"""Steps that talk HTTP to containers published on 127.0.0.1, and check what comes back."""

from __future__ import annotations

import json

import requests
from pytest_bdd import parsers, then, when

from fixtures import docker_engine, http
from fixtures.credentials import Canaries
from fixtures.options import Settings
from steps.phrases import quoted


def _url(container, path: str) -> str:
    return f"http://127.0.0.1:{docker_engine.published_port(container, container.app_port)}{path}"


def _check_component(container, component: str) -> None:
    __tracebackhide__ = True
    assert container.component == component, f"the scenario's container is the {container.component}, not the {component}"


def _send(container, evidence, responses, settings: Settings, method: str, path: str, **kwargs) -> requests.Response:
    response = http.request(method, _url(container, path), timeout=settings.timeouts.request, wait=settings.timeouts.container_healthy, **kwargs)
    evidence.add(f"response {method} {path}", http.describe(response))
    responses.append(response)
    return response


@when(parsers.parse('"{path}" is requested from the "{component}" container'), target_fixture="response")
def get_from_container(container, evidence, responses, settings: Settings, path: str, component: str) -> requests.Response:
    _check_component(container, component)
    return _send(container, evidence, responses, settings, "GET", path)


@when(parsers.parse('"{path}" is requested from the "{component}" container with gzip accepted'), target_fixture="response")
def get_gzip(container, evidence, responses, settings: Settings, path: str, component: str) -> requests.Response:
    _check_component(container, component)
    return _send(container, evidence, responses, settings, "GET", path, headers={"Accept-Encoding": "gzip"})


@when(parsers.parse('"{path}" is posted to the "{component}" container with "{message}"'), target_fixture="response")
def post_chat(container, evidence, responses, settings: Settings, path: str, component: str, message: str) -> requests.Response:
    _check_component(container, component)
    return _send(container, evidence, responses, settings, "POST", path, json={"message": message, "session_id": "acceptance"})


@then(parsers.parse("the response status should be {status:d}"))
def response_status(response: requests.Response, status: int) -> None:
    assert response.status_code == status, f"expected {status}, got:\n{http.describe(response)}"


@then(parsers.parse('the response JSON field "{field}" should be "{value}"'))
def json_field_is(response: requests.Response, field: str, value: str) -> None:
    body = response.json()
    assert str(body.get(field)) == value, f"{field} is {body.get(field)!r}, expected {value!r}:\n{http.describe(response)}"


@then(parsers.parse('the response JSON field "{field}" should not be "{value}"'))
def json_field_is_not(response: requests.Response, field: str, value: str) -> None:
    body = response.json()
    assert field in body and str(body.get(field)) != value, f"{field} is {body.get(field)!r}:\n{http.describe(response)}"


@then("the response should be gzip-encoded")
def gzip_encoded(response: requests.Response) -> None:
    assert response.headers.get("Content-Encoding") == "gzip", f"the response is not gzip-encoded:\n{http.describe(response)}"


@then(parsers.re(r"the response should carry the headers (?P<names>.+)"))
def carries_headers(response: requests.Response, names: str) -> None:
    missing = [name for name in quoted(names) if not response.headers.get(name)]
    assert not missing, f"headers missing: {missing}\n{http.describe(response)}"


@then("the response should be the app's index page")
def is_index_page(response: requests.Response, container, settings: Settings) -> None:
    index = http.request("GET", _url(container, "/"), timeout=settings.timeouts.request)
    assert "text/html" in response.headers.get("Content-Type", "") and response.text == index.text, (
        f"a client-side route did not get the app's index page:\n{http.describe(response)}")


@then("the response should be a JSON list")
def json_list(response: requests.Response) -> None:
    try:
        body = response.json()
    except json.JSONDecodeError:
        body = None
    assert isinstance(body, list), f"expected a JSON list:\n{http.describe(response)}"


@then("no canary credential should appear in the responses or the container logs")
def no_canary_leak(responses: list[requests.Response], container, canaries: Canaries) -> None:
    leaks = [f"{response.request.method} {response.url}: {found}" for response in responses
             for found in [canaries.found_in(response.text + str(response.headers))] if found]
    logged = canaries.found_in(docker_engine.logs(container, tail=2000))
    assert not leaks and not logged, f"credentials leaked: responses {leaks}, logs {logged}"
    assert responses, "no response was received, so nothing was checked"
