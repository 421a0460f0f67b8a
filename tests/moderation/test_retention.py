"""Retention: a dry run lists exactly the comments past their retain-until date and changes
nothing; the real run disposes of their words and authors, records one audit event, and leaves
every other comment as it was."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from kaitiaki.models import AuditEvent, Comment
from kaitiaki.moderation import service
from kaitiaki.moderation.retention import dispose
from kaitiaki.moderation.service import ActionRequest
from kaitiaki.timeutil import utcnow
from tests.moderation.conftest import INSULT, QUESTION, import_records, jsonl_line


def _comment(db, channel, pack, text: str, external_id: str) -> Comment:
    import_records(db, channel, pack, [jsonl_line(external_id, text, author="@writer")])
    return db.scalar(select(Comment).where(Comment.platform == channel.platform,
                                           Comment.external_id == external_id))


def test_dry_run_then_disposal_of_exactly_what_is_past_retention(db, work, cast, channel, pack):
    owner = cast.user(db, "owner")
    expired, kept_for_now, visible = (_comment(db, channel, pack, INSULT, "r1"),
                                      _comment(db, channel, pack, INSULT, "r2"),
                                      _comment(db, channel, pack, QUESTION, "r3"))
    for comment in (expired, kept_for_now):
        service.act(work, comment_id=comment.id, user=owner,
                    request=ActionRequest(action="delete", reason="offensive"))
    now = utcnow()
    # The pack keeps moderation records seven years; the first one's time has come.
    assert kept_for_now.retain_until > now + timedelta(days=365 * 6)
    expired.retain_until = now - timedelta(days=1)
    db.flush()

    dry = dispose(db, now=now, dry_run=True)
    assert dry.comment_ids == (expired.id,)
    assert expired.text == INSULT and expired.disposed_at is None
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "retention.disposed")) is None

    done = dispose(db, now=now, dry_run=False, actor="test")
    assert done.comment_ids == (expired.id,)
    assert (expired.text, expired.author_handle, expired.findings, expired.disposed_at) == ("", "", [], now)
    assert expired.state == "deleted"  # the record that it existed, and what was done, stays
    assert kept_for_now.text == INSULT and visible.text == QUESTION
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "retention.disposed"))
    assert event.actor == "test" and event.details["comments"] == [expired.id]
    assert dispose(db, now=now, dry_run=False).count == 0
