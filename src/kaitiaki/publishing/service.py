"""Changes to drafts: compose, revise, check, acknowledge warnings, ask for and decide exceptions,
submit, record publication, withdraw. Each checks permission (publishing.permissions), moves the
state through DRAFT_WORKFLOW and records an audit event (subject "draft:<id>") in the same
transaction; nothing here commits.

The audit log names versions and the SHA-256 of their words rather than the words themselves: a
draft may hold personal information that the checker blocked, and the log is permanent.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from kaitiaki.audit import service as audit
from kaitiaki.audit.service import SYSTEM_ACTOR
from kaitiaki.checker import CompiledPack, Item, Result, check
from kaitiaki.checker.render import mask_for_storage
from kaitiaki.errors import BadInput, Conflict, FieldError, InvalidTransition, NotFound, NotPermitted
from kaitiaki.models import (
    Channel,
    Draft,
    DraftAcknowledgement,
    DraftException,
    DraftImage,
    DraftVersion,
    User,
)
from kaitiaki.notify import outbox
from kaitiaki.publishing import permissions, queries
from kaitiaki.publishing.reviewers import tell_reviewers
from kaitiaki.publishing.connectors import Connector, PublicationItem, PublishedRef, reported_ref
from kaitiaki.publishing.images import ImageIn, place_in_alt_texts
from kaitiaki.publishing.schemas import (
    CONTENT_LIMITS,
    MAX_JUSTIFICATION,
    DraftInput,
    checker_item,
    clean_draft,
)
from kaitiaki.publishing.transitions import DRAFT_WORKFLOW
from kaitiaki.register import queries as register_queries
from kaitiaki.register import service as register_service
from kaitiaki.register.permissions import is_comms_staff
from kaitiaki.common.access import require_active
from kaitiaki.common.forms import FieldErrors, clean_text, end_of_day
from kaitiaki.common.rows import lock_latest
from kaitiaki.timeutil import ensure_utc, to_local, utcnow

# Clocks differ a little between the poster's device and the server.
CLOCK_SKEW = timedelta(minutes=5)


def subject_of(draft: Draft) -> str:
    return f"draft:{draft.id}"


def draft_path(draft: Draft) -> str:
    return f"/drafts/{draft.id}"


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_digests(version_: DraftVersion) -> dict[str, Any]:
    """What the audit log keeps of a version's content: digests, never the words or images."""
    digests: dict[str, Any] = {"text_sha256": text_digest(version_.text)}
    if version_.images:
        digests["images_sha256"] = [image.sha256 for image in version_.images]
    return digests


def require_draft(session: Session, draft_id: int) -> Draft:
    draft = queries.get_draft(session, draft_id)
    if draft is None:
        raise NotFound(f"There is no draft number {draft_id}.")
    return draft


def current_version(session: Session, draft: Draft) -> DraftVersion:
    found = queries.version(session, draft)
    if found is None:  # a draft is created with its first version in one transaction
        raise NotFound(f"Draft {draft.id} has no saved version.")
    return found


def platform_limits(pack: CompiledPack) -> dict[str, int]:
    return dict(pack.meta.platform_limits)


# --- composing ---------------------------------------------------------------------------------


def validate(session: Session, *, user: User, pack: CompiledPack, channel_id: int | None,
             data: DraftInput) -> tuple[Channel, DraftInput]:
    """The channel and the cleaned input, or BadInput with a field error for each problem.
    A channel the person may not post on is refused outright (NotPermitted)."""
    require_active(user)
    errors = FieldErrors()
    channel = register_queries.get_channel(session, channel_id) if channel_id else None
    if channel is None:
        errors.add("channel_id", "Choose one of the channels you are authorised to post on.")
    elif not register_service.can_post(session, user, channel):
        raise NotPermitted(f"You are not authorised to post on @{channel.handle} "
                           f"({channel.platform}); its business owner, "
                           f"{channel.business_owner.name}, can authorise you.")
    has_comment = False
    if channel is not None and data.kind.strip().lower() == "reply" and data.reply_to_comment_id:
        comment = queries.channel_comment(session, channel, data.reply_to_comment_id)
        if comment is None:
            errors.add("reply_to_comment_id", f"Comment {data.reply_to_comment_id} is not in the "
                                              f"moderation queue of @{channel.handle}.")
        else:
            has_comment = True
            data.reply_to_text = data.reply_to_text.strip() or comment.text
    cleaned = clean_draft(data, platform=channel.platform if channel else "other",
                          limits=platform_limits(pack), errors=errors, has_comment=has_comment)
    errors.raise_if_any()
    assert channel is not None
    return channel, cleaned


def create_draft(session: Session, *, user: User, pack: CompiledPack, channel_id: int | None,
                 data: DraftInput) -> Draft:
    """A new draft with its first version, not yet checked."""
    channel, cleaned = validate(session, user=user, pack=pack, channel_id=channel_id, data=data)
    now = utcnow()
    draft = Draft(channel=channel, author=user, kind=cleaned.kind, state=DRAFT_WORKFLOW.initial,
                  current_version=0, reply_to_comment_id=cleaned.reply_to_comment_id,
                  created_at=now, updated_at=now)
    session.add(draft)
    session.flush()
    new = _add_version(session, draft, cleaned, user)
    audit.record(session, actor=user.email, action="draft.created", subject=subject_of(draft),
                 details={"channel": channel.id, "handle": channel.handle, "kind": draft.kind,
                          "version": new.number, **content_digests(new)})
    return draft


def revise_draft(session: Session, *, user: User, draft: Draft, pack: CompiledPack,
                 data: DraftInput) -> DraftVersion:
    """Save changed words as a new version; it must be checked again."""
    permissions.require_can_post(session, user, draft)
    draft = lock_latest(session, draft)  # the latest state; one change at a time
    state = DRAFT_WORKFLOW.apply(draft.state, "revise")
    data.kind = draft.kind  # what is being written stays what it was
    _channel, cleaned = validate(session, user=user, pack=pack, channel_id=draft.channel_id,
                                 data=data)
    draft.reply_to_comment_id = cleaned.reply_to_comment_id
    new = _add_version(session, draft, cleaned, user)
    draft.state = state
    draft.updated_at = new.created_at
    session.flush()
    audit.record(session, actor=user.email, action="draft.revised", subject=subject_of(draft),
                 details={"version": new.number, **content_digests(new)})
    return new


def _add_version(session: Session, draft: Draft, data: DraftInput, user: User) -> DraftVersion:
    number = draft.current_version + 1
    # An empty field is stored as NULL, except the text (an interaction may have none).
    stored = {name: value or None for name, value in data.content().items()}
    new = DraftVersion(draft_id=draft.id, number=number, **{**stored, "text": data.text},
                       created_by=user, created_at=utcnow())
    new.images = [DraftImage(position=position, alt_text=image.alt, media_type=image.media_type,
                             byte_size=len(image.data), sha256=image.sha256, data=image.data,
                             created_at=new.created_at)
                  for position, image in enumerate(data.images)]
    session.add(new)
    draft.current_version = number
    session.flush()
    return new


def version_item(draft: Draft, version_: DraftVersion, *, published_at: datetime | None) -> Item:
    """The checker's item for one of a draft's versions, to be published at `published_at` (None:
    now), which decides the pack's dated periods in force."""
    reply_author = draft.reply_to_comment.author_handle if draft.reply_to_comment else None
    data = input_of(version_, draft.kind)
    # The checker reads the alt texts; the bytes are not loaded for it.
    data.images = [ImageIn(data=b"", alt=image.alt_text) for image in version_.images]
    return checker_item(data, platform=draft.channel.platform,
                        channel_handle=draft.channel.handle, item_id=subject_of(draft),
                        reply_author=reply_author, published_at=published_at)


def check_version(draft: Draft, version_: DraftVersion, pack: CompiledPack, *,
                  published_at: datetime | None) -> Result:
    """The check of one of a draft's versions, its words and its images' alt texts, with
    personal information masked for storage."""
    result = check(version_item(draft, version_, published_at=published_at), pack)
    placed = place_in_alt_texts(result, version_.text, [image.alt_text for image in version_.images])
    return mask_for_storage(placed)


def input_of(version_: DraftVersion, kind: str) -> DraftInput:
    """A saved version's words as input again (to check it, or to fill the form that changes
    it); its images are the version's own (`images_of`)."""
    return DraftInput(kind=kind, **{name: getattr(version_, name) or ""
                                    for name in CONTENT_LIMITS})


def images_of(version_: DraftVersion) -> list[ImageIn]:
    """A saved version's images with their bytes, to send them or to keep them in a new version."""
    return [ImageIn(data=image.data, alt=image.alt_text, media_type=image.media_type)
            for image in version_.images]


# --- checking ----------------------------------------------------------------------------------


def check_draft(session: Session, *, user: User, draft: Draft, pack: CompiledPack) -> DraftVersion:
    """Check the newest version against the pack and store the result (personal information
    masked) with the pack's exact id."""
    permissions.require_can_post(session, user, draft)
    draft = lock_latest(session, draft)  # the latest state; one change at a time
    state = DRAFT_WORKFLOW.apply(draft.state, "check")
    current = current_version(session, draft)
    # A post scheduled into a dated period (a pre-election period, say) is judged by that period.
    stored = check_version(draft, current, pack, published_at=draft.scheduled_for)
    current.decision = stored.decision
    current.pack_id = stored.pack
    current.findings = [finding.model_dump() for finding in stored.findings]
    current.checked_at = utcnow()
    draft.state = state
    draft.updated_at = current.checked_at
    session.flush()
    audit.record(session, actor=user.email, action="draft.checked", subject=subject_of(draft),
                 details={"version": current.number, "decision": stored.decision,
                          "pack": stored.pack,
                          "findings": [{"rule": f.rule, "severity": f.severity}
                                       for f in stored.findings]})
    return current


def warning_indexes(version_: DraftVersion) -> list[int]:
    return [index for index, finding in enumerate(version_.findings or [])
            if finding.get("severity") == "warn"]


def unacknowledged(session: Session, version_: DraftVersion) -> list[int]:
    done = {ack.finding_index for ack in queries.acknowledgements_of(session, version_)}
    return [index for index in warning_indexes(version_) if index not in done]


def acknowledge(session: Session, *, user: User, draft: Draft,
                indexes: Sequence[int] | None = None) -> list[DraftAcknowledgement]:
    """Record that the poster read and accepts `warn` findings (all of them when `indexes` is
    None). Acknowledging one twice is harmless."""
    permissions.require_can_post(session, user, draft)
    draft = lock_latest(session, draft)  # the latest state; one change at a time
    DRAFT_WORKFLOW.apply(draft.state, "acknowledge")
    current = current_version(session, draft)
    warnings = warning_indexes(current)
    wanted = list(dict.fromkeys(warnings if indexes is None else indexes))
    wrong = [index for index in wanted if index not in warnings]
    if wrong:
        message = (f"Finding {wrong[0]} is not a warning of version {current.number}; only "
                   "warnings are acknowledged.")
        raise BadInput(message, fields=[FieldError(["findings"], message)])
    pending = set(unacknowledged(session, current))
    findings = current.findings or []
    added = []
    for index in wanted:
        if index not in pending:
            continue
        ack = DraftAcknowledgement(version_id=current.id, finding_index=index,
                                   rule=findings[index]["rule"], user_id=user.id,
                                   acknowledged_at=utcnow())
        session.add(ack)
        added.append(ack)
    session.flush()
    if added:
        audit.record(session, actor=user.email, action="draft.warnings_acknowledged",
                     subject=subject_of(draft),
                     details={"version": current.number,
                              "findings": [{"index": a.finding_index, "rule": a.rule}
                                           for a in added]})
    return added


# --- exceptions --------------------------------------------------------------------------------


def request_exception(session: Session, *, user: User, draft: Draft,
                      justification: str) -> DraftException:
    """Ask the channel's business owner to let a version with a `block` finding go ahead."""
    permissions.require_can_post(session, user, draft)
    draft = lock_latest(session, draft)  # the latest state; one change at a time
    state = DRAFT_WORKFLOW.apply(draft.state, "request_exception")
    current = current_version(session, draft)
    if current.decision != "block":
        raise Conflict("Only a block finding needs an exception, and this version has none: "
                       "submit it instead.")
    justification = _reason(justification, "justification",
                            "Write why this should go ahead despite the block finding.")
    exception = DraftException(draft_id=draft.id, version_id=current.id,
                               justification=justification, requested_by=user,
                               requested_at=utcnow(), state="requested")
    session.add(exception)
    draft.state = state
    draft.updated_at = exception.requested_at
    session.flush()
    audit.record(session, actor=user.email, action="draft.exception_requested",
                 subject=subject_of(draft),
                 details={"exception": exception.id, "version": current.number,
                          "justification": justification,
                          "blocking": [f["rule"] for f in current.findings or []
                                       if f.get("severity") == "block"]})
    return exception


def decide_exception(session: Session, *, user: User, draft: Draft, approve: bool,
                     reason: str, until: date | None = None, zone: ZoneInfo | None = None,
                     now: datetime | None = None) -> DraftException:
    """The business owner approves or declines the open exception request, with a reason. An
    approval may run until the end of a day (`until`, in `zone`); after it, the exception lapses."""
    action = "approve_exception" if approve else "decline_exception"
    draft = lock_latest(session, draft)  # the latest state; one change at a time
    state = DRAFT_WORKFLOW.apply(draft.state, action)
    exception = queries.open_exception(session, draft)
    if exception is None:
        raise Conflict("This draft has no exception request waiting for a decision.")
    permissions.require_can_decide(session, user, exception)
    reason = _reason(reason, "reason", "Write the reason for your decision; the poster sees it.")
    now = now or utcnow()
    expires_at = end_of_day(until, zone or UTC) if approve and until else None
    if expires_at is not None and expires_at <= now:
        message = "That day has passed; choose today or a later day, or leave it empty."
        raise BadInput(message, fields=[FieldError(["until"], message)])
    exception.state = "approved" if approve else "declined"
    exception.decided_by = user
    exception.decided_at = now
    exception.decision_reason = reason
    exception.expires_at = expires_at
    draft.state = state
    draft.updated_at = exception.decided_at
    session.flush()
    audit.record(session, actor=user.email,
                 action="draft.exception_approved" if approve else "draft.exception_declined",
                 subject=subject_of(draft),
                 details={"exception": exception.id, "reason": reason,
                          "expires_at": expires_at.isoformat() if expires_at else None})
    lasts = f" until {until:%-d %B %Y}" if expires_at else ""
    outbox.add_notice(session, [exception.requested_by],
                      f"Your exception on draft {draft.id} is {exception.state}{lasts}: {reason}",
                      link=f"/drafts/{draft.id}#exception", key=f"exception:{exception.id}:decided")
    return exception


def _reason(value: str, field: str, missing: str) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise BadInput(missing, fields=[FieldError([field], missing)])
    if len(cleaned) > MAX_JUSTIFICATION:
        message = f"Keep it to {MAX_JUSTIFICATION:,} characters."
        raise BadInput(message, fields=[FieldError([field], message)])
    return cleaned


# --- submitting and publishing -----------------------------------------------------------------


def submission_problems(session: Session, draft: Draft, now: datetime | None = None) -> list[str]:
    """Why the draft cannot be submitted now, in words for the poster (empty: it can be)."""
    if not DRAFT_WORKFLOW.can(draft.state, "submit"):
        return [DRAFT_WORKFLOW.refusal(draft.state, "submit")]
    current = current_version(session, draft)
    problems = []
    if draft.state == "checked" and current.decision == "block":
        problems.append("A block finding stops submission: rewrite the text and check it again, "
                        "or ask the channel's business owner for an exception.")
    if draft.state == "exception_approved":
        approved = queries.approved_exception(session, draft, current)
        if approved is not None and approved.lapsed(now or utcnow()):
            problems.append("The exception has lapsed: revise the draft and check it again to "
                            "ask for a new one.")
    waiting = unacknowledged(session, current)
    if waiting:
        problems.append(f"Acknowledge each warning before submitting: {len(waiting)} not yet "
                        "acknowledged.")
    return problems


def submit(session: Session, *, user: User, draft: Draft, now: datetime | None = None) -> Draft:
    """Submit the checked draft: it is ready to go out, or, on a channel that asks for a second
    person's review, it waits for a reviewer (kaitiaki.publishing.review)."""
    permissions.require_can_post(session, user, draft)
    draft = lock_latest(session, draft)  # the latest state; one change at a time
    reviewed = draft.channel.review_required
    state = DRAFT_WORKFLOW.apply(draft.state, "send_for_review" if reviewed else "submit")
    now = now or utcnow()
    problems = submission_problems(session, draft, now)
    if problems:
        raise Conflict(" ".join(problems))
    current = current_version(session, draft)
    exception = queries.approved_exception(session, draft, current)
    draft.state = state
    draft.submitted_at = now
    draft.updated_at = draft.submitted_at
    session.flush()
    audit.record(session, actor=user.email,
                 action="draft.sent_for_review" if reviewed else "draft.submitted",
                 subject=subject_of(draft),
                 details={"version": current.number, "decision": current.decision,
                          "pack": current.pack_id, "exception": exception.id if exception else None,
                          **content_digests(current)})
    if reviewed:
        tell_reviewers(session, draft)
    return draft


def record_publication(session: Session, *, user: User, draft: Draft, connector: Connector,
                       url: str = "", platform_id: str = "", published_at: datetime | None = None,
                       zone: ZoneInfo) -> Draft:
    """Publish through `connector` (for now: record what the poster published by hand) and move
    the channel's last-post date forward."""
    permissions.require_can_post(session, user, draft)
    draft = lock_latest(session, draft)  # the latest state; one change at a time
    DRAFT_WORKFLOW.apply(draft.state, "publish")  # refused before the connector is called
    now = utcnow()
    at = ensure_utc(published_at) if published_at is not None else now
    if at > now + CLOCK_SKEW:
        message = "The time it was published cannot be in the future."
        raise BadInput(message, fields=[FieldError(["published_at"], message)])
    if draft.submitted_at is not None and at < draft.submitted_at - CLOCK_SKEW:
        message = "The time it was published cannot be before the draft was submitted."
        raise BadInput(message, fields=[FieldError(["published_at"], message)])
    current = current_version(session, draft)
    ref = connector.publish(PublicationItem(
        draft_id=draft.id, platform=draft.channel.platform, channel_handle=draft.channel.handle,
        kind=draft.kind, text=current.text, reported_url=url, reported_platform_id=platform_id,
        published_at=at, images=tuple(images_of(current)),
    ))
    mark_published(session, draft, current, ref, at=at, recorded_by=user, poster=user,
                   connector=connector.name, zone=zone, now=now)
    return draft


def mark_published(session: Session, draft: Draft, current: DraftVersion, ref: PublishedRef, *,
                   at: datetime, recorded_by: User | None, poster: User, connector: str,
                   zone: ZoneInfo | str, now: datetime, details: dict | None = None) -> None:
    """Record where and when the draft went out (reported by `recorded_by`, or None when a
    connector sent it for the scheduler), audit it and move the channel's last-post date in
    `poster`'s name."""
    draft.state = DRAFT_WORKFLOW.apply(draft.state, "publish")
    draft.published_at = at
    draft.published_url = ref.url
    draft.platform_post_id = ref.platform_id
    draft.published_recorded_by_id = recorded_by.id if recorded_by else None
    draft.connector = connector
    draft.send_started_at = None  # a send whose answer was lost is settled by this record
    draft.updated_at = now
    session.flush()
    audit.record(session, actor=recorded_by.email if recorded_by else SYSTEM_ACTOR,
                 action="draft.published", subject=subject_of(draft),
                 details={"version": current.number, "url": ref.url,
                          "platform_id": ref.platform_id, "published_at": at,
                          "connector": connector, **(details or {})})
    register_service.record_published_post(session, user=poster, channel=draft.channel,
                                           on=to_local(at, zone).date(), item=subject_of(draft))


def correct_publication(session: Session, *, user: User, draft: Draft, url: str,
                        platform_id: str = "", reason: str = "") -> Draft:
    """Correct the recorded address of a published item (a mistyped or wrong link). The author
    or communications staff can; the old and new addresses go into the audit log."""
    require_active(user)
    if draft.state != "published":
        raise InvalidTransition("Only a published item's address can be corrected.")
    if draft.author_id != user.id and not is_comms_staff(session, user):
        raise NotPermitted(f"Only {draft.author.name}, who published it, or communications staff "
                           "can correct its address.")
    errors = FieldErrors()
    reason = clean_text(reason, errors, "reason", "why the address is corrected",
                        max_length=MAX_JUSTIFICATION)
    errors.raise_if_any()
    ref = reported_ref(draft.channel.platform, url, platform_id)
    previous = {"url": draft.published_url, "platform_id": draft.platform_post_id}
    draft.published_url = ref.url
    draft.platform_post_id = ref.platform_id
    draft.updated_at = utcnow()
    session.flush()
    audit.record(session, actor=user.email, action="draft.publication_corrected",
                 subject=subject_of(draft),
                 details={"from": previous, "to": {"url": ref.url, "platform_id": ref.platform_id},
                          "reason": reason})
    return draft


def withdraw(session: Session, *, user: User, draft: Draft, reason: str = "") -> Draft:
    """The author stops the draft; an exception request waiting on it is withdrawn too."""
    require_active(user)
    if draft.author_id != user.id:
        raise NotPermitted(f"Only {draft.author.name}, who wrote this draft, can withdraw it.")
    draft = lock_latest(session, draft)  # the latest state; one change at a time
    state = DRAFT_WORKFLOW.apply(draft.state, "withdraw")
    if draft.send_started_at is not None:
        raise Conflict("It is being sent, or a send's answer was never recorded: look on the "
                       "platform first, and record its address or say it did not go out.")
    reason = (reason or "").strip()[:MAX_JUSTIFICATION]
    exception = queries.open_exception(session, draft)
    if exception is not None:
        exception.state = "withdrawn"
    draft.state = state
    draft.withdrawn_at = utcnow()
    draft.updated_at = draft.withdrawn_at
    session.flush()
    audit.record(session, actor=user.email, action="draft.withdrawn", subject=subject_of(draft),
                 details={"reason": reason})
    return draft


__all__ = [
    "acknowledge", "check_draft", "correct_publication", "create_draft", "current_version",
    "decide_exception",
    "draft_path", "input_of", "platform_limits", "record_publication", "request_exception",
    "require_draft", "revise_draft", "subject_of", "submission_problems", "submit",
    "text_digest", "unacknowledged", "validate", "warning_indexes", "withdraw",
]
