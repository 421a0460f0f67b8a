"""Users, organisation units and role assignments. Every change writes an audit event in the same
transaction; nothing here commits (the owner of the unit of work does)."""

from __future__ import annotations

import re
import secrets
from functools import cache

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from kaitiaki.audit import service as audit
from kaitiaki.common import sign_in_sessions
from kaitiaki.common.access import has_role, require_role, roles_of
from kaitiaki.errors import BadInput, Conflict, FieldError, NotFound
from kaitiaki.models import ORG_UNIT_KINDS, OrgUnit, RoleAssignment, User
from kaitiaki.people import queries
from kaitiaki.people.passwords import (
    hash_password,
    needs_rehash,
    verify_as_if_known,
    verify_password,
)
from kaitiaki.common.roles import ADMIN, format_role_spec, parse_role_spec
from kaitiaki.timeutil import utcnow

DEFAULT_PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 1024  # bounds the hashing work one request can ask for
MAX_NAME_LENGTH = 200
_EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
_UNIT_CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9-]{0,39}$")


def validate_email(email: str) -> str:
    normalised = queries.normalise_email(email)
    if len(normalised) > 254 or not _EMAIL_PATTERN.match(normalised):
        raise BadInput(
            f"{email.strip()!r} is not a valid email address.",
            fields=[FieldError(["email"], "Enter an email address like name@agency.govt.nz.")],
        )
    return normalised


def validate_password(password: str, min_length: int = DEFAULT_PASSWORD_MIN_LENGTH) -> str:
    if len(password) < min_length:
        message = f"The password must be at least {min_length} characters long."
        raise BadInput(message, fields=[FieldError(["password"], message)])
    if len(password) > PASSWORD_MAX_LENGTH:
        message = f"The password must be at most {PASSWORD_MAX_LENGTH} characters long."
        raise BadInput(message, fields=[FieldError(["password"], message)])
    return password


def _validate_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned or len(cleaned) > MAX_NAME_LENGTH:
        message = f"A name is required (at most {MAX_NAME_LENGTH} characters)."
        raise BadInput(message, fields=[FieldError(["name"], message)])
    return cleaned


def _resolve_roles(session: Session, specs: list[str]) -> list[tuple[str, OrgUnit | None]]:
    """Parse role specs and look up their units; duplicates collapse to one assignment."""
    resolved: dict[tuple[str, str | None], tuple[str, OrgUnit | None]] = {}
    for spec in specs:
        role, unit_code = parse_role_spec(spec)
        unit = None
        if unit_code is not None:
            unit = queries.get_unit_by_code(session, unit_code)
            if unit is None:
                raise BadInput(f"Unknown organisation unit {unit_code!r} in role {spec!r}.")
        resolved[(role, unit_code)] = (role, unit)
    return list(resolved.values())


def _require_user(session: Session, email: str) -> User:
    user = queries.get_user_by_email(session, email)
    if user is None:
        raise NotFound(f"No user with the email address {queries.normalise_email(email)}.")
    return user


def _role_specs(assignments: list[tuple[str, OrgUnit | None]]) -> list[str]:
    return sorted(format_role_spec(role, unit.code if unit else None) for role, unit in assignments)


def add_unit(
    session: Session, *, code: str, name: str, kind: str, parent_code: str | None, actor: str
) -> OrgUnit:
    code = code.strip().upper()
    if not _UNIT_CODE_PATTERN.match(code):
        raise BadInput(f"Unit code {code!r} must be capital letters, digits and hyphens.")
    if kind not in ORG_UNIT_KINDS:
        raise BadInput(f"Unit kind must be one of {', '.join(ORG_UNIT_KINDS)}.")
    if queries.get_unit_by_code(session, code) is not None:
        raise Conflict(f"An organisation unit with the code {code} already exists.")
    parent = None
    if parent_code is not None:
        parent = queries.get_unit_by_code(session, parent_code)
        if parent is None:
            raise BadInput(f"Unknown parent unit {parent_code!r}.")
    unit = OrgUnit(code=code, name=_validate_name(name), kind=kind, parent=parent)
    session.add(unit)
    session.flush()
    audit.record(
        session, actor=actor, action="org_unit.created", subject=f"org_unit:{unit.id}",
        details={"code": code, "name": unit.name, "kind": kind, "parent": parent_code},
    )
    return unit


def add_user(
    session: Session,
    *,
    email: str,
    name: str,
    password: str,
    roles: list[str],
    actor: str,
    password_min_length: int = DEFAULT_PASSWORD_MIN_LENGTH,
) -> User:
    email = validate_email(email)
    name = _validate_name(name)
    validate_password(password, password_min_length)
    assignments = _resolve_roles(session, roles)
    if queries.get_user_by_email(session, email) is not None:
        raise Conflict(
            f"A user with the email address {email} already exists.",
            fields=[FieldError(["email"], "This email address is already taken.")],
        )
    user = User(email=email, name=name, password_hash=hash_password(password), is_active=True)
    session.add(user)
    session.flush()
    for role, unit in assignments:
        session.add(RoleAssignment(user_id=user.id, role=role, unit=unit))
    session.flush()
    audit.record(
        session, actor=actor, action="user.created", subject=f"user:{user.id}",
        details={"email": email, "name": name, "roles": _role_specs(assignments)},
    )
    return user


def add_sso_user(session: Session, *, email: str, name: str, actor: str) -> User:
    """A person who signs in through the agency's identity provider, created with no roles.

    The password is random and never shown, so the account cannot be used with a password until
    an administrator sets one; its hash is a real one, so password sign-in takes as long as usual.
    """
    email = validate_email(email)
    name = _validate_name(name or email.split("@", 1)[0])
    if queries.get_user_by_email(session, email) is not None:
        raise Conflict(f"A user with the email address {email} already exists.")
    unknown_password = hash_password(secrets.token_urlsafe(32))
    user = User(email=email, name=name, password_hash=unknown_password, is_active=True)
    session.add(user)
    session.flush()
    audit.record(
        session, actor=actor, action="user.created", subject=f"user:{user.id}",
        details={"email": email, "name": name, "roles": [], "via": "identity provider"},
    )
    return user


def set_roles(session: Session, *, email: str, roles: list[str], actor: str) -> User:
    """Replace the user's roles with exactly `roles`."""
    user = _require_user(session, email)
    wanted = _resolve_roles(session, roles)
    before = sorted(format_role_spec(role, unit) for role, unit in roles_of(session, user))
    after = _role_specs(wanted)
    if before == after:
        return user
    if ADMIN in {parse_role_spec(spec)[0] for spec in before} and ADMIN not in dict(wanted):
        _refuse_removing_last_admin(session, user)
    session.execute(delete(RoleAssignment).where(RoleAssignment.user_id == user.id))
    for role, unit in wanted:
        session.add(RoleAssignment(user_id=user.id, role=role, unit=unit))
    session.flush()
    audit.record(
        session, actor=actor, action="user.roles_changed", subject=f"user:{user.id}",
        details={"email": user.email, "before": before, "after": after},
    )
    return user


def set_password(
    session: Session,
    *,
    email: str,
    password: str,
    actor: str,
    password_min_length: int = DEFAULT_PASSWORD_MIN_LENGTH,
    keep_session: int | None = None,
    reason: str = sign_in_sessions.PASSWORD_CHANGED,
) -> User:
    """Set the password and end every sign-in session of the person but `keep_session` (the one
    they changed it from): whoever knew the old password is signed out everywhere."""
    user = _require_user(session, email)
    validate_password(password, password_min_length)
    user.password_hash = hash_password(password)
    sign_in_sessions.end_all_for_user(session, user.id, reason=reason, now=utcnow(),
                                      keep=keep_session)
    session.flush()
    audit.record(
        session, actor=actor, action="user.password_changed", subject=f"user:{user.id}",
        details={"email": user.email},
    )
    return user


def deactivate(session: Session, *, email: str, actor: str) -> User:
    """Mark the person as having left: they can no longer sign in. Their records stay."""
    user = _require_user(session, email)
    if not user.is_active:
        raise Conflict(f"{user.email} is already deactivated.")
    if has_role(session, user, ADMIN):
        _refuse_removing_last_admin(session, user)
    user.is_active = False
    user.left_at = utcnow()
    sign_in_sessions.end_all_for_user(session, user.id, reason=sign_in_sessions.DEACTIVATED,
                                      now=user.left_at)
    session.flush()
    audit.record(
        session, actor=actor, action="user.deactivated", subject=f"user:{user.id}",
        details={"email": user.email},
    )
    return user


def sign_out_everywhere(session: Session, *, email: str, actor: str) -> int:
    """End every sign-in session of the person (a lost laptop, a shared computer); how many."""
    user = _require_user(session, email)
    ended = sign_in_sessions.end_all_for_user(
        session, user.id, reason=sign_in_sessions.SIGNED_OUT_EVERYWHERE, now=utcnow())
    audit.record(
        session, actor=actor, action="user.signed_out_everywhere", subject=f"user:{user.id}",
        details={"email": user.email, "sessions_ended": ended},
    )
    return ended


def _refuse_removing_last_admin(session: Session, user: User) -> None:
    other_admin = exists().where(
        RoleAssignment.role == ADMIN,
        RoleAssignment.user_id == User.id,
        User.is_active.is_(True),
        User.id != user.id,
    )
    if not session.scalar(select(other_admin)):
        raise Conflict(
            f"{user.email} is the only active administrator; "
            "give someone else the admin role first."
        )


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with this email and password, or None. Unknown addresses cost as much as
    known ones (a dummy hash is verified), so timing does not reveal who has an account."""
    user = queries.get_user_by_email(session, email) if len(email) <= 254 else None
    if len(password) > PASSWORD_MAX_LENGTH:
        return None
    if user is None or not user.is_active:
        verify_as_if_known(password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        session.flush()
    return user


__all__ = [
    "DEFAULT_PASSWORD_MIN_LENGTH",
    "PASSWORD_MAX_LENGTH",
    "add_sso_user",
    "add_unit",
    "add_user",
    "authenticate",
    "deactivate",
    "has_role",
    "require_role",
    "roles_of",
    "set_password",
    "sign_out_everywhere",
    "set_roles",
    "validate_email",
    "validate_password",
]
