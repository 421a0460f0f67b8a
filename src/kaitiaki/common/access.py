"""The checks actions start with: the person is signed in with an active account, and holds the
roles the action needs. Every feature, and the web layer's request dependencies, use these."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, joinedload

from kaitiaki.common.roles import ROLES
from kaitiaki.errors import BadInput, NotPermitted
from kaitiaki.models import OrgUnit, RoleAssignment, User


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def require_active(user: User | None) -> User:
    if user is None or not user.is_active or user.left_at is not None:
        raise NotPermitted("Sign in with an active account to do this.")
    return user


def roles_of(session: Session, user: User) -> list[tuple[str, str | None]]:
    """The person's (role, unit code) pairs; the unit is None for a role that takes none."""
    assignments = session.scalars(
        select(RoleAssignment)
        .options(joinedload(RoleAssignment.unit))
        .where(RoleAssignment.user_id == user.id)
        .order_by(RoleAssignment.role, RoleAssignment.id)
    )
    return [(assignment.role, assignment.unit.code if assignment.unit else None)
            for assignment in assignments]


def has_role(session: Session, user: User, role: str, unit_code: str | None = None) -> bool:
    """Whether the user holds `role`; with `unit_code`, only an assignment for that unit counts."""
    condition = exists().where(RoleAssignment.user_id == user.id, RoleAssignment.role == role)
    if unit_code is not None:
        condition = condition.where(
            RoleAssignment.unit_id == OrgUnit.id, OrgUnit.code == unit_code.strip().upper()
        )
    return bool(session.scalar(select(condition)))


def require_role(session: Session, user: User | None, *roles: str) -> None:
    """Raise NotPermitted unless the (active) user holds at least one of `roles`."""
    unknown = [role for role in roles if role not in ROLES]
    if unknown:
        raise BadInput(f"Unknown role(s): {', '.join(unknown)}.")
    if user is None or not user.is_active:
        raise NotPermitted("Sign in with an active account to do this.")
    held = {role for role, _unit in roles_of(session, user)}
    if not held.intersection(roles):
        titles = " or ".join(ROLES[role].title for role in roles)
        raise NotPermitted(f"This needs the role: {titles}.")


__all__ = ["get_user", "has_role", "require_active", "require_role", "roles_of"]
