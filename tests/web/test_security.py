"""Security headers on every kind of response, and the API documentation's own style policy."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from kaitiaki.app import create_app
from kaitiaki.config import Settings
from kaitiaki.web.security import CONTENT_SECURITY_POLICY


def directives(policy: str) -> dict[str, str]:
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] for part in policy.split("; ")}


@pytest.mark.parametrize("path", ["/login", "/no/such/page", "/healthz", "/static/css/kaitiaki.css", "/api/openapi.json"])
def test_every_response_carries_the_security_headers(client: TestClient, path: str):
    response = client.get(path)
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_policy_forbids_inline_script_and_framing():
    policy = directives(CONTENT_SECURITY_POLICY)
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY


def test_pages_have_no_inline_script_or_style(client: TestClient):
    html = client.get("/login").text
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts and all(" src=" in tag for tag in scripts)
    assert "<style" not in html
    assert " style=" not in html
    assert re.search(r"\son[a-z]+=", html) is None  # no event-handler attributes


def test_api_docs_run_under_the_same_strict_policy(client: TestClient):
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_signed_in_pages_are_not_cached_but_static_files_may_be(client: TestClient):
    assert client.get("/login").headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/static/css/kaitiaki.css").headers.get("Cache-Control", "")


def test_https_deployments_get_hsts_and_secure_cookies(settings: Settings):
    app = create_app(settings.model_copy(update={"base_url": "https://kaitiaki.example.govt.nz"}))
    with TestClient(app, base_url="https://testserver") as client:
        response = client.get("/login")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "secure" in response.headers["set-cookie"].lower()
