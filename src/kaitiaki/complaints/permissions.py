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
from kaitiaki.models import Complaint, RoleAssignment, User
from kaitiaki.common.roles import ADMIN, COMMS_STAFF
from kaitiaki.people.service import has_role
from kaitiaki.people.queries import role_assignments_of
from kaitiaki.register.approval_rules import Requirement, holds_among
from kaitiaki.common.access import require_active


def escalation_requirement(complaint: Complaint) -> Requirement | None:
    if complaint.escalation_role is None:
        return None
    return Requirement(complaint.escalation_role, complaint.escalation_unit)


class HandlerCheck:
    """Whether one person handles complaints, asked of any number of complaints with at most
    three queries (their roles are read once, when first needed). Build one per request or list;
    it does not see role changes made after it has read them."""

    def __init__(self, session: Session, user: User) -> None:
        self.session = session
        self.user = user
        self._comms_or_admin: bool | None = None
        self._assignments: list[RoleAssignment] | None = None

    def comms_or_admin(self) -> bool:
        if self._comms_or_admin is None:
            self._comms_or_admin = (has_role(self.session, self.user, COMMS_STAFF)
                                    or has_role(self.session, self.user, ADMIN))
        return self._comms_or_admin

    def escalated_to(self, complaint: Complaint) -> bool:
        requirement = escalation_requirement(complaint)
        if requirement is None or complaint.escalated_at is None:
            return False
        if self._assignments is None:
            self._assignments = role_assignments_of(self.session, self.user)
        return holds_among(self._assignments, self.user, requirement)

    def handles(self, complaint: Complaint) -> bool:
        if not self.user.is_active or self.user.left_at is not None:
            return False
        if complaint.channel is not None and complaint.channel.business_owner_id == self.user.id:
            return True
        return self.comms_or_admin() or self.escalated_to(complaint)


def is_comms_or_admin(session: Session, user: User) -> bool:
    return HandlerCheck(session, user).comms_or_admin()


def is_escalated_to(session: Session, user: User, complaint: Complaint) -> bool:
    return HandlerCheck(session, user).escalated_to(complaint)


def is_handler(session: Session, user: User, complaint: Complaint) -> bool:
    return HandlerCheck(session, user).handles(complaint)


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
    "HandlerCheck",
    "escalation_requirement",
    "is_comms_or_admin",
    "is_escalated_to",
    "is_handler",
    "require_active",
    "require_comms_or_admin",
    "require_handler",
]
