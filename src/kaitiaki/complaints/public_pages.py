"""The public complaint form: no sign-in, contact details optional, and a confirmation page with
the reference and what happens next.

Spam is kept out without any outside service: a honeypot field that people never see, a limit on
submissions per client address (kaitiaki.complaints.ratelimit) and size limits on every field.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from kaitiaki.auth.pages import client_address
from kaitiaki.complaints import service, single_use
from kaitiaki.complaints.ratelimit import (SubmissionLimit, TooManySubmissions, check_and_record,
                                           refuse_when_used_up)
from kaitiaki.complaints.schemas import MAX_DESCRIPTION_LENGTH, ComplaintDraft
from kaitiaki.config import Settings
from kaitiaki.errors import AppError, BadInput
from kaitiaki.models import Complaint
from kaitiaki.notify.email import is_configured as email_is_on
from kaitiaki.register import queries as register_queries
from kaitiaki.register.queries import RegisterFilter
from kaitiaki.common.web import FormText, field_errors
from kaitiaki.web.deps import AppSettings, DbSession, Work
from kaitiaki.web.forms import Done, handle_form
from kaitiaki.web.templating import render

router = APIRouter(prefix="/complaints", include_in_schema=False)

Text = FormText
PUBLIC_LIMIT = SubmissionLimit(form="complaint", max_submissions=5, window=timedelta(hours=1))
HONEYPOT_FIELD = "website"
CONFIRMATION_KEY = "complaint_received"
FORM_FIELDS = ("category", "url", "channel", "content_text", "description", "name", "email", "phone")


def public_channels(session: Session) -> list[Any]:
    """Active channels, for the "which channel" list."""
    return [channel for channel, _flags in
            register_queries.list_channels(session, RegisterFilter(status="active"))]


def form_page(request: Request, session: Session, *, template: str, action: str,
              form: dict[str, str] | None = None, error: AppError | None = None,
              status_code: int = 200, extra: dict[str, Any] | None = None) -> Response:
    setup = service.ComplaintSetup.from_settings(request.app.state.settings)
    context = {
        "form": form or {name: "" for name in FORM_FIELDS}, "error": error,
        "errors": field_errors(error), "categories": setup.policy.categories,
        "channels": public_channels(session), "action": action,
        "policy": setup.policy, "max_description": MAX_DESCRIPTION_LENGTH,
        "honeypot": HONEYPOT_FIELD, "submission_token": secrets.token_urlsafe(24),
        **(extra or {}),
    }
    return render(request, template, context, status_code=status_code)


def draft_from(form: dict[str, str]) -> ComplaintDraft:
    return ComplaintDraft(
        category=form["category"], description=form["description"], url=form["url"],
        channel_id=form["channel"], content_text=form["content_text"], name=form["name"],
        email=form["email"], phone=form["phone"],
    )


@router.get("/new")
def new_complaint_page(request: Request, session: DbSession) -> Response:
    return form_page(request, session, template="complaints/new.html", action="/complaints/new")


@router.post("/new")
def new_complaint(
    request: Request, work: Work,
    category: Text = "", url: Text = "", channel: Text = "", content_text: Text = "",
    description: Text = "", name: Text = "", email: Text = "", phone: Text = "",
    website: Text = "", submission_token: Text = "",
) -> Response:
    form = {"category": category, "url": url, "channel": channel, "content_text": content_text,
            "description": description, "name": name, "email": email, "phone": phone}
    session, settings = work.session, work.settings
    setup = service.ComplaintSetup.of(work)

    def change() -> Done:
        if submission_token:
            earlier = single_use.claim(session, submission_token)
            if earlier is not None:  # sent twice: show what the first one recorded
                return _confirmed(request, settings, setup, service.require_complaint(session, earlier))
        if website.strip():
            # Only programs fill in a field that people never see.
            raise BadInput("This form could not be accepted. If you are a person, leave the "
                           "field labelled 'Leave this field empty' empty and send it again.")
        limit = {"limit": PUBLIC_LIMIT, "address": client_address(request),
                 "secret": settings.resolved_secret_key(), "contact_email": setup.policy.contact_email}
        refuse_when_used_up(session, **limit)
        complaint = service.submit(work, draft=draft_from(form))
        if submission_token:
            single_use.remember(session, submission_token, complaint.reference)
        check_and_record(session, **limit)  # last: it holds the address's lock until the commit
        return _confirmed(request, settings, setup, complaint)

    return handle_form(request, work, change, lambda exc: form_page(
        request, session, template="complaints/new.html", action="/complaints/new", form=form,
        error=exc, status_code=exc.status_code,
        extra={"too_many": isinstance(exc, TooManySubmissions)}))


def _confirmed(request: Request, settings: Settings, setup: service.ComplaintSetup,
               complaint: Complaint) -> Done:
    # The receipt page says what really happened: a receipt is only on its way when email is on
    # and the person gave an address (the receipt is queued then).
    receipt_queued = bool(complaint.complainant_email) and email_is_on(settings)
    request.session[CONFIRMATION_KEY] = {
        "reference": complaint.reference,
        "channel": complaint.channel.label if complaint.channel else None,
        "serious": complaint.serious,
        "category": setup.policy.label(complaint.category),
        "acknowledge_by": complaint.acknowledge_by.strftime("%-d %B %Y"),
        "resolve_by": complaint.resolve_by.strftime("%-d %B %Y"),
        "email": bool(complaint.complainant_email),
        "receipt_queued": receipt_queued,
    }
    return Done("", "/complaints/received")


@router.get("/received")
def received_page(request: Request, settings: AppSettings) -> Response:
    """What happens next. Shown once, to the person who submitted (kept in their session)."""
    received = request.session.get(CONFIRMATION_KEY)
    if not isinstance(received, dict):
        return RedirectResponse("/complaints/new", status_code=303)
    setup = service.ComplaintSetup.from_settings(settings)
    return render(request, "complaints/received.html", {"received": received, "policy": setup.policy})


__all__ = ["PUBLIC_LIMIT", "draft_from", "form_page", "public_channels", "router"]
