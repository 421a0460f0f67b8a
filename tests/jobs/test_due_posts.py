"""The due-posts job with a fixed clock, on SQLite and PostgreSQL: a scheduled post is handed to
the send step once when its time comes, not before, not at all when its author's authorisation was
revoked in between (the author is told), and once when two workers run the job at the same moment.

The demo channels have no live connection, so "goes out" is the send step's manual path here: the
author is told it is due now and posts it by hand (tests/publishing/test_sending.py covers the
send step itself)."""

from __future__ import annotations

import itertools
import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from kaitiaki.audit import queries as audit_queries
from kaitiaki.db import session_scope
from kaitiaki.jobs.due_posts import send_due_posts
from kaitiaki.jobs.periodic import PERIODIC_JOBS
from kaitiaki.models import AuditEvent, Notification
from kaitiaki.publishing import scheduling, service
from kaitiaki.publishing.schemas import DraftInput
from kaitiaki.register import service as register_service
from tests.fixtures.register import ZONE
from tests.publishing.conftest import authorised_channel, pack  # noqa: F401 (a fixture)
from tests.register.conftest import cast, cast_settings  # noqa: F401 (fixtures)

NOW = datetime(2026, 12, 7, 20, 0, tzinfo=UTC)
DUE = NOW + timedelta(hours=1)
TEXT = "Civil Defence sirens are tested at 9am on Sunday. No action is needed."
_handles = itertools.count(1)


def scheduled_post(cast, pack):  # noqa: F811
    with session_scope(cast.engine) as session:
        posting = authorised_channel(session, cast, handle=f"DuePosts{next(_handles)}")
        draft = service.create_draft(session, user=posting.poster, pack=pack,
                                     channel_id=posting.channel.id,
                                     data=DraftInput(kind="post", text=TEXT))
        service.check_draft(session, user=posting.poster, draft=draft, pack=pack)
        service.submit(session, user=posting.poster, draft=draft)
        scheduling.schedule(session, user=posting.poster, draft=draft, at=DUE, zone=ZONE, now=NOW)
        return draft.id, posting.poster.id, posting.channel.id


def events(cast, draft_id: int) -> list[str]:
    with session_scope(cast.engine) as session:
        return [e.action for e in reversed(audit_queries.list_events(
            session, subject=f"draft:{draft_id}", limit=100))]


def notices(cast, user_id: int, draft_id: int) -> list[str]:
    with session_scope(cast.engine) as session:
        return list(session.scalars(select(Notification.text).where(
            Notification.recipient_id == user_id, Notification.link == f"/drafts/{draft_id}")))


def test_the_job_runs_every_minute():
    assert [job.every_minutes for job in PERIODIC_JOBS if job.name == "send-due-posts"] == [1]


def test_not_before_its_time_then_once_when_due(cast, cast_settings, pack):  # noqa: F811
    draft_id, poster_id, _channel = scheduled_post(cast, pack)
    assert send_due_posts(cast.engine, cast_settings, lambda: DUE - timedelta(minutes=1)) == \
        "no posts due"
    assert "draft.manual_due" not in events(cast, draft_id)
    assert send_due_posts(cast.engine, cast_settings, lambda: DUE) == "1 manual due"
    assert send_due_posts(cast.engine, cast_settings, lambda: DUE + timedelta(minutes=1)) == \
        "no posts due"
    assert events(cast, draft_id).count("draft.manual_due") == 1
    told = notices(cast, poster_id, draft_id)
    assert len(told) == 1 and told[0].startswith("Due now: post it on @DuePosts")


def test_not_sent_when_the_authorisation_was_revoked_and_the_author_is_told(
        cast, cast_settings, pack):  # noqa: F811
    draft_id, poster_id, channel_id = scheduled_post(cast, pack)
    with session_scope(cast.engine) as session:
        channel = register_service.require_channel(session, channel_id)
        register_service.revoke(session, user=channel.business_owner, channel=channel,
                                person_email=cast.emails["poster"], reason="Moved team.")
    assert send_due_posts(cast.engine, cast_settings, lambda: DUE) == "1 stopped authorisation"
    assert send_due_posts(cast.engine, cast_settings, lambda: DUE + timedelta(minutes=5)) == \
        "no posts due"
    with session_scope(cast.engine) as session:
        draft = service.require_draft(session, draft_id)
        assert draft.state == "submitted" and draft.published_at is None
    assert "draft.manual_due" not in events(cast, draft_id)
    assert events(cast, draft_id).count("draft.send_stopped") == 1
    assert any("no longer authorised" in text for text in notices(cast, poster_id, draft_id))


def test_two_workers_at_once_hand_it_over_once(cast, cast_settings, pack):  # noqa: F811
    draft_id, _poster, _channel = scheduled_post(cast, pack)
    start = threading.Barrier(2)
    reports: list[str] = []

    def worker() -> None:
        start.wait()
        reports.append(send_due_posts(cast.engine, cast_settings, lambda: DUE))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert "1 manual due" in reports and len(reports) == 2
    with session_scope(cast.engine) as session:
        handed = session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.subject == f"draft:{draft_id}", AuditEvent.action == "draft.manual_due"))
    assert handed == 1


def test_a_new_time_tries_again(cast, cast_settings, pack):  # noqa: F811
    draft_id, poster_id, _channel = scheduled_post(cast, pack)
    send_due_posts(cast.engine, cast_settings, lambda: DUE)
    later = DUE + timedelta(days=1)
    with session_scope(cast.engine) as session:
        draft = service.require_draft(session, draft_id)
        scheduling.schedule(session, user=draft.author, draft=draft, at=later, zone=ZONE, now=DUE)
    assert send_due_posts(cast.engine, cast_settings, lambda: later) == "1 manual due"
