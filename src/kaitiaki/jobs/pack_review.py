"""The policy's review date (the pack's `review`): the holders of the approver role it names are
reminded thirty days before, and once the date has come. Once each per date: a new date in the
next version of the pack is reminded afresh."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from kaitiaki.checker import load_pack
from kaitiaki.common.reminding import ReminderRun, remind
from kaitiaki.people.queries import users_with_role

WARNING_DAYS = 30


def send_pack_review_reminders(session: Session, run: ReminderRun) -> int:
    if not run.may_send:
        return 0
    meta = load_pack(run.settings.policy_pack).meta
    review = meta.review
    if review is None or run.today < review.due_on - timedelta(days=WARNING_DAYS):
        return 0
    step = "due" if run.today >= review.due_on else "soon"
    subject = (f"The {meta.title} is due for review on {review.due_on:%-d %B %Y}" if step == "soon"
               else f"The {meta.title} was due for review on {review.due_on:%-d %B %Y}")
    approvers = users_with_role(session, review.approver_role, review.approver_unit)
    return len(remind(
        session, run, approvers, key=f"pack:{meta.name}:review:{step}:{review.due_on.isoformat()}",
        subject=subject,
        body=f"{subject}. You approve it. When the reviewed policy is approved, the policy pack "
             f"({meta.name}, version {meta.version}) is updated with its new review date.",
        link="/transparency"))


__all__ = ["send_pack_review_reminders"]
