"""Official Information Act due reminders, run by a periodic job: the records officers and whoever
logged the request hear five working days before a request is due, on its due day, and once it is
overdue. Each fires once per request and due date, so an extension is reminded afresh."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaitiaki.common.reminding import ReminderRun, remind
from kaitiaki.models import OiaRequest, User
from kaitiaki.oia.due import oia_closed
from kaitiaki.oia.service import slug_of
from kaitiaki.oia.transitions import OPEN_STATES
from kaitiaki.people.queries import users_with_role
from kaitiaki.common.roles import RECORDS_OFFICER
from kaitiaki.workingdays import add_working_days

WARNING_WORKING_DAYS = 5


def oia_path(found: OiaRequest) -> str:
    return f"/oia/{slug_of(found.reference)}"


def _officers(session: Session, found: OiaRequest) -> list[User]:
    people = users_with_role(session, RECORDS_OFFICER)
    return people + ([found.recorded_by] if found.recorded_by is not None else [])


def send_oia_reminders(session: Session, run: ReminderRun) -> int:
    """Remind about open requests due soon, due today or overdue; returns how many were told."""
    if not run.may_send:
        return 0
    warn_until = add_working_days(run.today, WARNING_WORKING_DAYS, extra_closed=oia_closed)
    told = 0
    for found in session.scalars(select(OiaRequest).where(
            OiaRequest.state.in_(OPEN_STATES), OiaRequest.due_on <= warn_until).order_by(OiaRequest.due_on)):
        due = found.due_on
        step, subject = (
            ("soon", f"OIA request {found.reference} is due on {due:%-d %B %Y}") if due > run.today
            else ("due", f"OIA request {found.reference} is due today") if due == run.today
            else ("overdue", f"OIA request {found.reference} is overdue"))
        told += len(remind(
            session, run, _officers(session, found), key=f"oia:{found.id}:{step}:{due.isoformat()}",
            subject=subject,
            body=f"{subject}. The Official Information Act's time limit counts working days; "
                 "extend it before the original limit ends if more time is needed.",
            link=oia_path(found)))
    return told


__all__ = ["send_oia_reminders"]
