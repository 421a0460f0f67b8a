"""Append to and verify the hash-chained audit log.

Every state change records an event in the same transaction as the change, so the two commit or
roll back together. Each event's hash covers its id, time, actor, action, subject, details and the
previous event's hash; ids are assigned here (previous id + 1) under a writer lock, so the chain
never forks and a missing id means a removed event.

The writer lock is one for the whole database, so it is taken as late as possible. A unit of work
that asks for it (`defer_until_commit`, as every web request does) collects its events and
appends them just before it commits, so the lock is held for the append and the commit only,
not while the checker runs or the rest of the request is worked out. A query for audit events
in the same unit of work appends the collected ones first, so it sees its own changes.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from sqlalchemy import event as orm_events
from sqlalchemy import select, text
from sqlalchemy.orm import ORMExecuteState, Session

from kaitiaki.errors import BadInput
from kaitiaki.models import AuditEvent
from kaitiaki.timeutil import ensure_utc, utcnow

GENESIS_HASH = "0" * 64
SYSTEM_ACTOR = "system"
# Any constant works: it only has to be the same for every Kaitiaki process on one database.
_POSTGRES_CHAIN_LOCK_KEY = 0x4B41495441  # "KAITA"
_ACTION_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
_VERIFY_BATCH = 1000
_DEFER_KEY = "kaitiaki.audit.defer"
_PENDING_KEY = "kaitiaki.audit.pending"


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    checked: int
    first_broken_id: int | None = None
    reason: str | None = None
    # Hash of the last good event; kept elsewhere, it reveals removal of the newest events.
    head_hash: str | None = None


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    subject: str,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event in the session's transaction and return it (flushed, not committed; in
    a session that defers, appended just before the commit)."""
    _validate(actor=actor, action=action, subject=subject)
    stored_details = json.loads(canonical_json(details or {}))
    event = AuditEvent(actor=actor, action=action, subject=subject, details=stored_details)
    if session.info.get(_DEFER_KEY):
        session.connection()  # inside the change's transaction, so that its end ends these too
        session.info.setdefault(_PENDING_KEY, []).append(event)
        return event
    _append(session, [event])
    return event


def defer_until_commit(session: Session) -> None:
    """Append this session's events just before it commits (see the module's note)."""
    session.info[_DEFER_KEY] = True


def write_pending(session: Session) -> None:
    """Append the events collected so far (a deferring session does this before it commits)."""
    pending = session.info.pop(_PENDING_KEY, None)
    if pending:
        _append(session, pending)


def _append(session: Session, events: list[AuditEvent]) -> None:
    _lock_chain(session)
    last = session.execute(
        select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    next_id, prev_hash = ((last.id + 1), last.hash) if last else (1, GENESIS_HASH)
    for event in events:
        event.id = next_id
        event.at = utcnow()
        event.prev_hash = prev_hash
        event.hash = event_hash(event)
        session.add(event)
        next_id, prev_hash = next_id + 1, event.hash
    session.flush()


@orm_events.listens_for(Session, "before_commit")
def _append_before_commit(session: Session) -> None:
    write_pending(session)


@orm_events.listens_for(Session, "do_orm_execute")
def _append_before_reading_the_log(state: ORMExecuteState) -> None:
    if not state.session.info.get(_PENDING_KEY) or not state.is_select:
        return
    if any(mapper.class_ is AuditEvent for mapper in state.all_mappers):
        write_pending(state.session)


@orm_events.listens_for(Session, "after_transaction_end")
def _forget_at_transaction_end(session: Session, transaction) -> None:
    # Committed ones were appended before the commit; those of a rolled-back change never
    # happened.
    if transaction.parent is None:
        session.info.pop(_PENDING_KEY, None)


def _validate(*, actor: str, action: str, subject: str) -> None:
    if not actor or len(actor) > 254:
        raise BadInput("An audit event needs an actor of at most 254 characters.")
    if not _ACTION_PATTERN.match(action) or len(action) > 100:
        raise BadInput(
            f"Audit action {action!r} must be dotted lower-case words, e.g. user.created."
        )
    if not subject or len(subject) > 200:
        raise BadInput("An audit event needs a subject of at most 200 characters.")


def _lock_chain(session: Session) -> None:
    """Hold the chain's writer lock until this transaction ends.

    PostgreSQL: a transaction-scoped advisory lock (a row lock on the last event would not cover
    an empty table, and a waiter would re-read a row that is no longer the last). SQLite: a no-op
    UPDATE takes the database write lock, which also gives this transaction the latest snapshot.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(:key)"), {"key": _POSTGRES_CHAIN_LOCK_KEY}
        )
    elif dialect == "sqlite":
        session.execute(text("UPDATE audit_events SET id = id WHERE 0"))


def canonical_json(value: Any) -> str:
    return json.dumps(
        value,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
        default=_json_default,
    )


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return ensure_utc(value).isoformat()
    if isinstance(value, (date, UUID, Decimal)):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise BadInput(f"Audit details must be JSON data; got {type(value).__name__}.")


def event_hash(event: AuditEvent) -> str:
    payload = canonical_json(
        {
            "id": event.id,
            "prev_hash": event.prev_hash,
            "at": ensure_utc(event.at).isoformat(timespec="microseconds"),
            "actor": event.actor,
            "action": event.action,
            "subject": event.subject,
            "details": event.details,
        }
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def verify(session: Session) -> VerifyReport:
    """Walk the chain from the first event; report the first event that does not hold."""
    expected_id = 1
    prev_hash = GENESIS_HASH
    checked = 0
    events = session.scalars(
        select(AuditEvent).order_by(AuditEvent.id).execution_options(yield_per=_VERIFY_BATCH)
    )
    for event in events:
        problem = _problem_with(event, expected_id=expected_id, prev_hash=prev_hash)
        if problem:
            return VerifyReport(
                ok=False, checked=checked, first_broken_id=event.id, reason=problem,
                head_hash=prev_hash if checked else None,
            )
        expected_id += 1
        prev_hash = event.hash
        checked += 1
    return VerifyReport(ok=True, checked=checked, head_hash=prev_hash if checked else None)


def _problem_with(event: AuditEvent, *, expected_id: int, prev_hash: str) -> str | None:
    if event.id != expected_id:
        missing = (
            f"event {expected_id} is missing"
            if event.id == expected_id + 1
            else f"events {expected_id} to {event.id - 1} are missing"
        )
        return f"{missing}: removed from the log"
    if event.prev_hash != prev_hash:
        return "its previous-hash does not match the event before it: the chain was altered"
    if event_hash(event) != event.hash:
        return "its contents do not match its hash: the event was altered"
    return None


__all__ = [
    "GENESIS_HASH",
    "SYSTEM_ACTOR",
    "VerifyReport",
    "canonical_json",
    "defer_until_commit",
    "event_hash",
    "record",
    "verify",
    "write_pending",
]
