"""The register's pages: the list with search, filters and exports, and each channel's page with
its details, checklist, posters, requests and full history. Every form works without JavaScript;
a refused or invalid form shows the channel page again with the message and the entered values.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from kaitiaki.audit import queries as audit_queries
from kaitiaki.common.forms import FieldErrors, parse_date
from kaitiaki.common.web import field_errors
from kaitiaki.common.work import UnitOfWork
from kaitiaki.errors import AppError
from kaitiaki.models import CHANNEL_STATUSES, PLATFORMS, Channel, User
from kaitiaki.people import queries as people_queries
from kaitiaki.register import export, notices, permissions, queries, service
from kaitiaki.register.queries import FLAG_LABELS, RegisterFilter
from kaitiaki.register.schemas import CHECKLIST_ITEMS
from kaitiaki.register.transitions import CHANNEL_WORKFLOW, MANUAL_CHANNEL_ACTIONS
from kaitiaki.register.web import rules_of
from kaitiaki.timeutil import to_local, utcnow
from kaitiaki.web.deps import DbSession, RequiredUser, Work
from kaitiaki.web.forms import Done, handle_form
from kaitiaki.web.templating import render

router = APIRouter(prefix="/register", include_in_schema=False)

Text = Annotated[str, Form(max_length=8000)]
HISTORY_LIMIT = 500
STATUS_ACTION_LABELS = {"suspend": "Suspend", "resume": "Resume", "retire": "Retire"}


def _filters(q: str, platform: str, unit: str, status: str, flagged: str) -> RegisterFilter:
    return RegisterFilter(
        q=q[:200], platform=platform if platform in PLATFORMS else "",
        unit=unit[:40], status=status if status in CHANNEL_STATUSES else "",
        flagged=flagged in {"1", "true", "on", "yes"},
    )


def _today(request: Request) -> date:
    return to_local(utcnow(), request.app.state.settings.zone).date()


@router.get("")
def register_page(
    request: Request, session: DbSession, user: RequiredUser, q: str = "", platform: str = "",
    unit: str = "", status: str = "", flagged: str = "",
) -> Response:
    permissions.require_active(user)
    filters = _filters(q, platform, unit, status, flagged)
    rows = queries.list_channels(session, filters, today=_today(request))
    query = request.url.query
    context = {
        "rows": rows, "filters": filters, "platforms": PLATFORMS, "statuses": CHANNEL_STATUSES,
        "units": people_queries.list_units(session), "flag_labels": FLAG_LABELS,
        "export_query": f"?{query}" if query else "",
        "is_comms": permissions.is_comms_staff(session, user),
    }
    return render(request, "register/index.html", context)


@router.get("/export.csv")
def export_csv(
    request: Request, session: DbSession, user: RequiredUser, q: str = "", platform: str = "",
    unit: str = "", status: str = "", flagged: str = "",
) -> Response:
    permissions.require_active(user)
    rows = queries.list_channels(session, _filters(q, platform, unit, status, flagged),
                                 today=_today(request))
    return Response(export.to_csv(rows), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="channel-register.csv"'})


@router.get("/export.json")
def export_json(
    request: Request, session: DbSession, user: RequiredUser, q: str = "", platform: str = "",
    unit: str = "", status: str = "", flagged: str = "",
) -> Response:
    permissions.require_active(user)
    rows = queries.list_channels(session, _filters(q, platform, unit, status, flagged),
                                 today=_today(request))
    return Response(export.to_json(rows), media_type="application/json",
                    headers={"Content-Disposition": 'attachment; filename="channel-register.json"'})


def channel_page(
    request: Request, session: Session, user: User, channel: Channel, *,
    error: AppError | None = None, form_name: str | None = None, form: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    now = utcnow()
    is_comms = permissions.is_comms_staff(session, user)
    is_owner = permissions.is_business_owner(user, channel)
    requests = queries.requests_of_channel(session, channel)
    context = {
        "channel": channel,
        "flags": queries.channel_flags(session, channel, _today(request)),
        "flag_labels": FLAG_LABELS,
        "checklist_items": CHECKLIST_ITEMS,
        "grants": queries.authorisations_of(session, channel),
        "now": now,
        "requests": [(r, queries.approvals_of(session, r)) for r in requests],
        "history": audit_queries.list_events(session, subject=service.subject_of(channel),
                                             limit=HISTORY_LIMIT),
        "status_label": CHANNEL_WORKFLOW.states[channel.status],
        "status_actions": [a for a in MANUAL_CHANNEL_ACTIONS
                           if CHANNEL_WORKFLOW.can(channel.status, a)],
        "status_action_labels": STATUS_ACTION_LABELS,
        "is_comms": is_comms,
        "is_owner": is_owner,
        "can_request_extended": channel.status == "active" and (is_comms or is_owner),
        "can_record_post": is_comms or is_owner,
        "error": error,
        "form_name": form_name,
        "form": form or {},
        "errors": field_errors(error),
    }
    return render(request, "register/channel.html", context, status_code=status_code)


@router.get("/channels/{channel_id}")
def show_channel(request: Request, session: DbSession, user: RequiredUser, channel_id: int) -> Response:
    permissions.require_active(user)
    return channel_page(request, session, user, service.require_channel(session, channel_id))


def _channel_form(request: Request, work: UnitOfWork, user: User, channel_id: int,
                  form_name: str, form: dict[str, Any], change: Callable[[Channel], Done]) -> Response:
    """A form on a channel's page: refused, the page again with the problem and what was typed."""
    session = work.session

    def refused(exc: AppError) -> Response:
        return channel_page(request, session, user, service.require_channel(session, channel_id),
                            error=exc, form_name=form_name, form=form, status_code=exc.status_code)

    return handle_form(request, work, lambda: change(service.require_channel(session, channel_id)),
                       refused)


def _done(channel: Channel, message: str, anchor: str = "") -> Done:
    return Done(message, f"{service.channel_path(channel)}{anchor}")


@router.post("/channels/{channel_id}/authorise")
def authorise(
    request: Request, work: Work, user: RequiredUser, channel_id: int, email: Text = "",
    until: Text = "", reason: Text = "",
) -> Response:
    def change(channel: Channel) -> Done:
        errors = FieldErrors()
        until_day = parse_date(until, errors, "until", "the last day")
        errors.raise_if_any()
        grant = service.authorise(work.session, user=user, channel=channel, person_email=email,
                                  until=until_day, reason=reason, zone=work.settings.zone)
        return _done(channel, f"{grant.user.name} can now post on @{channel.handle}.", "#posters")

    return _channel_form(request, work, user, channel_id, "authorise",
                         {"email": email, "until": until, "reason": reason}, change)


@router.post("/channels/{channel_id}/revoke")
def revoke(
    request: Request, work: Work, user: RequiredUser, channel_id: int, email: Text = "",
    reason: Text = "",
) -> Response:
    def change(channel: Channel) -> Done:
        grant = service.revoke(work.session, user=user, channel=channel, person_email=email,
                               reason=reason)
        return _done(channel, f"{grant.user.name} can no longer post on @{channel.handle}.",
                     "#posters")

    return _channel_form(request, work, user, channel_id, "revoke", {"email": email}, change)


@router.post("/channels/{channel_id}/details")
def update_details(
    request: Request, work: Work, user: RequiredUser, channel_id: int,
    display_name: Text = "", url: Text = "", purposes: Text = "", monitoring_hours: Text = "",
    cadence_days: Text = "",
) -> Response:
    form = {"display_name": display_name, "url": url, "purposes": purposes,
            "monitoring_hours": monitoring_hours, "cadence_days": cadence_days}

    def change(channel: Channel) -> Done:
        service.update_details(work.session, user=user, channel=channel, display_name=display_name,
                               url=url, purposes=purposes, monitoring_hours=monitoring_hours,
                               cadence_days=cadence_days)
        return _done(channel, "Channel details saved.")

    return _channel_form(request, work, user, channel_id, "details", form, change)


@router.post("/channels/{channel_id}/checklist")
async def update_checklist(request: Request, work: Work, user: RequiredUser,
                           channel_id: int) -> Response:
    submitted = await request.form()
    items = {key: submitted.get(key) == "on" for key in CHECKLIST_ITEMS}

    def change(channel: Channel) -> Done:
        service.update_checklist(work.session, user=user, channel=channel, items=items)
        return _done(channel, "Visual-identity checklist saved.", "#checklist")

    return _channel_form(request, work, user, channel_id, "checklist", items, change)


@router.post("/channels/{channel_id}/last-post")
def record_last_post(
    request: Request, work: Work, user: RequiredUser, channel_id: int, last_post_on: Text = "",
) -> Response:
    def change(channel: Channel) -> Done:
        errors = FieldErrors()
        day = parse_date(last_post_on, errors, "last_post_on", "the date of the last post",
                         required=True)
        errors.raise_if_any()
        assert day is not None
        service.record_last_post(work.session, user=user, channel=channel, on=day)
        return _done(channel, "Date of the last post saved.")

    return _channel_form(request, work, user, channel_id, "last_post",
                         {"last_post_on": last_post_on}, change)


@router.post("/channels/{channel_id}/status")
def change_status(request: Request, work: Work, user: RequiredUser, channel_id: int,
                  action: Text = "") -> Response:
    def change(channel: Channel) -> Done:
        service.change_status(work.session, user=user, channel=channel, action=action)
        return _done(channel, f"@{channel.handle} is now {channel.status}.")

    return _channel_form(request, work, user, channel_id, "status", {}, change)


@router.post("/channels/{channel_id}/owner")
def change_owner(
    request: Request, work: Work, user: RequiredUser, channel_id: int,
    business_owner: Text = "", reason: Text = "",
) -> Response:
    def change(channel: Channel) -> Done:
        service.change_business_owner(work.session, user=user, channel=channel,
                                      new_owner_email=business_owner, reason=reason)
        return _done(channel, f"{channel.business_owner.name} is now the business owner.")

    return _channel_form(request, work, user, channel_id, "owner",
                         {"business_owner": business_owner, "reason": reason}, change)


@router.post("/channels/{channel_id}/extended-use")
def request_extended_use(request: Request, work: Work, user: RequiredUser, channel_id: int,
                         details: Text = "") -> Response:
    def change(channel: Channel) -> Done:
        rules = rules_of(request)
        created = service.request_extended_use(work.session, requester=user, rules=rules,
                                               channel=channel, details=details)
        work.outbox.extend(notices.request_notices(work.session, rules, created,
                                                   work.settings.base_url))
        return Done("Your request for extended use is waiting for approval.",
                    f"/register/requests/{created.id}")

    return _channel_form(request, work, user, channel_id, "extended", {"details": details}, change)


__all__ = ["channel_page", "router"]
