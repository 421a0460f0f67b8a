"""The policy gate over the API, driven as an outside tool would: a personal API token as Bearer,
the whole way from draft to publication; a person not authorised for a channel cannot post."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from kaitiaki.app import create_app
from kaitiaki.auth import tokens
from kaitiaki.db import session_scope
from kaitiaki.publishing import review
from kaitiaki.register import service as register_service
from kaitiaki.timeutil import utcnow
from tests.fixtures.mail import MailSink, mail_sink  # noqa: F401 (a fixture)
from tests.publishing.conftest import authorised_channel

_handles = itertools.count(1)


@pytest.fixture
def gate(cast, cast_settings) -> Iterator[dict]:
    """A fresh channel with the cast's poster authorised, and tokens for the poster, the owner
    and an unauthorised member of staff (committed: the API runs in its own transactions)."""
    with session_scope(cast.engine) as session:
        posting = authorised_channel(session, cast, handle=f"GateApi{next(_handles)}")
        secrets = {name: tokens.create_token(session, user=cast.user(session, name),
                                             name="tool")[1]
                   for name in ("poster", "owner", "staff")}
        channel_id = posting.channel.id
    with TestClient(create_app(cast_settings), follow_redirects=False) as client:
        yield {"client": client, "channel_id": channel_id, "tokens": secrets}


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_an_outside_tool_runs_the_whole_gate(gate):
    client, poster = gate["client"], bearer(gate["tokens"]["poster"])
    listed = client.get("/api/v1/drafts/channels", headers=poster)
    assert listed.status_code == 200
    channel = next(c for c in listed.json() if c["id"] == gate["channel_id"])
    assert channel["text_limit"] == 280

    created = client.post("/api/v1/drafts", headers=poster, json={
        "channel_id": gate["channel_id"], "text": "Vote National on Saturday!"})
    assert created.status_code == 201, created.text
    draft = created.json()
    assert draft["decision"] == "block" and draft["state"] == "checked"
    finding = draft["findings"][0]
    assert finding["category"] == "political_neutrality" and finding["quote"]
    assert finding["evidence"][0]["text"] == "Vote National"
    refused = client.post(f"/api/v1/drafts/{draft['id']}/submit", headers=poster)
    assert refused.status_code == 409 and "block finding" in refused.json()["detail"]

    revised = client.put(f"/api/v1/drafts/{draft['id']}", headers=poster, json={
        "text": "Polling places are open 9am to 7pm on Saturday."})
    assert revised.json()["decision"] == "pass"
    assert [v["number"] for v in revised.json()["versions"]] == [2, 1]
    submitted = client.post(f"/api/v1/drafts/{draft['id']}/submit", headers=poster)
    assert submitted.json()["state"] == "submitted"
    published = client.post(f"/api/v1/drafts/{draft['id']}/publication", headers=poster, json={
        "url": "https://x.com/GateApi/status/42"})
    assert published.status_code == 200, published.text
    body = published.json()
    assert body["state"] == "published"
    assert body["publication"]["platform_id"] == "42"


def test_exception_over_the_api(gate):
    client = gate["client"]
    poster, owner = bearer(gate["tokens"]["poster"]), bearer(gate["tokens"]["owner"])
    draft = client.post("/api/v1/drafts", headers=poster, json={
        "channel_id": gate["channel_id"], "text": "Vote National on Saturday!"}).json()
    asked = client.post(f"/api/v1/drafts/{draft['id']}/exception", headers=poster,
                        json={"justification": "Quoting a complaint verbatim."})
    assert asked.json()["state"] == "exception_requested"
    past = client.post(f"/api/v1/drafts/{draft['id']}/exception/decision", headers=owner,
                       json={"decision": "approve", "reason": "Fine.", "until": "2020-01-31"})
    assert past.status_code == 422 and past.json()["fields"][0]["loc"][-1] == "until"
    decided = client.post(f"/api/v1/drafts/{draft['id']}/exception/decision", headers=owner,
                          json={"decision": "approve", "reason": "Verbatim quote is fine.",
                                "until": "2098-12-31"})
    assert decided.json()["state"] == "exception_approved"
    assert decided.json()["exceptions"][0]["decided_by"].startswith("owner@")
    # The end of 31 December 2098 in New Zealand (daylight time, UTC+13).
    expires_at = datetime.fromisoformat(decided.json()["exceptions"][0]["expires_at"])
    assert expires_at == datetime(2098, 12, 31, 11, 0, tzinfo=UTC)


def test_person_not_authorised_cannot_post_through_the_api(gate):
    client, staff = gate["client"], bearer(gate["tokens"]["staff"])
    assert all(c["id"] != gate["channel_id"]
               for c in client.get("/api/v1/drafts/channels", headers=staff).json())
    refused = client.post("/api/v1/drafts", headers=staff, json={
        "channel_id": gate["channel_id"], "text": "Hello"})
    assert refused.status_code == 403
    assert refused.json()["error"] == "not_permitted"


@pytest.mark.parametrize(("body", "field"), [
    ({"text": ""}, "text"),
    ({"text": "x" * 281}, "text"),
    ({"kind": "interaction", "action": "follow"}, "target_handle"),
])
def test_bad_input_answers_field_errors(gate, body, field):
    response = gate["client"].post("/api/v1/drafts", headers=bearer(gate["tokens"]["poster"]),
                                   json={"channel_id": gate["channel_id"], **body})
    assert response.status_code == 422
    assert [f["loc"][-1] for f in response.json()["fields"]] == [field]


def test_unknown_channel_is_a_field_error(gate):
    response = gate["client"].post("/api/v1/drafts", headers=bearer(gate["tokens"]["poster"]),
                                   json={"channel_id": 987654, "text": "Hello"})
    assert response.status_code == 422
    assert response.json()["fields"][0]["loc"] == ["channel_id"]


def test_invalid_revoked_and_missing_tokens_are_refused(gate, cast):
    client = gate["client"]
    assert client.get("/api/v1/drafts", headers=bearer("kt_not-a-real-token")).status_code == 401
    assert client.get("/api/v1/drafts").status_code == 401
    with session_scope(cast.engine) as session:
        staff = cast.user(session, "staff")
        for token in tokens.tokens_of(session, staff):
            tokens.revoke_token(session, user=staff, token_id=token.id)
    response = client.get("/api/v1/drafts", headers=bearer(gate["tokens"]["staff"]))
    assert response.status_code == 401 and response.json()["error"] == "invalid_token"


def test_a_token_does_not_open_the_html_pages(gate):
    response = gate["client"].get("/compose", headers=bearer(gate["tokens"]["poster"]))
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_tokens_are_stored_hashed(gate, cast):
    with session_scope(cast.engine) as session:
        stored = tokens.tokens_of(session, cast.user(session, "poster"))
        assert stored and all(t.token_hash != gate["tokens"]["poster"] for t in stored)
        assert any(t.token_hash == tokens.hash_token(gate["tokens"]["poster"]) for t in stored)


def test_exception_emails_reach_the_owner_then_the_poster(
    cast, cast_settings, mail_sink: MailSink,  # noqa: F811 (the fixture)
):
    settings = cast_settings.model_copy(update={
        "smtp_host": "127.0.0.1", "smtp_port": mail_sink.port,
        "smtp_from": "kaitiaki@dpmc.example.govt.nz"})
    with session_scope(cast.engine) as session:
        channel_id = authorised_channel(session, cast, handle=f"GateMail{next(_handles)}").channel.id
        poster = bearer(tokens.create_token(session, user=cast.user(session, "poster"), name="t")[1])
        owner = bearer(tokens.create_token(session, user=cast.user(session, "owner"), name="t")[1])
    with TestClient(create_app(settings), follow_redirects=False) as client:
        draft = client.post("/api/v1/drafts", headers=poster, json={
            "channel_id": channel_id, "text": "Vote National on Saturday!"}).json()
        client.post(f"/api/v1/drafts/{draft['id']}/exception", headers=poster,
                    json={"justification": "A verbatim quote."})
        client.post(f"/api/v1/drafts/{draft['id']}/exception/decision", headers=owner,
                    json={"decision": "decline", "reason": "Not on an agency channel."})
    asked, decided = mail_sink.received
    assert asked.recipients == [cast.emails["owner"]]
    assert "A verbatim quote." in asked.message.get_payload()
    assert decided.recipients == [cast.emails["poster"]]
    assert "Not on an agency channel." in decided.message.get_payload()


def test_review_and_schedule_over_the_api(gate, cast):
    with session_scope(cast.engine) as session:
        channel = register_service.require_channel(session, gate["channel_id"])
        review.set_review_required(session, user=channel.business_owner, channel=channel,
                                   required=True)
    client = gate["client"]
    poster, owner = bearer(gate["tokens"]["poster"]), bearer(gate["tokens"]["owner"])
    text = "Civil Defence sirens are tested at 9am on Sunday. No action is needed."

    def submitted() -> int:
        draft = client.post("/api/v1/drafts", headers=poster,
                            json={"channel_id": gate["channel_id"], "text": text}).json()
        sent = client.post(f"/api/v1/drafts/{draft['id']}/submit", headers=poster)
        assert sent.json()["state"] == "in_review"
        return draft["id"]

    first = submitted()
    own = client.post(f"/api/v1/drafts/{first}/review", headers=poster, json={"decision": "approve"})
    assert own.status_code == 403 and "Nobody reviews their own post" in own.json()["detail"]
    bare = client.post(f"/api/v1/drafts/{first}/review", headers=owner, json={"decision": "return"})
    assert bare.status_code == 422 and bare.json()["fields"][0]["loc"][-1] == "comment"
    returned = client.post(f"/api/v1/drafts/{first}/review", headers=owner,
                           json={"decision": "return", "comment": "Which Sunday?"})
    assert returned.json()["state"] == "returned"
    assert returned.json()["reviews"][0]["comment"] == "Which Sunday?"

    second = submitted()
    approved = client.post(f"/api/v1/drafts/{second}/review", headers=owner,
                           json={"decision": "approve"})
    assert approved.json()["state"] == "submitted"
    past = client.put(f"/api/v1/drafts/{second}/schedule", headers=poster,
                      json={"at": "2020-01-01T09:00"})
    assert past.status_code == 422 and past.json()["fields"][0]["loc"][-1] == "scheduled_for"
    scheduled = client.put(f"/api/v1/drafts/{second}/schedule", headers=poster,
                           json={"at": "2099-03-01T09:00+13:00"})
    assert scheduled.status_code == 422  # more than a year ahead
    in_two_days = (utcnow() + timedelta(days=2)).replace(microsecond=0).isoformat()
    soon = client.put(f"/api/v1/drafts/{second}/schedule", headers=poster, json={"at": in_two_days})
    assert soon.status_code == 200, soon.text
    assert soon.json()["scheduled_for"].startswith(in_two_days[:16])
    cleared = client.delete(f"/api/v1/drafts/{second}/schedule", headers=poster)
    assert cleared.json()["scheduled_for"] is None and cleared.json()["state"] == "submitted"

