"""Retention: a removed comment's record is kept until its `retain_until` (set from the pack's
`retention.moderation_records_years` when it was hidden or deleted); after that its words, author
and link are disposed of. What stays is the record that a comment existed and what moderators did
with it, so the transparency figures do not change.

`dispose(..., dry_run=True)` reports exactly what a real run would dispose of and changes nothing;
a real run writes one audit event listing the comments it disposed of.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaitiaki.audit import service as audit
from kaitiaki.models import Comment

RETENTION_ACTOR = "job:retention"
BATCH = 500


@dataclass(frozen=True)
class RetentionReport:
    dry_run: bool
    comment_ids: tuple[int, ...]

    @property
    def count(self) -> int:
        return len(self.comment_ids)


def due_for_disposal(session: Session, now: datetime, limit: int = BATCH) -> list[Comment]:
    return list(session.scalars(
        select(Comment).where(Comment.retain_until.is_not(None), Comment.retain_until <= now,
                              Comment.disposed_at.is_(None))
        .order_by(Comment.retain_until, Comment.id).limit(limit)))


def dispose(session: Session, *, now: datetime, dry_run: bool, actor: str = RETENTION_ACTOR,
            limit: int = BATCH) -> RetentionReport:
    """Dispose of (or, dry run, list) the comments past their retention; not committed."""
    due = due_for_disposal(session, now, limit)
    report = RetentionReport(dry_run=dry_run, comment_ids=tuple(c.id for c in due))
    if dry_run or not due:
        return report
    for comment in due:
        comment.text = ""
        comment.author_handle = ""
        comment.author_name = ""
        comment.url = None
        comment.in_reply_to = None
        comment.findings = []
        comment.disposed_at = now
    session.flush()
    audit.record(session, actor=actor, action="retention.disposed", subject="retention:comments",
                 details={"comments": list(report.comment_ids), "count": report.count,
                          "rule": "retain_until passed (pack retention.moderation_records_years)"})
    return report


__all__ = ["RetentionReport", "dispose", "due_for_disposal"]
