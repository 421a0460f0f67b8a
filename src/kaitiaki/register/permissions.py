"""Who may do what in the register. Services call these before changing anything; each refusal
says who can do it instead.

| action                               | who                                                     |
|--------------------------------------|---------------------------------------------------------|
| see the register, export it          | anyone signed in                                        |
| request a new channel                | communications staff; anyone naming themselves owner    |
| request extended use of a channel    | communications staff; the channel's business owner      |
| approve or decline a request         | a holder of a missing required role, not the requester  |
| withdraw a request                   | the requester; communications staff                     |
| edit details, checklist, status      | communications staff                                    |
| record the date of the last post     | communications staff; the business owner                |
| change the business owner            | communications staff                                    |
| authorise or revoke posters          | the channel's business owner only                       |
| record apps on a person's device     | the person; communications staff; administrators        |
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from kaitiaki.common.access import require_active
from kaitiaki.errors import NotPermitted
from kaitiaki.models import Channel, ChannelRequest, User
from kaitiaki.common.roles import ADMIN, COMMS_STAFF
from kaitiaki.people.service import has_role


def is_comms_staff(session: Session, user: User) -> bool:
    return has_role(session, user, COMMS_STAFF)


def is_business_owner(user: User, channel: Channel) -> bool:
    return channel.business_owner_id == user.id


def require_comms_staff(session: Session, user: User, doing: str) -> None:
    require_active(user)
    if not is_comms_staff(session, user):
        raise NotPermitted(f"Only communications staff can {doing}.")


def require_can_request(session: Session, user: User, owner: User) -> None:
    require_active(user)
    if owner.id != user.id and not is_comms_staff(session, user):
        raise NotPermitted(
            "You can request a channel with yourself as its business owner; communications staff "
            "can request one for someone else."
        )


def require_can_request_extended_use(session: Session, user: User, channel: Channel) -> None:
    require_active(user)
    if not (is_business_owner(user, channel) or is_comms_staff(session, user)):
        raise NotPermitted(
            f"Only the business owner of @{channel.handle}, {channel.business_owner.name}, or "
            "communications staff can request extended use of it."
        )


def require_can_withdraw(session: Session, user: User, request: ChannelRequest) -> None:
    require_active(user)
    if request.requested_by_id != user.id and not is_comms_staff(session, user):
        raise NotPermitted("Only the person who made the request, or communications staff, "
                           "can withdraw it.")


def require_can_record_post(session: Session, user: User, channel: Channel) -> None:
    require_active(user)
    if not (is_business_owner(user, channel) or is_comms_staff(session, user)):
        raise NotPermitted(
            f"Only the business owner of @{channel.handle}, {channel.business_owner.name}, or "
            "communications staff can record its last post."
        )


def require_business_owner(user: User, channel: Channel, doing: str) -> None:
    require_active(user)
    if not is_business_owner(user, channel):
        raise NotPermitted(
            f"Only the channel's business owner, {channel.business_owner.name}, can {doing} "
            f"on @{channel.handle}."
        )


def require_can_manage_devices(session: Session, user: User, person: User) -> None:
    require_active(user)
    if user.id == person.id:
        return
    if not (is_comms_staff(session, user) or has_role(session, user, ADMIN)):
        raise NotPermitted("You can record apps on your own work devices; communications staff "
                           "and administrators can record them for others.")


def can_see_person(session: Session, user: User, person: User) -> bool:
    return user.id == person.id or is_comms_staff(session, user) or has_role(session, user, ADMIN)


__all__ = [
    "can_see_person",
    "is_business_owner",
    "is_comms_staff",
    "require_active",
    "require_business_owner",
    "require_can_manage_devices",
    "require_can_record_post",
    "require_can_request",
    "require_can_request_extended_use",
    "require_can_withdraw",
    "require_comms_staff",
]
