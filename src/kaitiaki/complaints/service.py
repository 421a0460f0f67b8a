"""Receiving and handling complaints. Every change checks permission, validates before writing,
records an audit event (subject "complaint:<id>") in the same transaction and tells the people
concerned; nothing here commits.

The policy: a complaint "must be dealt with immediately by the business owner of the relevant
channel. If it is of a serious nature, for example concern about political neutrality or a
breach of privacy, the relevant ELT member must be informed as soon as possible". So a complaint
goes to the channel's business owner at once (communications staff triage one that names no
channel), and one in a category the pack marks serious is escalated at once to the role the pack
names for the channel's agency (DPMC: the ELT member of the channel's business unit; NEMA: its
Chief Executive).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from kaitiaki.audit import service as audit
from kaitiaki.checker import check
from kaitiaki.checker.render import mask_for_storage
from kaitiaki.common.work import UnitOfWork
from kaitiaki.config import Settings
from kaitiaki.common.rows import AlreadyDone, ChangedMeanwhile, ago, compare_and_set, lock_latest
from kaitiaki.errors import BadInput, Conflict, FieldError, InvalidTransition, NotFound
from kaitiaki.models import AuditEvent, Channel, Comment, Complaint, ComplaintCounter, User
from kaitiaki.people import queries as people_queries
from kaitiaki.common.roles import COMMS_STAFF
from kaitiaki.register import queries as register_queries
from kaitiaki.register.approval_rules import Requirement, agency_of, holders
from kaitiaki.complaints import notices, permissions
from kaitiaki.complaints.matching import match_channel
from kaitiaki.complaints.notices import Outbox, tell
from kaitiaki.complaints.policy import RAISED_BY_FINDING, ComplaintPolicy, complaint_policy
from kaitiaki.complaints.schemas import ComplaintDraft, clean_draft, clean_note
from kaitiaki.complaints.transitions import COMPLAINT_WORKFLOW, OPEN_STATES
from kaitiaki.timeutil import to_local, utcnow
from kaitiaki.workingdays import add_working_days

PUBLIC_ACTOR = "public"
STAFF_SOURCES = ("email", "direct_message")
FROM_MODERATION = "From moderation"
# Notes are required where they are the record: what was said, how it ended, why it reopened.
NOTE_REQUIRED = {"respond": "the response given", "close": "the resolution",
                 "reopen": "why the complaint is reopened"}
ACTIONS = ("acknowledge", *COMPLAINT_WORKFLOW.actions)
AUDIT_ACTIONS = {"triage": "complaint.triaged", "respond": "complaint.responded",
                 "close": "complaint.closed", "reopen": "complaint.reopened"}


@dataclass(frozen=True)
class ComplaintSetup:
    """What handling complaints needs from the configuration."""

    policy: ComplaintPolicy
    pack: str
    zone: ZoneInfo
    base_url: str

    @classmethod
    def from_settings(cls, settings: Settings) -> ComplaintSetup:
        return cls(policy=complaint_policy(settings.policy_pack), pack=settings.policy_pack,
                   zone=settings.zone, base_url=settings.base_url)

    @classmethod
    def of(cls, work: UnitOfWork) -> ComplaintSetup:
        return cls.from_settings(work.settings)


def _parts(work: UnitOfWork) -> tuple[Session, ComplaintSetup, Outbox]:
    return work.session, ComplaintSetup.of(work), work.outbox


def subject_of(complaint: Complaint) -> str:
    return f"complaint:{complaint.id}"


def require_complaint(session: Session, reference: str) -> Complaint:
    complaint = session.scalars(
        select(Complaint).where(Complaint.reference == reference.strip().upper()[:60])
    ).first()
    if complaint is None:
        raise NotFound(f"There is no complaint with the reference {reference.strip()[:60]}.")
    return complaint


def next_reference(session: Session, prefix: str, year: int) -> str:
    """`<prefix>-<year>-<NNNN>`, numbered per prefix and year.

    PostgreSQL: the number is taken in a short transaction of its own, like a sequence, so the
    counter row is locked for an instant rather than until the complaint's transaction ends
    (after the checker has run over its content); a complaint that is then not recorded leaves
    a gap in the numbers. SQLite: in the caller's transaction, which holds the database's write
    lock from its start (BEGIN IMMEDIATE) anyway."""
    bind = session.get_bind()
    if bind.dialect.name == "postgresql" and isinstance(bind, Engine):
        with bind.begin() as connection:
            number = _take_number(connection, prefix, year)
    else:
        number = _take_number(session, prefix, year)
    return f"{prefix}-{year}-{number:04d}"


def _take_number(executor: Session | Connection, prefix: str, year: int) -> int:
    dialect = executor.get_bind().dialect.name if isinstance(executor, Session) else executor.dialect.name
    values = {"prefix": prefix, "year": year, "last_number": 0}
    if dialect == "postgresql":
        statement = postgresql.insert(ComplaintCounter).values(**values).on_conflict_do_nothing()
    elif dialect == "sqlite":
        statement = sqlite.insert(ComplaintCounter).values(**values).on_conflict_do_nothing()
    else:
        statement = insert(ComplaintCounter).values(**values)
    executor.execute(statement)
    return executor.execute(
        update(ComplaintCounter)
        .where(ComplaintCounter.prefix == prefix, ComplaintCounter.year == year)
        .values(last_number=ComplaintCounter.last_number + 1)
        .returning(ComplaintCounter.last_number)
        .execution_options(synchronize_session=False)
    ).scalar_one()


def _comms_staff(session: Session) -> list[User]:
    return people_queries.users_with_role(session, COMMS_STAFF)


def escalation_for(setup: ComplaintSetup, channel: Channel) -> Requirement:
    """Who the pack says hears of a serious complaint about `channel`."""
    agency = agency_of(channel.unit)
    rule = setup.policy.escalation.get(agency.code)
    if rule is None:
        raise Conflict(f"The policy pack names nobody to escalate {agency.name}'s complaints to.")
    return Requirement(rule.role, channel.unit if rule.of == "channel_unit" else None)


def _channel_by_id(session: Session, channel_id: int) -> Channel:
    channel = register_queries.get_channel(session, channel_id)
    if channel is None:
        raise BadInput("Choose a channel from the list.",
                       fields=[FieldError(["channel"], "Choose a channel from the list.")])
    return channel


def _due_dates(setup: ComplaintSetup, complaint: Complaint, at: datetime) -> None:
    day = to_local(at, setup.zone).date()
    complaint.acknowledge_by = add_working_days(day, setup.policy.acknowledge_working_days)
    complaint.resolve_by = add_working_days(day, setup.policy.resolve_working_days)


def _acknowledge(complaint: Complaint, now: datetime) -> bool:
    if complaint.acknowledged_at is None:
        complaint.acknowledged_at = now
        return True
    return False


# --- receiving ---------------------------------------------------------------------------------


def submit(
    work: UnitOfWork, *, draft: ComplaintDraft, source: str = "public_form",
    recorded_by: User | None = None, now: datetime | None = None,
) -> Complaint:
    """Record a complaint from the public form (no sign-in) or entered by staff from an email or
    a direct message; route it, and escalate it when serious. `now`: when it was received, if
    not now."""
    session, setup, outbox = _parts(work)
    now = now or work.now()
    if source in STAFF_SOURCES:
        if recorded_by is None:
            raise BadInput("A complaint received by email or direct message is entered by staff.")
        permissions.require_active(recorded_by)
    elif source != "public_form" or recorded_by is not None:
        # Only the public form itself records "public_form": staff say where it really came from.
        raise BadInput(f"Choose where the complaint came from: {', '.join(STAFF_SOURCES)}.",
                       fields=[FieldError(["source"], "Choose email or direct message.")])
    clean = clean_draft(draft, setup.policy.labels)
    channel = _channel_by_id(session, clean.channel_id) if clean.channel_id else None
    if channel is None and clean.url:
        channel = match_channel(session, clean.url)
    complaint = _new_complaint(
        session, setup, now=now, source=source, channel=channel, url=clean.url,
        category=clean.category, description=clean.description, content_text=clean.content_text,
        recorded_by=recorded_by,
    )
    complaint.complainant_name = clean.name
    complaint.complainant_email = clean.email
    complaint.complainant_phone = clean.phone
    actor = recorded_by.email if recorded_by is not None else PUBLIC_ACTOR
    _received(session, setup, complaint, actor=actor, outbox=outbox)
    notices.receipt_for_complainant(
        complaint, agency=setup.policy.agency_name, ack_days=setup.policy.acknowledge_working_days,
        resolve_days=setup.policy.resolve_working_days, outbox=outbox)
    return complaint


def _new_complaint(
    session: Session, setup: ComplaintSetup, *, now: datetime, source: str,
    channel: Channel | None, url: str, category: str, description: str, content_text: str,
    recorded_by: User | None, comment: Comment | None = None,
) -> Complaint:
    year = to_local(now, setup.zone).year
    complaint = Complaint(
        reference=next_reference(session, setup.policy.reference_prefix, year), source=source,
        channel=channel, content_url=url, category=category,
        serious=setup.policy.is_serious(category), description=description,
        content_text=content_text, state=COMPLAINT_WORKFLOW.initial, received_at=now,
        recorded_by=recorded_by, comment_id=comment.id if comment is not None else None,
        complainant_name="", complainant_email="", complainant_phone="", response="",
        resolution="",
    )
    _due_dates(setup, complaint, now)
    session.add(complaint)
    session.flush()
    return complaint


def _received(session: Session, setup: ComplaintSetup, complaint: Complaint, *, actor: str,
              outbox: Outbox) -> None:
    """Audit, run the checker over the content, route and escalate a new complaint."""
    channel = complaint.channel
    audit.record(
        session, actor=actor, action="complaint.received", subject=subject_of(complaint),
        details={"reference": complaint.reference, "source": complaint.source,
                 "category": complaint.category, "serious": complaint.serious,
                 "channel": channel.id if channel else None, "url": complaint.content_url,
                 "anonymous": not complaint.has_contact},
    )
    if complaint.content_text:
        _run_checker(session, setup, complaint, complaint.content_text, actor=actor)
    label = setup.policy.label(complaint.category)
    summary = complaint.description[:300]
    if channel is not None:
        tell(session, [channel.business_owner], complaint,
             subject=f"New complaint {complaint.reference} about @{channel.handle}: {label}",
             body=f"A complaint about @{channel.handle} on {channel.platform} ({label}) needs "
                  f"you as the channel's business owner. Acknowledge it by "
                  f"{complaint.acknowledge_by:%-d %B %Y}.\n\n{summary}",
             base_url=setup.base_url, outbox=outbox)
    else:
        tell(session, _comms_staff(session), complaint,
             subject=f"New complaint {complaint.reference} to triage: {label}",
             body="A complaint names no channel in the register; communications staff triage it "
                  f"and choose the channel.\n\n{summary}",
             base_url=setup.base_url, outbox=outbox)
    if complaint.serious and channel is not None:
        _escalate(session, setup, complaint, actor=audit.SYSTEM_ACTOR, note="", outbox=outbox)


def file_from_comment(
    work: UnitOfWork, *, comment: Comment, actor: User, category: str, note: str | None,
) -> Complaint:
    """A complaint raised from a comment in moderation: about the comment's channel, with its
    text as the content complained about and its author's handle in the description."""
    session, setup, outbox = _parts(work)
    permissions.require_active(actor)
    if setup.policy.category(category) is None:
        raise BadInput(f"Unknown complaint category {category!r}; the pack's categories are "
                       f"{', '.join(setup.policy.labels)}.",
                       fields=[FieldError(["category"], "Choose a complaint category.")])
    note_text = clean_note(note, "note", "a note", required=False)
    author = comment.author_handle or comment.author_name or "an unnamed account"
    description = f"{FROM_MODERATION}: a comment by {author} on @{comment.channel.handle}."
    if note_text:
        description += f"\n\n{note_text}"
    complaint = _new_complaint(
        session, setup, now=work.now(), source="moderation", channel=comment.channel,
        url=comment.url or comment.channel.url, category=category, description=description,
        content_text=comment.text[:50_000], recorded_by=actor, comment=comment,
    )
    complaint.complainant_name = FROM_MODERATION
    _received(session, setup, complaint, actor=actor.email, outbox=outbox)
    return complaint


# --- the checker -------------------------------------------------------------------------------


def _run_checker(session: Session, setup: ComplaintSetup, complaint: Complaint, text: str, *,
                 actor: str) -> str | None:
    """Check the content complained about as a post on the channel; a finding the pack ties to
    a serious category raises the complaint to it. Returns the category raised to, if any."""
    channel = complaint.channel
    item = {"id": complaint.reference, "kind": "post", "text": text,
            "platform": channel.platform if channel else "other",
            "channel": channel.handle if channel else None}
    result = mask_for_storage(check(item, setup.pack))
    complaint.check_result = result.model_dump(mode="json")
    findings = [{"rule": f.rule, "category": f.category, "severity": f.severity,
                 "evidence": [e.text for e in f.evidence][:3]} for f in result.findings]
    audit.record(session, actor=actor, action="complaint.checked", subject=subject_of(complaint),
                 details={"decision": result.decision, "pack": result.pack, "findings": findings})
    if complaint.serious:
        return None
    for finding in result.findings:
        raised = RAISED_BY_FINDING.get(finding.category)
        if raised and setup.policy.is_serious(raised):
            before = complaint.category
            complaint.category = raised
            complaint.serious = True
            session.flush()
            audit.record(
                session, actor=actor, action="complaint.category_raised",
                subject=subject_of(complaint),
                details={"from": before, "to": raised, "finding": {
                    "rule": finding.rule, "category": finding.category,
                    "message": finding.message,
                    "evidence": [e.text for e in finding.evidence][:3]}},
            )
            return raised
    return None


def check_content(work: UnitOfWork, *, complaint: Complaint, user: User, text: str) -> Complaint:
    """A handler runs the checker over the content complained about (pasted, or the text the
    complainant gave); a serious finding raises the category and escalates."""
    session, setup, outbox = _parts(work)
    permissions.require_handler(session, user, complaint)
    text = clean_note(text, "text", "the content complained about", required=True)
    complaint.content_text = text
    raised = _run_checker(session, setup, complaint, text, actor=user.email)
    if raised and complaint.channel is not None and complaint.escalated_at is None:
        _escalate(session, setup, complaint, actor=user.email,
                  note=f"The checker found {setup.policy.label(raised).lower()}.", outbox=outbox)
    return complaint


# --- handling ----------------------------------------------------------------------------------


def _escalate(session: Session, setup: ComplaintSetup, complaint: Complaint, *, actor: str,
              note: str, outbox: Outbox, by: User | None = None) -> None:
    channel = complaint.channel
    if channel is None:
        raise Conflict("Choose the channel the complaint is about first: the ELT member to "
                       "escalate to depends on the channel's business unit.")
    requirement = escalation_for(setup, channel)
    before = complaint.state
    if COMPLAINT_WORKFLOW.can(before, "escalate"):
        complaint.state = COMPLAINT_WORKFLOW.apply(before, "escalate")
    complaint.escalation_role = requirement.role
    complaint.escalation_unit = requirement.unit
    complaint.escalated_at = utcnow()
    session.flush()
    elt = holders(session, requirement)
    audit.record(
        session, actor=actor, action="complaint.escalated", subject=subject_of(complaint),
        details={"from": before, "to": complaint.state, "to_role": requirement.spec,
                 "notified": [p.email for p in elt], "note": note},
    )
    label = setup.policy.label(complaint.category)
    reached = tell(
        session, elt, complaint,
        subject=f"Serious complaint {complaint.reference} escalated to you: {label}",
        body=f"A complaint about @{channel.handle} on {channel.platform} is of a serious nature "
             f"({label}). Under the social media policy the {requirement.label} is informed "
             f"as soon as possible to determine next steps. The business owner, "
             f"{channel.business_owner.name}, deals with it.\n\n{complaint.description[:300]}",
        base_url=setup.base_url, outbox=outbox, exclude=by)
    if not reached:
        tell(session, _comms_staff(session), complaint,
             subject=f"Nobody holds the role to escalate {complaint.reference} to",
             body=f"The complaint is serious ({label}) but nobody active holds the role "
                  f"{requirement.label}. Give someone that role, or escalate it another way.",
             base_url=setup.base_url, outbox=outbox)
    tell(session, [channel.business_owner], complaint,
         subject=f"Complaint {complaint.reference} was escalated to the {requirement.label}",
         body=f"The complaint about @{channel.handle} is serious ({label}) and was escalated.",
         base_url=setup.base_url, outbox=outbox, exclude=by)


def act(work: UnitOfWork, *, complaint: Complaint, user: User, action: str,
        note: str = "") -> Complaint:
    """Acknowledge, triage, escalate, respond, close or reopen, as the transition table allows."""
    session, setup, outbox = _parts(work)
    if action not in ACTIONS:
        raise BadInput(f"Unknown action {action!r}; choose one of {', '.join(ACTIONS)}.")
    # The latest state, locked: two handlers acting at once take turns, and the second is told
    # what the first did instead of overwriting it.
    complaint = lock_latest(session, complaint)
    permissions.require_handler(session, user, complaint)
    label = NOTE_REQUIRED.get(action)
    note = clean_note(note, "note", label or "a note", required=label is not None)
    now = work.now()
    if action == "acknowledge":
        if COMPLAINT_WORKFLOW.is_final(complaint.state) or not _acknowledge(complaint, now):
            raise AlreadyDone(f"Complaint {complaint.reference} is already acknowledged."
                              + _by_whom(session, complaint, "complaint.acknowledged"))
        session.flush()
        audit.record(session, actor=user.email, action="complaint.acknowledged",
                     subject=subject_of(complaint), details={"state": complaint.state, "note": note})
        return complaint
    _refuse_if_done(session, complaint, action)
    if action == "escalate":
        COMPLAINT_WORKFLOW.apply(complaint.state, "escalate")
        _acknowledge(complaint, now)
        _escalate(session, setup, complaint, actor=user.email, note=note, outbox=outbox, by=user)
        return complaint
    before = complaint.state
    if not compare_and_set(session, complaint, "state", before,
                           COMPLAINT_WORKFLOW.apply(before, action)):
        raise ChangedMeanwhile(f"Someone else changed complaint {complaint.reference} a moment "
                               "ago; reload it and try again.")
    _acknowledge(complaint, now)
    if action == "respond":
        complaint.response = note
        complaint.responded_at = now
    elif action == "close":
        complaint.resolution = note
        complaint.closed_at = now
    elif action == "reopen":
        complaint.closed_at = None
        complaint.resolve_by = add_working_days(to_local(now, setup.zone).date(),
                                                setup.policy.resolve_working_days)
    session.flush()
    audit.record(session, actor=user.email, action=AUDIT_ACTIONS[action],
                 subject=subject_of(complaint),
                 details={"from": before, "to": complaint.state, "note": note})
    _tell_progress(session, setup, complaint, user, action, note, outbox)
    return complaint


def _by_whom(session: Session, complaint: Complaint, audit_action: str) -> str:
    """" <Name> <did> it <when>." from the audit log, or "" when the log does not say."""
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.subject == subject_of(complaint),
                                 AuditEvent.action == audit_action)
        .order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    if event is None:
        return ""
    person = people_queries.get_user_by_email(session, event.actor)
    who = person.name if person is not None else event.actor
    verb = audit_action.split(".", 1)[1]
    return f" {who} {verb} it {ago(event.at)}."


def _refuse_if_done(session: Session, complaint: Complaint, action: str) -> None:
    """Refused as the table says, naming who moved the complaint on when it already went where
    this action leads (two handlers closing one complaint at once)."""
    if COMPLAINT_WORKFLOW.can(complaint.state, action):
        return
    refusal = COMPLAINT_WORKFLOW.refusal(complaint.state, action)
    leads_to = {target for _source, name, target in COMPLAINT_WORKFLOW.rows() if name == action}
    if complaint.state not in leads_to:
        raise InvalidTransition(refusal)
    audit_action = AUDIT_ACTIONS.get(action, "complaint.escalated")
    raise AlreadyDone(refusal + _by_whom(session, complaint, audit_action))


def _tell_progress(session: Session, setup: ComplaintSetup, complaint: Complaint, user: User,
                   action: str, note: str, outbox: Outbox) -> None:
    """The business owner and the ELT member hear when the other moves an escalated one on."""
    if action not in ("respond", "close", "reopen"):
        return
    people: list[User] = []
    if complaint.channel is not None:
        people.append(complaint.channel.business_owner)
    requirement = permissions.escalation_requirement(complaint)
    if requirement is not None and complaint.escalated_at is not None:
        people.extend(holders(session, requirement))
    done = COMPLAINT_WORKFLOW.actions[action]
    tell(session, people, complaint,
         subject=f"Complaint {complaint.reference} was {done} by {user.name}",
         body=f"{user.name} {done.replace('responded to', 'responded to it')}: {note[:500]}",
         base_url=setup.base_url, outbox=outbox, exclude=user)


def assign_channel(work: UnitOfWork, *, complaint: Complaint, user: User,
                   channel_id: int) -> Complaint:
    """Communications staff choose the channel a complaint is about: it goes to that channel's
    business owner, and a serious one is escalated."""
    session, setup, outbox = _parts(work)
    permissions.require_comms_or_admin(session, user, "choose the channel of a complaint")
    if COMPLAINT_WORKFLOW.is_final(complaint.state):
        raise Conflict(f"Complaint {complaint.reference} is closed; reopen it first.")
    channel = _channel_by_id(session, channel_id)
    before = complaint.channel
    if before is not None and before.id == channel.id:
        return complaint
    complaint.channel = channel
    session.flush()
    audit.record(session, actor=user.email, action="complaint.channel_assigned",
                 subject=subject_of(complaint),
                 details={"from": before.id if before else None, "to": channel.id})
    tell(session, [channel.business_owner], complaint,
         subject=f"Complaint {complaint.reference} about @{channel.handle} is yours to handle",
         body=f"{user.name} found that the complaint is about @{channel.handle} on "
              f"{channel.platform}, whose business owner you are.",
         base_url=setup.base_url, outbox=outbox, exclude=user)
    if complaint.serious and complaint.escalated_at is None:
        _escalate(session, setup, complaint, actor=user.email, note="", outbox=outbox, by=user)
    return complaint


__all__ = [
    "ACTIONS",
    "ComplaintSetup",
    "act",
    "assign_channel",
    "check_content",
    "escalation_for",
    "file_from_comment",
    "next_reference",
    "require_complaint",
    "subject_of",
    "submit",
]
