"""Every form needs this session's CSRF token; without it the person is told to reload the form."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.fixtures.people import DEFAULT_PASSWORD, make_user
from tests.web.helpers import form_token, sign_in

RELOAD = "Reload the page and submit the form again."

echo = APIRouter()


@echo.post("/api/v1/echo")
def echo_json(body: dict) -> dict:
    return body


@pytest.fixture
def echo_client(app: FastAPI) -> Iterator[TestClient]:
    app.include_router(echo)
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def test_form_without_token_is_refused_with_a_reload_message(client: TestClient, session: Session):
    make_user(session, email="person@dpmc.example.govt.nz")
    session.commit()
    client.get("/login")

    response = client.post("/login", data={"email": "person@dpmc.example.govt.nz", "password": DEFAULT_PASSWORD})

    assert response.status_code == 403
    assert "This form has expired" in response.text
    assert RELOAD in response.text
    assert client.get("/").status_code == 303  # not signed in


def test_forged_token_is_refused(client: TestClient):
    form_token(client)
    response = client.post("/login", data={"email": "a@b.c", "password": "x", "csrf_token": "forged"})
    assert response.status_code == 403


def test_token_from_another_session_is_refused(client: TestClient, app: FastAPI):
    with TestClient(app) as other:
        foreign = form_token(other)
    form_token(client)
    response = client.post("/login", data={"email": "a@b.c", "password": "x", "csrf_token": foreign})
    assert response.status_code == 403


def test_stale_token_after_sign_out_is_refused(client: TestClient, session: Session):
    make_user(session, email="stale@dpmc.example.govt.nz")
    session.commit()
    sign_in(client, "stale@dpmc.example.govt.nz", DEFAULT_PASSWORD)
    old = form_token(client, "/")
    client.post("/logout", data={"csrf_token": old})

    response = client.post("/logout", data={"csrf_token": old})

    assert response.status_code == 403
    assert RELOAD in response.text


def test_htmx_header_token_is_accepted(client: TestClient):
    token = form_token(client)
    response = client.post(
        "/login", data={"email": "a@b.c", "password": "x"}, headers={"X-CSRF-Token": token}
    )
    assert response.status_code == 400  # past the CSRF check, on to the (failed) sign-in


def test_refusal_is_json_for_api_clients(echo_client: TestClient):
    form_token(echo_client)
    response = echo_client.post("/api/v1/echo", content="a=1", headers={"Content-Type": "text/plain"})
    assert response.status_code == 403
    assert response.json()["error"] == "csrf_failed"


def test_json_bodies_need_no_token(echo_client: TestClient):
    # Browsers cannot send JSON across sites without a CORS preflight, which Kaitiaki never grants.
    response = echo_client.post("/api/v1/echo", json={"a": 1})
    assert response.status_code == 200
    assert response.json() == {"a": 1}
