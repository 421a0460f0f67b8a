"""Read users, their roles and organisation units."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaitiaki.common.access import get_user
from kaitiaki.models import OrgUnit, RoleAssignment, User


def normalise_email(email: str) -> str:
    return email.strip().lower()


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.email)))


def get_user_by_email(session: Session, email: str) -> User | None:
    return session.scalars(select(User).where(User.email == normalise_email(email))).first()


def get_unit_by_code(session: Session, code: str) -> OrgUnit | None:
    return session.scalars(select(OrgUnit).where(OrgUnit.code == code.strip().upper())).first()


def list_units(session: Session) -> list[OrgUnit]:
    return list(session.scalars(select(OrgUnit).order_by(OrgUnit.code)))


def role_assignments_of(session: Session, user: User) -> list[RoleAssignment]:
    return list(
        session.scalars(
            select(RoleAssignment)
            .where(RoleAssignment.user_id == user.id)
            .order_by(RoleAssignment.role, RoleAssignment.id)
        )
    )


def users_with_role(session: Session, role: str, unit_code: str | None = None) -> list[User]:
    """Active users holding `role` (for a unit-scoped role, in `unit_code` when given)."""
    statement = (
        select(User)
        .join(RoleAssignment, RoleAssignment.user_id == User.id)
        .where(RoleAssignment.role == role, User.is_active.is_(True))
    )
    if unit_code is not None:
        statement = statement.join(OrgUnit, OrgUnit.id == RoleAssignment.unit_id).where(
            OrgUnit.code == unit_code.strip().upper()
        )
    return list(session.scalars(statement.order_by(User.email).distinct()))


__all__ = [
    "get_unit_by_code",
    "get_user",
    "get_user_by_email",
    "list_units",
    "list_users",
    "normalise_email",
    "role_assignments_of",
    "users_with_role",
]
