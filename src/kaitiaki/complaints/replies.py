"""Replying to the complainant by email from the case.

The reply goes through the outbox (so a failed delivery is retried and shown to administrators)
and is kept on the record: an audit event with the words sent, and, when the workflow still
expects a response, it is the response (the complaint moves to "responded").
"""

from __future__ import annotations

from kaitiaki.audit import service as audit
from kaitiaki.complaints import permissions, service
from kaitiaki.common.work import UnitOfWork
from kaitiaki.complaints.schemas import clean_note
from kaitiaki.complaints.transitions import COMPLAINT_WORKFLOW
from kaitiaki.errors import BadInput, Conflict
from kaitiaki.models import Complaint, User
from kaitiaki.notify.email import Email

REPLY_ACTION = "complaint.replied"


def can_reply(complaint: Complaint) -> bool:
    return bool(complaint.complainant_email) and not COMPLAINT_WORKFLOW.is_final(complaint.state)


def reply(work: UnitOfWork, *, complaint: Complaint, user: User, text: str) -> Complaint:
    """Email `text` to the complainant and keep it on the record."""
    session, setup, outbox = work.session, service.ComplaintSetup.of(work), work.outbox
    permissions.require_handler(session, user, complaint)
    if not complaint.complainant_email:
        raise BadInput("The complainant left no email address, so there is nobody to email. "
                       "Record what was said with \u201cRecord the response\u201d instead.")
    if COMPLAINT_WORKFLOW.is_final(complaint.state):
        raise Conflict(f"Complaint {complaint.reference} is closed: reopen it before replying.")
    if not outbox.email_on:
        raise Conflict("Email is switched off in this installation, so the reply cannot be sent. "
                       "Reply another way and record it with \u201cRecord the response\u201d.")
    agency = setup.policy.agency_name
    words = clean_note(text, "reply", "the reply", required=True)
    greeting = f"Kia ora {complaint.complainant_name}," if complaint.complainant_name else "Kia ora,"
    outbox.append(Email(
        to=(complaint.complainant_email,),
        subject=f"Your complaint {complaint.reference} to {agency}",
        body=f"{greeting}\n\n{words}\n\n{user.name}\n{agency}\n\n"
             f"Please quote {complaint.reference} if you write to us about this complaint.\n",
    ))
    audit.record(session, actor=user.email, action=REPLY_ACTION,
                 subject=service.subject_of(complaint),
                 details={"note": words, "state": complaint.state})
    if "respond" in COMPLAINT_WORKFLOW.allowed_actions(complaint.state):
        service.act(work, complaint=complaint, user=user, action="respond", note=words)
    return complaint


__all__ = ["REPLY_ACTION", "can_reply", "reply"]
