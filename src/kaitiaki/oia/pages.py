"""Pages for records officers: the list of Official Information Act requests with due dates and
overdue flags, logging a request, a request's page (extend, close) and its redacted export as a
ZIP download. Every form works without JavaScript."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from kaitiaki.audit import queries as audit_queries
from kaitiaki.checker import load_pack
from kaitiaki.complaints.public_pages import public_channels
from kaitiaki.complaints.queries import local_today
from kaitiaki.errors import AppError
from kaitiaki.models import OiaRequest, User
from kaitiaki.oia import permissions, queries, service
from kaitiaki.oia.due import working_days_left
from kaitiaki.oia.export import build_export
from kaitiaki.oia.scope import RECORD_KINDS, parse_scope
from kaitiaki.oia.transitions import (
    ACTION_LABELS,
    CLOSING_ACTIONS,
    EXTENSION_REASON_LABELS,
    OIA_WORKFLOW,
    STATE_LABELS,
)
from kaitiaki.common.web import FormText, field_errors
from kaitiaki.web.deps import DbSession, RequiredUser, Work
from kaitiaki.web.forms import Done, handle_form
from kaitiaki.web.templating import render

router = APIRouter(prefix="/oia", include_in_schema=False)

Text = FormText
NEW_FIELDS = ("received_on", "summary", "requester_name", "requester_email", "requester_address")


def _today(request: Request):  # noqa: ANN202 - a date
    return local_today(request.app.state.settings.zone)


@router.get("")
def list_page(request: Request, session: DbSession, user: RequiredUser, state: str = "",
              overdue: str = "") -> Response:
    permissions.require_records_officer(session, user)
    today = _today(request)
    rows = [(r, queries.is_overdue(r, today)) for r in
            queries.list_requests(session, state=state[:20], overdue_only=overdue == "1", today=today)]
    return render(request, "oia/index.html", {"rows": rows, "states": STATE_LABELS,
                                              "state": state[:20], "overdue": overdue == "1",
                                              "slug_of": service.slug_of})


def _new_page(request: Request, form: dict[str, str], error: AppError | None = None,
              status_code: int = 200) -> Response:
    return render(request, "oia/new.html", {"form": form, "error": error,
                                            "errors": field_errors(error)}, status_code=status_code)


@router.get("/new")
def new_page(request: Request, session: DbSession, user: RequiredUser) -> Response:
    permissions.require_records_officer(session, user)
    return _new_page(request, {name: "" for name in NEW_FIELDS})


@router.post("/new")
def log(request: Request, work: Work, user: RequiredUser, received_on: Text = "",
        summary: Text = "", requester_name: Text = "", requester_email: Text = "",
        requester_address: Text = "") -> Response:
    form = {"received_on": received_on, "summary": summary, "requester_name": requester_name,
            "requester_email": requester_email, "requester_address": requester_address}

    def change() -> Done:
        logged = service.log_request(work.session, user=user, today=_today(request),
                                     draft=service.RequestDraft(**form))
        return Done(f"Request {logged.reference} is logged; the decision is due "
                    f"{logged.due_on:%-d %B %Y}.", f"/oia/{service.slug_of(logged.reference)}")

    return handle_form(request, work, change,
                       lambda exc: _new_page(request, form, exc, exc.status_code))


def request_page(request: Request, session: Session, user: User, found: OiaRequest, *,
                 error: AppError | None = None, form: dict | None = None, status_code: int = 200
                 ) -> Response:
    today = _today(request)
    context = {
        "r": found, "slug": service.slug_of(found.reference), "state_label": STATE_LABELS[found.state],
        "overdue": queries.is_overdue(found, today), "today": today,
        "days_left": working_days_left(found.due_on, today),
        "can_extend": OIA_WORKFLOW.can(found.state, "extend"),
        "closing": [(a, ACTION_LABELS[a]) for a in CLOSING_ACTIONS if OIA_WORKFLOW.can(found.state, a)],
        "reasons": EXTENSION_REASON_LABELS, "kinds": RECORD_KINDS, "channels": public_channels(session),
        "history": audit_queries.list_events(session, subject=service.subject_of(found), limit=100),
        "error": error, "errors": field_errors(error), "form": form or {},
    }
    return render(request, "oia/show.html", context, status_code=status_code)


def _refused(request: Request, session: Session, user: User, slug: str, exc: AppError,
             form: dict) -> Response:
    return request_page(request, session, user, service.require_request(session, slug), error=exc,
                        form=form, status_code=exc.status_code)


@router.get("/{slug}")
def show(request: Request, session: DbSession, user: RequiredUser, slug: str) -> Response:
    permissions.require_records_officer(session, user)
    return request_page(request, session, user, service.require_request(session, slug))


@router.post("/{slug}/extend")
def extend(request: Request, work: Work, user: RequiredUser, slug: str, reason: Text = "",
           new_due_on: Text = "", note: Text = "") -> Response:
    form = {"reason": reason, "new_due_on": new_due_on, "note": note}

    def change() -> Done:
        found = service.extend(work.session, user=user, reference=slug, reason=reason, note=note,
                               new_due_on=new_due_on, today=_today(request))
        return Done(f"Request {found.reference} is extended to {found.due_on:%-d %B %Y}.",
                    f"/oia/{slug}")

    return handle_form(request, work, change,
                       lambda exc: _refused(request, work.session, user, slug, exc, form))


@router.post("/{slug}/close")
def close(request: Request, work: Work, user: RequiredUser, slug: str, action: Text = "",
          note: Text = "") -> Response:
    def change() -> Done:
        found = service.close(work.session, user=user, reference=slug, action=action, note=note,
                              today=_today(request))
        return Done(f"Request {found.reference} is {STATE_LABELS[found.state].lower()}.",
                    f"/oia/{slug}")

    return handle_form(request, work, change, lambda exc: _refused(
        request, work.session, user, slug, exc, {"action": action, "close_note": note}))


@router.post("/{slug}/export")
def export(request: Request, session: DbSession, user: RequiredUser, slug: str,
           first: Annotated[str, Form(max_length=20)] = "",
           last: Annotated[str, Form(max_length=20)] = "",
           channels: Annotated[list[str] | None, Form(max_length=500)] = None,
           kinds: Annotated[list[str] | None, Form(max_length=10)] = None) -> Response:
    form = {"first": first, "last": last, "channels": channels or [], "kinds": kinds or []}
    settings = request.app.state.settings
    try:
        found = service.require_request(session, slug)
        result = build_export(session, user=user, request=found,
                              scope=parse_scope(first, last, channels or [], kinds or []),
                              meta=load_pack(settings.policy_pack).meta, zone=settings.zone)
    except AppError as exc:
        session.rollback()
        return _refused(request, session, user, slug, exc, form)
    return Response(result.content, media_type="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{result.filename}"'})


__all__ = ["request_page", "router"]
