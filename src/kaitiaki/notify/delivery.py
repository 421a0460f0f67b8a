"""Delivering the outbox's pending emails: claim, send, record.

Any number of workers may deliver at once. A worker claims due rows with one UPDATE that moves
their next attempt a lease ahead (on PostgreSQL the rows are picked with FOR UPDATE SKIP LOCKED,
on SQLite the update is a compare-and-set on the state and due time, and SQLite runs one writer at
a time), commits, sends, then marks each row sent. A worker that dies after claiming leaves its
rows pending; they fall due again when the lease ends. So delivery is at least once; a message
retried after the server accepted it keeps its Message-ID.

A failed attempt records the reason and waits `outbox_retry_base_seconds` doubled for each
attempt before (capped at MAX_BACKOFF); after `outbox_max_attempts` the row is `dead`.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, select, update

from kaitiaki.config import Settings
from kaitiaki.models import OutboxMessage
from kaitiaki.notify.email import Email, EmailNotSent, deliver
from kaitiaki.timeutil import Clock, utcnow

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
MAX_BACKOFF = timedelta(hours=6)
BATCH = 50

Sender = Callable[[Settings, Email, str], None]


@dataclass(frozen=True)
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    dead: int = 0


def backoff(attempts: int, base_seconds: int) -> timedelta:
    """How long to wait after the given number of failed attempts (1, 2, 3 ...)."""
    return min(timedelta(seconds=base_seconds * 2 ** max(0, attempts - 1)), MAX_BACKOFF)


def message_id(settings: Settings, key: str) -> str:
    domain = settings.smtp_from.partition("@")[2] or "kaitiaki.invalid"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


def claim_due(engine: Engine, now: datetime, limit: int = BATCH) -> list[int]:
    """Claim up to `limit` due emails for this worker (committed); returns their ids."""
    due = (select(OutboxMessage.id)
           .where(OutboxMessage.state == "pending", OutboxMessage.kind == "email",
                  OutboxMessage.next_attempt_at <= now)
           .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit))
    if engine.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    claim = (update(OutboxMessage)
             .where(OutboxMessage.id.in_(due.scalar_subquery()), OutboxMessage.state == "pending",
                    OutboxMessage.next_attempt_at <= now)
             .values(attempts=OutboxMessage.attempts + 1, next_attempt_at=now + LEASE)
             .returning(OutboxMessage.id))
    with engine.begin() as connection:
        return sorted(connection.scalars(claim))


def deliver_due(engine: Engine, settings: Settings, *, clock: Clock = utcnow,
                sender: Sender = deliver, limit: int = BATCH) -> DeliveryReport:
    """Deliver every email that is due now, batch by batch; returns what happened."""
    sent = failed = dead = 0
    while True:
        claimed = claim_due(engine, clock(), limit)
        for row_id in claimed:
            outcome = _deliver_one(engine, settings, row_id, clock, sender)
            sent += outcome == "sent"
            failed += outcome == "pending"
            dead += outcome == "dead"
        if len(claimed) < limit:
            return DeliveryReport(sent=sent, failed=failed, dead=dead)


def _deliver_one(engine: Engine, settings: Settings, row_id: int, clock: Clock, sender: Sender) -> str:
    with engine.connect() as connection:
        row = connection.execute(
            select(OutboxMessage.key, OutboxMessage.payload, OutboxMessage.attempts)
            .where(OutboxMessage.id == row_id)).first()
    if row is None:  # removed since it was claimed: nothing to send
        return "gone"
    payload = row.payload
    email = Email(to=tuple(payload["to"]), subject=payload["subject"], body=payload["body"])
    try:
        sender(settings, email, message_id(settings, row.key))
    except EmailNotSent as exc:
        return _failed(engine, settings, row_id, row.attempts, str(exc), clock())
    with engine.begin() as connection:
        connection.execute(update(OutboxMessage).where(OutboxMessage.id == row_id)
                           .values(state="sent", sent_at=clock(), last_error=""))
    return "sent"


def _failed(engine: Engine, settings: Settings, row_id: int, attempts: int, reason: str,
            now: datetime) -> str:
    state = "dead" if attempts >= settings.outbox_max_attempts else "pending"
    log.warning("Outbox message %s, attempt %s, not sent (%s): %s", row_id, attempts, state, reason)
    with engine.begin() as connection:
        connection.execute(
            update(OutboxMessage).where(OutboxMessage.id == row_id)
            .values(state=state, last_error=reason[:2000],
                    next_attempt_at=now + backoff(attempts, settings.outbox_retry_base_seconds)))
    return state


__all__ = ["DeliveryReport", "backoff", "claim_due", "deliver_due", "message_id"]
