"""Complaints as the API, the CLI and the exports show them. Contact details appear only for
someone handling the complaint, and never in an export (CSV or JSON)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date

from sqlalchemy.orm import Session

from kaitiaki.complaints import permissions
from kaitiaki.complaints.policy import ComplaintPolicy
from kaitiaki.complaints.queries import overdue_of
from kaitiaki.complaints.schemas import ComplaintOut, Contact
from kaitiaki.models import Complaint, User

EXPORT_COLUMNS = ("reference", "state", "category", "serious", "source", "channel", "content_url",
                  "received_at", "acknowledge_by", "resolve_by", "acknowledged_at", "overdue",
                  "handled_by", "escalated_to", "escalated_at", "closed_at", "anonymous",
                  "description", "response", "resolution")


def complaint_out(session: Session, complaint: Complaint, policy: ComplaintPolicy, today: date,
                  viewer: User | None, *, check: permissions.HandlerCheck | None = None) -> ComplaintOut:
    """`viewer` None: an export, without contact details. For a list, pass one `check` for the
    viewer, so their roles are read once rather than once per complaint."""
    channel = complaint.channel
    requirement = permissions.escalation_requirement(complaint)
    if viewer is not None and check is None:
        check = permissions.HandlerCheck(session, viewer)
    shows_contact = viewer is not None and check is not None and check.handles(complaint)
    contact = None
    if shows_contact and complaint.has_contact:
        contact = Contact(name=complaint.complainant_name, email=complaint.complainant_email,
                          phone=complaint.complainant_phone)
    return ComplaintOut(
        reference=complaint.reference, state=complaint.state, category=complaint.category,
        category_label=policy.label(complaint.category), serious=complaint.serious,
        source=complaint.source, channel=channel.label if channel else None,
        channel_id=channel.id if channel else None, content_url=complaint.content_url,
        description=complaint.description, received_at=complaint.received_at,
        acknowledge_by=complaint.acknowledge_by, resolve_by=complaint.resolve_by,
        acknowledged_at=complaint.acknowledged_at, overdue=overdue_of(complaint, today),
        handled_by=channel.business_owner.email if channel else None,
        escalated_to=requirement.spec if requirement else None,
        escalated_at=complaint.escalated_at, response=complaint.response,
        resolution=complaint.resolution, closed_at=complaint.closed_at,
        anonymous=not complaint.has_contact, contact=contact,
    )


def to_json(session: Session, complaints: Sequence[Complaint], policy: ComplaintPolicy,
            today: date) -> str:
    rows = [complaint_out(session, c, policy, today, None).model_dump(mode="json", exclude={"contact"})
            for c in complaints]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def _cell(value: object) -> str:
    text = "" if value is None else (" ".join(value) if isinstance(value, list) else str(value))
    # Spreadsheet programs run cells that start with these as formulas.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(session: Session, complaints: Sequence[Complaint], policy: ComplaintPolicy,
           today: date) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    for complaint in complaints:
        row = complaint_out(session, complaint, policy, today, None).model_dump(mode="json")
        writer.writerow([_cell(row[column]) for column in EXPORT_COLUMNS])
    return buffer.getvalue()


__all__ = ["EXPORT_COLUMNS", "complaint_out", "to_csv", "to_json"]
