"""Exception reminders, run by a periodic job: an approved exception that runs until a day, on a
draft not yet submitted, is told to the poster and the channel's business owner once before it
lapses (within EXCEPTION_WARNING_DAYS) and once when it has lapsed."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaitiaki.common.reminding import ReminderRun, ending_around, remind
from kaitiaki.models import Draft, DraftException
from kaitiaki.publishing.service import draft_path
from kaitiaki.timeutil import last_covered_day

EXCEPTION_WARNING_DAYS = 3


def send_exception_reminders(session: Session, run: ReminderRun) -> int:
    if not run.may_send:
        return 0
    told = 0
    lapsing = session.scalars(select(DraftException).join(Draft).where(
        DraftException.state == "approved", Draft.state == "exception_approved",
        *ending_around(DraftException.expires_at, run, EXCEPTION_WARNING_DAYS),
    ).order_by(DraftException.expires_at, DraftException.id))
    for exception in lapsing:
        draft = exception.draft
        last_day = last_covered_day(exception.expires_at, run.settings.zone)
        lapsed = exception.lapsed(run.now)
        subject = (f"The exception on draft {draft.id} for @{draft.channel.handle} has lapsed"
                   if lapsed else
                   f"The exception on draft {draft.id} for @{draft.channel.handle} ends on "
                   f"{last_day:%-d %B %Y}")
        body = (f"{subject}. It can no longer be submitted under it: revise the draft and check it "
                "again to ask for a new exception." if lapsed else
                f"{subject}. Submit it before then, or it will need a new exception.")
        told += len(remind(
            session, run, [exception.requested_by, draft.channel.business_owner],
            key=f"exception:{exception.id}:{'lapsed' if lapsed else 'lapsing'}:{last_day.isoformat()}",
            subject=subject, body=body, link=f"{draft_path(draft)}#exception"))
    return told


__all__ = ["EXCEPTION_WARNING_DAYS", "send_exception_reminders"]
