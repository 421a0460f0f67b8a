"""Complaint reminders, run by a periodic job: the channel's business owner on the day a complaint
is due to be resolved, and the ELT member (the role the pack names for the channel's agency) once
it is overdue. Each fires once per complaint and due date (kaitiaki.common.reminding)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaitiaki.common.reminding import ReminderRun, remind
from kaitiaki.complaints.notices import complaint_path
from kaitiaki.complaints.service import ComplaintSetup, _comms_staff, escalation_for
from kaitiaki.complaints.transitions import OPEN_STATES
from kaitiaki.errors import Conflict
from kaitiaki.models import Complaint, User
from kaitiaki.register.approval_rules import holders


def _handlers(session: Session, complaint: Complaint) -> list[User]:
    if complaint.channel is None:
        return _comms_staff(session)
    return [complaint.channel.business_owner]


def _elt(session: Session, setup: ComplaintSetup, complaint: Complaint) -> list[User]:
    if complaint.channel is None:
        return _comms_staff(session)
    try:
        return holders(session, escalation_for(setup, complaint.channel))
    except Conflict:  # the pack names nobody for this agency: comms staff hear instead
        return _comms_staff(session)


def send_complaint_reminders(session: Session, run: ReminderRun) -> int:
    """Remind about open complaints due today or overdue; returns how many people were told."""
    if not run.may_send:
        return 0
    setup = ComplaintSetup.from_settings(run.settings)
    told = 0
    open_complaints = session.scalars(
        select(Complaint).where(Complaint.state.in_(OPEN_STATES), Complaint.resolve_by <= run.today)
        .order_by(Complaint.resolve_by, Complaint.id))
    for complaint in open_complaints:
        due = complaint.resolve_by
        if due == run.today:
            told += len(remind(
                session, run, _handlers(session, complaint),
                key=f"complaint:{complaint.id}:due:{due.isoformat()}",
                subject=f"Complaint {complaint.reference} is due to be resolved today",
                body=f"Complaint {complaint.reference} should be resolved today, {due:%-d %B %Y}.",
                link=complaint_path(complaint)))
        else:
            told += len(remind(
                session, run, _elt(session, setup, complaint),
                key=f"complaint:{complaint.id}:overdue:{due.isoformat()}",
                subject=f"Complaint {complaint.reference} is overdue",
                body=f"Complaint {complaint.reference} was due to be resolved by {due:%-d %B %Y} "
                     "and is still open. Its business owner has been told.",
                link=complaint_path(complaint)))
    return told


__all__ = ["send_complaint_reminders"]
