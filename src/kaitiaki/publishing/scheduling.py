"""Publishing at a chosen New Zealand time.

A submitted draft gets a time (`scheduled_for`, stored in UTC, chosen and shown in the configured
zone, Pacific/Auckland by default); its author can change the time or take it away again, each
audited. The due-posts job (kaitiaki.jobs.due_posts) finds the drafts whose time has come, claims
each one once (`send_claimed_at`, so two workers never send the same post) and hands it to the
send step, which checks it again with the pack in force at that moment and verifies the author is
still authorised. A claimed post that did not go out (stopped, failed, or due by hand) is not
tried again by itself: its author is told, and choosing a new time tries again.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaitiaki.audit import service as audit
from kaitiaki.common.rows import compare_and_set, lock_latest
from kaitiaki.errors import BadInput, FieldError
from kaitiaki.models import Draft, User
from kaitiaki.publishing import permissions
from kaitiaki.publishing.service import subject_of
from kaitiaki.publishing.transitions import DRAFT_WORKFLOW
from kaitiaki.timeutil import ensure_utc, to_local, utcnow

# Far enough ahead to change one's mind; near enough that the post and its check still apply.
EARLIEST_AHEAD = timedelta(minutes=2)
LATEST_AHEAD = timedelta(days=365)
FIELD = "scheduled_for"


def _refuse(message: str) -> BadInput:
    return BadInput(message, fields=[FieldError([FIELD], message)])


def spoken_time(value: datetime, zone: ZoneInfo) -> str:
    local = to_local(value, zone)
    return f"{local:%-I:%M %p, %A %-d %B %Y}".replace("AM", "am").replace("PM", "pm")


def local_time(value: str, zone: ZoneInfo) -> datetime:
    """A date and time typed in the zone (a `datetime-local` field: 2026-12-08T09:30), in UTC.
    A time that does not exist there (the hour skipped when daylight saving starts) is refused;
    a time that happens twice (when it ends) is the first one."""
    text = (value or "").strip()
    if not text:
        raise _refuse("Enter the date and time to publish it, in New Zealand time.")
    try:
        naive = datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        raise _refuse("Enter the date and time as 2026-12-08 09:30 (New Zealand time).") from None
    if naive.tzinfo is not None:
        return ensure_utc(naive)
    placed = naive.replace(tzinfo=zone)
    if to_local(placed, zone).replace(tzinfo=None) != naive:
        raise _refuse(f"{naive:%-I:%M %p on %-d %B %Y} does not happen in New Zealand: the clocks "
                      "go forward an hour that night. Choose a time after 3:00 am.")
    return ensure_utc(placed)


def schedule(session: Session, *, user: User, draft: Draft, at: datetime, zone: ZoneInfo,
             now: datetime | None = None) -> Draft:
    """Set (or change) when the submitted draft goes out."""
    permissions.require_can_post(session, user, draft)
    draft = lock_latest(session, draft)  # the latest state; one change at a time
    DRAFT_WORKFLOW.apply(draft.state, "schedule")
    now = ensure_utc(now or utcnow())
    at = ensure_utc(at).replace(second=0, microsecond=0)
    if at < now + EARLIEST_AHEAD:
        raise _refuse(f"Choose a time at least {EARLIEST_AHEAD.seconds // 60} minutes from now "
                      f"(it is {spoken_time(now, zone)} in New Zealand). To publish now, record it "
                      "as published.")
    if at > now + LATEST_AHEAD:
        raise _refuse(f"Choose a time within a year (by {spoken_time(now + LATEST_AHEAD, zone)}); "
                      "the policy and the check may have changed by then.")
    before = draft.scheduled_for
    draft.scheduled_for = at
    draft.send_claimed_at = None  # a new time is a new try
    draft.updated_at = now
    session.flush()
    audit.record(session, actor=user.email,
                 action="draft.rescheduled" if before is not None else "draft.scheduled",
                 subject=subject_of(draft),
                 details={"at": at.isoformat(), "from": before.isoformat() if before else None,
                          "version": draft.current_version})
    return draft


def unschedule(session: Session, *, user: User, draft: Draft, now: datetime | None = None) -> Draft:
    """Take the time away: the draft stays submitted and does not go out by itself."""
    permissions.require_can_post(session, user, draft)
    draft = lock_latest(session, draft)
    DRAFT_WORKFLOW.apply(draft.state, "unschedule")
    if draft.scheduled_for is None:
        raise _refuse("This post has no time set.")
    before = draft.scheduled_for
    draft.scheduled_for = None
    draft.send_claimed_at = None
    draft.updated_at = ensure_utc(now or utcnow())
    session.flush()
    audit.record(session, actor=user.email, action="draft.unscheduled", subject=subject_of(draft),
                 details={"from": before.isoformat()})
    return draft


def due_draft_ids(session: Session, now: datetime) -> list[int]:
    """Submitted drafts whose time has come and that no worker has claimed, oldest time first."""
    return list(session.scalars(
        select(Draft.id).where(Draft.state == "submitted", Draft.scheduled_for.is_not(None),
                               Draft.scheduled_for <= ensure_utc(now),
                               Draft.send_claimed_at.is_(None))
        .order_by(Draft.scheduled_for, Draft.id)))


def claim_for_sending(session: Session, draft_id: int, now: datetime) -> bool:
    """Claim the due draft for this worker; False when another worker claimed it first (or it
    was changed meanwhile). The caller commits the claim before sending."""
    draft = session.get(Draft, draft_id)
    if draft is None or draft.state != "submitted" or draft.scheduled_for is None:
        return False
    if ensure_utc(draft.scheduled_for) > ensure_utc(now):
        return False
    return compare_and_set(session, draft, "send_claimed_at", None, ensure_utc(now))


def send_pending(draft: Draft) -> bool:
    """Scheduled, and the due-posts job has not taken it yet."""
    return draft.state == "submitted" and draft.scheduled_for is not None \
        and draft.send_claimed_at is None


__all__ = ["EARLIEST_AHEAD", "LATEST_AHEAD", "claim_for_sending", "due_draft_ids", "local_time",
           "schedule", "send_pending", "spoken_time", "unschedule"]
