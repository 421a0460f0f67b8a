"""Check and store incoming comments, in batches, idempotently by (platform, external id).

Each batch is checked with the checker (kind `comment`) and written with one bulk insert that
skips comments already stored (`ON CONFLICT DO NOTHING` on SQLite and PostgreSQL), so importing
the same file twice stores nothing new. A batch is written in its caller's transaction; the CLI
commits after each batch, so a failure part-way loses no batch that was reported as stored and
never leaves a half-stored comment (an API request, at most 1,000 comments, is one transaction).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from kaitiaki.audit import service as audit
from kaitiaki.checker import CompiledPack
from kaitiaki.checker.items import Platform, Result
from kaitiaki.checker.render import mask_for_storage
from kaitiaki.models import BlockedAuthor, Channel, Comment
from kaitiaki.moderation.checking import CheckBatch, inline_checker
from kaitiaki.moderation.formats import CommentIn, Parsed, RecordError
from kaitiaki.moderation.transitions import STATE_FOR_DECISION
from kaitiaki.register.service import subject_of
from kaitiaki.timeutil import utcnow

BATCH_SIZE = 1000
# PostgreSQL's statistics of the comments table are refreshed after every this many comments an
# import stores, and at its end.
ANALYZE_AFTER = 10_000
SEVERITY_RANK = {"block": 3, "warn": 2, "advise": 1}
# Findings of these categories blur the comment's text until the moderator chooses to read it.
SENSITIVE_CATEGORIES = frozenset({"offensive", "threat", "hate_or_discrimination"})
_CHECKER_PLATFORMS = {platform.value for platform in Platform}

Progress = Callable[[int], None]


@dataclass
class ImportReport:
    """What an import did. `errors` name each refused record by its line, row or item number."""

    channel: str
    stored: int = 0
    already_stored: int = 0
    errors: list[RecordError] = field(default_factory=list)
    by_decision: dict[str, int] = field(default_factory=lambda: {"block": 0, "warn": 0, "pass": 0})

    def as_dict(self) -> dict[str, Any]:
        return {
            "channel": self.channel, "stored": self.stored, "already_stored": self.already_stored,
            "by_decision": dict(self.by_decision),
            "errors": [{"number": e.number, "message": e.message} for e in self.errors],
        }


def author_key(handle: str) -> str:
    return handle.strip().lstrip("@").lower()


def severity_rank(result: Result) -> int:
    """3 block, 2 warn, 1 advise only, 0 nothing found; a blocked threat of harm ranks 4, above
    every other comment, because someone may be in danger."""
    return max((SEVERITY_RANK[f.severity] + (f.severity == "block" and f.category == "threat")
                for f in result.findings), default=0)


def checker_item(channel: Channel, record: CommentIn) -> dict[str, Any]:
    platform = channel.platform if channel.platform in _CHECKER_PLATFORMS else "other"
    return {"id": record.external_id, "kind": "comment", "text": record.text,
            "platform": platform, "channel": channel.handle}


def comment_row(channel: Channel, record: CommentIn, result: Result, *, received_at: datetime,
                blocked: bool) -> dict[str, Any]:
    stored = mask_for_storage(result)
    categories = {finding.category for finding in stored.findings}
    state = STATE_FOR_DECISION[result.decision]
    if blocked and state == "visible":
        state = "review"  # a blocked author's new comment always gets a second look
    return {
        "channel_id": channel.id, "platform": channel.platform, "external_id": record.external_id,
        "author_handle": record.author_handle, "author_name": record.author_name,
        "text": record.text, "url": record.url, "in_reply_to": record.in_reply_to,
        "posted_at": record.posted_at, "received_at": received_at, "decision": result.decision,
        "severity_rank": severity_rank(result),
        "categories": " " + " ".join(sorted(categories)) + " ",
        "sensitive": bool(categories & SENSITIVE_CATEGORIES),
        "findings": [finding.model_dump(mode="json") for finding in stored.findings],
        "pack_id": result.pack, "state": state, "state_changed_at": None, "retain_until": None,
    }


def _insert_skipping_stored(session: Session):  # noqa: ANN202 - a dialect's Insert
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        return sqlite_insert(Comment).on_conflict_do_nothing(index_elements=["platform", "external_id"])
    return insert(Comment)


def insert_comment_rows(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Write a batch of comment rows, skipping any stored meanwhile (same platform and id), in the
    session's transaction. PostgreSQL takes the batch as COPY into a staging table and one INSERT
    ... SELECT (a round trip or two, not one statement per row); SQLite as one executemany."""
    if not rows:
        return
    if session.get_bind().dialect.name == "postgresql":
        _copy_comment_rows(session, rows)
    else:
        session.execute(_insert_skipping_stored(session), rows)


_STAGING = "comments_incoming"


def _copy_comment_rows(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    dialect = session.get_bind().dialect
    columns = [column for column in Comment.__table__.columns if column.name in rows[0]]
    # each value as SQLAlchemy would bind it (UTC times, JSON), since COPY bypasses its types
    processors = [(column.name, column.type.dialect_impl(dialect).bind_processor(dialect)) for column in columns]
    names = ", ".join(column.name for column in columns)
    cursor = session.connection().connection.driver_connection.cursor()
    with cursor:
        # a temporary table lives with the connection, so each pooled connection makes it once
        cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {_STAGING} ON COMMIT DELETE ROWS AS "
                       f"SELECT {names} FROM comments WITH NO DATA")
        with cursor.copy(f"COPY {_STAGING} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([process(row[name]) if process else row[name] for name, process in processors])
        cursor.execute(f"WITH staged AS (DELETE FROM {_STAGING} RETURNING {names}) "
                       f"INSERT INTO comments ({names}) SELECT {names} FROM staged "
                       "ON CONFLICT (platform, external_id) DO NOTHING")


def blocked_authors(session: Session, channel: Channel) -> set[str]:
    return set(session.scalars(
        select(BlockedAuthor.author_key).where(BlockedAuthor.channel_id == channel.id)
    ))


def fresh_records(session: Session, channel: Channel, records: Sequence[CommentIn],
                  report: ImportReport, seen: set[str]) -> list[CommentIn]:
    """The records not stored yet and not earlier in this import; the rest count as stored."""
    stored_ids = set(session.scalars(
        select(Comment.external_id).where(
            Comment.platform == channel.platform,
            Comment.external_id.in_([r.external_id for r in records]),
        )
    ))
    fresh: list[CommentIn] = []
    for record in records:
        if record.external_id in stored_ids or record.external_id in seen:
            report.already_stored += 1
        else:
            seen.add(record.external_id)
            fresh.append(record)
    return fresh


def store_checked(session: Session, *, channel: Channel, records: Sequence[CommentIn],
                  results: Sequence[Result], report: ImportReport, blocked: set[str]) -> None:
    """Store checked comments with one bulk insert (flushed, not committed)."""
    if not records:
        return
    now = utcnow()
    rows = [
        comment_row(channel, r, result, received_at=now, blocked=author_key(r.author_handle) in blocked)
        for r, result in zip(records, results, strict=True)
    ]
    insert_comment_rows(session, rows)
    report.stored += len(rows)
    for row in rows:
        report.by_decision[row["decision"]] += 1


def import_comments(
    session: Session,
    *,
    channel: Channel,
    pack: CompiledPack,
    records: Iterable[Parsed],
    actor: str,
    source: str,
    commit_each_batch: Callable[[], None] | None = None,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
    check_batch: CheckBatch | None = None,
    in_flight: int = 1,
) -> ImportReport:
    """Check and store `records`; refused records go into the report with their numbers.

    `commit_each_batch` (the CLI passes session.commit) ends each batch's transaction; without it
    everything stays in the caller's one transaction. `check_batch` (default: inline with `pack`)
    may be a worker pool (kaitiaki.moderation.checking); up to `in_flight` batches are then
    checked while earlier ones are stored, always in file order. One audit event records the
    import.
    """
    report = ImportReport(channel=channel.label)
    blocked = blocked_authors(session, channel)
    check = check_batch or inline_checker(pack)
    seen: set[str] = set()
    pending: deque[tuple[list[CommentIn], int, Future[list[Result]]]] = deque()
    batch: list[CommentIn] = []
    on_postgresql = session.get_bind().dialect.name == "postgresql"
    analysed = 0  # comments stored when the statistics were last refreshed

    def refresh_statistics() -> None:
        # PostgreSQL's planner would otherwise read the table from statistics taken before the
        # import: each batch's look-up of stored ids becomes a full scan (an import slows as it
        # grows), and so does the queue's first page until autovacuum catches up.
        nonlocal analysed
        session.execute(text("ANALYZE comments"))
        analysed = report.stored

    def store_oldest() -> None:
        fresh, size, future = pending.popleft()
        store_checked(session, channel=channel, records=fresh, results=future.result(),
                      report=report, blocked=blocked)
        if on_postgresql and report.stored - analysed >= ANALYZE_AFTER:
            refresh_statistics()
        if commit_each_batch is not None:
            commit_each_batch()
        if progress is not None:
            progress(size)

    def submit() -> None:
        if batch:
            fresh = fresh_records(session, channel, batch, report, seen)
            pending.append((fresh, len(batch), check([checker_item(channel, r) for r in fresh])))
            batch.clear()
        while len(pending) > max(0, in_flight - 1):
            store_oldest()

    for record in records:
        if isinstance(record, RecordError):
            report.errors.append(record)
            if progress is not None:
                progress(1)
            continue
        batch.append(record)
        if len(batch) >= batch_size:
            submit()
    submit()
    while pending:
        store_oldest()
    if on_postgresql and report.stored >= ANALYZE_AFTER and report.stored > analysed:
        refresh_statistics()
    audit.record(session, actor=actor, action="comments.imported", subject=subject_of(channel),
                 details={"source": source, "stored": report.stored,
                          "already_stored": report.already_stored, "refused": len(report.errors),
                          "by_decision": report.by_decision})
    return report


__all__ = [
    "BATCH_SIZE", "ImportReport", "SENSITIVE_CATEGORIES", "author_key", "blocked_authors",
    "checker_item", "comment_row", "fresh_records", "import_comments", "insert_comment_rows", "severity_rank",
    "store_checked",
]
