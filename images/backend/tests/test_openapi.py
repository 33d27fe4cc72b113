"""The OpenAPI document names every status the app answers, with its body: clients and property-based tests
(schemathesis, docs/contracts.md) rely on it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

PROBLEM = "#/components/schemas/Problem"
VALIDATION_PROBLEM = "#/components/schemas/ValidationProblem"


@pytest.mark.parametrize(
    ("method", "path", "statuses"),
    [
        ("get", "/health", {"200", "503"}),
        ("get", "/livez", {"200"}),
        ("get", "/api/todos", {"200", "422", "503"}),
        ("post", "/api/todos", {"201", "400", "413", "422", "503"}),
        ("get", "/api/todos/{todo_id}", {"200", "404", "422", "503"}),
        ("patch", "/api/todos/{todo_id}", {"200", "400", "404", "413", "422", "503"}),
        ("delete", "/api/todos/{todo_id}", {"204", "404", "422", "503"}),
        ("post", "/api/chat", {"200", "400", "413", "422", "503"}),
    ],
)
def test_each_status_is_documented_with_its_body(client: TestClient, method: str, path: str,
                                                 statuses: set[str]) -> None:
    responses = client.get("/openapi.json").json()["paths"][path][method]["responses"]
    assert set(responses) == statuses
    for status in statuses & {"400", "404", "413"}:
        assert responses[status]["content"]["application/json"]["schema"]["$ref"] == PROBLEM
    if "422" in statuses:
        assert responses["422"]["content"]["application/json"]["schema"]["$ref"] == VALIDATION_PROBLEM


def test_the_422_body_is_what_the_handler_answers(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()["components"]["schemas"]["FieldProblem"]
    answer = client.post("/api/todos", json={"title": ""}).json()["detail"][0]
    assert set(answer) == set(schema["properties"]) == set(schema["required"]) == {"type", "loc", "msg"}


def test_the_list_documents_its_total_count_header(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/api/todos"]["get"]
    assert operation["responses"]["200"]["headers"]["X-Total-Count"]["required"] is True
    limit = next(p for p in operation["parameters"] if p["name"] == "limit")["schema"]
    assert (limit["minimum"], limit["maximum"], limit["default"]) == (1, 1000, 100)


def test_titles_and_messages_document_their_rules(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    title = schemas["TodoCreate"]["properties"]["title"]
    assert (title["type"], title["minLength"], title["maxLength"]) == ("string", 1, 500)
    assert "\\u0000-\\u0008" in title["pattern"]
    assert schemas["TodoUpdate"]["properties"]["done"] == {"type": "boolean", "title": "Done"}
    assert schemas["TodoUpdate"]["minProperties"] == 1
    assert schemas["ChatRequest"]["properties"]["message"]["maxLength"] == 2000
