"""Read the audit log (newest first) with the filters the audit pages and CLI offer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from kaitiaki.models import AuditEvent

MAX_PAGE_SIZE = 500


def _filtered(
    statement: Select,
    *,
    actor: str | None,
    action_prefix: str | None,
    subject: str | None,
    since: datetime | None,
    until: datetime | None,
) -> Select:
    if actor:
        statement = statement.where(AuditEvent.actor == actor)
    if action_prefix:
        statement = statement.where(AuditEvent.action.startswith(action_prefix, autoescape=True))
    if subject:
        statement = statement.where(AuditEvent.subject == subject)
    if since:
        statement = statement.where(AuditEvent.at >= since)
    if until:
        statement = statement.where(AuditEvent.at < until)
    return statement


def list_events(
    session: Session,
    *,
    actor: str | None = None,
    action_prefix: str | None = None,
    subject: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[AuditEvent]:
    statement = _filtered(
        select(AuditEvent), actor=actor, action_prefix=action_prefix, subject=subject,
        since=since, until=until,
    )
    statement = statement.order_by(AuditEvent.id.desc())
    statement = statement.limit(max(1, min(limit, MAX_PAGE_SIZE))).offset(max(0, offset))
    return list(session.scalars(statement))


def count_events(
    session: Session,
    *,
    actor: str | None = None,
    action_prefix: str | None = None,
    subject: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> int:
    statement = _filtered(
        select(func.count()).select_from(AuditEvent), actor=actor, action_prefix=action_prefix,
        subject=subject, since=since, until=until,
    )
    return session.scalar(statement) or 0


__all__ = ["MAX_PAGE_SIZE", "count_events", "list_events"]
