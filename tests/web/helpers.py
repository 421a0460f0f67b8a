"""Small steps the web tests share: reading a form's CSRF token and signing in as a person would."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from httpx import Response

CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_INPUT.search(html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


def form_token(client: TestClient, path: str = "/login") -> str:
    """The CSRF token of the form on `path`, as a browser would have it after loading the page."""
    response = client.get(path)
    assert response.status_code == 200, response.text
    return csrf_from(response.text)


def sign_in(client: TestClient, email: str, password: str, *, next_path: str = "/") -> Response:
    token = form_token(client)
    return client.post(
        "/login",
        data={"email": email, "password": password, "next": next_path, "csrf_token": token},
    )


def post_form(client: TestClient, path: str, data: dict, *, token_from: str) -> Response:
    """Submit a form the way a browser does: load the page first, send its token back."""
    token = form_token(client, token_from)
    return client.post(path, data={**data, "csrf_token": token})
