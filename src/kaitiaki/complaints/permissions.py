"""Who may see and handle a complaint.

| who                                            | sees the list | sees contact details | acts on it |
|------------------------------------------------|---------------|----------------------|------------|
| the channel's business owner (now)             | yes           | yes                  | yes        |
| the holder of the role it was escalated to     | yes           | yes                  | yes        |
| communications staff, administrators           | yes           | yes                  | yes        |
| any other member of staff                      | yes           | no                   | no         |
| the public                                     | no            | no                   | submits only |

Exports never carry contact details, whoever asks: an export travels further than a screen.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from kaitiaki.errors import NotPermitted
from kaitiaki.models import Complaint, User
from kaitiaki.common.roles import ADMIN, COMMS_STAFF
from kaitiaki.people.service import has_role
from kaitiaki.register.approval_rules import Requirement, holds
from kaitiaki.common.access import require_active


def escalation_requirement(complaint: Complaint) -> Requirement | None:
    if complaint.escalation_role is None:
        return None
    return Requirement(complaint.escalation_role, complaint.escalation_unit)


def is_comms_or_admin(session: Session, user: User) -> bool:
    return has_role(session, user, COMMS_STAFF) or has_role(session, user, ADMIN)


def is_escalated_to(session: Session, user: User, complaint: Complaint) -> bool:
    requirement = escalation_requirement(complaint)
    return requirement is not None and complaint.escalated_at is not None and holds(
        session, user, requirement)


def is_handler(session: Session, user: User, complaint: Complaint) -> bool:
    if not user.is_active or user.left_at is not None:
        return False
    if complaint.channel is not None and complaint.channel.business_owner_id == user.id:
        return True
    return is_comms_or_admin(session, user) or is_escalated_to(session, user, complaint)


def require_handler(session: Session, user: User, complaint: Complaint) -> None:
    require_active(user)
    if is_handler(session, user, complaint):
        return
    if complaint.channel is not None:
        owner = complaint.channel.business_owner.name
        raise NotPermitted(f"Only the business owner of @{complaint.channel.handle} ({owner}), "
                           "the ELT member it is escalated to, or communications staff can "
                           "handle this complaint.")
    raise NotPermitted("Communications staff triage complaints that name no channel.")


def require_comms_or_admin(session: Session, user: User, doing: str) -> None:
    require_active(user)
    if not is_comms_or_admin(session, user):
        raise NotPermitted(f"Only communications staff can {doing}.")


__all__ = [
    "escalation_requirement",
    "is_comms_or_admin",
    "is_escalated_to",
    "is_handler",
    "require_active",
    "require_comms_or_admin",
    "require_handler",
]
