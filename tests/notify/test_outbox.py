"""The outbox: an email is written with the change, delivered by claim-send-mark, retried with
back-off, dead with its reason after the last attempt, retried by hand, and never sent twice by
two workers delivering at once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from kaitiaki.db import make_engine, session_scope
from kaitiaki.models import Notification, OutboxMessage
from kaitiaki.notify import outbox
from kaitiaki.notify.delivery import deliver_due
from kaitiaki.notify.email import Email
from tests.fixtures.mail import MailSink
from tests.fixtures.servers import free_port
from tests.fixtures.people import make_user

T0 = datetime(2026, 12, 7, 20, 0, tzinfo=UTC)


def _at(moment: datetime):
    return lambda: moment


def _row(engine, key: str) -> OutboxMessage:
    with session_scope(engine) as session:
        return session.scalars(select(OutboxMessage).where(OutboxMessage.key == key)).one()


def test_a_failing_email_backs_off_then_dies_with_its_reason_and_can_be_retried(
        engine, settings, mail_sink: MailSink):
    closed_port = free_port()  # nothing listens there
    failing = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": closed_port,
                                          "outbox_max_attempts": 3, "outbox_retry_base_seconds": 60})
    with session_scope(engine) as session:
        assert outbox.add_email(session, failing, Email(to=("ana@example.govt.nz",), subject="Hello",
                                                        body="Kia ora"), key="test:backoff", now=T0)
    assert deliver_due(engine, failing, clock=_at(T0)).failed == 1
    first = _row(engine, "test:backoff")
    assert (first.state, first.attempts, first.next_attempt_at) == ("pending", 1, T0 + timedelta(seconds=60))
    assert first.last_error
    # Not due yet: nothing is tried.
    assert deliver_due(engine, failing, clock=_at(T0 + timedelta(seconds=59))).failed == 0
    second_at = T0 + timedelta(seconds=60)
    assert deliver_due(engine, failing, clock=_at(second_at)).failed == 1
    assert _row(engine, "test:backoff").next_attempt_at == second_at + timedelta(seconds=120)
    third_at = second_at + timedelta(seconds=120)
    assert deliver_due(engine, failing, clock=_at(third_at)).dead == 1
    dead = _row(engine, "test:backoff")
    assert dead.state == "dead" and dead.attempts == 3 and dead.last_error
    with session_scope(engine) as session:
        assert [m.key for m in outbox.list_messages(session)] == ["test:backoff"]
    assert deliver_due(engine, failing, clock=_at(third_at + timedelta(days=1))).failed == 0

    working = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": mail_sink.port})
    with session_scope(engine) as session:
        outbox.retry(session, dead.id, now=third_at)
    assert deliver_due(engine, working, clock=_at(third_at)).sent == 1
    assert [r.message["Subject"] for r in mail_sink.received] == ["Hello"]
    assert _row(engine, "test:backoff").state == "sent"


def test_a_key_is_written_once(engine, settings, session):
    on = settings.model_copy(update={"smtp_host": "127.0.0.1"})
    email = Email(to=("ana@example.govt.nz",), subject="Reminder", body="Once")
    assert outbox.add_email(session, on, email, key="complaint:1:overdue:2026-12-08")
    assert not outbox.add_email(session, on, email, key="complaint:1:overdue:2026-12-08")
    ana = make_user(session)
    assert len(outbox.add_notice(session, [ana], "Once", key="complaint:1:due:2026-12-07")) == 1
    assert outbox.add_notice(session, [ana], "Once", key="complaint:1:due:2026-12-07") == []
    assert session.scalar(select(Notification.text).where(Notification.recipient_id == ana.id)) == "Once"


def test_email_off_writes_nothing(session, settings):
    assert not outbox.add_email(session, settings, Email(to=("a@example.govt.nz",), subject="s", body="b"))


def test_two_workers_delivering_at_once_send_each_email_once(db_url, engine, settings, mail_sink: MailSink):
    on = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": mail_sink.port})
    with session_scope(engine) as session:
        for number in range(30):
            outbox.add_email(session, on, Email(to=("ana@example.govt.nz",), subject=f"Message {number}",
                                                body="b"), now=T0)
    engines = [make_engine(db_url), make_engine(db_url)]
    start = threading.Barrier(2)
    reports = []

    def work(worker_engine):
        start.wait()
        reports.append(deliver_due(worker_engine, on, clock=_at(T0), limit=5))

    threads = [threading.Thread(target=work, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for worker_engine in engines:
        worker_engine.dispose()
    subjects = sorted(r.message["Subject"] for r in mail_sink.received)
    assert subjects == sorted(f"Message {n}" for n in range(30))
    assert sum(r.sent for r in reports) == 30
