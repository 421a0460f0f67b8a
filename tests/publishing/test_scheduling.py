"""Choosing when a submitted post goes out, through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from kaitiaki.db import session_scope
from kaitiaki.errors import BadInput, InvalidTransition, NotPermitted
from kaitiaki.publishing import scheduling, service
from tests.fixtures.register import ZONE
from tests.publishing.conftest import Posting, authorised_channel
from tests.publishing.test_service import actions, new_draft

NOW = datetime(2026, 12, 7, 20, 0, tzinfo=UTC)  # 9:00 am, Tuesday 8 December, in Auckland


def submitted(db: Session, posting: Posting, pack):
    draft = new_draft(db, posting, pack)
    service.check_draft(db, user=posting.poster, draft=draft, pack=pack)
    return service.submit(db, user=posting.poster, draft=draft)


def test_a_new_zealand_time_is_stored_in_utc():
    assert scheduling.local_time("2026-12-08T09:30", ZONE) == datetime(2026, 12, 7, 20, 30,
                                                                      tzinfo=UTC)
    assert scheduling.local_time("2026-07-01 09:30", ZONE) == datetime(2026, 6, 30, 21, 30,
                                                                      tzinfo=UTC)


@pytest.mark.parametrize(("typed", "message"), [
    ("", "Enter the date and time"),
    ("next tuesday", "as 2026-12-08 09:30"),
    ("2026-09-27T02:30", "does not happen in New Zealand"),
])
def test_a_time_that_cannot_be_read_is_refused_plainly(typed, message):
    with pytest.raises(BadInput, match=message) as refused:
        scheduling.local_time(typed, ZONE)
    assert refused.value.fields[0].loc == ["scheduled_for"]


def test_scheduled_rescheduled_and_cancelled_each_audited(db: Session, posting: Posting, pack):
    draft = submitted(db, posting, pack)
    at = NOW + timedelta(hours=2)
    scheduling.schedule(db, user=posting.poster, draft=draft, at=at, zone=ZONE, now=NOW)
    assert draft.scheduled_for == at and scheduling.send_pending(draft)
    later = NOW + timedelta(days=2)
    scheduling.schedule(db, user=posting.poster, draft=draft, at=later, zone=ZONE, now=NOW)
    assert draft.scheduled_for == later
    scheduling.unschedule(db, user=posting.poster, draft=draft, now=NOW)
    assert draft.scheduled_for is None and draft.state == "submitted"
    assert actions(db, draft)[-3:] == ["draft.scheduled", "draft.rescheduled", "draft.unscheduled"]


@pytest.mark.parametrize(("ahead", "message"), [
    (timedelta(minutes=-30), "at least 2 minutes from now"),
    (timedelta(minutes=1), "at least 2 minutes from now"),
    (timedelta(days=400), "within a year"),
])
def test_a_time_in_the_past_or_too_far_ahead_is_refused(db: Session, posting: Posting, pack,
                                                        ahead, message):
    draft = submitted(db, posting, pack)
    with pytest.raises(BadInput, match=message):
        scheduling.schedule(db, user=posting.poster, draft=draft, at=NOW + ahead, zone=ZONE,
                            now=NOW)
    assert draft.scheduled_for is None


def test_only_a_submitted_post_by_its_author_is_scheduled(db: Session, posting: Posting, pack):
    draft = new_draft(db, posting, pack)
    with pytest.raises(InvalidTransition, match="cannot be scheduled"):
        scheduling.schedule(db, user=posting.poster, draft=draft, at=NOW + timedelta(hours=1),
                            zone=ZONE, now=NOW)
    draft = submitted(db, posting, pack)
    with pytest.raises(NotPermitted):
        scheduling.schedule(db, user=posting.owner, draft=draft, at=NOW + timedelta(hours=1),
                            zone=ZONE, now=NOW)


def test_a_due_post_is_claimed_once(engine, cast, pack):
    with session_scope(engine) as session:
        posting = authorised_channel(session, cast, handle="ClaimOnce")
        draft = submitted(session, posting, pack)
        scheduling.schedule(session, user=posting.poster, draft=draft,
                            at=NOW + timedelta(hours=1), zone=ZONE, now=NOW)
        draft_id = draft.id
    with session_scope(engine) as session:
        assert scheduling.due_draft_ids(session, NOW + timedelta(minutes=59)) == []
        assert scheduling.due_draft_ids(session, NOW + timedelta(hours=1)) == [draft_id]
    due = NOW + timedelta(hours=1, seconds=5)
    with session_scope(engine) as session:
        assert scheduling.claim_for_sending(session, draft_id, due)
    with session_scope(engine) as session:
        assert not scheduling.claim_for_sending(session, draft_id, due)
        assert scheduling.due_draft_ids(session, due) == []
