"""The outbox: every message Kaitiaki sends is first a row written in the same transaction as the
change that causes it, so the message exists exactly when the change does.

- An email row waits as `pending` until a job delivers it (kaitiaki.notify.delivery): at least
  once, retried with back-off, `dead` with the reason after the last attempt.
- An in-app notice is written as a Notification at once, with its row already `sent`: the row
  only records that it was given.

Each row has a unique key. A message that must go once per event or per step of a timer (a
reminder) passes a key built from what it is about, e.g. `complaint:42:overdue:2026-12-08`;
writing it again, on a rerun or on a second worker, does nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from kaitiaki.config import Settings
from kaitiaki.errors import Conflict, NotFound
from kaitiaki.models import Notification, OutboxMessage, User
from kaitiaki.notify import inapp
from kaitiaki.notify.email import Email, is_configured
from kaitiaki.timeutil import utcnow

MAX_KEY_LENGTH = 200
LIST_LIMIT = 200


def new_key(kind: str) -> str:
    """A key for a message sent once because its event happens once."""
    return f"{kind}:{uuid.uuid4().hex}"


def _insert_once(session: Session, values: dict) -> bool:
    """Insert the row unless its key is taken; True when inserted. A concurrent writer of the
    same key waits for the first to commit, then inserts nothing."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        statement = postgresql.insert(OutboxMessage).values(**values).on_conflict_do_nothing(
            index_elements=["key"])
    elif dialect == "sqlite":
        statement = sqlite.insert(OutboxMessage).values(**values).on_conflict_do_nothing(
            index_elements=["key"])
    else:
        if session.scalar(select(OutboxMessage.id).where(OutboxMessage.key == values["key"])):
            return False
        statement = insert(OutboxMessage).values(**values)
    # RETURNING, not rowcount: a skipped conflicting row returns nothing on both databases.
    return session.execute(statement.returning(OutboxMessage.id)).first() is not None


def add_email(session: Session, settings: Settings, email: Email, *, key: str | None = None,
              now: datetime | None = None) -> bool:
    """Write one email to the outbox (not committed). False when email is off, it has no
    recipient, or a message with this key was written before."""
    if not is_configured(settings) or not email.to:
        return False
    now = now or utcnow()
    return _insert_once(session, {
        "key": (key or new_key("email"))[:MAX_KEY_LENGTH], "kind": "email",
        "recipients": ", ".join(email.to)[:2000], "subject": email.subject[:500],
        "payload": {"to": list(email.to), "subject": email.subject, "body": email.body},
        "state": "pending", "attempts": 0, "next_attempt_at": now, "last_error": "",
        "created_at": now,
    })


def add_notice(session: Session, recipients: Iterable[User], text: str, *, link: str = "",
               key: str | None = None, now: datetime | None = None) -> list[Notification]:
    """An in-app notice to each active recipient, once per key and recipient (not committed)."""
    now = now or utcnow()
    base = key or new_key("notice")
    given = []
    for person in recipients:
        if not person.is_active or person.left_at is not None:
            continue
        written = _insert_once(session, {
            "key": f"{base}:user:{person.id}"[:MAX_KEY_LENGTH], "kind": "notice",
            "recipients": person.email[:2000], "subject": " ".join(text.split())[:500],
            "payload": {"recipient_id": person.id, "text": text, "link": link},
            "state": "sent", "attempts": 1, "next_attempt_at": now, "last_error": "",
            "created_at": now, "sent_at": now,
        })
        if written:
            given.append(person)
    return inapp.notify(session, given, text, link=link) if given else []


def was_written(session: Session, key: str) -> bool:
    return session.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key)) is not None


def list_messages(session: Session, states: Sequence[str] = ("dead", "pending"),
                  limit: int = LIST_LIMIT) -> list[OutboxMessage]:
    """Messages in the given states, those that need attention first (dead, then pending)."""
    rows = session.scalars(
        select(OutboxMessage).where(OutboxMessage.state.in_(list(states)))
        .order_by(OutboxMessage.next_attempt_at.desc(), OutboxMessage.id.desc()).limit(limit))
    order = {state: index for index, state in enumerate(states)}
    return sorted(rows, key=lambda m: order.get(m.state, len(order)))


def retry(session: Session, message_id: int, *, now: datetime | None = None) -> OutboxMessage:
    """Send a dead (or waiting) email again now, with a fresh count of attempts."""
    message = session.get(OutboxMessage, message_id)
    if message is None:
        raise NotFound(f"There is no outbox message {message_id}.")
    if message.kind != "email" or message.state == "sent":
        raise Conflict(f"Message {message_id} was delivered; there is nothing to retry.")
    message.state, message.attempts = "pending", 0
    message.next_attempt_at = now or utcnow()
    session.flush()
    return message


__all__ = ["add_email", "add_notice", "list_messages", "new_key", "retry",
           "was_written"]
