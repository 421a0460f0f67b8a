"""Replying to the complainant from the case, and the receipt page saying what really happened.

The reply is emailed through the outbox and kept on the record (history and audit); with email
switched off the case says so and nothing pretends to be sent."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select

from kaitiaki.app import create_app
from kaitiaki.db import session_scope
from kaitiaki.models import AuditEvent, Channel, Complaint, OutboxMessage, SubmissionAttempt
from tests.fixtures.people import DEFAULT_PASSWORD
from tests.fixtures.register import make_channel
from tests.register.conftest import Cast
from tests.web.helpers import form_token, sign_in

COMPLAINT = {"category": "accessibility", "url": "https://x.com/ReplyDpmc/status/9",
             "channel": "", "content_text": "",
             "description": "Your video has no captions.", "name": "Mere Public",
             "email": "mere@example.co.nz", "phone": ""}
REPLY = "Thank you. Captions are now on the video, and we caption every video from today."


@pytest.fixture(scope="module")
def reply_channel(cast: Cast) -> Channel:
    with session_scope(cast.engine) as session:
        user = lambda name: cast.user(session, name)  # noqa: E731
        return make_channel(session, requester=user("comms"),
                            approvers=(user("director"), user("elt_sge")), owner=user("owner"),
                            unit="DPMC-SCE", handle="ReplyDpmc")


def _client(cast, settings) -> Iterator[TestClient]:
    with session_scope(cast.engine) as session:
        session.execute(delete(SubmissionAttempt))
        session.execute(delete(OutboxMessage))
    with TestClient(create_app(settings), follow_redirects=False) as client:
        yield client


@pytest.fixture
def email_on(cast, cast_settings, reply_channel) -> Iterator[TestClient]:
    # Nothing listens on port 9: delivery fails and the message waits in the outbox, as it would
    # while a mail server is down.
    yield from _client(cast, cast_settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": 9}))


@pytest.fixture
def email_off(cast, cast_settings, reply_channel) -> Iterator[TestClient]:
    yield from _client(cast, cast_settings)


def _complain(client: TestClient, **fields) -> tuple[str, str]:
    data = {**COMPLAINT, **fields}
    sent = client.post("/complaints/new", data={**data, "csrf_token": form_token(client, "/complaints/new")})
    assert sent.status_code == 303, sent.text
    page = client.get("/complaints/received").text
    reference = re.search(r'id="complaint-reference">([A-Z0-9-]+)<', page)
    assert reference, page
    return reference.group(1), html.unescape(page)


def _as(client: TestClient, cast: Cast, name: str) -> TestClient:
    client.cookies.clear()
    assert sign_in(client, cast.emails[name], DEFAULT_PASSWORD).status_code == 303
    return client


def test_with_email_off_the_receipt_page_does_not_claim_an_email_was_sent(email_off):
    _, page = _complain(email_off)
    assert "We have not emailed you a receipt: this service does not send email at the moment." in page
    assert "sent a receipt" not in page and "emailing a receipt" not in page


def test_with_email_on_the_receipt_page_says_a_receipt_is_on_its_way(email_on):
    _, page = _complain(email_on)
    assert "We are emailing a receipt to the address you gave." in page


def test_without_an_email_address_the_receipt_page_says_we_cannot_reply(email_on):
    _, page = _complain(email_on, email="", name="")
    assert "You did not leave contact details" in page and "emailing a receipt" not in page


def test_the_owner_replies_from_the_case_through_the_outbox_and_the_reply_is_kept(email_on, cast):
    reference, _ = _complain(email_on)
    owner = _as(email_on, cast, "owner")
    path = f"/complaints/{reference}"
    case = owner.get(path).text
    assert "Reply to the complainant" in case and 'action="/complaints/' + reference + '/reply"' in case
    triaged = owner.post(f"{path}/act", data={"action": "triage", "note": "",
                                              "csrf_token": form_token(owner, path)})
    assert triaged.status_code == 303

    sent = owner.post(f"{path}/reply", data={"reply": REPLY, "csrf_token": form_token(owner, path)})

    assert sent.status_code == 303
    after = html.unescape(owner.get(path).text)
    assert "Your reply is on its way to the complainant" in after
    assert f"replied to the complainant: “{REPLY}”" in after  # kept on the record, as a sentence
    assert "This complaint is responded to." in after  # and it counts as the response
    with session_scope(cast.engine) as session:
        emails = session.scalars(select(OutboxMessage).where(
            OutboxMessage.recipients == COMPLAINT["email"])).all()
        reply = [m for m in emails if m.subject.startswith(f"Your complaint {reference} to")]
        assert len(reply) == 1 and REPLY in reply[0].payload["body"]
        complaint = session.scalars(select(Complaint).where(Complaint.reference == reference)).one()
        assert complaint.response == REPLY
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "complaint.replied")).all()
        assert [e.details["note"] for e in events if e.subject.endswith(str(complaint.id))] == [REPLY]


def test_an_empty_reply_is_a_field_error_and_nothing_is_sent(email_on, cast):
    reference, _ = _complain(email_on)
    owner = _as(email_on, cast, "owner")
    path = f"/complaints/{reference}"
    refused = owner.post(f"{path}/reply", data={"reply": "  ", "csrf_token": form_token(owner, path)})
    assert refused.status_code == 422
    assert 'href="#reply"' in refused.text  # the error summary links to the field
    with session_scope(cast.engine) as session:
        assert not session.scalars(select(OutboxMessage).where(
            OutboxMessage.subject.like(f"Your complaint {reference} to%"))).all()


def test_with_email_off_the_case_says_replies_cannot_be_sent(email_off, cast):
    reference, _ = _complain(email_off)
    owner = _as(email_off, cast, "owner")
    path = f"/complaints/{reference}"
    case = owner.get(path).text
    assert "Email is switched off in this installation" in case
    assert f'action="/complaints/{reference}/reply"' not in case
    refused = owner.post(f"{path}/reply", data={"reply": REPLY, "csrf_token": form_token(owner, path)})
    assert refused.status_code == 409 and "the reply cannot be sent" in refused.text


def test_staff_record_and_acknowledge_a_complaint_on_one_page(email_off, cast, reply_channel):
    comms = _as(email_off, cast, "comms")
    form = comms.get("/complaints/record").text
    assert 'name="acknowledged"' in form
    recorded = comms.post("/complaints/record", data={
        "csrf_token": form_token(comms, "/complaints/record"), "source": "email",
        "category": "accessibility", "url": "", "channel": str(reply_channel.id),
        "description": "No alt text on the image.", "content_text": "", "name": "Mere Public",
        "email": "mere@example.co.nz", "phone": "", "acknowledged": "yes"})
    assert recorded.status_code == 303
    case = html.unescape(comms.get(recorded.headers["location"]).text)
    assert "is recorded and routed, and acknowledged." in case
    assert "acknowledged the complaint" in case and "Acknowledged when recorded." in case
