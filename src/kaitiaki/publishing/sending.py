"""The send step: a submitted draft goes out only while it is still checked and authorised.

`send_draft` is what a person's "Publish now" and the due-posts job both call. In one short
transaction it locks the draft, then:

1. refuses unless the draft is submitted (a published draft: nothing to do, so a second call,
   on a rerun or a second worker, changes nothing);
2. checks the current version (its words and its images' alt texts) again with the current
   pack: a block finding that was not there (or not covered by an approved exception) or a
   warning the poster did not acknowledge stops it, and the draft goes back to be checked again;
3. verifies again that the author may post on the channel (the submit step's check): a revoked
   authorisation or a closed channel stops it, and the draft waits;
4. on a channel with no live connection, tells the author it is due: they post it by hand, then
   record its address (`service.record_publication`); otherwise marks the draft as being sent
   (`send_started_at`) and commits that.

Then it publishes through the connection with no transaction open, and in a second transaction
records the platform's id and address, the published state and the audit event (or the failure),
and clears the mark. A mark still set means a send whose answer was never recorded (the process
stopped while the platform answered): the draft is then never sent again by itself, since it may
be on the platform already. While the mark is recent another request may still be waiting for the
platform, and a second send just says so; once it is older than LOST_AFTER, the author is told to
look and either record its address or say it did not go out (`release_send`), after which it can
be sent again.

Every stop and failure is audited too and the author is told in plain words (an in-app notice and
an email through the outbox). The outcome is recorded in the caller's transaction: the caller
commits it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaitiaki.audit import service as audit
from kaitiaki.audit.service import SYSTEM_ACTOR
from kaitiaki.checker import CompiledPack
from kaitiaki.config import Settings
from kaitiaki.check_service.routing import PackSet
from kaitiaki.errors import Conflict, NotPermitted
from kaitiaki.models import Draft, DraftVersion, User
from kaitiaki.notify import outbox
from kaitiaki.notify.email import Email
from kaitiaki.publishing import connections, queries
from kaitiaki.publishing.connectors import (
    Connector,
    PublicationItem,
    PublishedRef,
    PublishFailed,
    connector_for,
    outside_transaction,
)
from kaitiaki.publishing.service import (
    check_version,
    content_digests,
    current_version,
    images_of,
    mark_published,
    require_draft,
    subject_of,
)
from kaitiaki.publishing.transitions import DRAFT_WORKFLOW
from kaitiaki.register import service as register_service
from kaitiaki.register.permissions import is_comms_staff
from kaitiaki.common.access import require_active
from kaitiaki.common.rows import ago, lock_latest
from kaitiaki.common.work import UnitOfWork
from kaitiaki.timeutil import ensure_utc

PUBLISHED = "published"
MANUAL_DUE = "manual_due"
STOPPED_CHECK = "stopped_check"
STOPPED_AUTHORISATION = "stopped_authorisation"
FAILED = "failed"
UNCONFIRMED = "unconfirmed"
SENDING = "sending"
OUTCOMES = (PUBLISHED, MANUAL_DUE, STOPPED_CHECK, STOPPED_AUTHORISATION, FAILED, UNCONFIRMED,
            SENDING)
# Every platform call times out long before this (30 seconds): a send marked for longer lost its
# answer.
LOST_AFTER = timedelta(minutes=15)


@dataclass(frozen=True)
class SendOutcome:
    """What one send did. `reason` is written for the author; `already` is True when the draft
    was published before this call (which then changed nothing)."""

    result: str
    draft_id: int
    reason: str = ""
    url: str | None = None
    platform_id: str | None = None
    already: bool = False

    @property
    def went_out(self) -> bool:
        return self.result == PUBLISHED


def gate_pack(settings: Settings) -> CompiledPack:
    """The pack that checks posts on this installation's channels now (the same choice the web
    pages make): loaded once per process, so a changed pack is the one in force at send time."""
    packs = PackSet.open(settings.policy_pack)
    return packs.pack_for("post") or packs.primary


def send_draft(work_or_session: UnitOfWork | Session, settings: Settings, draft_id: int, *,
               actor_id: int | None, now: datetime, pack: CompiledPack | None = None) -> SendOutcome:
    """Send one submitted draft (see the module's description). `actor_id` is the person who
    pressed "Publish now", or None for the scheduler. Given a unit of work, its session and its
    packs are used.

    The send step owns its transactions, because the platform must not be called inside one (on
    SQLite the whole database's write lock would be held while the platform answers): the claim
    is committed, the platform called with no transaction open, and its answer recorded in the
    session's next transaction, which the caller commits as usual."""
    if isinstance(work_or_session, UnitOfWork):
        session = work_or_session.session
        pack = pack or work_or_session.packs.pack_for("post") or work_or_session.pack
    else:
        session = work_or_session
    now = ensure_utc(now)
    claimed = _claim(session, settings, draft_id, actor_id=actor_id, now=now,
                     pack=pack or gate_pack(settings))
    if isinstance(claimed, SendOutcome):
        return claimed
    try:
        ref = outside_transaction(session, lambda: claimed.connector.publish(claimed.item))
    except PublishFailed as error:
        return _record_failure(session, settings, claimed, str(error), now)
    return _record_published(session, settings, claimed, ref, now)


@dataclass(frozen=True)
class _Claim:
    """A draft cleared to go out, marked as being sent, and what to send."""

    draft_id: int
    version_id: int
    actor_id: int | None
    actor: str
    connector: Connector
    item: PublicationItem


def _claim(session: Session, settings: Settings, draft_id: int, *, actor_id: int | None,
           now: datetime, pack: CompiledPack) -> _Claim | SendOutcome:
    """Steps 1-4 of the module's description in one short transaction: the outcome when it does
    not go out by a connector, or the claim (marked on the draft, `send_started_at`)."""
    draft = lock_latest(session, require_draft(session, draft_id))
    pressed_by = session.get(User, actor_id) if actor_id else None
    actor = pressed_by.email if pressed_by else SYSTEM_ACTOR
    if draft.state == "published":
        return SendOutcome(PUBLISHED, draft.id, "It was published before.", url=draft.published_url,
                           platform_id=draft.platform_post_id, already=True)
    if not DRAFT_WORKFLOW.can(draft.state, "publish"):
        return _failed(session, settings, draft, actor, now,
                       DRAFT_WORKFLOW.refusal(draft.state, "publish") + " Submit it first.")
    if draft.send_started_at is not None:
        started = ensure_utc(draft.send_started_at)
        if started > now - LOST_AFTER:  # another request or worker is waiting for the platform
            return SendOutcome(SENDING, draft.id, f"It is being sent to {draft.channel.platform} "
                                                  f"now (it began {ago(started, now)}): its page "
                                                  "shows how it went in a moment.")
        return _unconfirmed(session, settings, draft, actor, now)
    changed = recheck_problems(session, draft, pack, now)
    if changed:
        return _stopped_check(session, settings, draft, actor, now, changed)
    if not register_service.can_post(session, draft.author, draft.channel, now):
        return _stopped_authorisation(session, settings, draft, actor, now)
    connector = connector_for(session, settings, draft.channel)
    if connector is None:
        return _manual_due(session, settings, draft, actor, now)
    current = current_version(session, draft)
    item = PublicationItem(
        draft_id=draft.id, platform=draft.channel.platform, channel_handle=draft.channel.handle,
        kind=draft.kind, text=current.text, reply_to_platform_id=_reply_target(draft),
        published_at=now, images=tuple(images_of(current)))
    draft.send_started_at = now
    draft.updated_at = now
    session.flush()
    audit.record(session, actor=actor, action="draft.send_started", subject=subject_of(draft),
                 details={"version": current.number, "connector": connector.name})
    return _Claim(draft.id, current.id, actor_id, actor, connector, item)


def _settled(session: Session, claim: _Claim) -> Draft:
    """The claimed draft, locked again to record what the platform answered; it is no longer
    being sent."""
    draft = lock_latest(session, require_draft(session, claim.draft_id))
    draft.send_started_at = None
    return draft


def _record_failure(session: Session, settings: Settings, claim: _Claim, reason: str,
                    now: datetime) -> SendOutcome:
    draft = _settled(session, claim)
    connection = connections.active_connection(session, draft.channel)
    if connection is not None:
        connections.record_error(connection, reason, now)
    return _failed(session, settings, draft, claim.actor, now, reason,
                   connector=claim.connector.name)


def _record_published(session: Session, settings: Settings, claim: _Claim, ref: PublishedRef,
                      now: datetime) -> SendOutcome:
    draft = _settled(session, claim)
    connection = connections.active_connection(session, draft.channel)
    if connection is not None:
        connections.record_success(connection, now)
    current = session.get(DraftVersion, claim.version_id)
    assert current is not None
    pressed_by = session.get(User, claim.actor_id) if claim.actor_id else None
    mark_published(session, draft, current, ref, at=now,
                   recorded_by=pressed_by, poster=draft.author, connector=claim.connector.name,
                   zone=settings.zone, now=now, details=content_digests(current))
    _tell(session, settings, draft, "published",
          f"Your {draft.kind} on @{draft.channel.handle} is published: {ref.url}", now=now)
    return SendOutcome(PUBLISHED, draft.id, "Published.", url=ref.url, platform_id=ref.platform_id)


def release_send(session: Session, *, user: User, draft: Draft, now: datetime) -> Draft:
    """The author (or communications staff) looked on the platform after a send whose outcome
    was never recorded and found it did not go out: it may be sent again."""
    require_active(user)
    if draft.author_id != user.id and not is_comms_staff(session, user):
        raise NotPermitted(f"Only {draft.author.name}, who wrote it, or communications staff can "
                           "say whether it went out.")
    draft = lock_latest(session, draft)
    if draft.send_started_at is None:
        raise Conflict("No send of it is waiting for an answer.")
    started = draft.send_started_at
    draft.send_started_at = None
    draft.updated_at = now
    session.flush()
    audit.record(session, actor=user.email, action="draft.send_released", subject=subject_of(draft),
                 details={"started_at": started.isoformat(), "version": draft.current_version})
    return draft


def recheck_problems(session: Session, draft: Draft, pack: CompiledPack,
                     now: datetime) -> list[str]:
    """What changed since the poster submitted, in words for them (empty: nothing that stops it).
    A block finding stops it unless the same rule blocked before and was let through by an
    approved exception; a warning stops it unless the poster acknowledged that rule. The item is
    judged as published `now`, so a dated period that began since the check applies."""
    current = current_version(session, draft)
    result = check_version(draft, current, pack, published_at=now)
    excepted = any(e.state == "approved" and e.version_id == current.id
                   for e in queries.exceptions_of(session, draft))
    blocked_before = {f["rule"] for f in current.findings or [] if f.get("severity") == "block"}
    acknowledged = {ack.rule for ack in queries.acknowledgements_of(session, current)}
    problems = []
    for finding in result.findings:
        if finding.severity == "block" and not (excepted and finding.rule in blocked_before):
            problems.append(f"It is now blocked: {finding.message}")
        elif finding.severity == "warn" and finding.rule not in acknowledged:
            problems.append(f"A new warning needs your acknowledgement: {finding.message}")
    return problems


def _reply_target(draft: Draft) -> str | None:
    comment = draft.reply_to_comment
    return comment.external_id if comment is not None else None


def _stopped_check(session: Session, settings: Settings, draft: Draft, actor: str, now: datetime,
                   problems: list[str]) -> SendOutcome:
    current = current_version(session, draft)
    draft.state = DRAFT_WORKFLOW.apply(draft.state, "stop")
    draft.updated_at = now
    session.flush()
    reason = ("The policy check changed since it was submitted, so it was not sent. "
              + " ".join(problems) + " Check it again, then submit it.")
    audit.record(session, actor=actor, action="draft.send_stopped", subject=subject_of(draft),
                 details={"version": current.number, "why": "check", "problems": problems})
    _tell(session, settings, draft, f"stopped:{current.number}", f"Not sent: {reason}", now=now)
    return SendOutcome(STOPPED_CHECK, draft.id, reason)


def _stopped_authorisation(session: Session, settings: Settings, draft: Draft, actor: str,
                           now: datetime) -> SendOutcome:
    channel = draft.channel
    reason = (f"{draft.author.name} is no longer authorised to post on @{channel.handle}"
              + ("" if channel.status == "active" else " (the channel is not active)")
              + f", so it was not sent. Its business owner, {channel.business_owner.name}, can "
              "authorise them again; until then it waits."
              + (" It is not tried again by itself: once they are authorised again, open the "
                 "draft and choose a new time under \"Change when it goes out\" (or publish it now)."
                 if draft.scheduled_for is not None else ""))
    audit.record(session, actor=actor, action="draft.send_stopped", subject=subject_of(draft),
                 details={"version": draft.current_version, "why": "authorisation"})
    _tell(session, settings, draft, f"unauthorised:{draft.current_version}", f"Not sent: {reason}",
          now=now)
    return SendOutcome(STOPPED_AUTHORISATION, draft.id, reason)


def _unconfirmed(session: Session, settings: Settings, draft: Draft, actor: str,
                 now: datetime) -> SendOutcome:
    started = ensure_utc(draft.send_started_at)
    reason = _unconfirmed_reason(draft, now)
    audit.record(session, actor=actor, action="draft.send_unconfirmed", subject=subject_of(draft),
                 details={"version": draft.current_version, "started_at": started.isoformat()})
    _tell(session, settings, draft, f"unconfirmed:{started.isoformat()}", reason, now=now)
    return SendOutcome(UNCONFIRMED, draft.id, reason)


def _unconfirmed_reason(draft: Draft, now: datetime) -> str:
    channel = draft.channel
    return (f"A send to {channel.platform} began {ago(draft.send_started_at, now)} and its answer "
            f"was never recorded, so it is not sent again by itself: it may already be on "
            f"@{channel.handle}. Look there. If it is, record its address on the draft's page; if "
            "it is not, press \"It did not go out\" there, then publish it again.")


def tell_lost_sends(session: Session, settings: Settings, now: datetime) -> int:
    """Tell the author of each send whose answer was lost (its mark older than LOST_AFTER, so
    no process is still waiting for the platform) what to do, once per send; how many there are.
    Without this, a scheduled post whose worker stopped mid-send would wait unseen."""
    lost = list(session.scalars(select(Draft).where(
        Draft.state == "submitted", Draft.send_started_at.is_not(None),
        Draft.send_started_at <= ensure_utc(now) - LOST_AFTER).order_by(Draft.id)))
    for draft in lost:
        started = ensure_utc(draft.send_started_at)
        _tell(session, settings, draft, f"unconfirmed:{started.isoformat()}",
              _unconfirmed_reason(draft, now), now=now)
    return len(lost)


def _manual_due(session: Session, settings: Settings, draft: Draft, actor: str,
                now: datetime) -> SendOutcome:
    channel = draft.channel
    reason = (f"Due now: post it on @{channel.handle} ({channel.platform}) by hand, then record "
              "its address on the draft's page.")
    audit.record(session, actor=actor, action="draft.manual_due", subject=subject_of(draft),
                 details={"version": draft.current_version})
    _tell(session, settings, draft, f"manual_due:{draft.current_version}", reason, now=now)
    return SendOutcome(MANUAL_DUE, draft.id, reason)


def _failed(session: Session, settings: Settings, draft: Draft, actor: str, now: datetime,
            reason: str, *, connector: str | None = None) -> SendOutcome:
    audit.record(session, actor=actor, action="draft.send_failed", subject=subject_of(draft),
                 details={"version": draft.current_version, "reason": reason,
                          "connector": connector})
    _tell(session, settings, draft, f"failed:{now.isoformat()}", f"Not sent: {reason}", now=now)
    return SendOutcome(FAILED, draft.id, reason)


def _tell(session: Session, settings: Settings, draft: Draft, what: str, text: str, *,
          now: datetime) -> None:
    """The author's notice and email, once per draft and event (`what` names the event)."""
    key = f"draft:{draft.id}:send:{what}"
    link = f"/drafts/{draft.id}"
    outbox.add_notice(session, [draft.author], text, link=link, key=key, now=now)
    if draft.author.is_active:
        outbox.add_email(session, settings, Email(
            to=(draft.author.email,),
            subject=f"Draft {draft.id} on @{draft.channel.handle}: {_subject_word(what)}",
            body=(f"Kia ora {draft.author.name},\n\n{text}\n\n"
                  f"{settings.base_url.rstrip('/')}{link}\n")), key=f"{key}:email", now=now)


def _subject_word(what: str) -> str:
    return {"published": "published", "manual_due": "due now, post it by hand",
            "unconfirmed": "did it go out? look on the platform"}.get(what.split(":")[0],
                                                                         "not sent")


__all__ = ["FAILED", "MANUAL_DUE", "OUTCOMES", "PUBLISHED", "STOPPED_AUTHORISATION",
           "LOST_AFTER", "SENDING", "STOPPED_CHECK", "UNCONFIRMED", "SendOutcome", "gate_pack",
           "recheck_problems", "release_send", "send_draft", "tell_lost_sends"]
