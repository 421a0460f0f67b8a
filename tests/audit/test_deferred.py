"""A unit of work that defers its audit events (every web request that writes) appends them just
before it commits: the chain stays whole, the unit of work sees its own events when it reads the
log, and the events of a rolled-back change never appear."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from kaitiaki.audit import queries
from kaitiaki.audit.service import defer_until_commit, record, verify
from kaitiaki.db import session_scope
from kaitiaki.models import AuditEvent


def _deferred_writer(engine, writer: int) -> None:
    for number in range(5):
        with session_scope(engine) as session:
            defer_until_commit(session)
            record(session, actor=f"w{writer}@x.govt.nz", action="test.event", subject=f"t:{number}")
            record(session, actor=f"w{writer}@x.govt.nz", action="test.other", subject=f"t:{number}")


def test_deferred_events_from_concurrent_writers_form_one_whole_chain(engine):
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda writer: _deferred_writer(engine, writer), range(4)))
    with session_scope(engine, write=False) as session:
        report = verify(session)
        assert (report.ok, report.checked) == (True, 40)


def test_a_deferring_session_sees_its_own_events_and_a_rollback_leaves_none(engine):
    with session_scope(engine) as session:
        defer_until_commit(session)
        record(session, actor="a@x.govt.nz", action="user.created", subject="user:1")
        seen = queries.list_events(session, subject="user:1")
        assert [event.action for event in seen] == ["user.created"]
    with session_scope(engine) as session:
        defer_until_commit(session)
        record(session, actor="a@x.govt.nz", action="user.removed", subject="user:1")
        session.rollback()
    with session_scope(engine, write=False) as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == 1
        assert verify(session).ok
