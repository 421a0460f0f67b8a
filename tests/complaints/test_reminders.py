"""Complaint reminders with a fixed clock: the business owner on the due day, the ELT member once
overdue; each once, at the reminder hour (08:00 New Zealand time) on a working day only."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaitiaki.common.reminding import ReminderRun
from kaitiaki.complaints import service
from kaitiaki.complaints.reminders import send_complaint_reminders
from kaitiaki.models import OutboxMessage
from kaitiaki.notify import inapp
from tests.complaints.conftest import Channels, draft
from tests.register.conftest import Cast

# New Zealand daylight time is UTC+13 in December: 08:00 on Monday 7 December is 19:00 UTC Sunday.
MONDAY_0759 = datetime(2026, 12, 6, 18, 59, tzinfo=UTC)
MONDAY_0800 = datetime(2026, 12, 6, 19, 0, tzinfo=UTC)
TUESDAY_0800 = datetime(2026, 12, 7, 19, 0, tzinfo=UTC)
SATURDAY_1000 = datetime(2026, 12, 11, 21, 0, tzinfo=UTC)
MONDAY_AFTER_0800 = datetime(2026, 12, 13, 19, 0, tzinfo=UTC)


def _texts(db: Session, cast: Cast, name: str) -> list[str]:
    return [n.text for n in inapp.notifications_for(db, cast.user(db, name))]


def _run(settings, moment: datetime) -> ReminderRun:
    return ReminderRun.at(settings, lambda: moment)


def test_the_owner_is_reminded_on_the_due_day_and_the_elt_member_once_overdue(
        db, cast, channels: Channels, work, cast_settings):
    settings = cast_settings.model_copy(update={"smtp_host": "127.0.0.1"})
    complaint = service.submit(work, draft=draft(url="https://x.com/NemaTest/status/1"))
    complaint.resolve_by = date(2026, 12, 7)
    db.flush()
    before = len(_texts(db, cast, "staff"))

    assert send_complaint_reminders(db, _run(settings, MONDAY_0759)) == 0
    assert send_complaint_reminders(db, _run(settings, MONDAY_0800)) == 1
    assert send_complaint_reminders(db, _run(settings, MONDAY_0800)) == 0  # a rerun sends nothing
    owner_texts = _texts(db, cast, "staff")
    assert len(owner_texts) == before + 1
    assert owner_texts[0] == f"Complaint {complaint.reference} is due to be resolved today"
    assert _texts(db, cast, "nema_ce") == []

    assert send_complaint_reminders(db, _run(settings, TUESDAY_0800)) == 1
    assert send_complaint_reminders(db, _run(settings, TUESDAY_0800)) == 0
    assert _texts(db, cast, "nema_ce") == [f"Complaint {complaint.reference} is overdue"]
    keys = set(db.scalars(select(OutboxMessage.key).where(OutboxMessage.kind == "email")))
    owner, elt = cast.user(db, "staff"), cast.user(db, "nema_ce")
    assert {f"complaint:{complaint.id}:due:2026-12-07:email:{owner.id}",
            f"complaint:{complaint.id}:overdue:2026-12-07:email:{elt.id}"} <= keys


def test_no_reminder_at_the_weekend_and_the_next_working_day_catches_up(
        db, cast, channels: Channels, work, cast_settings):
    complaint = service.submit(work, draft=draft(url="https://x.com/NemaTest/status/2"))
    complaint.resolve_by = date(2026, 12, 11)  # a Friday
    db.flush()
    assert send_complaint_reminders(db, _run(cast_settings, SATURDAY_1000)) == 0
    assert send_complaint_reminders(db, _run(cast_settings, MONDAY_AFTER_0800)) == 1
    assert _texts(db, cast, "nema_ce") == [f"Complaint {complaint.reference} is overdue"]


def test_a_closed_complaint_is_not_reminded(db, cast, channels: Channels, work, cast_settings):
    complaint = service.submit(work, draft=draft(url="https://x.com/NemaTest/status/3"))
    complaint.resolve_by = date(2026, 12, 7)
    complaint.state = "closed"
    db.flush()
    assert send_complaint_reminders(db, _run(cast_settings, TUESDAY_0800)) == 0
