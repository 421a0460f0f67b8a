"""The request-body limit: an oversized body is answered 413 in the app's error format before
anything parses it, whether its size is declared or only streamed."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi.testclient import TestClient

from kaitiaki.app import create_app
from kaitiaki.config import Settings

SIX_MB = 6 * 1024 * 1024


def _chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        yield b"x" * min(size, total - sent)
        sent += size


def test_a_6_mb_check_request_is_refused_with_413_json(client: TestClient):
    body = b'{"kind": "post", "text": "' + b"a" * SIX_MB + b'"}'
    response = client.post("/api/v1/check", content=body,
                           headers={"content-type": "application/json"})
    assert response.status_code == 413
    payload = response.json()
    assert payload["error"] == "too_large"
    assert "1,048,576 bytes" in payload["detail"]


def test_an_oversized_form_gets_the_413_page(client: TestClient):
    response = client.post("/complaints/new", data={"description": "a" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert "The request is too large." in response.text
    assert response.headers["content-security-policy"]  # still inside the security headers


def test_a_streamed_body_without_a_length_is_cut_off_at_the_limit(client: TestClient):
    response = client.post("/api/v1/check", content=_chunks(SIX_MB),
                           headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"


def test_a_body_within_the_limit_is_checked(client: TestClient):
    response = client.post("/api/v1/check", json={"kind": "post", "text": "Kia ora koutou"})
    assert response.status_code == 200


def test_the_limit_is_a_setting(settings: Settings):
    small = settings.model_copy(update={"max_request_bytes": 2048})
    with TestClient(create_app(small)) as client:
        refused = client.post("/api/v1/check", json={"kind": "post", "text": "a" * 3000})
        accepted = client.post("/api/v1/check", json={"kind": "post", "text": "a" * 1000})
    assert refused.status_code == 413 and "2,048 bytes" in refused.json()["detail"]
    assert accepted.status_code == 200


def test_file_uploads_have_the_larger_import_limit(settings: Settings):
    small = settings.model_copy(update={"max_request_bytes": 2048, "import_max_bytes": 1024 * 1024})
    with TestClient(create_app(small), follow_redirects=False) as client:
        within = client.post("/moderation/channels/1/import", files={"file": ("c.jsonl", b"x" * 10_000)})
        beyond = client.post("/moderation/channels/1/import",
                             files={"file": ("c.jsonl", b"x" * (2 * 1024 * 1024))})
    assert within.status_code != 413  # refused later, for want of a sign-in or a form token
    assert beyond.status_code == 413
