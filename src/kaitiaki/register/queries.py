"""Read the register: channels with their flags, requests and approvals, authorisations and
work-device apps."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from kaitiaki.models import (
    Channel,
    ChannelApproval,
    ChannelAuthorisation,
    ChannelRequest,
    OrgUnit,
    User,
    WorkDeviceApp,
)
from kaitiaki.policy.schema import ApprovalRule
from kaitiaki.register.approval_rules import Requirement, holders, holds, requirements_for
from kaitiaki.register.schemas import handle_key
from kaitiaki.register.transitions import OPEN_REQUEST_STATES
from kaitiaki.timeutil import utcnow

FLAG_LABELS: dict[str, str] = {
    "no_recent_post": "No post within its cadence",
    "checklist_incomplete": "Visual-identity checklist incomplete",
    "owner_left": "Business owner has left",
}
FLAGGED_STATUSES = ("active", "suspended")


@dataclass(frozen=True)
class RegisterFilter:
    q: str = ""
    platform: str = ""
    unit: str = ""
    status: str = ""
    flagged: bool = False


def flags_of(channel: Channel, today: date, live_since: datetime | None = None) -> list[str]:
    """What needs attention on a channel in use: missed cadence, checklist, owner gone.
    `live_since`: when its new-channel request was approved. A channel that has not posted yet
    has its first cadence from then, so one approved today is not flagged at once."""
    if channel.status not in FLAGGED_STATUSES:
        return []
    flags = []
    last = channel.last_post_on or (live_since.date() if live_since is not None else None)
    if channel.cadence_days is not None and (last is None or (today - last).days > channel.cadence_days):
        flags.append("no_recent_post")
    if not channel.checklist_complete:
        flags.append("checklist_incomplete")
    owner = channel.business_owner
    if not owner.is_active or owner.left_at is not None:
        flags.append("owner_left")
    return flags


def _approved_at():
    """When the channel's new-channel request was approved (UTC), for each channel row."""
    return (
        select(func.max(ChannelRequest.decided_at))
        .where(ChannelRequest.channel_id == Channel.id, ChannelRequest.kind == "new_channel",
               ChannelRequest.state == "approved")
        .correlate(Channel)
        .scalar_subquery()
    )


def live_since(session: Session, channel: Channel) -> datetime | None:
    return session.scalar(select(_approved_at()).where(Channel.id == channel.id))


def channel_flags(session: Session, channel: Channel, today: date) -> list[str]:
    return flags_of(channel, today, live_since(session, channel))


def get_channel(session: Session, channel_id: int) -> Channel | None:
    return session.get(Channel, channel_id)


def get_channel_by_handle(session: Session, platform: str, handle: str) -> Channel | None:
    return session.scalars(
        select(Channel).where(
            Channel.platform == platform.strip().lower(), Channel.handle_key == handle_key(handle)
        )
    ).first()


def channels_with_handle(session: Session, handle: str) -> list[Channel]:
    """Every channel with this handle, on whatever platform (the CLI names channels this way)."""
    return list(
        session.scalars(
            select(Channel).where(Channel.handle_key == handle_key(handle)).order_by(Channel.platform)
        )
    )


def list_channels(
    session: Session, filters: RegisterFilter | None = None, *, today: date | None = None
) -> list[tuple[Channel, list[str]]]:
    """Channels matching the filters, each with its flags, ordered by platform and handle."""
    filters = filters or RegisterFilter()
    today = today or utcnow().date()
    statement = select(Channel).join(OrgUnit, OrgUnit.id == Channel.unit_id)
    term = filters.q.strip()
    if term:
        # autoescape: a typed % or _ is a character to find, not a wildcard.
        statement = statement.where(
            or_(
                Channel.handle_key.contains(handle_key(term), autoescape=True),
                Channel.display_name.icontains(term, autoescape=True),
                Channel.purposes.icontains(term, autoescape=True),
            )
        )
    if filters.platform:
        statement = statement.where(Channel.platform == filters.platform)
    if filters.unit:
        statement = statement.where(OrgUnit.code == filters.unit.upper())
    if filters.status:
        statement = statement.where(Channel.status == filters.status)
    rows = [
        (channel, flags_of(channel, today, approved_at))
        for channel, approved_at in session.execute(
            statement.add_columns(_approved_at()).order_by(Channel.platform, Channel.handle_key))
    ]
    if filters.flagged:
        rows = [(channel, flags) for channel, flags in rows if flags]
    return rows


def flagged_channels(session: Session, today: date | None = None) -> list[tuple[Channel, list[str]]]:
    return list_channels(session, RegisterFilter(flagged=True), today=today)


def get_request(session: Session, request_id: int, *, for_update: bool = False) -> ChannelRequest | None:
    statement = select(ChannelRequest).where(ChannelRequest.id == request_id)
    if for_update:
        # Serialises approvers of the same request on PostgreSQL (on SQLite a write transaction holds the write lock from BEGIN IMMEDIATE),
        # so two final approvals cannot both miss each other.
        # populate_existing: a row already in the session is refreshed with what the lock saw.
        statement = statement.with_for_update(of=ChannelRequest).execution_options(
            populate_existing=True)
    return session.scalars(statement).first()


def requests_of_channel(session: Session, channel: Channel) -> list[ChannelRequest]:
    return list(
        session.scalars(
            select(ChannelRequest)
            .where(ChannelRequest.channel_id == channel.id)
            .order_by(ChannelRequest.id.desc())
        )
    )


def open_requests(session: Session) -> list[ChannelRequest]:
    return list(
        session.scalars(
            select(ChannelRequest)
            .where(ChannelRequest.state.in_(OPEN_REQUEST_STATES))
            .order_by(ChannelRequest.requested_at)
        )
    )


def approvals_of(session: Session, request: ChannelRequest) -> list[ChannelApproval]:
    return list(
        session.scalars(
            select(ChannelApproval)
            .where(ChannelApproval.request_id == request.id)
            .order_by(ChannelApproval.id)
        )
    )


def missing_requirements(
    session: Session, rules: Sequence[ApprovalRule], request: ChannelRequest
) -> list[Requirement]:
    """The approvals a request still needs."""
    given = {approval.requirement for approval in approvals_of(session, request)}
    return [
        requirement
        for requirement in requirements_for(rules, request.channel.unit, request.kind)
        if requirement.spec not in given
    ]


def who_can_approve(
    session: Session, request: ChannelRequest, requirement: Requirement
) -> list[User]:
    """Everyone who could give this missing approval now: they hold the role, did not make the
    request and have not approved it already."""
    approved = {approval.approver_id for approval in approvals_of(session, request)}
    return [user for user in holders(session, requirement)
            if user.id != request.requested_by_id and user.id not in approved
            and user.is_active and user.left_at is None]


def requests_awaiting(
    session: Session, user: User, rules: Sequence[ApprovalRule]
) -> list[ChannelRequest]:
    """Open requests this person can approve now: they hold a missing role, did not make the
    request and have not approved it already."""
    awaiting = []
    for request in open_requests(session):
        if request.requested_by_id == user.id:
            continue
        if any(a.approver_id == user.id for a in approvals_of(session, request)):
            continue
        if any(holds(session, user, r) for r in missing_requirements(session, rules, request)):
            awaiting.append(request)
    return awaiting


def authorisations_of(session: Session, channel: Channel) -> list[ChannelAuthorisation]:
    """Every authorisation on the channel, newest first (revoked and expired ones included)."""
    return list(
        session.scalars(
            select(ChannelAuthorisation)
            .where(ChannelAuthorisation.channel_id == channel.id)
            .order_by(ChannelAuthorisation.granted_at.desc(), ChannelAuthorisation.id.desc())
        )
    )


def _in_force(at: datetime):
    return (
        ChannelAuthorisation.revoked_at.is_(None),
        or_(ChannelAuthorisation.expires_at.is_(None), ChannelAuthorisation.expires_at > at),
    )


def authorisation_in_force(
    session: Session, channel: Channel, user: User, at: datetime | None = None
) -> ChannelAuthorisation | None:
    return session.scalars(
        select(ChannelAuthorisation).where(
            ChannelAuthorisation.channel_id == channel.id,
            ChannelAuthorisation.user_id == user.id,
            *_in_force(at or utcnow()),
        )
    ).first()


def authorisations_in_force(session: Session, at: datetime | None = None) -> list[ChannelAuthorisation]:
    """Who can post where: every authorisation in force now, by channel then person."""
    return list(
        session.scalars(
            select(ChannelAuthorisation)
            .join(Channel, Channel.id == ChannelAuthorisation.channel_id)
            .join(User, User.id == ChannelAuthorisation.user_id)
            .where(*_in_force(at or utcnow()), Channel.status == "active", User.is_active.is_(True))
            .order_by(Channel.platform, Channel.handle_key, User.name)
        )
    )


def channels_postable_by(session: Session, user: User, at: datetime | None = None) -> list[Channel]:
    """Active channels the person is authorised to post on at `at` (default now)."""
    if not user.is_active or user.left_at is not None:
        return []
    return list(
        session.scalars(
            select(Channel)
            .join(ChannelAuthorisation, ChannelAuthorisation.channel_id == Channel.id)
            .where(
                ChannelAuthorisation.user_id == user.id,
                *_in_force(at or utcnow()),
                Channel.status == "active",
            )
            .order_by(Channel.platform, Channel.handle_key)
            .distinct()
        )
    )


def channels_owned_by(session: Session, user: User) -> list[Channel]:
    return list(
        session.scalars(
            select(Channel)
            .where(Channel.business_owner_id == user.id)
            .order_by(Channel.platform, Channel.handle_key)
        )
    )


def device_apps_of(session: Session, user: User, *, include_removed: bool = False) -> list[WorkDeviceApp]:
    statement = select(WorkDeviceApp).where(WorkDeviceApp.user_id == user.id)
    if not include_removed:
        statement = statement.where(WorkDeviceApp.removed_at.is_(None))
    return list(session.scalars(statement.order_by(WorkDeviceApp.recorded_at.desc())))


def get_device_app(session: Session, row_id: int) -> WorkDeviceApp | None:
    return session.get(WorkDeviceApp, row_id)


__all__ = [
    "FLAG_LABELS",
    "RegisterFilter",
    "approvals_of",
    "authorisation_in_force",
    "authorisations_in_force",
    "authorisations_of",
    "channels_owned_by",
    "channels_postable_by",
    "channels_with_handle",
    "device_apps_of",
    "flagged_channels",
    "channel_flags",
    "flags_of",
    "live_since",
    "get_channel",
    "get_channel_by_handle",
    "get_device_app",
    "get_request",
    "list_channels",
    "missing_requirements",
    "open_requests",
    "requests_awaiting",
    "who_can_approve",
    "requests_of_channel",
]
