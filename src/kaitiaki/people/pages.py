"""Administrators' pages for user accounts: list, add with roles, change roles, deactivate.

Every route asks the people service whether the signed-in person is an administrator before doing
anything; the service makes the change and records it in the audit log.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from kaitiaki.audit import queries as audit_queries
from kaitiaki.common import sign_in_sessions
from kaitiaki.common.sign_in_sessions import SessionTimeouts, current_session_id
from kaitiaki.errors import AppError, BadInput, Conflict, NotFound
from kaitiaki.models import AuditEvent, OrgUnit, User
from kaitiaki.people import queries, service
from kaitiaki.common.roles import ADMIN, ROLES, RoleDefinition, format_role_spec
from kaitiaki.web.dashboard import Panel
from kaitiaki.web.deps import AppSettings, DbSession, RequiredUser
from kaitiaki.web.templating import flash, render

router = APIRouter(prefix="/admin/users", include_in_schema=False)

RoleSpecs = Annotated[list[str], Form()]


@dataclass(frozen=True)
class RoleChoice:
    """One checkbox on the role picker: a role, or a unit-scoped role for one unit."""

    spec: str
    label: str


@dataclass(frozen=True)
class RoleGroup:
    title: str
    choices: tuple[RoleChoice, ...]


def role_groups(units: Sequence[OrgUnit]) -> list[RoleGroup]:
    """Agency-wide roles in one group; each unit-scoped role gets a group listing the units."""
    agency_roles = tuple(
        RoleChoice(role.id, role.title) for role in ROLES.values() if role.scope == "agency"
    )
    groups = [RoleGroup("Roles", agency_roles)]
    unit_roles: list[RoleDefinition] = [role for role in ROLES.values() if role.scope == "unit"]
    for role in unit_roles:
        choices = tuple(
            RoleChoice(format_role_spec(role.id, unit.code), f"{unit.name} ({unit.code})")
            for unit in units
            if unit.kind == "business_unit"
        )
        if choices:
            groups.append(RoleGroup(f"{role.title} for", choices))
    return groups


def _field_errors(error: AppError) -> dict[str, str]:
    return {str(field.loc[-1]): field.msg for field in error.fields if field.loc}


def _users_page(
    request: Request,
    session: Session,
    *,
    form: dict[str, Any] | None = None,
    error: AppError | None = None,
    status_code: int = 200,
) -> Response:
    users = queries.list_users(session)
    roles_by_user = {user.id: service.roles_of(session, user) for user in users}
    context = {
        "users": users,
        "roles_by_user": roles_by_user,
        "role_groups": role_groups(queries.list_units(session)),
        "form": form or {"email": "", "name": "", "roles": []},
        "error": error,
        "field_errors": _field_errors(error) if error else {},
    }
    return render(request, "admin/users.html", context, status_code=status_code)


@router.get("")
def list_users(request: Request, session: DbSession, user: RequiredUser) -> Response:
    service.require_role(session, user, ADMIN)
    return _users_page(request, session)


@router.post("")
def add_user(
    request: Request,
    session: DbSession,
    user: RequiredUser,
    settings: AppSettings,
    email: Annotated[str, Form(max_length=320)] = "",
    name: Annotated[str, Form(max_length=400)] = "",
    password: Annotated[str, Form(max_length=4096)] = "",
    roles: RoleSpecs = [],  # noqa: B006 (FastAPI copies defaults)
) -> Response:
    service.require_role(session, user, ADMIN)
    form = {"email": email, "name": name, "roles": roles}
    try:
        added = service.add_user(
            session, email=email, name=name, password=password, roles=roles, actor=user.email,
            password_min_length=settings.password_min_length,
        )
    except (BadInput, Conflict) as exc:
        session.rollback()
        return _users_page(request, session, form=form, error=exc, status_code=exc.status_code)
    flash(request, f"Added {added.name} ({added.email}).")
    return RedirectResponse("/admin/users", status_code=303)


def _target(session: Session, user_id: int) -> User:
    target = queries.get_user(session, user_id)
    if target is None:
        raise NotFound("There is no user with that number.")
    return target


def _user_page(
    request: Request, session: Session, target: User, *, error: AppError | None = None,
    status_code: int = 200,
) -> Response:
    history: list[AuditEvent] = audit_queries.list_events(
        session, subject=f"user:{target.id}", limit=20
    )
    held = service.roles_of(session, target)
    open_sessions = sign_in_sessions.active_for_user(
        session, target.id, timeouts=SessionTimeouts.from_settings(request.app.state.settings),
        now=request.app.state.clock())
    context = {
        "open_sessions": open_sessions,
        "target": target,
        "held_specs": {format_role_spec(role, unit) for role, unit in held},
        "held": held,
        "role_groups": role_groups(queries.list_units(session)),
        "history": history,
        "error": error,
    }
    return render(request, "admin/user.html", context, status_code=status_code)


@router.get("/{user_id}")
def show_user(request: Request, session: DbSession, user: RequiredUser, user_id: int) -> Response:
    service.require_role(session, user, ADMIN)
    return _user_page(request, session, _target(session, user_id))


@router.post("/{user_id}/roles")
def change_roles(
    request: Request, session: DbSession, user: RequiredUser, user_id: int, roles: RoleSpecs = [],  # noqa: B006
) -> Response:
    service.require_role(session, user, ADMIN)
    target = _target(session, user_id)
    try:
        service.set_roles(session, email=target.email, roles=roles, actor=user.email)
    except (BadInput, Conflict) as exc:
        session.rollback()
        return _user_page(request, session, target, error=exc, status_code=exc.status_code)
    flash(request, f"Roles of {target.name} saved.")
    return RedirectResponse(f"/admin/users/{target.id}", status_code=303)


@router.post("/{user_id}/password")
def set_password(
    request: Request,
    session: DbSession,
    user: RequiredUser,
    settings: AppSettings,
    user_id: int,
    password: Annotated[str, Form(max_length=4096)] = "",
) -> Response:
    service.require_role(session, user, ADMIN)
    target = _target(session, user_id)
    try:
        # Setting one's own password here keeps this browser signed in, like the own-page form.
        service.set_password(
            session, email=target.email, password=password, actor=user.email,
            password_min_length=settings.password_min_length,
            keep_session=current_session_id(request) if target.id == user.id else None,
        )
    except BadInput as exc:
        session.rollback()
        return _user_page(request, session, target, error=exc, status_code=exc.status_code)
    flash(request, f"New password set for {target.name}. Tell them by a separate channel.")
    return RedirectResponse(f"/admin/users/{target.id}", status_code=303)


@router.post("/{user_id}/sign-out-everywhere")
def sign_out_everywhere(request: Request, session: DbSession, user: RequiredUser,
                        user_id: int) -> Response:
    service.require_role(session, user, ADMIN)
    target = _target(session, user_id)
    ended = service.sign_out_everywhere(session, email=target.email, actor=user.email)
    noun = "session" if ended == 1 else "sessions"
    flash(request, f"{target.name} is signed out everywhere ({ended} {noun} ended).")
    if target.id == user.id:
        return RedirectResponse("/login?signed_out=1", status_code=303)
    return RedirectResponse(f"/admin/users/{target.id}", status_code=303)


@router.post("/{user_id}/deactivate")
def deactivate_user(request: Request, session: DbSession, user: RequiredUser, user_id: int) -> Response:
    service.require_role(session, user, ADMIN)
    target = _target(session, user_id)
    try:
        service.deactivate(session, email=target.email, actor=user.email)
    except Conflict as exc:
        session.rollback()
        return _user_page(request, session, target, error=exc, status_code=exc.status_code)
    flash(request, f"{target.name} can no longer sign in. Their records are kept.")
    return RedirectResponse(f"/admin/users/{target.id}", status_code=303)


def _recent_account_changes(session: Session, _user: User) -> list[AuditEvent]:
    return audit_queries.list_events(session, action_prefix="user.", limit=5)


ACCOUNT_CHANGES_PANEL = Panel(
    key="account-changes",
    title="Recent account changes",
    template="dashboard/account_changes.html",
    empty_text="No accounts have been added or changed yet.",
    gather=_recent_account_changes,
    link="/admin/audit?action=user.",
    roles=frozenset({ADMIN}),
)


__all__ = ["ACCOUNT_CHANGES_PANEL", "RoleChoice", "RoleGroup", "role_groups", "router"]
