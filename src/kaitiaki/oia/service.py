"""Logging Official Information Act requests, extending their time limit and closing them. Every
change writes an audit event in the same transaction; nothing here commits.

The requester's name, email and postal address are kept on the request for the reply and never
appear in the audit log, a list, an export or a report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaitiaki.audit import service as audit
from kaitiaki.complaints.service import next_reference
from kaitiaki.errors import BadInput, FieldError, NotFound
from kaitiaki.models import OiaRequest, User
from kaitiaki.oia import permissions
from kaitiaki.oia.due import MAX_WORKING_DAYS, due_date, parse_received
from kaitiaki.oia.transitions import CLOSING_ACTIONS, EXTENSION_REASON_LABELS, OIA_WORKFLOW
from kaitiaki.common.forms import FieldErrors, clean_text, parse_date

REFERENCE_PREFIX = "OIA"
MAX_SUMMARY_CHARS = 5000
MAX_NOTE_CHARS = 2000
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")


@dataclass(frozen=True)
class RequestDraft:
    received_on: str  # YYYY-MM-DD as typed
    summary: str
    requester_name: str = ""
    requester_email: str = ""
    requester_address: str = ""


def subject_of(request: OiaRequest) -> str:
    return f"oia_request:{request.id}"


def financial_year(day: date) -> int:
    """The year the New Zealand government's financial year (1 July to 30 June) starts in."""
    return day.year if day.month >= 7 else day.year - 1


def reference_for(year: int, number: int) -> str:
    """`OIA-2026/27-0001`: the financial year, then the request's number within it."""
    return f"{REFERENCE_PREFIX}-{year}/{(year + 1) % 100:02d}-{number:04d}"


def _next_reference(session: Session, received: date) -> str:
    year = financial_year(received)
    # The complaint counter table numbers any prefix per year; its own format is
    # "<prefix>-<year>-<number>", of which only the number is needed here.
    number = int(next_reference(session, REFERENCE_PREFIX, year).rsplit("-", 1)[1])
    return reference_for(year, number)


def slug_of(reference: str) -> str:
    """The reference as a URL path segment: OIA-2026/27-0001 -> OIA-2026-27-0001."""
    return reference.replace("/", "-")


_SLUG = re.compile(r"^(OIA-\d{4})-(\d{2})-")


def require_request(session: Session, reference: str) -> OiaRequest:
    """By its reference, or the reference as a URL writes it (OIA-2026-27-0001)."""
    wanted = _SLUG.sub(r"\1/\2-", reference.strip().upper()[:40])
    found = session.scalars(select(OiaRequest).where(OiaRequest.reference == wanted)).first()
    if found is None:
        raise NotFound(f"There is no Official Information Act request {wanted}.")
    return found


def log_request(session: Session, *, user: User, draft: RequestDraft, today: date) -> OiaRequest:
    """Log a request received on `draft.received_on`; its decision is due 20 working days after."""
    permissions.require_records_officer(session, user)
    errors = FieldErrors()
    received: date | None = None
    try:
        received = parse_received(draft.received_on, today)
    except BadInput as exc:
        errors.errors.extend(exc.fields)
    summary = clean_text(draft.summary, errors, "summary", "what was requested",
                         max_length=MAX_SUMMARY_CHARS)
    name = clean_text(draft.requester_name, errors, "requester_name", "the requester's name",
                      required=False, max_length=200)
    email = draft.requester_email.strip().lower()
    if email and (len(email) > 254 or not _EMAIL.match(email)):
        errors.add("requester_email", "Enter an email address like name@example.nz, or leave it empty.")
    address = clean_text(draft.requester_address, errors, "requester_address",
                         "the requester's postal address", required=False, max_length=1000)
    if not errors.errors and not (email or address):
        errors.add("requester_email", "Enter an email or a postal address: the reply goes there.")
    errors.raise_if_any()
    assert received is not None
    due = due_date(received)
    request = OiaRequest(
        reference=_next_reference(session, received), received_on=received, summary=summary,
        requester_name=name, requester_email=email, requester_address=address,
        state=OIA_WORKFLOW.initial, original_due_on=due, due_on=due, recorded_by=user,
        closing_note="",
    )
    session.add(request)
    session.flush()
    audit.record(session, actor=user.email, action="oia_request.logged", subject=subject_of(request),
                 details={"reference": request.reference, "received_on": received.isoformat(),
                          "due_on": due.isoformat()})
    return request


def extend(session: Session, *, user: User, reference: str, reason: str, note: str,
           today: date, new_due_on: str = "", extra_days: int | None = None) -> OiaRequest:
    """Extend the time limit (s15A): by `extra_days` working days after the current due date, or
    to `new_due_on`. The requester must be told within the original limit, so an extension is
    recorded on or before the original due date."""
    permissions.require_records_officer(session, user)
    request = require_request(session, reference)
    target = OIA_WORKFLOW.apply(request.state, "extend")
    errors = FieldErrors()
    if reason not in EXTENSION_REASON_LABELS:
        errors.add("reason", "Choose the reason for the extension: "
                             f"{', '.join(EXTENSION_REASON_LABELS)}.")
    cleaned_note = clean_text(note, errors, "note", "how long is needed and why",
                              max_length=MAX_NOTE_CHARS)
    new_due: date | None = None
    if extra_days is not None:
        if not 0 < extra_days <= MAX_WORKING_DAYS:
            errors.add("extra_days", f"Enter 1 to {MAX_WORKING_DAYS} working days.")
        else:
            new_due = due_date(request.due_on, extra_days)
    elif new_due_on.strip():
        new_due = parse_date(new_due_on, errors, "new_due_on", "the new due date",
                             message="Enter the new due date as YYYY-MM-DD.")
        if new_due is not None and new_due <= request.due_on:
            errors.add("new_due_on", f"The new due date must be after the current one, "
                                     f"{request.due_on.isoformat()}.")
    else:
        errors.add("new_due_on", "Enter the new due date, or the number of extra working days.")
    if today > request.original_due_on:
        errors.add("new_due_on", f"The time limit ended on {request.original_due_on.isoformat()}; "
                                 "an extension must be made within it (s15A(3)).")
    errors.raise_if_any()
    assert new_due is not None
    previous = request.due_on
    request.state = target
    request.due_on = new_due
    request.extension_reason = reason
    request.extension_note = cleaned_note
    request.extended_on = today
    audit.record(session, actor=user.email, action="oia_request.extended", subject=subject_of(request),
                 details={"reference": request.reference, "reason": reason, "from": previous.isoformat(),
                          "to": new_due.isoformat(), "note": cleaned_note})
    return request


def close(session: Session, *, user: User, reference: str, action: str, note: str,
          today: date) -> OiaRequest:
    """Record the response sent, a transfer or a withdrawal."""
    permissions.require_records_officer(session, user)
    request = require_request(session, reference)
    if action not in CLOSING_ACTIONS:
        raise BadInput(f"Choose what happened: {', '.join(CLOSING_ACTIONS)}.",
                       fields=[FieldError(["action"], "Choose what happened.")])
    target = OIA_WORKFLOW.apply(request.state, action)
    errors = FieldErrors()
    cleaned = clean_text(note, errors, "note", "a note", required=False, max_length=MAX_NOTE_CHARS)
    errors.raise_if_any()
    request.state = target
    request.closed_on = today
    request.closing_note = cleaned
    audit.record(session, actor=user.email, action=f"oia_request.{target}", subject=subject_of(request),
                 details={"reference": request.reference, "on": today.isoformat(),
                          "late": today > request.due_on})
    return request


__all__ = [
    "REFERENCE_PREFIX",
    "RequestDraft",
    "close",
    "extend",
    "financial_year",
    "log_request",
    "reference_for",
    "require_request",
    "slug_of",
    "subject_of",
]
