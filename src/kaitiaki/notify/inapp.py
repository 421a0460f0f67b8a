"""Notices inside Kaitiaki: one row per recipient, shown on the Notifications page and on the
dashboard until read.

Unlike email, an in-app notice is written in the same transaction as the change it reports, so
it exists exactly when the change does. Any feature can use it:

    inapp.notify(session, [owner], "New complaint DPMC-SM-2026-0001 about @DPMC_NZ",
                 link="/complaints/DPMC-SM-2026-0001")
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from kaitiaki.errors import NotFound
from kaitiaki.models import Notification, User
from kaitiaki.timeutil import utcnow

MAX_TEXT_LENGTH = 500
MAX_LINK_LENGTH = 500
DEFAULT_LIMIT = 50


def notify(session: Session, recipients: Iterable[User], text: str, *, link: str = "") -> list[Notification]:
    """One notice for each distinct active recipient; returns them (flushed, not committed)."""
    if link and not link.startswith("/"):
        raise ValueError("a notification links to a page of Kaitiaki: a path starting with /")
    text = " ".join(text.split())[:MAX_TEXT_LENGTH]
    seen: set[int] = set()
    created = []
    for person in recipients:
        if person.id in seen or not person.is_active:
            continue
        seen.add(person.id)
        notice = Notification(recipient_id=person.id, text=text, link=link[:MAX_LINK_LENGTH])
        session.add(notice)
        created.append(notice)
    session.flush()
    return created


def notifications_for(
    session: Session, user: User, *, unread_only: bool = False, limit: int = DEFAULT_LIMIT
) -> list[Notification]:
    """The person's notices, newest first."""
    statement = select(Notification).where(Notification.recipient_id == user.id)
    if unread_only:
        statement = statement.where(Notification.read_at.is_(None))
    statement = statement.order_by(Notification.created_at.desc(), Notification.id.desc())
    return list(session.scalars(statement.limit(max(1, limit))))


def unread_count(session: Session, user: User) -> int:
    return session.scalar(
        select(func.count()).select_from(Notification).where(
            Notification.recipient_id == user.id, Notification.read_at.is_(None)
        )
    ) or 0


def mark_read(session: Session, user: User, notification_id: int, *, at: datetime | None = None) -> Notification:
    """Mark one of the person's own notices read; someone else's is NotFound (not revealed)."""
    notice = session.get(Notification, notification_id)
    if notice is None or notice.recipient_id != user.id:
        raise NotFound("There is no such notification.")
    if notice.read_at is None:
        notice.read_at = at or utcnow()
        session.flush()
    return notice


def mark_all_read(session: Session, user: User, *, at: datetime | None = None) -> int:
    result = session.execute(
        update(Notification)
        .where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
        .values(read_at=at or utcnow())
    )
    return result.rowcount or 0


__all__ = ["mark_all_read", "mark_read", "notifications_for", "notify", "unread_count"]
