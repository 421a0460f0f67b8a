"""Moderation actions and delegates. Record first: every action is stored with its reason, who
acted and when, in the same transaction as its audit event, and a comment's text is never
removed: hiding or deleting it on the platform only changes its state here.

Every action needs a reason from the pack's `moderation_reasons` whose `actions` list names that
action (the transparency statement publishes the same reasons), and takes an optional note.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaitiaki.audit import service as audit
from kaitiaki.checker import CompiledPack, check
from kaitiaki.checker.items import MAX_TEXT_CHARS, Result
from kaitiaki.checker.render import mask_for_storage
from kaitiaki.complaints import service as complaints
from kaitiaki.common.work import UnitOfWork
from kaitiaki.common.rows import AlreadyDone, ChangedMeanwhile, ago, compare_and_set
from kaitiaki.errors import BadInput, Conflict, FieldError, InvalidTransition, NotFound
from kaitiaki.models import BlockedAuthor, Channel, Comment, ModerationAction, ModerationDelegate, User
from kaitiaki.moderation import permissions
from kaitiaki.moderation.ingest import author_key, checker_item
from kaitiaki.moderation.transitions import ACTION_LABELS, COMMENT_WORKFLOW, REMOVED_STATES
from kaitiaki.moderation.formats import CommentIn
from kaitiaki.people import queries as people_queries
from kaitiaki.policy.schema import ModerationReason
from kaitiaki.register.permissions import require_business_owner
from kaitiaki.common.forms import FieldErrors, clean_text
from kaitiaki.register.service import subject_of
from kaitiaki.timeutil import utcnow

MAX_NOTE_CHARS = 2000
MAX_BULK = 500
# Actions that need more than a reason; bulk actions are for removing comments in numbers.
BULK_ACTIONS = ("spam", "hide", "delete", "keep")


class ReplyBlocked(BadInput):
    """The checker blocked the reply; `result` holds its findings to show the moderator."""

    def __init__(self, result: Result):
        super().__init__(
            "The checker blocked this reply; change it and check it again.",
            fields=[FieldError(["reply"], f.message) for f in result.findings if f.severity == "block"],
        )
        self.result = result


@dataclass(frozen=True)
class ActionRequest:
    action: str
    reason: str
    note: str = ""
    reply: str = ""  # the reply's text, for `reply`
    complaint_category: str = ""  # one of the pack's complaint categories, for `complaint`


def comment_subject(comment: Comment) -> str:
    return f"comment:{comment.id}"


def reasons_for(pack: CompiledPack, action: str) -> list[ModerationReason]:
    return [reason for reason in pack.meta.moderation_reasons if action in reason.actions]


def require_comment(session: Session, comment_id: int, *, for_update: bool = False) -> Comment:
    statement = select(Comment).where(Comment.id == comment_id)
    if for_update:
        # The latest state, locked (PostgreSQL; on SQLite the write transaction's lock): two
        # moderators acting on one comment take turns, and the second sees the first's action.
        statement = statement.with_for_update(of=Comment).execution_options(populate_existing=True)
    comment = session.scalar(statement)
    if comment is None:
        raise NotFound(f"There is no comment number {comment_id}.")
    return comment


def _validate(pack: CompiledPack, request: ActionRequest, errors: FieldErrors) -> str:
    if request.action not in ACTION_LABELS:
        errors.add("action", f"Choose an action: {', '.join(ACTION_LABELS)}.")
        return ""
    allowed = reasons_for(pack, request.action)
    if not request.reason.strip():
        errors.add("reason", f"Choose the reason for this action: {', '.join(r.code for r in allowed)}.")
    elif request.reason not in {r.code for r in allowed}:
        known = {r.code for r in pack.meta.moderation_reasons}
        what = "is not a reason for" if request.reason in known else "is not one of the pack's reasons; use one for"
        errors.add("reason", f"{request.reason!r} {what} {ACTION_LABELS[request.action].lower()}: "
                             f"{', '.join(r.code for r in allowed) or 'the pack has none'}.")
    return clean_text(request.note, errors, "note", "the note", required=False,
                      max_length=MAX_NOTE_CHARS)


def check_reply(pack: CompiledPack, comment: Comment, text: str) -> Result:
    """Check a reply to `comment` as the checker's kind `reply`, with the comment as its target."""
    item = checker_item(comment.channel, CommentIn(number=0, external_id=f"reply-{comment.id}",
                                                   text=text))
    item.update(kind="reply", target={"handle": comment.author_handle, "text": comment.text})
    return check(item, pack)


def act(
    work: UnitOfWork, *, comment_id: int, user: User, request: ActionRequest,
    retention_years: int | None = None,
) -> ModerationAction:
    """Apply one moderator's action to one comment and record it (flushed, not committed)."""
    session, pack = work.session, work.pack
    comment = require_comment(session, comment_id, for_update=True)
    permissions.require_can_moderate(session, user, comment.channel)
    errors = FieldErrors()
    note = _validate(pack, request, errors)
    reply = ""
    if request.action == "reply":
        reply = clean_text(request.reply, errors, "reply", "the reply", max_length=MAX_TEXT_CHARS)
        limit = pack.meta.platform_limits.get(comment.channel.platform)
        if reply and limit and len(reply) > limit:
            errors.add("reply", f"The reply is {len(reply)} characters; {comment.channel.platform} "
                                f"allows {limit}.")
    if request.action == "complaint":
        categories = {c.code: c for c in pack.meta.complaint_categories}
        if request.complaint_category not in categories:
            errors.add("complaint_category", "Choose the complaint's category: "
                                             f"{', '.join(categories)}.")
    errors.raise_if_any()
    _refuse_if_done(session, comment, request.action)
    to_state = COMMENT_WORKFLOW.apply(comment.state, request.action)
    now = work.now()
    record = ModerationAction(
        comment_id=comment.id, channel_id=comment.channel_id, action=request.action,
        reason_code=request.reason, note=note or None, from_state=comment.state, to_state=to_state,
        actor_id=user.id, acted_at=now,
    )
    if request.action == "reply":
        result = check_reply(pack, comment, reply)
        if result.decision == "block":
            raise ReplyBlocked(result)
        record.reply_text = reply
        record.reply_decision = result.decision
        record.reply_result = mask_for_storage(result).model_dump(mode="json")
    if request.action == "complaint":
        complaint = complaints.file_from_comment(work, comment=comment, actor=user,
                                                 category=request.complaint_category,
                                                 note=note or None)
        record.complaint_id = complaint.id
    if not compare_and_set(session, comment, "state", record.from_state, to_state,
                           state_changed_at=now):
        raise ChangedMeanwhile("Someone else acted on this comment a moment ago; reload it and "
                               "choose again.")
    session.add(record)
    session.flush()
    if request.action == "block":
        _block_author(session, comment, record, now)
    _move(comment, to_state, now, pack, retention_years)
    audit.record(
        session, actor=user.email, action=f"comment.{request.action}", subject=comment_subject(comment),
        details={"action_id": record.id, "channel": comment.channel_id, "reason": request.reason,
                 "note": note, "from": record.from_state, "to": to_state,
                 "reply_decision": record.reply_decision, "complaint": record.complaint_id},
    )
    return record


def _refuse_if_done(session: Session, comment: Comment, action: str) -> None:
    """The comment was already moved where this action leads (two moderators on one comment):
    the usual refusal, and who did it and when."""
    if COMMENT_WORKFLOW.can(comment.state, action):
        return
    last = session.scalars(
        select(ModerationAction).where(ModerationAction.comment_id == comment.id)
        .order_by(ModerationAction.id.desc()).limit(1)
    ).first()
    refusal = COMMENT_WORKFLOW.refusal(comment.state, action)
    if last is None:
        raise InvalidTransition(refusal)
    actor = session.get(User, last.actor_id)
    who = actor.name if actor is not None else "Someone"
    raise AlreadyDone(f"{refusal} {who} {COMMENT_WORKFLOW.actions.get(last.action, last.action)} "
                      f"it {ago(last.acted_at)}.")


def _move(comment: Comment, to_state: str, now: datetime, pack: CompiledPack,
          retention_years: int | None) -> None:
    comment.state = to_state
    comment.state_changed_at = now
    if to_state in REMOVED_STATES and comment.retain_until is None:
        years = retention_years or (pack.meta.retention.moderation_records_years
                                    if pack.meta.retention else None)
        if years:
            comment.retain_until = now + timedelta(days=round(365.25 * years))


def _block_author(session: Session, comment: Comment, record: ModerationAction, now: datetime) -> None:
    key = author_key(comment.author_handle)
    if not key:
        raise BadInput("This comment has no author handle, so there is nobody to block.",
                       fields=[FieldError(["action"], "The comment has no author handle.")])
    session.add(BlockedAuthor(channel_id=comment.channel_id, author_key=key, action_id=record.id,
                              blocked_at=now))


def act_on_many(
    work: UnitOfWork, *, comment_ids: Sequence[int], user: User, request: ActionRequest,
) -> list[ModerationAction]:
    """One action with one reason on many comments (spam waves). All or nothing."""
    if request.action not in BULK_ACTIONS:
        raise BadInput(f"Bulk actions are {', '.join(BULK_ACTIONS)}; "
                       f"{ACTION_LABELS.get(request.action, request.action).lower()} one comment at a time.",
                       fields=[FieldError(["action"], "Not available as a bulk action.")])
    ids = list(dict.fromkeys(comment_ids))
    if not ids:
        raise BadInput("Choose at least one comment.", fields=[FieldError(["ids"], "Choose at least one comment.")])
    if len(ids) > MAX_BULK:
        raise BadInput(f"At most {MAX_BULK} comments at a time.")
    return [act(work, comment_id=i, user=user, request=request) for i in ids]


# --- delegates -----------------------------------------------------------------------------------


def delegate(session: Session, *, owner: User, channel: Channel, person_email: str,
             reason: str = "") -> ModerationDelegate:
    """The business owner asks a person to moderate the channel's comments."""
    require_business_owner(owner, channel, "choose who moderates comments")
    errors = FieldErrors()
    person = people_queries.get_user_by_email(session, person_email.strip()) if person_email.strip() else None
    if not person_email.strip():
        errors.add("email", "Enter the email address of the person who will moderate.")
    elif person is None or not person.is_active or person.left_at is not None:
        errors.add("email", f"Nobody with an active account has the email address {person_email.strip()}.")
    reason = clean_text(reason, errors, "reason", "the reason", required=False)
    errors.raise_if_any()
    assert person is not None
    if person.id == channel.business_owner_id:
        raise Conflict(f"{person.name} is the business owner and already moderates @{channel.handle}.",
                       fields=[FieldError(["email"], "The business owner already moderates.")])
    if permissions.is_delegate(session, person, channel):
        raise Conflict(f"{person.name} already moderates @{channel.handle}.",
                       fields=[FieldError(["email"], f"{person.name} already moderates.")])
    grant = ModerationDelegate(channel_id=channel.id, user=person, reason=reason, granted_by_id=owner.id,
                               granted_at=utcnow())
    session.add(grant)
    session.flush()
    audit.record(session, actor=owner.email, action="moderation.delegate_added",
                 subject=subject_of(channel),
                 details={"delegate": grant.id, "person": person.email, "reason": reason})
    return grant


def revoke_delegate(session: Session, *, owner: User, channel: Channel, delegate_id: int) -> ModerationDelegate:
    require_business_owner(owner, channel, "choose who moderates comments")
    grant = session.get(ModerationDelegate, delegate_id)
    if grant is None or grant.channel_id != channel.id:
        raise NotFound(f"There is no moderator number {delegate_id} on @{channel.handle}.")
    if grant.revoked_at is not None:
        raise Conflict(f"{grant.user.name} no longer moderates @{channel.handle}.")
    grant.revoked_at = utcnow()
    grant.revoked_by_id = owner.id
    session.flush()
    audit.record(session, actor=owner.email, action="moderation.delegate_removed",
                 subject=subject_of(channel), details={"delegate": grant.id, "person": grant.user.email})
    return grant


__all__ = [
    "ActionRequest", "BULK_ACTIONS", "MAX_NOTE_CHARS", "ReplyBlocked", "act", "act_on_many",
    "check_reply", "comment_subject", "delegate", "reasons_for", "require_comment", "revoke_delegate",
]
