"""Changes to the register: channel requests and their approvals, channel details, business
owners and posting authorisations. Every change checks permission first (register.permissions),
validates everything before writing anything, and records an audit event (subject
"channel:<id>") in the same transaction; nothing here commits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from kaitiaki.audit import service as audit
from kaitiaki.common.forms import FieldErrors, clean_text, clean_url, end_of_day
from kaitiaki.errors import BadInput, Conflict, FieldError, NotFound, NotPermitted
from kaitiaki.models import (
    Channel,
    ChannelApproval,
    ChannelAuthorisation,
    ChannelRequest,
    OrgUnit,
    User,
)
from kaitiaki.notify import outbox
from kaitiaki.people import queries as people_queries
from kaitiaki.policy.schema import ApprovalRule
from kaitiaki.register import permissions, queries
from kaitiaki.register.approval_rules import Requirement, holds, requirements_for
from kaitiaki.register.permissions import is_business_owner
from kaitiaki.register.schemas import (
    CHECKLIST_ITEMS,
    MAX_NAME_LENGTH,
    ChannelDraft,
    clean_cadence,
    clean_handle,
    clean_platform,
    handle_key,
)
from kaitiaki.register.transitions import (
    CHANNEL_WORKFLOW,
    MANUAL_CHANNEL_ACTIONS,
    REQUEST_WORKFLOW,
)
from kaitiaki.common.rows import AlreadyDone, ChangedMeanwhile, ago, compare_and_set, lock_latest
from kaitiaki.timeutil import utcnow


class DuplicateChannel(Conflict):
    """The platform and handle are in the register already; `channel_id` names that channel."""

    def __init__(self, channel: Channel) -> None:
        path = channel_path(channel)
        message = f"@{channel.handle} on {channel.platform} is already in the register."
        super().__init__(
            f"{message} See {path}.",
            fields=[FieldError(["handle"], message)],
        )
        self.channel_id = channel.id
        self.path = path


def channel_path(channel: Channel) -> str:
    return f"/register/channels/{channel.id}"


def subject_of(channel: Channel) -> str:
    return f"channel:{channel.id}"


def require_channel(session: Session, channel_id: int) -> Channel:
    channel = queries.get_channel(session, channel_id)
    if channel is None:
        raise NotFound(f"There is no channel number {channel_id} in the register.")
    return channel


def require_request(session: Session, request_id: int, *, for_update: bool = False) -> ChannelRequest:
    request = queries.get_request(session, request_id, for_update=for_update)
    if request is None:
        raise NotFound(f"There is no channel request number {request_id}.")
    return request


def _refuse_if_decided(request: ChannelRequest, action: str) -> None:
    """Someone decided the request already: the usual refusal, and who decided it and when."""
    if not REQUEST_WORKFLOW.is_final(request.state):
        return
    who = request.decided_by.name if request.decided_by is not None else "Someone"
    done = {"approved": "approved", "declined": "declined", "withdrawn": "withdrew"}
    raise AlreadyDone(f"{REQUEST_WORKFLOW.refusal(request.state, action)} "
                      f"{who} {done.get(request.state, 'decided')} it {ago(request.decided_at)}.")


def _set_request_state(session: Session, request: ChannelRequest, action: str, **also) -> None:
    before = request.state
    after = REQUEST_WORKFLOW.apply(before, action)
    if not compare_and_set(session, request, "state", before, after, **also):
        session.refresh(request)
        _refuse_if_decided(request, action)
        raise ChangedMeanwhile("Someone else changed this request a moment ago; reload it and "
                               "try again.")


def _person(session: Session, email: str, errors: FieldErrors, field: str, label: str) -> User | None:
    email = email.strip()
    if not email:
        errors.add(field, f"Enter the {label}'s email address.")
        return None
    person = people_queries.get_user_by_email(session, email) if len(email) <= 320 else None
    if person is None:
        errors.add(field, f"Nobody with the email address {email[:320]} has an account.")
    elif not person.is_active or person.left_at is not None:
        errors.add(field, f"{person.name} has left; choose someone who works here now.")
        return None
    return person


def _unit(session: Session, code: str, errors: FieldErrors) -> OrgUnit | None:
    unit = people_queries.get_unit_by_code(session, code) if code.strip() else None
    if unit is None:
        errors.add("unit", "Choose the organisation unit the channel belongs to.")
    return unit


# --- requests ----------------------------------------------------------------------------------


def request_channel(
    session: Session, *, requester: User, rules: Sequence[ApprovalRule], draft: ChannelDraft,
    details: str = "",
) -> ChannelRequest:
    """Propose a new channel: the channel enters the register as "proposed" with a pending
    request that the pack's approvers decide."""
    permissions.require_active(requester)
    errors = FieldErrors()
    platform = clean_platform(draft.platform, errors)
    handle = clean_handle(draft.handle, errors)
    url = clean_url(draft.url, errors)
    display_name = clean_text(draft.display_name, errors, "display_name", "the display name",
                              max_length=MAX_NAME_LENGTH)
    purposes = clean_text(draft.purposes, errors, "purposes", "the channel's purposes")
    monitoring_hours = clean_text(draft.monitoring_hours, errors, "monitoring_hours",
                                  "the monitoring hours", required=False, max_length=200)
    cadence_days = clean_cadence(draft.cadence_days, errors)
    details = clean_text(details, errors, "details", "why the channel is needed", required=False)
    unit = _unit(session, draft.unit_code, errors)
    owner = _person(session, draft.business_owner_email, errors, "business_owner", "business owner")
    errors.raise_if_any()
    assert unit is not None and owner is not None
    permissions.require_can_request(session, requester, owner)
    existing = queries.get_channel_by_handle(session, platform, handle)
    if existing is not None and not CHANNEL_WORKFLOW.can(existing.status, "reopen"):
        raise DuplicateChannel(existing)
    requirements_for(rules, unit, "new_channel")  # refuses a unit nobody can approve for
    values = dict(
        platform=platform, handle=handle, handle_key=handle_key(handle), url=url,
        display_name=display_name, unit=unit, purposes=purposes, business_owner=owner,
        monitoring_hours=monitoring_hours, cadence_days=cadence_days,
    )
    if existing is None:
        channel = Channel(status=CHANNEL_WORKFLOW.initial, **values)
        session.add(channel)
        session.flush()
    else:  # requested again after a decline or a withdrawal: same record, new request
        channel = existing
        for key, value in values.items():
            setattr(channel, key, value)
        _move_channel(session, channel, "reopen", requester.email)
    request = _new_request(session, channel, "new_channel", details or purposes, requester)
    audit.record(
        session, actor=requester.email, action="channel.requested", subject=subject_of(channel),
        details={"request": request.id, "kind": "new_channel", "platform": platform,
                 "handle": handle, "url": url, "unit": unit.code, "business_owner": owner.email,
                 "purposes": purposes, "details": request.details},
    )
    return request


def request_extended_use(
    session: Session, *, requester: User, rules: Sequence[ApprovalRule], channel: Channel,
    details: str,
) -> ChannelRequest:
    """Ask to use an active channel for a new purpose or a new platform feature."""
    permissions.require_can_request_extended_use(session, requester, channel)
    errors = FieldErrors()
    details = clean_text(details, errors, "details", "the new purpose or platform feature")
    errors.raise_if_any()
    if channel.status != "active":
        raise Conflict(f"@{channel.handle} is {CHANNEL_WORKFLOW.states[channel.status]}; extended "
                       "use can be requested for an active channel only.")
    requirements_for(rules, channel.unit, "extended_use")
    request = _new_request(session, channel, "extended_use", details, requester)
    audit.record(
        session, actor=requester.email, action="channel.extended_use_requested",
        subject=subject_of(channel), details={"request": request.id, "details": details},
    )
    return request


def _new_request(
    session: Session, channel: Channel, kind: str, details: str, requester: User
) -> ChannelRequest:
    request = ChannelRequest(
        channel=channel, kind=kind, details=details, state=REQUEST_WORKFLOW.initial,
        requested_by=requester,
    )
    session.add(request)
    session.flush()
    return request


def approve(
    session: Session, *, request_id: int, approver: User, rules: Sequence[ApprovalRule]
) -> ChannelRequest:
    """Record one required approval; the last one approves the request (and activates a new
    channel, or adds the new purpose to an existing one)."""
    request = require_request(session, request_id, for_update=True)
    _refuse_if_decided(request, "approve")
    REQUEST_WORKFLOW.apply(request.state, "approve")  # names the state when it is decided
    requirement = _requirement_to_fill(session, request, approver, rules, "approve")
    missing = queries.missing_requirements(session, rules, request)
    final = len(missing) == 1
    if final:
        _set_request_state(session, request, "approve_final", decided_by_id=approver.id,
                           decided_at=utcnow())
        request.decided_by = approver
    else:
        _set_request_state(session, request, "approve")
    session.add(ChannelApproval(request_id=request.id, approver=approver, requirement=requirement.spec))
    channel = request.channel
    session.flush()
    audit.record(
        session, actor=approver.email, action="channel.request_approved",
        subject=subject_of(channel),
        details={"request": request.id, "as": requirement.spec, "state": request.state},
    )
    if final and request.kind == "new_channel":
        _move_channel(session, channel, "activate", approver.email)
    elif final:
        before = channel.purposes
        channel.purposes = f"{before}\n{request.details}".strip()
        session.flush()
        audit.record(
            session, actor=approver.email, action="channel.updated", subject=subject_of(channel),
            details={"request": request.id, "changes": {"purposes": [before, channel.purposes]}},
        )
    return request


def decline(
    session: Session, *, request_id: int, approver: User, rules: Sequence[ApprovalRule], reason: str
) -> ChannelRequest:
    request = require_request(session, request_id, for_update=True)
    _refuse_if_decided(request, "decline")
    REQUEST_WORKFLOW.apply(request.state, "decline")
    errors = FieldErrors()
    reason = clean_text(reason, errors, "reason", "the reason for declining")
    errors.raise_if_any()
    requirement = _requirement_to_fill(session, request, approver, rules, "decline")
    _set_request_state(session, request, "decline", decided_by_id=approver.id,
                       decided_at=utcnow())
    request.decided_by = approver
    request.decline_reason = reason
    session.flush()
    audit.record(
        session, actor=approver.email, action="channel.request_declined",
        subject=subject_of(request.channel),
        details={"request": request.id, "as": requirement.spec, "reason": reason},
    )
    if request.kind == "new_channel":
        _move_channel(session, request.channel, "decline", approver.email)
    return request


def withdraw(session: Session, *, request_id: int, user: User) -> ChannelRequest:
    request = require_request(session, request_id, for_update=True)
    _refuse_if_decided(request, "withdraw")
    REQUEST_WORKFLOW.apply(request.state, "withdraw")
    permissions.require_can_withdraw(session, user, request)
    _set_request_state(session, request, "withdraw", decided_by_id=user.id, decided_at=utcnow())
    request.decided_by = user
    session.flush()
    audit.record(
        session, actor=user.email, action="channel.request_withdrawn",
        subject=subject_of(request.channel), details={"request": request.id},
    )
    if request.kind == "new_channel":
        _move_channel(session, request.channel, "withdraw", user.email)
    return request


def _requirement_to_fill(
    session: Session, request: ChannelRequest, approver: User, rules: Sequence[ApprovalRule],
    verb: str,
) -> Requirement:
    """The missing approval this person gives, or NotPermitted saying why they cannot."""
    permissions.require_active(approver)
    if request.requested_by_id == approver.id:
        raise NotPermitted(f"You made this request, so you cannot {verb} it: two other people "
                           "must decide it.")
    approvals = queries.approvals_of(session, request)
    missing = queries.missing_requirements(session, rules, request)
    needed = " and ".join(r.label for r in missing)
    if any(approval.approver_id == approver.id for approval in approvals):
        raise NotPermitted(f"You have already approved this request; it now needs the {needed}, "
                           "who must be someone else.")
    for requirement in missing:
        if holds(session, approver, requirement):
            return requirement
    raise NotPermitted(f"This request needs a decision by the {needed}; you do not hold that role.")


def _move_channel(session: Session, channel: Channel, action: str, actor: str) -> None:
    before = channel.status
    after = CHANNEL_WORKFLOW.apply(before, action)
    session.flush()
    if not compare_and_set(session, channel, "status", before, after):
        session.refresh(channel)
        raise AlreadyDone(f"Someone else changed @{channel.handle} a moment ago: it is now "
                          f"{CHANNEL_WORKFLOW.states[channel.status]}; nothing was changed.")
    audit.record(
        session, actor=actor, action="channel.status_changed", subject=subject_of(channel),
        details={"from": before, "to": channel.status, "action": action},
    )


# --- maintaining the register ------------------------------------------------------------------


def update_details(
    session: Session, *, user: User, channel: Channel, display_name: str, url: str,
    purposes: str, monitoring_hours: str, cadence_days: int | str | None,
) -> Channel:
    permissions.require_comms_staff(session, user, "edit the register")
    errors = FieldErrors()
    wanted = {
        "display_name": clean_text(display_name, errors, "display_name", "the display name",
                                   max_length=MAX_NAME_LENGTH),
        "url": clean_url(url, errors),
        "purposes": clean_text(purposes, errors, "purposes", "the channel's purposes"),
        "monitoring_hours": clean_text(monitoring_hours, errors, "monitoring_hours",
                                       "the monitoring hours", required=False, max_length=200),
        "cadence_days": clean_cadence(cadence_days, errors),
    }
    errors.raise_if_any()
    changes = {key: [getattr(channel, key), value] for key, value in wanted.items()
               if getattr(channel, key) != value}
    if not changes:
        return channel
    for key, (_before, after) in changes.items():
        setattr(channel, key, after)
    session.flush()
    audit.record(session, actor=user.email, action="channel.updated", subject=subject_of(channel),
                 details={"changes": changes})
    return channel


def update_checklist(session: Session, *, user: User, channel: Channel, items: Mapping[str, bool]) -> Channel:
    """Record the visual-identity check: each item ticked or not, by whom and when."""
    permissions.require_comms_staff(session, user, "check a channel's visual identity")
    unknown = sorted(set(items) - set(CHECKLIST_ITEMS))
    if unknown:
        raise BadInput(f"Unknown checklist item(s): {', '.join(unknown)}.")
    result = {key: bool(items.get(key, False)) for key in CHECKLIST_ITEMS}
    for key, value in result.items():
        setattr(channel, key, value)
    channel.checklist_checked_by = user
    channel.checklist_checked_at = utcnow()
    session.flush()
    audit.record(session, actor=user.email, action="channel.checklist_checked",
                 subject=subject_of(channel), details={"items": result})
    return channel


def record_last_post(session: Session, *, user: User, channel: Channel, on: date) -> Channel:
    permissions.require_can_record_post(session, user, channel)
    # NZ is ahead of UTC: its today may be UTC's tomorrow.
    if on > utcnow().date() + timedelta(days=1):
        message = "The date of the last post cannot be in the future."
        raise BadInput(message, fields=[FieldError(["last_post_on"], message)])
    before = channel.last_post_on
    channel.last_post_on = on
    session.flush()
    audit.record(session, actor=user.email, action="channel.last_post_recorded",
                 subject=subject_of(channel),
                 details={"before": before.isoformat() if before else None, "on": on.isoformat()})
    return channel


def record_published_post(session: Session, *, user: User, channel: Channel, on: date,
                          item: str) -> Channel:
    """A post recorded as published (`item` names it, e.g. "draft:12") moves the channel's
    last-post date forward; an older post leaves it as it is. The poster who published it may
    record this, as may the business owner and communications staff."""
    if not can_post(session, user, channel):
        permissions.require_can_record_post(session, user, channel)
    if on > utcnow().date() + timedelta(days=1):
        message = "The date of the last post cannot be in the future."
        raise BadInput(message, fields=[FieldError(["last_post_on"], message)])
    before = channel.last_post_on
    if before is not None and before >= on:
        return channel
    channel.last_post_on = on
    session.flush()
    audit.record(session, actor=user.email, action="channel.last_post_recorded",
                 subject=subject_of(channel),
                 details={"before": before.isoformat() if before else None, "on": on.isoformat(),
                          "item": item})
    return channel


def change_status(session: Session, *, user: User, channel: Channel, action: str) -> Channel:
    if action not in MANUAL_CHANNEL_ACTIONS:
        raise BadInput(f"Choose one of: {', '.join(MANUAL_CHANNEL_ACTIONS)}.")
    permissions.require_comms_staff(session, user, "change a channel's status")
    channel = lock_latest(session, channel)
    targets = {target for _source, name, target in CHANNEL_WORKFLOW.rows() if name == action}
    if not CHANNEL_WORKFLOW.can(channel.status, action) and channel.status in targets:
        raise AlreadyDone(f"@{channel.handle} is already {CHANNEL_WORKFLOW.states[channel.status]}; "
                          "someone else changed it a moment ago.")
    _move_channel(session, channel, action, user.email)
    return channel


def change_business_owner(
    session: Session, *, user: User, channel: Channel, new_owner_email: str, reason: str
) -> Channel:
    permissions.require_comms_staff(session, user, "change a channel's business owner")
    errors = FieldErrors()
    owner = _person(session, new_owner_email, errors, "business_owner", "new business owner")
    reason = clean_text(reason, errors, "reason", "the reason for the change")
    errors.raise_if_any()
    assert owner is not None
    if owner.id == channel.business_owner_id:
        message = f"{owner.name} is already the business owner of @{channel.handle}."
        raise BadInput(message, fields=[FieldError(["business_owner"], message)])
    before = channel.business_owner
    channel.business_owner = owner
    session.flush()
    audit.record(session, actor=user.email, action="channel.owner_changed",
                 subject=subject_of(channel),
                 details={"from": before.email, "to": owner.email, "reason": reason})
    return channel


# --- posting authorisations ----------------------------------------------------------------------


def can_post(session: Session, user: User, channel: Channel, at: datetime | None = None) -> bool:
    """Whether the person may post on the channel now: an active channel, an active account and
    an authorisation in force."""
    if channel.status != "active" or not user.is_active or user.left_at is not None:
        return False
    return queries.authorisation_in_force(session, channel, user, at) is not None


def authorise(
    session: Session, *, user: User, channel: Channel, person_email: str, until: date | None,
    reason: str, zone: ZoneInfo,
) -> ChannelAuthorisation:
    """The business owner authorises a person to post, optionally until the end of a day."""
    permissions.require_business_owner(user, channel, "authorise posters")
    # One grant at a time per channel, so two owners' clicks cannot both pass the check below.
    channel = lock_latest(session, channel)
    errors = FieldErrors()
    person = _person(session, person_email, errors, "email", "person")
    reason = clean_text(reason, errors, "reason", "the reason", required=False)
    expires_at = end_of_day(until, zone) if until else None
    now = utcnow()
    if expires_at is not None and expires_at <= now:
        errors.add("until", "The end date has passed; choose today or a later day.")
    errors.raise_if_any()
    assert person is not None
    if channel.status not in ("active", "suspended"):
        raise Conflict(f"@{channel.handle} is {CHANNEL_WORKFLOW.states[channel.status]}; posters "
                       "can be authorised on a channel in use only.")
    current = queries.authorisation_in_force(session, channel, person, now)
    if current is not None:
        message = f"{person.name} is already authorised to post on @{channel.handle}."
        raise Conflict(message, fields=[FieldError(["email"], message)])
    grant = ChannelAuthorisation(
        channel_id=channel.id, user=person, reason=reason, granted_by=user, granted_at=now,
        expires_at=expires_at,
    )
    session.add(grant)
    session.flush()
    audit.record(session, actor=user.email, action="channel.poster_authorised",
                 subject=subject_of(channel),
                 details={"authorisation": grant.id, "person": person.email, "reason": reason,
                          "expires_at": expires_at.isoformat() if expires_at else None})
    outbox.add_notice(session, [person], f"You may now post on @{channel.handle}"
                      + (f" until {until:%-d %B %Y}." if until else "."),
                      link=channel_path(channel), key=f"grant:{grant.id}:granted")
    return grant


def revoke(
    session: Session, *, user: User, channel: Channel, person_email: str, reason: str = ""
) -> ChannelAuthorisation:
    """The business owner revokes a posting authorisation; it stops at once."""
    permissions.require_business_owner(user, channel, "revoke posters")
    channel = lock_latest(session, channel)
    errors = FieldErrors()
    person = _person(session, person_email, errors, "email", "person")
    reason = clean_text(reason, errors, "reason", "the reason", required=False)
    errors.raise_if_any()
    assert person is not None
    now = utcnow()
    grant = queries.authorisation_in_force(session, channel, person, now)
    if grant is None:
        message = f"{person.name} is not authorised to post on @{channel.handle}."
        raise Conflict(message, fields=[FieldError(["email"], message)])
    if not compare_and_set(session, grant, "revoked_at", None, now, revoked_by_id=user.id,
                           revocation_reason=reason or None):
        raise AlreadyDone(f"{person.name}'s authorisation on @{channel.handle} was revoked by "
                          "someone else a moment ago.")
    session.flush()
    audit.record(session, actor=user.email, action="channel.poster_revoked",
                 subject=subject_of(channel),
                 details={"authorisation": grant.id, "person": person.email, "reason": reason})
    outbox.add_notice(session, [person], f"Your authorisation to post on @{channel.handle} is revoked"
                      + (f": {reason}" if reason else "."),
                      link=channel_path(channel), key=f"grant:{grant.id}:revoked")
    return grant


__all__ = [
    "DuplicateChannel",
    "approve",
    "authorise",
    "can_post",
    "change_business_owner",
    "change_status",
    "channel_path",
    "decline",
    "is_business_owner",
    "record_last_post",
    "record_published_post",
    "request_channel",
    "request_extended_use",
    "require_channel",
    "require_request",
    "revoke",
    "update_checklist",
    "update_details",
    "withdraw",
]
