"""Complaint pages for staff: the list with filters and overdue highlighting, exports, entering a
complaint received by email or direct message, and a complaint's page with its history and the
actions the transition table allows. Every form works without JavaScript."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from kaitiaki.audit import queries as audit_queries
from kaitiaki.complaints import export, permissions, queries, replies, service
from kaitiaki.complaints.public_pages import draft_from, form_page, public_channels
from kaitiaki.complaints.queries import OVERDUE_LABELS, ComplaintFilter, local_today
from kaitiaki.complaints.transitions import ACTION_LABELS, COMPLAINT_WORKFLOW, STATE_LABELS
from kaitiaki.errors import AppError
from kaitiaki.models import Complaint, User
from kaitiaki.notify.email import Email
from kaitiaki.common.forms import parse_id
from kaitiaki.common.web import FormText, field_errors, queue_emails
from kaitiaki.notify.email import is_configured as email_is_on
from kaitiaki.web.deps import AppSettings, DbSession, RequiredUser
from kaitiaki.web.templating import flash, render

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
    request: Request, session: DbSession, user: RequiredUser, background: BackgroundTasks,
    source: Text = "email", category: Text = "", url: Text = "", channel: Text = "",
    content_text: Text = "", description: Text = "", name: Text = "", email: Text = "",
    phone: Text = "", acknowledged: Text = "",
) -> Response:
    form = {"category": category, "url": url, "channel": channel, "content_text": content_text,
            "description": description, "name": name, "email": email, "phone": phone,
            "acknowledged": acknowledged}
    outbox: list[Email] = []
    try:
        complaint = service.submit(session, setup=_setup(request), draft=draft_from(form),
                                   source=source, recorded_by=user, outbox=outbox)
        # One page, not two steps: staff who have already told the person it is in hand say so here.
        if acknowledged and permissions.is_handler(session, user, complaint):
            service.act(session, setup=_setup(request), complaint=complaint, user=user,
                        action="acknowledge", note="Acknowledged when recorded.", outbox=outbox)
    except AppError as exc:
        session.rollback()
        return form_page(request, session, template="complaints/record.html",
                         action="/complaints/record", form=form, error=exc,
                         status_code=exc.status_code, extra={"source": source})
    queue_emails(session, background, request, outbox)
    flash(request, f"Complaint {complaint.reference} is recorded and routed"
                   + (", and acknowledged." if complaint.acknowledged_at else "."))
    return RedirectResponse(f"/complaints/{complaint.reference}", status_code=303)


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


def _refused(request: Request, session: Session, user: User, reference: str, exc: AppError,
             form: dict[str, str]) -> Response:
    session.rollback()
    return complaint_page(request, session, user, service.require_complaint(session, reference),
                          error=exc, form=form, status_code=exc.status_code)


@router.post("/{reference}/act")
def act(request: Request, session: DbSession, user: RequiredUser, background: BackgroundTasks,
        reference: str, action: Text = "", note: Text = "") -> Response:
    outbox: list[Email] = []
    try:
        complaint = service.require_complaint(session, reference)
        service.act(session, setup=_setup(request), complaint=complaint, user=user,
                    action=action, note=note, outbox=outbox)
    except AppError as exc:
        return _refused(request, session, user, reference, exc, {"action": action, "note": note})
    queue_emails(session, background, request, outbox)
    flash(request, f"Complaint {complaint.reference} is {COMPLAINT_WORKFLOW.states[complaint.state]}."
          if action != "acknowledge" else f"Complaint {complaint.reference} is acknowledged.")
    return RedirectResponse(f"/complaints/{complaint.reference}", status_code=303)


@router.post("/{reference}/reply")
def reply_to_complainant(request: Request, session: DbSession, user: RequiredUser,
                         background: BackgroundTasks, reference: str, reply: Text = "") -> Response:
    outbox: list[Email] = []
    try:
        complaint = service.require_complaint(session, reference)
        replies.reply(session, setup=_setup(request), complaint=complaint, user=user, text=reply,
                      email_on=email_is_on(request.app.state.settings), outbox=outbox)
    except AppError as exc:
        return _refused(request, session, user, reference, exc, {"reply": reply})
    queue_emails(session, background, request, outbox)
    flash(request, f"Your reply is on its way to the complainant and kept on complaint "
                   f"{complaint.reference}'s record.")
    return RedirectResponse(f"/complaints/{complaint.reference}#history", status_code=303)


@router.post("/{reference}/check")
def check_content(request: Request, session: DbSession, user: RequiredUser,
                  background: BackgroundTasks, reference: str, text: Text = "") -> Response:
    outbox: list[Email] = []
    try:
        complaint = service.require_complaint(session, reference)
        before = complaint.category
        service.check_content(session, setup=_setup(request), complaint=complaint, user=user,
                              text=text, outbox=outbox)
    except AppError as exc:
        return _refused(request, session, user, reference, exc, {"text": text})
    queue_emails(session, background, request, outbox)
    raised = complaint.category != before
    flash(request, "The checker's findings are recorded"
          + (f"; the complaint is now a {_setup(request).policy.label(complaint.category).lower()}."
             if raised else "."))
    return RedirectResponse(f"/complaints/{complaint.reference}#check", status_code=303)


@router.post("/{reference}/channel")
def assign_channel(request: Request, session: DbSession, user: RequiredUser,
                   background: BackgroundTasks, reference: str, channel: Text = "") -> Response:
    outbox: list[Email] = []
    try:
        complaint = service.require_complaint(session, reference)
        channel_id = parse_id(channel) or 0
        service.assign_channel(session, setup=_setup(request), complaint=complaint, user=user,
                               channel_id=channel_id, outbox=outbox)
    except AppError as exc:
        return _refused(request, session, user, reference, exc, {"channel": channel})
    queue_emails(session, background, request, outbox)
    flash(request, f"Complaint {complaint.reference} now goes to the business owner of "
                   f"{complaint.channel.label if complaint.channel else 'the channel'}.")
    return RedirectResponse(f"/complaints/{complaint.reference}", status_code=303)


__all__ = ["complaint_page", "router"]
