"""A client that retries an API write with the same Idempotency-Key gets the first answer again,
and the write happens once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from kaitiaki.app import create_app
from kaitiaki.config import Settings
from kaitiaki.db import session_scope
from kaitiaki.models import ChannelRequest
from tests.fixtures.people import DEFAULT_PASSWORD
from tests.register.conftest import Cast, cast, cast_settings  # noqa: F401 (fixtures)
from tests.web.helpers import sign_in


def _new(handle: str) -> dict:
    return {"platform": "facebook", "handle": handle, "url": f"https://www.facebook.com/{handle}",
            "display_name": "Retry Channel", "unit": "DPMC-GH", "purposes": "Engagements.",
            "business_owner": "owner@cast.example.govt.nz", "cadence_days": 14}


@pytest.fixture
def comms(cast: Cast, cast_settings: Settings) -> Iterator[TestClient]:  # noqa: F811
    with TestClient(create_app(cast_settings), follow_redirects=False) as client:
        sign_in(client, cast.emails["comms"], DEFAULT_PASSWORD)
        yield client


def _requests(cast: Cast) -> int:  # noqa: F811
    with session_scope(cast.engine, write=False) as session:
        return session.scalar(select(func.count()).select_from(ChannelRequest))


def test_a_retry_with_the_same_key_gets_the_first_answer_and_writes_once(comms, cast):  # noqa: F811
    before = _requests(cast)
    headers = {"Idempotency-Key": "retry-1"}
    first = comms.post("/api/v1/channels/requests", json=_new("RetryOnce"), headers=headers)
    again = comms.post("/api/v1/channels/requests", json=_new("RetryOnce"), headers=headers)
    assert first.status_code == 201, first.text
    assert (again.status_code, again.json()) == (201, first.json())
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _requests(cast) == before + 1


def test_a_key_reused_for_another_request_is_refused(comms, cast):  # noqa: F811
    headers = {"Idempotency-Key": "retry-2"}
    assert comms.post("/api/v1/channels/requests", json=_new("RetryTwo"), headers=headers).status_code == 201
    other = comms.post("/api/v1/channels/requests", json=_new("RetryThree"), headers=headers)
    assert other.status_code == 422
    assert other.json()["error"] == "idempotency_key_reused"


def test_a_refused_request_keeps_its_answer_and_without_a_key_nothing_changes(comms, cast):  # noqa: F811
    bad = {**_new("RetryBad"), "unit": "NO-SUCH-UNIT"}
    headers = {"Idempotency-Key": "retry-3"}
    first = comms.post("/api/v1/channels/requests", json=bad, headers=headers)
    again = comms.post("/api/v1/channels/requests", json=bad, headers=headers)
    assert first.status_code == 422 and again.status_code == 422
    assert again.json() == first.json()
    twice = [comms.post("/api/v1/channels/requests", json=_new(f"NoKey{n}")) for n in range(2)]
    assert [answer.status_code for answer in twice] == [201, 201]
