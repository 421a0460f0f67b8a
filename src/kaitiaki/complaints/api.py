"""`/api/v1/complaints`: complaints as JSON, for the signed-in person.

Staff see the list and each complaint; contact details appear only for those handling it. Actions
go through the same services as the pages (and write the same audit events and notices). The
public form is a page, not an API: it needs its spam protection.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from kaitiaki.complaints import export, permissions, queries, service
from kaitiaki.complaints.queries import ComplaintFilter, local_today
from kaitiaki.complaints.schemas import ActionIn, CheckIn, ComplaintDraft, ComplaintIn, ComplaintOut
from kaitiaki.models import Complaint, User
from kaitiaki.web.deps import DbSession, RequiredUser, Work

router = APIRouter(prefix="/api/v1/complaints", tags=["complaints"])


def _setup(request: Request) -> service.ComplaintSetup:
    return service.ComplaintSetup.from_settings(request.app.state.settings)


def _out(request: Request, session, complaint: Complaint, user: User,
         check: permissions.HandlerCheck | None = None) -> ComplaintOut:
    setup = _setup(request)
    return export.complaint_out(session, complaint, setup.policy, local_today(setup.zone), user,
                                check=check)


@router.get("", response_model=list[ComplaintOut], summary="List complaints")
def list_complaints(request: Request, session: DbSession, user: RequiredUser, state: str = "",
                    category: str = "", overdue: bool = False, serious: bool = False,
                    q: str = "") -> list[ComplaintOut]:
    permissions.require_active(user)
    filters = ComplaintFilter(state=state[:20], category=category[:60], overdue=overdue,
                              serious=serious, q=q[:200])
    today = local_today(_setup(request).zone)
    check = permissions.HandlerCheck(session, user)
    return [_out(request, session, c, user, check)
            for c in queries.list_complaints(session, filters, today=today)]


@router.post("", response_model=ComplaintOut, status_code=201,
             summary="Record a complaint received by email or direct message")
def record(request: Request, body: ComplaintIn, work: Work, user: RequiredUser) -> ComplaintOut:
    draft = ComplaintDraft(category=body.category, description=body.description, url=body.url,
                           channel_id=str(body.channel_id or ""), content_text=body.content_text,
                           name=body.name, email=body.email, phone=body.phone)
    complaint = service.submit(work, draft=draft, source=body.source, recorded_by=user)
    return _out(request, work.session, complaint, user)


@router.get("/{reference}", response_model=ComplaintOut, summary="One complaint")
def show(request: Request, reference: str, session: DbSession, user: RequiredUser) -> ComplaintOut:
    permissions.require_active(user)
    return _out(request, session, service.require_complaint(session, reference), user)


@router.post("/{reference}/actions", response_model=ComplaintOut,
             summary="Acknowledge, triage, escalate, respond, close or reopen")
def act(request: Request, reference: str, body: ActionIn, work: Work,
        user: RequiredUser) -> ComplaintOut:
    complaint = service.require_complaint(work.session, reference)
    service.act(work, complaint=complaint, user=user, action=body.action, note=body.note)
    return _out(request, work.session, complaint, user)


@router.post("/{reference}/check", response_model=ComplaintOut,
             summary="Run the checker over the content complained about")
def check_content(request: Request, reference: str, body: CheckIn, work: Work,
                  user: RequiredUser) -> ComplaintOut:
    complaint = service.require_complaint(work.session, reference)
    service.check_content(work, complaint=complaint, user=user, text=body.text)
    return _out(request, work.session, complaint, user)


__all__ = ["router"]
