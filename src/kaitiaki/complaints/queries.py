"""Read complaints: the filtered list, what is overdue, what waits for a person, and the figures
the transparency statement publishes."""

from __future__ import annotations

import operator
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from functools import reduce
from zoneinfo import ZoneInfo

from sqlalchemy import and_, false, or_, select
from sqlalchemy.orm import Session

from kaitiaki.complaints import permissions
from kaitiaki.complaints.transitions import OPEN_STATES, RESOLVED_STATES
from kaitiaki.models import Channel, Complaint, User
from kaitiaki.timeutil import to_local, utcnow

OVERDUE_LABELS = {"acknowledge": "Acknowledgement overdue", "resolve": "Resolution overdue"}
MAX_LIST = 500


@dataclass(frozen=True)
class ComplaintFilter:
    state: str = ""
    category: str = ""
    channel_id: int | None = None
    overdue: bool = False
    serious: bool = False
    q: str = ""


def local_today(zone: ZoneInfo | str) -> date:
    return to_local(utcnow(), zone).date()


# The overdue rules, each written once. Given the Complaint class they build the SQL condition
# the lists filter by; given a complaint they give its flag: the operators used (==, !=, <, &, |)
# mean the same on SQLAlchemy columns and on Python values, so the two cannot drift apart.
def acknowledgement_overdue(complaint: Complaint | type[Complaint], today: date):
    """Nobody has acknowledged it, it is not closed, and its acknowledgement day has passed."""
    return ((complaint.state != "closed")
            & (complaint.acknowledged_at == None)  # noqa: E711 (IS NULL in SQL)
            & (complaint.acknowledge_by < today))


def resolution_overdue(complaint: Complaint | type[Complaint], today: date):
    """It is still open and its resolution day has passed."""
    return _one_of(complaint.state, OPEN_STATES) & (complaint.resolve_by < today)


def _one_of(value, choices):
    return reduce(operator.or_, (value == choice for choice in choices))


OVERDUE_RULES = {"acknowledge": acknowledgement_overdue, "resolve": resolution_overdue}


def overdue_of(complaint: Complaint, today: date) -> list[str]:
    """"acknowledge" and/or "resolve": which of the overdue rules the complaint meets today."""
    return [kind for kind, rule in OVERDUE_RULES.items() if rule(complaint, today)]


def _overdue_condition(today: date):
    return or_(*(rule(Complaint, today) for rule in OVERDUE_RULES.values()))


def list_complaints(session: Session, filters: ComplaintFilter | None = None, *,
                    today: date | None = None) -> list[Complaint]:
    """Newest first."""
    filters = filters or ComplaintFilter()
    statement = select(Complaint)
    if filters.state == "open":
        statement = statement.where(Complaint.state.in_(OPEN_STATES))
    elif filters.state:
        statement = statement.where(Complaint.state == filters.state)
    if filters.category:
        statement = statement.where(Complaint.category == filters.category)
    if filters.channel_id is not None:
        statement = statement.where(Complaint.channel_id == filters.channel_id)
    if filters.serious:
        statement = statement.where(Complaint.serious.is_(True))
    if filters.overdue:
        statement = statement.where(_overdue_condition(today or utcnow().date()))
    if filters.q.strip():
        needle = f"%{filters.q.strip()[:200]}%"
        statement = statement.where(or_(Complaint.reference.ilike(needle),
                                        Complaint.description.ilike(needle)))
    statement = statement.order_by(Complaint.received_at.desc(), Complaint.id.desc())
    return list(session.scalars(statement.limit(MAX_LIST)))


def to_handle(session: Session, user: User) -> list[Complaint]:
    """Open complaints about channels this person owns; for comms staff also those naming no
    channel (they triage them)."""
    mine = Complaint.channel_id.in_(select(Channel.id).where(Channel.business_owner_id == user.id))
    triage = Complaint.channel_id.is_(None) if permissions.is_comms_or_admin(session, user) else false()
    statement = (select(Complaint).where(Complaint.state.in_(OPEN_STATES), or_(mine, triage))
                 .order_by(Complaint.resolve_by, Complaint.id))
    return list(session.scalars(statement))


def escalated_to(session: Session, user: User, *, include_resolved: bool = False) -> list[Complaint]:
    """Complaints escalated to a role this person holds (for a unit role: their unit or one
    below it), open ones unless asked."""
    statement = select(Complaint).where(Complaint.escalated_at.is_not(None))
    if not include_resolved:
        statement = statement.where(Complaint.state.not_in(RESOLVED_STATES))
    candidates = session.scalars(statement.order_by(Complaint.escalated_at.desc()))
    check = permissions.HandlerCheck(session, user)
    return [c for c in candidates if check.escalated_to(c)]


def overdue_for(session: Session, user: User, today: date) -> list[Complaint]:
    """Overdue complaints this person handles (every overdue one, for comms staff)."""
    statement = select(Complaint).where(_overdue_condition(today)).order_by(Complaint.resolve_by)
    check = permissions.HandlerCheck(session, user)
    return [c for c in session.scalars(statement) if check.handles(c)]


def complaint_figures(session: Session, since: datetime, until: datetime,
                      zone: ZoneInfo | str = "Pacific/Auckland") -> dict:
    """Counts for the transparency statement over [since, until): complaints received, those
    resolved (responded to or closed) in the period, by category, and per month (NZ time)."""
    received = list(session.scalars(
        select(Complaint).where(Complaint.received_at >= since, Complaint.received_at < until)))
    resolved = session.scalars(select(Complaint).where(or_(
        and_(Complaint.closed_at >= since, Complaint.closed_at < until),
        and_(Complaint.closed_at.is_(None), Complaint.responded_at >= since,
             Complaint.responded_at < until),
    ))).all()
    by_month: Counter[str] = Counter(to_local(c.received_at, zone).strftime("%Y-%m") for c in received)
    return {
        "received": len(received),
        "resolved": len(resolved),
        "serious": sum(1 for c in received if c.serious),
        "by_category": dict(sorted(Counter(c.category for c in received).items())),
        "per_month": dict(sorted(by_month.items())),
    }


__all__ = [
    "ComplaintFilter",
    "MAX_LIST",
    "OVERDUE_LABELS",
    "OVERDUE_RULES",
    "acknowledgement_overdue",
    "complaint_figures",
    "escalated_to",
    "list_complaints",
    "local_today",
    "overdue_for",
    "overdue_of",
    "resolution_overdue",
    "to_handle",
]
