"""Telling people about a complaint: an in-app notice in the same transaction, and the same words
by email (when SMTP is configured).

The services pass the unit of work's outbox (kaitiaki.common.work), which writes each email to the
outbox in the same transaction as the change; a job delivers them.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from kaitiaki.common.work import Outbox as WorkOutbox
from kaitiaki.models import Complaint, User
from kaitiaki.notify import inapp
from kaitiaki.notify.email import Email

Outbox = WorkOutbox | None


def complaint_path(complaint: Complaint) -> str:
    return f"/complaints/{complaint.reference}"


def tell(
    session: Session, people: Iterable[User], complaint: Complaint, *, subject: str, body: str,
    base_url: str, outbox: Outbox, exclude: User | None = None,
) -> list[User]:
    """Notify each active person once (in the app, and by email through `outbox`)."""
    recipients: dict[int, User] = {}
    for person in people:
        if person.is_active and person.left_at is None and (exclude is None or person.id != exclude.id):
            recipients.setdefault(person.id, person)
    if not recipients:
        return []
    link = complaint_path(complaint)
    inapp.notify(session, recipients.values(), subject, link=link)
    if outbox is not None:
        outbox.append(Email(
            to=tuple(sorted(p.email for p in recipients.values())), subject=subject,
            body=f"{body}\n\nOpen the complaint: {base_url.rstrip('/')}{link}\n",
        ))
    return list(recipients.values())


def receipt_for_complainant(complaint: Complaint, *, agency: str, ack_days: int, resolve_days: int,
                            outbox: Outbox) -> None:
    """A receipt to the person who complained, when they gave an email address."""
    if outbox is None or not complaint.complainant_email:
        return
    body = (
        f"Kia ora{' ' + complaint.complainant_name if complaint.complainant_name else ''},\n\n"
        f"Thank you for your complaint to {agency}. Its reference is {complaint.reference}.\n\n"
        f"The business owner of the channel concerned deals with it. We will acknowledge it "
        f"within {ack_days} working day{'s' if ack_days != 1 else ''} and aim to resolve it "
        f"within {resolve_days} working days (by {complaint.resolve_by:%-d %B %Y}). Please quote "
        f"the reference if you contact us about it.\n"
    )
    outbox.append(Email(to=(complaint.complainant_email,),
                        subject=f"Your complaint {complaint.reference} has been received",
                        body=body))


__all__ = ["Outbox", "complaint_path", "receipt_for_complainant", "tell"]
