"""The unit of work's outbox: an email queued in it is a row of the same transaction, stamped by the
unit of work's clock; a rollback (a refused form) takes it back, a commit keeps it for delivery."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from kaitiaki.common.work import UnitOfWork
from kaitiaki.db import session_scope
from kaitiaki.models import OutboxMessage
from kaitiaki.notify.email import Email

T0 = datetime(2026, 12, 7, 20, 0, tzinfo=UTC)
HELLO = Email(to=("ana@example.govt.nz",), subject="Hello", body="Kia ora")


def _count(engine) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(OutboxMessage))


def test_queued_email_is_undone_by_a_rollback_and_kept_by_a_commit(engine, settings):
    mailing = settings.model_copy(update={"smtp_host": "127.0.0.1"})
    with session_scope(engine) as session:
        work = UnitOfWork(session, mailing, clock=lambda: T0)
        assert work.outbox.append(HELLO) and work.outbox.written == 1
        work.rollback()
        assert work.outbox.written == 0
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
        work.outbox.extend([HELLO])
    assert _count(engine) == 1
    with session_scope(engine) as session:
        assert session.scalars(select(OutboxMessage)).one().created_at == T0


def test_with_email_off_nothing_is_queued(engine, settings):
    with session_scope(engine) as session:
        work = UnitOfWork(session, settings)
        assert not work.outbox.email_on and not work.outbox.append(HELLO)
    assert _count(engine) == 0
