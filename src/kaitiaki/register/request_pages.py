"""Channel request pages: ask for a new channel, see the requests, approve, decline or withdraw
one. Approvers find what waits for them on their dashboard (and in email when SMTP is set up)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from kaitiaki.common.web import field_errors
from kaitiaki.common.work import UnitOfWork
from kaitiaki.config import Settings
from kaitiaki.errors import AppError
from kaitiaki.models import PLATFORMS, ChannelRequest, User
from kaitiaki.people import queries as people_queries
from kaitiaki.common.roles import COMMS_STAFF
from kaitiaki.register import notices, permissions, queries, service
from kaitiaki.register.approval_rules import approval_rules
from kaitiaki.register.schemas import ChannelDraft
from kaitiaki.register.transitions import REQUEST_WORKFLOW
from kaitiaki.register.web import rules_of
from kaitiaki.web.dashboard import Panel
from kaitiaki.web.deps import DbSession, RequiredUser, Work
from kaitiaki.web.forms import Done, handle_form
from kaitiaki.web.templating import render

router = APIRouter(prefix="/register", include_in_schema=False)

Text = Annotated[str, Form(max_length=8000)]
KIND_LABELS = {"new_channel": "New channel", "extended_use": "Extended use"}
APPROVER_ROLES = frozenset(
    {"director_strategic_comms", "elt_member", "nema_chief_executive", "nema_comms_manager"}
)
NEW_FIELDS = ("platform", "handle", "url", "display_name", "unit", "purposes", "business_owner",
              "monitoring_hours", "cadence_days", "details")


def _new_page(request: Request, session: Session, user: User, *, form: dict[str, Any] | None = None,
              error: AppError | None = None, status_code: int = 200) -> Response:
    blank = {name: "" for name in NEW_FIELDS}
    blank["business_owner"] = user.email
    context = {
        "form": form or blank, "error": error, "errors": field_errors(error),
        "platforms": PLATFORMS,
        "units": people_queries.list_units(session),
        "is_comms": permissions.is_comms_staff(session, user),
    }
    return render(request, "register/new.html", context, status_code=status_code)


@router.get("/new")
def new_request_page(request: Request, session: DbSession, user: RequiredUser) -> Response:
    permissions.require_active(user)
    return _new_page(request, session, user)


@router.post("/new")
def new_request(
    request: Request, work: Work, user: RequiredUser, platform: Text = "", handle: Text = "",
    url: Text = "", display_name: Text = "", unit: Text = "", purposes: Text = "",
    business_owner: Text = "", monitoring_hours: Text = "", cadence_days: Text = "",
    details: Text = "",
) -> Response:
    form = {"platform": platform, "handle": handle, "url": url, "display_name": display_name,
            "unit": unit, "purposes": purposes, "business_owner": business_owner,
            "monitoring_hours": monitoring_hours, "cadence_days": cadence_days, "details": details}
    draft = ChannelDraft(platform=platform, handle=handle, url=url, display_name=display_name,
                         unit_code=unit, purposes=purposes, business_owner_email=business_owner,
                         monitoring_hours=monitoring_hours,
                         cadence_days=cadence_days)
    rules = rules_of(request)

    def change() -> Done:
        created = service.request_channel(work.session, requester=user, rules=rules, draft=draft,
                                          details=details)
        work.outbox.extend(notices.request_notices(work.session, rules, created,
                                                   work.settings.base_url))
        return Done(f"Your request for @{created.channel.handle} is waiting for approval.",
                    f"/register/requests/{created.id}")

    return handle_form(request, work, change, lambda exc: _new_page(
        request, work.session, user, form=form, error=exc, status_code=exc.status_code))


@router.get("/requests")
def requests_page(request: Request, session: DbSession, user: RequiredUser) -> Response:
    permissions.require_active(user)
    context = {
        "open_requests": queries.open_requests(session),
        "awaiting": queries.requests_awaiting(session, user, rules_of(request)),
        "kind_labels": KIND_LABELS, "states": REQUEST_WORKFLOW.states,
    }
    return render(request, "register/requests.html", context)


def request_page(request: Request, session: Session, user: User, channel_request: ChannelRequest,
                 *, error: AppError | None = None, reason: str = "", status_code: int = 200) -> Response:
    rules = rules_of(request)
    is_open = not REQUEST_WORKFLOW.is_final(channel_request.state)
    awaiting = is_open and channel_request in queries.requests_awaiting(session, user, rules)
    context = {
        "req": channel_request,
        "channel": channel_request.channel,
        "approvals": queries.approvals_of(session, channel_request),
        "missing": [(requirement, queries.who_can_approve(session, channel_request, requirement))
                    for requirement in (queries.missing_requirements(session, rules, channel_request)
                                        if is_open else [])],
        "kind_labels": KIND_LABELS,
        "state_label": REQUEST_WORKFLOW.states[channel_request.state],
        "can_decide": awaiting,
        "can_withdraw": is_open and (channel_request.requested_by_id == user.id
                                     or permissions.is_comms_staff(session, user)),
        "error": error, "errors": field_errors(error), "reason": reason,
        "current_user_id": user.id,
    }
    return render(request, "register/request.html", context, status_code=status_code)


@router.get("/requests/{request_id}")
def show_request(request: Request, session: DbSession, user: RequiredUser, request_id: int) -> Response:
    permissions.require_active(user)
    return request_page(request, session, user, service.require_request(session, request_id))


def _decision(request: Request, work: UnitOfWork, user: User, request_id: int,
              change: Callable[[], Done], reason: str = "") -> Response:
    """A decision on a request; refused, the request's page again with the problem."""
    def refused(exc: AppError) -> Response:
        return request_page(request, work.session, user,
                            service.require_request(work.session, request_id), error=exc,
                            reason=reason, status_code=exc.status_code)

    return handle_form(request, work, change, refused)


@router.post("/requests/{request_id}/approve")
def approve(request: Request, work: Work, user: RequiredUser, request_id: int) -> Response:
    rules = rules_of(request)

    def change() -> Done:
        decided = service.approve(work.session, request_id=request_id, approver=user, rules=rules)
        work.outbox.extend(notices.request_notices(work.session, rules, decided,
                                                   work.settings.base_url))
        return Done(f"Approved. @{decided.channel.handle} is {decided.channel.status}."
                    if decided.state == "approved" else
                    "Your approval is recorded; the request now waits for its other approver.",
                    f"/register/requests/{decided.id}")

    return _decision(request, work, user, request_id, change)


@router.post("/requests/{request_id}/decline")
def decline(request: Request, work: Work, user: RequiredUser, request_id: int,
            reason: Text = "") -> Response:
    rules = rules_of(request)

    def change() -> Done:
        decided = service.decline(work.session, request_id=request_id, approver=user, rules=rules,
                                  reason=reason)
        work.outbox.extend(notices.request_notices(work.session, rules, decided,
                                                   work.settings.base_url))
        return Done("The request is declined; the requester is told why.",
                    f"/register/requests/{decided.id}")

    return _decision(request, work, user, request_id, change, reason)


@router.post("/requests/{request_id}/withdraw")
def withdraw(request: Request, work: Work, user: RequiredUser, request_id: int) -> Response:
    def change() -> Done:
        withdrawn = service.withdraw(work.session, request_id=request_id, user=user)
        return Done("The request is withdrawn.", f"/register/requests/{withdrawn.id}")

    return _decision(request, work, user, request_id, change)


def _awaiting_me(session: Session, user: User, settings: Settings) -> list[ChannelRequest]:
    return queries.requests_awaiting(session, user, approval_rules(settings.policy_pack))


def _flagged(session: Session, _user: User) -> list:
    return queries.flagged_channels(session)


PENDING_REQUESTS_PANEL = Panel(
    key="channel-requests",
    title="Channel requests waiting for your decision",
    template="register/panel_requests.html",
    empty_text="No channel requests are waiting for you.",
    gather=_awaiting_me,
    with_settings=True,
    link="/register/requests",
    roles=APPROVER_ROLES,
)

FLAGGED_CHANNELS_PANEL = Panel(
    key="flagged-channels",
    title="Channels that need attention",
    template="register/panel_flagged.html",
    empty_text="Every channel has posted within its cadence, has a complete checklist and an "
    "owner who works here.",
    gather=_flagged,
    link="/register",
    roles=frozenset({COMMS_STAFF}),
)

__all__ = ["FLAGGED_CHANNELS_PANEL", "PENDING_REQUESTS_PANEL", "request_page", "router"]
