"""The job runner: every periodic job is registered on the queue kept where the database is (a
SQLite file beside it, or huey_* tables in PostgreSQL); a queued job is taken by one worker and
runs; `kaitiaki worker --once` runs them all."""

from __future__ import annotations

import time

from sqlalchemy import select

from kaitiaki.db import session_scope
from kaitiaki.jobs.periodic import PERIODIC_JOBS, run_all_once
from kaitiaki.jobs.runner import JobRunner
from kaitiaki.models import OutboxMessage
from kaitiaki.notify import outbox
from kaitiaki.notify.email import Email
from tests.fixtures.mail import MailSink, mail_sink  # noqa: F401 (a fixture)


def _write_email(engine, settings, subject: str) -> None:
    with session_scope(engine) as session:
        outbox.add_email(session, settings, Email(to=("ana@example.govt.nz",), subject=subject, body="b"))


def test_a_queued_delivery_is_taken_once_and_sends_the_outbox(engine, settings, mail_sink: MailSink):
    on = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": mail_sink.port})
    runner = JobRunner(on, engine)
    assert set(runner.tasks) == {job.name for job in PERIODIC_JOBS}
    runner.huey.flush()
    _write_email(engine, on, "Queued")
    runner.enqueue("deliver-outbox")
    second = JobRunner(on, engine)  # another worker on the same queue
    task = second.huey.dequeue()
    assert task is not None and runner.huey.dequeue() is None
    second.huey.execute(task)
    assert [r.message["Subject"] for r in mail_sink.received] == ["Queued"]
    runner.huey.flush()


def test_the_in_process_worker_delivers_in_the_background(engine, settings, mail_sink: MailSink):
    on = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": mail_sink.port})
    runner = JobRunner(on, engine)
    runner.huey.flush()
    _write_email(engine, on, "Background")
    runner.start_in_background()
    try:
        runner.enqueue("deliver-outbox")
        deadline = time.monotonic() + 30
        while not mail_sink.received and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        runner.stop()
        runner.huey.flush()
    assert [r.message["Subject"] for r in mail_sink.received] == ["Background"]


def test_run_all_once_runs_every_job(engine, settings):
    outcomes = run_all_once(engine, settings)
    assert set(outcomes) == {job.name for job in PERIODIC_JOBS}
    with session_scope(engine) as session:
        assert session.scalars(select(OutboxMessage)).all() == []
