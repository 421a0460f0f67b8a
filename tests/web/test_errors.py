"""One error handler: HTML pages, htmx fragments and JSON, never a stack trace."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field

from kaitiaki.errors import BadInput, FieldError, NotPermitted

SECRET_IN_EXCEPTION = "secret-internal-detail-42"

failing = APIRouter()


class Sample(BaseModel):
    name: str = Field(min_length=2)
    count: int


@failing.get("/api/v1/boom")
@failing.get("/boom")
def boom() -> None:
    raise RuntimeError(SECRET_IN_EXCEPTION)


@failing.get("/forbidden")
@failing.get("/api/v1/forbidden")
def forbidden() -> None:
    raise NotPermitted("This needs the role: Administrator.")


@failing.get("/api/v1/bad")
def bad() -> None:
    raise BadInput("The channel handle is not valid.", fields=[FieldError(["handle"], "Use @name.")])


@failing.post("/api/v1/sample")
def sample(body: Sample) -> dict:
    return body.model_dump()


@pytest.fixture
def failing_client(app: FastAPI) -> Iterator[TestClient]:
    app.include_router(failing)
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def test_unknown_route_is_a_404_page(client: TestClient):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>Page not found</h1>" in response.text
    assert 'lang="en-NZ"' in response.text


def test_unknown_api_route_is_json(client: TestClient):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json() == {"error": "not_found", "detail": "We could not find that page.", "fields": []}


def test_clients_asking_for_json_get_json(client: TestClient):
    response = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert response.json()["error"] == "not_found"


def test_unexpected_error_is_a_500_page_without_internals(failing_client: TestClient):
    response = failing_client.get("/boom")
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert SECRET_IN_EXCEPTION not in response.text
    assert "Traceback" not in response.text
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_unexpected_api_error_is_json_without_internals(failing_client: TestClient):
    response = failing_client.get("/api/v1/boom")
    assert response.status_code == 500
    body = response.json()
    assert body["error"] == "server_error"
    assert SECRET_IN_EXCEPTION not in response.text
    assert body["fields"] == []


def test_not_permitted_is_a_403_page_and_json(failing_client: TestClient):
    page = failing_client.get("/forbidden")
    assert page.status_code == 403
    assert "You do not have permission to do that" in page.text
    assert "This needs the role: Administrator." in page.text
    api = failing_client.get("/api/v1/forbidden")
    assert api.json() == {"error": "not_permitted", "detail": "This needs the role: Administrator.", "fields": []}


def test_app_error_fields_appear_in_json(failing_client: TestClient):
    response = failing_client.get("/api/v1/bad")
    assert response.status_code == 422
    assert response.json() == {
        "error": "bad_input",
        "detail": "The channel handle is not valid.",
        "fields": [{"loc": ["handle"], "msg": "Use @name.", "type": "value_error"}],
    }


def test_request_validation_errors_use_the_same_json_shape(failing_client: TestClient):
    response = failing_client.post("/api/v1/sample", json={"name": "x"})
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "bad_input"
    assert set(body) == {"error", "detail", "fields"}
    by_loc = {tuple(field["loc"]): field for field in body["fields"]}
    assert by_loc[("body", "name")]["type"] == "string_too_short"
    assert by_loc[("body", "count")]["type"] == "missing"
    assert all(set(field) == {"loc", "msg", "type"} for field in body["fields"])


def test_htmx_errors_are_fragments_aimed_at_the_flash_region(failing_client: TestClient):
    response = failing_client.get("/forbidden", headers={"HX-Request": "true"})
    assert response.status_code == 403
    assert response.headers["HX-Retarget"] == "#flash"
    assert response.headers["HX-Reswap"] == "innerHTML"
    assert response.text.lstrip().startswith('<div class="alert alert--error" role="alert">')
    assert "<html" not in response.text


def test_htmx_request_that_needs_sign_in_redirects_the_whole_page(client: TestClient):
    response = client.get("/", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == "/login?next=%2F"


def test_wrong_method_is_reported_not_crashed(client: TestClient):
    response = client.delete("/login", headers={"Content-Type": "application/json"})
    assert response.status_code == 405
    assert "That action is not available at this address." in response.text
