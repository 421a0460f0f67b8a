from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from kaitiaki.audit import queries
from kaitiaki.audit.service import GENESIS_HASH, event_hash, record, verify
from kaitiaki.db import session_scope
from kaitiaki.errors import BadInput
from kaitiaki.models import AuditEvent


def _record_events(engine, count: int) -> None:
    with session_scope(engine) as session:
        for number in range(1, count + 1):
            record(session, actor="admin@dpmc.example.govt.nz", action="user.created",
                   subject=f"user:{number}", details={"email": f"p{number}@x.govt.nz"})


def _verify(engine):
    with session_scope(engine) as session:
        return verify(session)


def _raw(engine, sql: str, **params) -> None:
    """Change the table behind the application's back, as someone with database access could."""
    with engine.begin() as connection:
        connection.execute(text(sql), params)


def test_events_form_a_chain_from_the_genesis_hash(session):
    first = record(session, actor="system", action="org_unit.created", subject="org_unit:1",
                   details={"code": "DPMC"})
    second = record(session, actor="system", action="user.created", subject="user:1")
    assert (first.id, second.id) == (1, 2)
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert second.details == {}
    assert first.at.tzinfo is not None
    report = verify(session)
    assert report.ok and report.checked == 2 and report.head_hash == second.hash


def test_an_empty_log_verifies(session):
    report = verify(session)
    assert report.ok and report.checked == 0 and report.head_hash is None


def test_event_rolls_back_with_the_change_it_records(engine):
    with pytest.raises(RuntimeError):
        with session_scope(engine) as session:
            record(session, actor="system", action="user.created", subject="user:1")
            raise RuntimeError("the change failed")
    with session_scope(engine) as session:
        assert queries.count_events(session) == 0


def test_details_are_stored_as_json_and_hash_stably(engine):
    moment = datetime(2026, 5, 1, 2, 3, 4, tzinfo=UTC)
    with session_scope(engine) as session:
        record(session, actor="system", action="user.created", subject="user:1",
               details={"z": 1, "a": [1, 2], "when": moment, "roles": {"b", "a"},
                        "te reo": "Māori"})
    with session_scope(engine) as session:
        event = session.scalars(select(AuditEvent)).one()
        assert event.details == {"z": 1, "a": [1, 2], "when": "2026-05-01T02:03:04+00:00",
                                 "roles": ["a", "b"], "te reo": "Māori"}
        assert event_hash(event) == event.hash
    assert _verify(engine).ok


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"actor": "", "action": "user.created", "subject": "user:1"}, "actor"),
        ({"actor": "system", "action": "Created", "subject": "user:1"}, "dotted"),
        ({"actor": "system", "action": "user.created", "subject": ""}, "subject"),
        ({"actor": "system", "action": "user.created", "subject": "user:1",
          "details": {"bad": object()}}, "JSON"),
    ],
)
def test_record_rejects_bad_events(session, arguments, message):
    with pytest.raises(BadInput, match=message):
        record(session, **arguments)


def test_altered_details_are_detected(engine):
    _record_events(engine, 5)
    _raw(engine, "UPDATE audit_events SET details = :details WHERE id = 3",
         details=json.dumps({"email": "someone-else@x.govt.nz"}))
    report = _verify(engine)
    assert not report.ok
    assert report.first_broken_id == 3
    assert report.checked == 2
    assert "altered" in report.reason


def test_altered_actor_is_detected(engine):
    _record_events(engine, 3)
    _raw(engine, "UPDATE audit_events SET actor = 'someone.else@x.govt.nz' WHERE id = 1")
    assert _verify(engine).first_broken_id == 1


def test_altered_time_is_detected(engine):
    _record_events(engine, 3)
    with session_scope(engine) as session:
        event = session.get(AuditEvent, 2)
        event.at = event.at - timedelta(days=1)
    assert _verify(engine).first_broken_id == 2


def test_a_removed_event_is_detected(engine):
    _record_events(engine, 5)
    _raw(engine, "DELETE FROM audit_events WHERE id = 3")
    report = _verify(engine)
    assert not report.ok
    assert report.first_broken_id == 4
    assert "event 3 is missing" in report.reason


def test_a_removed_and_renumbered_event_is_detected(engine):
    _record_events(engine, 4)
    _raw(engine, "DELETE FROM audit_events WHERE id = 2")
    _raw(engine, "UPDATE audit_events SET id = id - 1 WHERE id > 2")
    report = _verify(engine)
    assert report.first_broken_id == 2
    assert "previous-hash" in report.reason


def test_a_rewritten_event_with_a_recomputed_hash_breaks_the_next_link(engine):
    _record_events(engine, 4)
    with session_scope(engine) as session:
        event = session.get(AuditEvent, 2)
        event.details = {"email": "forged@x.govt.nz"}
        event.hash = event_hash(event)
    report = _verify(engine)
    assert report.first_broken_id == 3
    assert "previous-hash" in report.reason


def test_reordered_events_are_detected(engine):
    _record_events(engine, 4)
    _raw(engine, "UPDATE audit_events SET id = 100 WHERE id = 2")
    _raw(engine, "UPDATE audit_events SET id = 2 WHERE id = 3")
    _raw(engine, "UPDATE audit_events SET id = 3 WHERE id = 100")
    report = _verify(engine)
    assert not report.ok and report.first_broken_id == 2


def test_concurrent_writers_never_fork_the_chain(engine):
    writers, events_each = 4, 10

    def write(writer: int) -> None:
        for number in range(events_each):
            with session_scope(engine) as session:
                record(session, actor=f"writer{writer}@x.govt.nz", action="test.event",
                       subject=f"item:{number}")

    with ThreadPoolExecutor(max_workers=writers) as pool:
        list(pool.map(write, range(writers)))
    report = _verify(engine)
    assert report.ok
    assert report.checked == writers * events_each


def test_list_events_filters_newest_first(session):
    record(session, actor="a@x.govt.nz", action="user.created", subject="user:1")
    record(session, actor="b@x.govt.nz", action="user.roles_changed", subject="user:1")
    record(session, actor="a@x.govt.nz", action="channel.created", subject="channel:1")
    record(session, actor="a@x.govt.nz", action="user_x.created", subject="user:9")
    assert [e.id for e in queries.list_events(session)] == [4, 3, 2, 1]
    assert [e.id for e in queries.list_events(session, actor="a@x.govt.nz")] == [4, 3, 1]
    assert [e.id for e in queries.list_events(session, action_prefix="user.")] == [2, 1]
    assert [e.id for e in queries.list_events(session, subject="user:1")] == [2, 1]
    assert [e.id for e in queries.list_events(session, limit=2, offset=1)] == [3, 2]
    future = datetime.now(UTC) + timedelta(hours=1)
    assert queries.list_events(session, since=future) == []
    assert len(queries.list_events(session, until=future)) == 4
    assert queries.count_events(session, action_prefix="user") == 3
