"""The send step: a submitted draft goes out only while it is still checked and authorised.

`send_draft` is what a person's "Publish now" and the due-posts job both call. In one transaction
it locks the draft, then:

1. refuses unless the draft is submitted (a published draft: nothing to do, so a second call,
   on a rerun or a second worker, changes nothing);
2. checks the current version again with the current pack: a block finding that was not there
   (or not covered by an approved exception) or a warning the poster did not acknowledge stops it,
   and the draft goes back to be checked again;
3. verifies again that the author may post on the channel (the submit step's check): a revoked
   authorisation or a closed channel stops it, and the draft waits;
4. publishes through the channel's live connection when it has one; otherwise the author is told
   it is due and posts it by hand, then records its address (`service.record_publication`);
5. records the platform's id and address, the published state and the audit event.

Every stop and failure is audited too and the author is told in plain words (an in-app notice and
an email through the outbox). Nothing here commits: the caller's unit of work does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from kaitiaki.audit import service as audit
from kaitiaki.audit.service import SYSTEM_ACTOR
from kaitiaki.checker import CompiledPack, check
from kaitiaki.checker.render import mask_for_storage
from kaitiaki.config import Settings
from kaitiaki.check_service.routing import PackSet
from kaitiaki.models import Draft, User
from kaitiaki.notify import outbox
from kaitiaki.notify.email import Email
from kaitiaki.publishing import connections, queries
from kaitiaki.publishing.connectors import PublicationItem, PublishFailed, connector_for
from kaitiaki.publishing.service import (
    current_version,
    mark_published,
    require_draft,
    subject_of,
    text_digest,
    version_item,
)
from kaitiaki.publishing.transitions import DRAFT_WORKFLOW
from kaitiaki.register import service as register_service
from kaitiaki.common.rows import lock_latest
from kaitiaki.common.work import UnitOfWork
from kaitiaki.timeutil import ensure_utc

PUBLISHED = "published"
MANUAL_DUE = "manual_due"
STOPPED_CHECK = "stopped_check"
STOPPED_AUTHORISATION = "stopped_authorisation"
FAILED = "failed"
OUTCOMES = (PUBLISHED, MANUAL_DUE, STOPPED_CHECK, STOPPED_AUTHORISATION, FAILED)


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
    packs are used."""
    if isinstance(work_or_session, UnitOfWork):
        session = work_or_session.session
        pack = pack or work_or_session.packs.pack_for("post") or work_or_session.pack
    else:
        session = work_or_session
    now = ensure_utc(now)
    draft = lock_latest(session, require_draft(session, draft_id))
    pressed_by = session.get(User, actor_id) if actor_id else None
    actor = pressed_by.email if pressed_by else SYSTEM_ACTOR
    if draft.state == "published":
        return SendOutcome(PUBLISHED, draft.id, "It was published before.", url=draft.published_url,
                           platform_id=draft.platform_post_id, already=True)
    if not DRAFT_WORKFLOW.can(draft.state, "publish"):
        return _failed(session, settings, draft, actor, now,
                       DRAFT_WORKFLOW.refusal(draft.state, "publish") + " Submit it first.")
    changed = recheck_problems(session, draft, pack or gate_pack(settings), now)
    if changed:
        return _stopped_check(session, settings, draft, actor, now, changed)
    if not register_service.can_post(session, draft.author, draft.channel, now):
        return _stopped_authorisation(session, settings, draft, actor, now)
    connector = connector_for(session, settings, draft.channel)
    if connector is None:
        return _manual_due(session, settings, draft, actor, now)
    current = current_version(session, draft)
    connection = connections.active_connection(session, draft.channel)
    try:
        ref = connector.publish(PublicationItem(
            draft_id=draft.id, platform=draft.channel.platform,
            channel_handle=draft.channel.handle, kind=draft.kind, text=current.text,
            reply_to_platform_id=_reply_target(draft), published_at=now))
    except PublishFailed as error:
        if connection is not None:
            connections.record_error(connection, str(error), now)
        return _failed(session, settings, draft, actor, now, str(error), connector=connector.name)
    if connection is not None:
        connections.record_success(connection, now)
    mark_published(session, draft, current, ref, at=now,
                   recorded_by=pressed_by, poster=draft.author, connector=connector.name,
                   zone=settings.zone, now=now,
                   details={"text_sha256": text_digest(current.text)})
    _tell(session, settings, draft, "published",
          f"Your {draft.kind} on @{draft.channel.handle} is published: {ref.url}", now=now)
    return SendOutcome(PUBLISHED, draft.id, "Published.", url=ref.url, platform_id=ref.platform_id)


def recheck_problems(session: Session, draft: Draft, pack: CompiledPack,
                     now: datetime) -> list[str]:
    """What changed since the poster submitted, in words for them (empty: nothing that stops it).
    A block finding stops it unless the same rule blocked before and was let through by an
    approved exception; a warning stops it unless the poster acknowledged that rule. The item is
    judged as published `now`, so a dated period that began since the check applies."""
    current = current_version(session, draft)
    result = mask_for_storage(check(version_item(draft, current, published_at=now), pack))
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
              "authorise them again; until then it waits.")
    audit.record(session, actor=actor, action="draft.send_stopped", subject=subject_of(draft),
                 details={"version": draft.current_version, "why": "authorisation"})
    _tell(session, settings, draft, f"unauthorised:{draft.current_version}", f"Not sent: {reason}",
          now=now)
    return SendOutcome(STOPPED_AUTHORISATION, draft.id, reason)


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
    return {"published": "published", "manual_due": "due now, post it by hand"}.get(
        what.split(":")[0], "not sent")


__all__ = ["FAILED", "MANUAL_DUE", "OUTCOMES", "PUBLISHED", "STOPPED_AUTHORISATION",
           "STOPPED_CHECK", "SendOutcome", "gate_pack", "recheck_problems", "send_draft"]
