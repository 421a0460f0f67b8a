"""Receiving, routing, escalating and handling complaints through the service, on SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from kaitiaki.audit import queries as audit_queries
from kaitiaki.complaints import queries, service
from kaitiaki.errors import BadInput, Conflict, InvalidTransition, NotPermitted
from kaitiaki.notify import inapp
from kaitiaki.timeutil import utcnow
from tests.complaints.conftest import Channels, draft
from tests.register.conftest import Cast

# Thursday 9 July 2026, 10:00 in Wellington; Friday 10 July is Matariki.
THURSDAY_BEFORE_MATARIKI = datetime(2026, 7, 8, 22, 0, tzinfo=UTC)


def _texts(db: Session, cast: Cast, name: str) -> list[str]:
    return [n.text for n in inapp.notifications_for(db, cast.user(db, name))]


def test_a_complaint_goes_to_the_business_owner_of_the_channel(db, cast, channels: Channels,
                                                                mailing_work):
    outbox = mailing_work.outbox.queued
    complaint = service.submit(mailing_work, draft=draft())
    assert complaint.reference.startswith("DPMC-SM-")
    assert complaint.channel_id == channels.dpmc.id
    assert complaint.state == "received" and not complaint.serious
    assert any(complaint.reference in text for text in _texts(db, cast, "owner"))
    assert _texts(db, cast, "elt_sge") == []
    assert [email.to for email in outbox] == [(cast.emails["owner"],)]


@pytest.mark.parametrize(
    ("channel", "elt", "others"),
    [
        ("dpmc", "elt_sge", ["elt_gh", "nema_ce"]),
        ("house", "elt_gh", ["elt_sge", "nema_ce"]),
        ("nema", "nema_ce", ["elt_sge", "elt_gh"]),
    ],
)
def test_serious_complaints_are_escalated_to_the_channels_elt_member(
    db, cast, channels: Channels, mailing_work, channel, elt, others,
):
    target = getattr(channels, channel)
    outbox = mailing_work.outbox.queued
    complaint = service.submit(
        mailing_work, draft=draft(category="political_neutrality", url="", channel_id=str(target.id)))
    assert complaint.state == "escalated" and complaint.serious
    assert any("escalated to you" in text for text in _texts(db, cast, elt))
    for other in others:
        assert _texts(db, cast, other) == []
    assert any(email.to == (cast.emails[elt],) and "escalated to you" in email.subject
               for email in outbox)
    assert complaint in queries.escalated_to(db, cast.user(db, elt))
    assert complaint not in queries.escalated_to(db, cast.user(db, others[0]))
    [event] = audit_queries.list_events(db, action_prefix="complaint.escalated",
                                        subject=service.subject_of(complaint))
    assert event.details["notified"] == [cast.emails[elt]]


def test_references_are_sequential_per_year(db, channels, work):
    first = service.submit(work, draft=draft(), now=THURSDAY_BEFORE_MATARIKI)
    second = service.submit(work, draft=draft(), now=THURSDAY_BEFORE_MATARIKI)
    next_year = service.submit(work, draft=draft(),
                               now=datetime(2027, 2, 1, tzinfo=UTC))
    number = int(first.reference.rsplit("-", 1)[1])
    assert first.reference == f"DPMC-SM-2026-{number:04d}"
    assert second.reference == f"DPMC-SM-2026-{number + 1:04d}"
    assert next_year.reference == "DPMC-SM-2027-0001"


def test_timers_count_working_days_in_new_zealand(db, channels, work):
    complaint = service.submit(work, draft=draft(), now=THURSDAY_BEFORE_MATARIKI)
    assert complaint.acknowledge_by == date(2026, 7, 13)   # Matariki Friday and the weekend
    assert complaint.resolve_by == date(2026, 7, 24)
    assert queries.overdue_of(complaint, date(2026, 7, 13)) == []
    assert queries.overdue_of(complaint, date(2026, 7, 14)) == ["acknowledge"]
    assert queries.overdue_of(complaint, date(2026, 7, 27)) == ["acknowledge", "resolve"]


def test_the_journey_to_a_closed_recorded_resolution(db, cast, channels, work):
    owner = cast.user(db, "owner")
    complaint = service.submit(work, draft=draft(email="Person@Example.co.nz"))
    service.act(work, complaint=complaint, user=owner, action="triage")
    assert complaint.state == "triaged" and complaint.acknowledged_at is not None
    service.act(work, complaint=complaint, user=owner, action="respond",
                note="We apologised and removed the reply.")
    service.act(work, complaint=complaint, user=owner, action="close",
                note="Resolved: the reply was removed and the poster reminded of the policy.")
    assert complaint.state == "closed" and complaint.resolution.startswith("Resolved")
    with pytest.raises(InvalidTransition, match="This complaint is closed; it cannot be responded"):
        service.act(work, complaint=complaint, user=owner, action="respond", note="x")
    service.act(work, complaint=complaint, user=owner, action="reopen",
                note="The person wrote again.")
    assert complaint.state == "reopened" and complaint.closed_at is None
    actions = [e.action for e in audit_queries.list_events(db, subject=service.subject_of(complaint))]
    assert actions[::-1] == ["complaint.received", "complaint.triaged", "complaint.responded",
                             "complaint.closed", "complaint.reopened"]


def test_notes_are_required_where_they_are_the_record(db, cast, channels, work):
    owner = cast.user(db, "owner")
    complaint = service.submit(work, draft=draft())
    service.act(work, complaint=complaint, user=owner, action="triage")
    with pytest.raises(BadInput) as raised:
        service.act(work, complaint=complaint, user=owner, action="close", note=" ")
    assert raised.value.fields[0].loc == ["note"]


def test_only_handlers_act(db, cast, channels, work):
    complaint = service.submit(work, draft=draft())
    with pytest.raises(NotPermitted, match="business owner of @DPMC_Test"):
        service.act(work, complaint=complaint, user=cast.user(db, "staff"),
                    action="triage")
    service.act(work, complaint=complaint, user=cast.user(db, "comms"), action="triage")


def test_a_complaint_naming_no_channel_goes_to_comms_staff_for_triage(db, cast, channels, work):
    complaint = service.submit(work, draft=draft(
        category="privacy_breach", url="https://www.instagram.com/p/Cabc123/"))
    assert complaint.channel is None and complaint.state == "received" and complaint.serious
    assert any("to triage" in text for text in _texts(db, cast, "comms"))
    assert complaint in queries.to_handle(db, cast.user(db, "comms"))
    service.assign_channel(work, complaint=complaint, user=cast.user(db, "comms"),
                           channel_id=channels.nema.id)
    assert complaint.state == "escalated"
    assert any("escalated to you" in text for text in _texts(db, cast, "nema_ce"))
    assert complaint in queries.to_handle(db, cast.user(db, "staff"))


def test_the_checker_raises_a_complaint_to_a_privacy_breach(db, cast, channels, work):
    owner = cast.user(db, "owner")
    complaint = service.submit(work, draft=draft(category="other"))
    assert not complaint.serious
    service.check_content(work, complaint=complaint, user=owner,
        text="Thanks to Jane Smith of 12 Rata Street, Newtown, Wellington for calling us on "
             "021 555 1234.")
    assert complaint.category == "privacy_breach" and complaint.serious
    assert complaint.state == "escalated"
    [raised] = audit_queries.list_events(db, action_prefix="complaint.category_raised")
    assert raised.details["finding"]["category"] == "personal_information"
    assert "021 555 1234" not in str(raised.details)  # masked for storage
    assert any("escalated to you" in text for text in _texts(db, cast, "elt_sge"))


def test_content_given_on_the_form_is_checked_at_once(db, cast, channels, work):
    complaint = service.submit(work, draft=draft(
        category="other", content_text="Vote National on Saturday!"))
    assert complaint.category == "political_neutrality" and complaint.state == "escalated"


def test_a_complaint_without_a_channel_cannot_be_escalated(db, cast, channels, work):
    complaint = service.submit(work, draft=draft(url="https://example.org/page"))
    with pytest.raises(Conflict, match="Choose the channel"):
        service.act(work, complaint=complaint, user=cast.user(db, "comms"),
                    action="escalate")


def test_bad_input_names_each_field(db, channels, work):
    with pytest.raises(BadInput) as raised:
        service.submit(work, draft=draft(
            description="", url="not a url", email="nobody@", category="nonsense", phone="abc"))
    fields = {error.loc[0] for error in raised.value.fields}
    assert fields == {"description", "url", "email", "category", "phone"}


def test_description_over_the_limit(db, channels, work):
    with pytest.raises(BadInput, match="at most 5000 characters"):
        service.submit(work, draft=draft(description="x" * 5001))


def test_a_receipt_goes_to_the_complainant(db, channels, mailing_work):
    outbox = mailing_work.outbox.queued
    complaint = service.submit(mailing_work, draft=draft(email="person@example.co.nz", name="Pita"))
    receipt = next(e for e in outbox if e.to == ("person@example.co.nz",))
    assert complaint.reference in receipt.subject and "Kia ora Pita" in receipt.body


def test_figures_for_the_transparency_statement(db, cast, channels, work):
    owner = cast.user(db, "owner")
    start = datetime(2026, 7, 1, tzinfo=UTC)
    a = service.submit(work, draft=draft(), now=THURSDAY_BEFORE_MATARIKI)
    service.submit(work, now=THURSDAY_BEFORE_MATARIKI,
                   draft=draft(category="privacy_breach"))
    service.act(work, complaint=a, user=owner, action="triage")
    service.act(work, complaint=a, user=owner, action="close", note="Done.")
    figures = queries.complaint_figures(db, start, utcnow() + timedelta(days=1))
    assert figures["received"] == 2 and figures["resolved"] == 1 and figures["serious"] == 1
    assert figures["by_category"] == {"offensive_content": 1, "privacy_breach": 1}
    assert figures["per_month"] == {"2026-07": 2}
