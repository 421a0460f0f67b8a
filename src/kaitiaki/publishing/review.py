"""The optional second-person review, a setting of each channel.

On a channel with `review_required`, a submitted post waits in review (DRAFT_WORKFLOW's
`in_review`) until someone else who may post on the channel, or the channel's business owner,
reads it with its check result and approves it (it is then submitted, ready to be scheduled or
published) or returns it with a comment (the author changes it, checks it and submits it again).
Nobody reviews their own post. An exception keeps its own approval by the business owner; the
review comes after it. Each decision is audited and the author is told.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaitiaki.audit import service as audit
from kaitiaki.common.access import require_active
from kaitiaki.common.forms import FieldErrors, clean_text
from kaitiaki.common.rows import lock_latest
from kaitiaki.errors import NotPermitted
from kaitiaki.models import Channel, Draft, DraftReview, User
from kaitiaki.notify import outbox
from kaitiaki.publishing.schemas import MAX_JUSTIFICATION
from kaitiaki.publishing.service import current_version, draft_path, subject_of
from kaitiaki.publishing.transitions import DRAFT_WORKFLOW
from kaitiaki.register import service as register_service
from kaitiaki.publishing.reviewers import may_review_on
from kaitiaki.register.permissions import require_business_owner
from kaitiaki.timeutil import utcnow


def can_review(session: Session, user: User, draft: Draft) -> bool:
    return (draft.state == "in_review" and draft.author_id != user.id
            and may_review_on(session, user, draft.channel))


def require_can_review(session: Session, user: User, draft: Draft) -> None:
    require_active(user)
    if draft.author_id == user.id:
        raise NotPermitted("Nobody reviews their own post: someone else authorised on "
                           f"@{draft.channel.handle} reviews it.")
    if not may_review_on(session, user, draft.channel):
        raise NotPermitted(f"Only people authorised to post on @{draft.channel.handle}, or its "
                           f"business owner, {draft.channel.business_owner.name}, review its posts.")


def decide(session: Session, *, user: User, draft: Draft, approve: bool,
           comment: str = "") -> DraftReview:
    """Approve the draft in review, or return it to its author with a comment (required)."""
    require_can_review(session, user, draft)
    draft = lock_latest(session, draft)  # the latest state; one decision at a time
    state = DRAFT_WORKFLOW.apply(draft.state, "approve" if approve else "return")
    errors = FieldErrors()
    comment = clean_text(comment or "", errors, "comment",
                         "a comment for the author: what to change", required=not approve,
                         max_length=MAX_JUSTIFICATION)
    errors.raise_if_any()
    current = current_version(session, draft)
    now = utcnow()
    review = DraftReview(draft_id=draft.id, version_id=current.id, reviewer_id=user.id,
                         decision="approved" if approve else "returned", comment=comment or None,
                         decided_at=now)
    session.add(review)
    draft.state = state
    draft.updated_at = now
    session.flush()
    audit.record(session, actor=user.email,
                 action="draft.review_approved" if approve else "draft.review_returned",
                 subject=subject_of(draft),
                 details={"review": review.id, "version": current.number, "comment": comment})
    told = (f"{user.name} approved your {draft.kind} {draft.id} on @{draft.channel.handle}: "
            "schedule it or publish it." if approve else
            f"{user.name} returned your {draft.kind} {draft.id} on @{draft.channel.handle}: "
            f"{comment}")
    outbox.add_notice(session, [draft.author], told, link=draft_path(draft),
                      key=f"review:{review.id}:decided")
    return review


def set_review_required(session: Session, *, user: User, channel: Channel,
                        required: bool) -> Channel:
    """The business owner turns the second-person review on or off for the channel. Posts
    already in review stay there; turning it off does not approve them."""
    require_business_owner(user, channel, "change whether posts are reviewed")
    channel = lock_latest(session, channel)
    if channel.review_required == required:
        return channel
    channel.review_required = required
    session.flush()
    audit.record(session, actor=user.email, action="channel.review_setting_changed",
                 subject=register_service.subject_of(channel),
                 details={"review_required": required})
    return channel


def reviews_of(session: Session, draft: Draft) -> list[DraftReview]:
    """Every review decision on the draft, newest first."""
    return list(session.scalars(
        select(DraftReview).where(DraftReview.draft_id == draft.id)
        .order_by(DraftReview.decided_at.desc(), DraftReview.id.desc())))


def reviews_waiting_for(session: Session, user: User) -> list[Draft]:
    """Drafts in review that this person may review (not their own), oldest first."""
    waiting = session.scalars(
        select(Draft).where(Draft.state == "in_review", Draft.author_id != user.id)
        .order_by(Draft.submitted_at, Draft.id))
    return [draft for draft in waiting if may_review_on(session, user, draft.channel)]


__all__ = ["can_review", "decide", "require_can_review", "reviews_of", "reviews_waiting_for",
           "set_review_required"]
