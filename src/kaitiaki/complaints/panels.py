"""Dashboard panels: complaints a person handles, those escalated to them, and overdue ones,
each flagged overdue by today's date in the configured time zone."""

from __future__ import annotations

from sqlalchemy.orm import Session

from kaitiaki.complaints import queries
from kaitiaki.complaints.queries import local_today
from kaitiaki.config import Settings
from kaitiaki.models import Complaint, User
from kaitiaki.common.roles import PACK_APPROVER_ROLES
from kaitiaki.web.dashboard import Panel

Row = tuple[Complaint, list[str]]


def _with_overdue(complaints: list[Complaint], settings: Settings) -> list[Row]:
    today = local_today(settings.zone)
    return [(c, queries.overdue_of(c, today)) for c in complaints]


def _to_handle(session: Session, user: User, settings: Settings) -> list[Row]:
    return _with_overdue(queries.to_handle(session, user), settings)


def _escalated(session: Session, user: User, settings: Settings) -> list[Row]:
    return _with_overdue(queries.escalated_to(session, user), settings)


def _overdue(session: Session, user: User, settings: Settings) -> list[Row]:
    return _with_overdue(queries.overdue_for(session, user, local_today(settings.zone)), settings)


COMPLAINTS_TO_HANDLE_PANEL = Panel(
    key="complaints-to-handle",
    title="Complaints for you to handle",
    template="complaints/panel.html",
    empty_text="No complaints about your channels are open.",
    gather=_to_handle,
    with_settings=True,
    link="/complaints",
    hide_when_empty=True,  # handling follows from owning a channel or triaging, not a role
)

COMPLAINTS_ESCALATED_PANEL = Panel(
    key="complaints-escalated",
    title="Serious complaints escalated to you",
    template="complaints/panel.html",
    empty_text="No serious complaints are escalated to you.",
    gather=_escalated,
    with_settings=True,
    link="/complaints?serious=1",
    # The roles a pack can escalate to are its approver roles.
    roles=frozenset(role.id for role in PACK_APPROVER_ROLES),
)

COMPLAINTS_OVERDUE_PANEL = Panel(
    key="complaints-overdue",
    title="Overdue complaints",
    template="complaints/panel.html",
    empty_text="No complaint you handle is overdue.",
    gather=_overdue,
    with_settings=True,
    link="/complaints?overdue=1",
    hide_when_empty=True,
)

__all__ = ["COMPLAINTS_ESCALATED_PANEL", "COMPLAINTS_OVERDUE_PANEL", "COMPLAINTS_TO_HANDLE_PANEL"]
