"""Complaint pages for staff: the list with filters and overdue highlighting, exports, entering a
complaint received by email or direct message, and a complaint's page with its history and the
actions the transition table allows. Every form works without JavaScript."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from kaitiaki.audit import queries as audit_queries
from kaitiaki.complaints import export, permissions, queries, replies, service
from kaitiaki.complaints.public_pages import draft_from, form_page, public_channels
from kaitiaki.complaints.queries import OVERDUE_LABELS, ComplaintFilter, local_today
from kaitiaki.complaints.transitions import ACTION_LABELS, COMPLAINT_WORKFLOW, STATE_LABELS
from kaitiaki.errors import AppError
from kaitiaki.models import Complaint, User
from kaitiaki.common.forms import parse_id
from kaitiaki.common.web import FormText, field_errors
from kaitiaki.common.work import UnitOfWork
from kaitiaki.notify.email import is_configured as email_is_on
from kaitiaki.web.deps import DbSession, RequiredUser, Work
from kaitiaki.web.forms import Done, handle_form
from kaitiaki.web.templating import render

router = APIRouter(prefix="/complaints", include_in_schema=False)

Text = FormText
SOURCE_LABELS = {"public_form": "Public form", "email": "Email", "direct_message": "Direct message",
                 "moderation": "From moderation"}


def _setup(request: Request) -> service.ComplaintSetup:
    return service.ComplaintSetup.from_settings(request.app.state.settings)


def _filters(state: str, category: str, overdue: str, serious: str, q: str) -> ComplaintFilter:
    return ComplaintFilter(state=state[:20], category=category[:60], overdue=overdue == "1",
                           serious=serious == "1", q=q[:200])


@router.get("")
def list_page(request: Request, session: DbSession, user: RequiredUser, state: str = "",
              category: str = "", overdue: str = "", serious: str = "", q: str = "") -> Response:
    permissions.require_active(user)
    setup = _setup(request)
    today = local_today(setup.zone)
    filters = _filters(state, category, overdue, serious, q)
    rows = [(c, queries.overdue_of(c, today))
            for c in queries.list_complaints(session, filters, today=today)]
    context = {
        "rows": rows, "filters": filters, "policy": setup.policy, "states": STATE_LABELS,
        "overdue_labels": OVERDUE_LABELS, "query": request.url.query,
    }
    return render(request, "complaints/index.html", context)


def _export_rows(request: Request, session: Session, state: str, category: str, overdue: str,
                 serious: str, q: str) -> tuple[list[Complaint], service.ComplaintSetup]:
    setup = _setup(request)
    filters = _filters(state, category, overdue, serious, q)
    return queries.list_complaints(session, filters, today=local_today(setup.zone)), setup


@router.get("/export.csv")
def export_csv(request: Request, session: DbSession, user: RequiredUser, state: str = "",
               category: str = "", overdue: str = "", serious: str = "", q: str = "") -> Response:
    permissions.require_active(user)
    rows, setup = _export_rows(request, session, state, category, overdue, serious, q)
    body = export.to_csv(session, rows, setup.policy, local_today(setup.zone))
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="complaints.csv"'})


@router.get("/export.json")
def export_json(request: Request, session: DbSession, user: RequiredUser, state: str = "",
                category: str = "", overdue: str = "", serious: str = "", q: str = "") -> Response:
    permissions.require_active(user)
    rows, setup = _export_rows(request, session, state, category, overdue, serious, q)
    body = export.to_json(session, rows, setup.policy, local_today(setup.zone))
    return Response(body, media_type="application/json",
                    headers={"Content-Disposition": 'attachment; filename="complaints.json"'})


@router.get("/record")
def record_page(request: Request, session: DbSession, user: RequiredUser) -> Response:
    permissions.require_active(user)
    return form_page(request, session, template="complaints/record.html", action="/complaints/record",
                     extra={"source": "email"})


@router.post("/record")
def record(
    request: Request, work: Work, user: RequiredUser,
    source: Text = "email", category: Text = "", url: Text = "", channel: Text = "",
    content_text: Text = "", description: Text = "", name: Text = "", email: Text = "",
    phone: Text = "", acknowledged: Text = "",
) -> Response:
    form = {"category": category, "url": url, "channel": channel, "content_text": content_text,
            "description": description, "name": name, "email": email, "phone": phone,
            "acknowledged": acknowledged}
    session = work.session

    def change() -> Done:
        complaint = service.submit(work, draft=draft_from(form), source=source, recorded_by=user)
        # One page, not two steps: staff who have already told the person it is in hand say so here.
        if acknowledged and permissions.is_handler(session, user, complaint):
            service.act(work, complaint=complaint, user=user, action="acknowledge",
                        note="Acknowledged when recorded.")
        return Done(f"Complaint {complaint.reference} is recorded and routed"
                    + (", and acknowledged." if complaint.acknowledged_at else "."),
                    f"/complaints/{complaint.reference}")

    return handle_form(request, work, change, lambda exc: form_page(
        request, session, template="complaints/record.html", action="/complaints/record",
        form=form, error=exc, status_code=exc.status_code, extra={"source": source}))


def complaint_page(request: Request, session: Session, user: User, complaint: Complaint, *,
                   error: AppError | None = None, form: dict[str, str] | None = None,
                   status_code: int = 200) -> Response:
    setup = _setup(request)
    handler = permissions.is_handler(session, user, complaint)
    requirement = permissions.escalation_requirement(complaint)
    actions = COMPLAINT_WORKFLOW.allowed_actions(complaint.state) if handler else []
    if complaint.channel is None:
        actions = [a for a in actions if a != "escalate"]
    context = {
        "complaint": complaint, "policy": setup.policy, "handler": handler,
        "state_label": COMPLAINT_WORKFLOW.states[complaint.state], "actions": actions,
        "action_labels": ACTION_LABELS, "source_labels": SOURCE_LABELS,
        "can_acknowledge": handler and complaint.acknowledged_at is None
        and not COMPLAINT_WORKFLOW.is_final(complaint.state),
        "can_assign": handler and permissions.is_comms_or_admin(session, user)
        and not COMPLAINT_WORKFLOW.is_final(complaint.state),
        "channels": public_channels(session),
        "overdue": queries.overdue_of(complaint, local_today(setup.zone)),
        "overdue_labels": OVERDUE_LABELS, "escalated_to": requirement.label if requirement else None,
        "history": audit_queries.list_events(session, subject=service.subject_of(complaint),
                                             limit=200),
        "findings": (complaint.check_result or {}).get("findings", []),
        "can_reply": handler and replies.can_reply(complaint),
        "email_on": email_is_on(request.app.state.settings),
        "error": error, "errors": field_errors(error), "form": form or {},
    }
    return render(request, "complaints/show.html", context, status_code=status_code)


@router.get("/{reference}")
def show(request: Request, session: DbSession, user: RequiredUser, reference: str) -> Response:
    permissions.require_active(user)
    return complaint_page(request, session, user, service.require_complaint(session, reference))


def _complaint_form(request: Request, work: UnitOfWork, user: User, reference: str,
                    change: Callable[[Complaint], Done], form: dict[str, str]) -> Response:
    """A form on a complaint's page: refused, the page again with the problem and the text."""
    session = work.session

    def refused(exc: AppError) -> Response:
        return complaint_page(request, session, user, service.require_complaint(session, reference),
                              error=exc, form=form, status_code=exc.status_code)

    return handle_form(request, work, lambda: change(service.require_complaint(session, reference)),
                       refused)


@router.post("/{reference}/act")
def act(request: Request, work: Work, user: RequiredUser, reference: str, action: Text = "",
        note: Text = "") -> Response:
    def change(complaint: Complaint) -> Done:
        service.act(work, complaint=complaint, user=user, action=action, note=note)
        return Done(f"Complaint {complaint.reference} is "
                    f"{COMPLAINT_WORKFLOW.states[complaint.state]}." if action != "acknowledge"
                    else f"Complaint {complaint.reference} is acknowledged.",
                    f"/complaints/{complaint.reference}")

    return _complaint_form(request, work, user, reference, change, {"action": action, "note": note})


@router.post("/{reference}/reply")
def reply_to_complainant(request: Request, work: Work, user: RequiredUser, reference: str,
                         reply: Text = "") -> Response:
    def change(complaint: Complaint) -> Done:
        replies.reply(work, complaint=complaint, user=user, text=reply)
        return Done(f"Your reply is on its way to the complainant and kept on complaint "
                    f"{complaint.reference}'s record.", f"/complaints/{complaint.reference}#history")

    return _complaint_form(request, work, user, reference, change, {"reply": reply})


@router.post("/{reference}/check")
def check_content(request: Request, work: Work, user: RequiredUser, reference: str,
                  text: Text = "") -> Response:
    setup = service.ComplaintSetup.of(work)

    def change(complaint: Complaint) -> Done:
        before = complaint.category
        service.check_content(work, complaint=complaint, user=user, text=text)
        raised = complaint.category != before
        return Done("The checker's findings are recorded"
                    + (f"; the complaint is now a {setup.policy.label(complaint.category).lower()}."
                       if raised else "."), f"/complaints/{complaint.reference}#check")

    return _complaint_form(request, work, user, reference, change, {"text": text})


@router.post("/{reference}/channel")
def assign_channel(request: Request, work: Work, user: RequiredUser, reference: str,
                   channel: Text = "") -> Response:
    def change(complaint: Complaint) -> Done:
        service.assign_channel(work, complaint=complaint, user=user,
                               channel_id=parse_id(channel) or 0)
        return Done(f"Complaint {complaint.reference} now goes to the business owner of "
                    f"{complaint.channel.label if complaint.channel else 'the channel'}.",
                    f"/complaints/{complaint.reference}")

    return _complaint_form(request, work, user, reference, change, {"channel": channel})


__all__ = ["complaint_page", "router"]
