"""Exact state changes when two people act at once.

Every state transition does two things:

1. `lock_latest(session, row)` before deciding: re-reads the row with its latest committed values
   and, on PostgreSQL, holds a row lock (SELECT ... FOR UPDATE) until the transaction ends, so a
   second person acting on the same row waits and then sees the first one's change. On SQLite a
   write transaction already holds the database's write lock from its start (BEGIN IMMEDIATE,
   kaitiaki.db), so the re-read is current there too.
2. `compare_and_set(session, row, "state", expected, new)` to write the new state: an UPDATE ...
   WHERE state = :expected that changes nothing when someone else moved the row first. That is
   the safety net for a transaction that did not take the lock first (a deferred SQLite
   transaction, a caller that forgot step 1): it can never write a half state.

`serialise_on(session, key)` is the same idea for something that is not one row (a throttle's
count for one address): one transaction at a time per key.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from kaitiaki.errors import Conflict, InvalidTransition
from kaitiaki.timeutil import ensure_utc, utcnow

Row = TypeVar("Row")


class ChangedMeanwhile(Conflict):
    """Someone else changed the record between reading and writing it."""

    code = "changed_meanwhile"


class AlreadyDone(InvalidTransition):
    """The thing was moved on by someone else (often a moment ago); the message says who and
    when, after the workflow's usual refusal."""


def ago(when: datetime | None, now: datetime | None = None) -> str:
    """When something happened, in the words of a message: "just now", "3 minutes ago" ..."""
    if when is None:
        return "earlier"
    seconds = max(0, int(((now or utcnow()) - ensure_utc(when)).total_seconds()))
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'} ago"
    return "just now" if seconds < 5 else f"{seconds} seconds ago"


def _key_clause(row: Any) -> list:
    mapper = type(row).__mapper__
    values = mapper.primary_key_from_instance(row)
    return [column == value for column, value in zip(mapper.primary_key, values, strict=True)]


def lock_latest(session: Session, row: Row) -> Row:
    """The row re-read with its latest committed values, locked for this transaction (PostgreSQL
    row lock; on SQLite the write transaction's database lock). Unflushed changes to it are lost,
    so call this first."""
    cls = type(row)
    statement = (select(cls).where(*_key_clause(row)).with_for_update(of=cls)
                 .execution_options(populate_existing=True))
    fresh = session.scalars(statement).one()
    return fresh


def compare_and_set(session: Session, row: Any, attribute: str, expected: Any, new: Any,
                    **also: Any) -> bool:
    """Set `attribute` (and the `also` columns) to the new values only if it still holds
    `expected`; True when this transaction made the change. The row object is updated to match."""
    cls = type(row)
    result = session.execute(
        update(cls)
        .where(*_key_clause(row), getattr(cls, attribute) == expected)
        .values({attribute: new, **also})
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    for name, value in {attribute: new, **also}.items():
        set_committed_value(row, name, value)
    return True


def serialise_on(session: Session, key: str) -> None:
    """Hold a lock named `key` until this transaction ends: one transaction at a time per key.
    PostgreSQL: a transaction-scoped advisory lock. SQLite: the database write lock (a no-op
    UPDATE takes it when the transaction does not hold it yet)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
                        {"key": key})
    elif dialect == "sqlite":
        session.execute(text("UPDATE alembic_version SET version_num = version_num WHERE 0"))


__all__ = ["AlreadyDone", "ChangedMeanwhile", "ago", "compare_and_set", "lock_latest", "serialise_on"]
