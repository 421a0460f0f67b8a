"""Who is who for an export: senior leaders (released), other staff, complainants and comment
authors (withheld), read from the database and the pack's roles."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaitiaki.models import Comment, Complaint, RoleAssignment, User
from kaitiaki.oia.redaction import KnownPeople
from kaitiaki.policy.schema import Role

COMMAND_LINE = "command line"
SYSTEM = "Kaitiaki"


def senior_role_ids(roles: Iterable[Role]) -> frozenset[str]:
    return frozenset(role.id for role in roles if role.senior)


@dataclass(frozen=True)
class StaffDirectory:
    """Staff by email, and which of them are senior leaders."""

    names: dict[str, str]  # email -> name
    senior: frozenset[str]  # emails

    def is_senior(self, email: str) -> bool:
        return email.lower() in self.senior

    def released_names(self) -> frozenset[str]:
        return frozenset(self.names[email] for email in self.senior if email in self.names)

    def private_names(self) -> frozenset[str]:
        return frozenset(name for email, name in self.names.items() if email not in self.senior)


def staff_directory(session: Session, senior_roles: frozenset[str]) -> StaffDirectory:
    users = list(session.scalars(select(User)))
    senior_ids = set(session.scalars(
        select(RoleAssignment.user_id).where(RoleAssignment.role.in_(sorted(senior_roles)))))
    return StaffDirectory(names={u.email.lower(): u.name for u in users},
                          senior=frozenset(u.email.lower() for u in users if u.id in senior_ids))


def known_people(session: Session, staff: StaffDirectory) -> KnownPeople:
    complainants = session.scalars(
        select(Complaint.complainant_name).where(Complaint.complainant_name != "")).all()
    authors = session.execute(select(Comment.author_name, Comment.author_handle)).all()
    public_names = {name for name in complainants} | {name for name, _handle in authors if name}
    handles = {handle for _name, handle in authors if handle}
    # Staff given names alone are too common as ordinary words to withhold everywhere; the
    # name detector finds them next to a family name.
    return KnownPeople(private_names=staff.private_names(),
                       public_member_names=frozenset(public_names),
                       private_handles=frozenset(handles), released=staff.released_names())


__all__ = ["COMMAND_LINE", "SYSTEM", "StaffDirectory", "known_people", "senior_role_ids",
           "staff_directory"]
