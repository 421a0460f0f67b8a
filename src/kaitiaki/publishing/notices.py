"""The email an exception sends: to the person who decides it when it is asked for, and to the
poster once it is decided. Built inside the transaction and written to the outbox in it
(kaitiaki.notify.outbox), which a job delivers; the dashboard panels show the same thing."""

from __future__ import annotations

from kaitiaki.models import DraftException, DraftReview
from kaitiaki.notify.email import Email


def _link(base_url: str, exception: DraftException) -> str:
    return f"{base_url.rstrip('/')}/drafts/{exception.draft_id}#exception"


def exception_notices(exception: DraftException, base_url: str) -> list[Email]:
    draft = exception.draft
    channel = draft.channel
    where = f"@{channel.handle} ({channel.platform})"
    if exception.state == "requested":
        owner = channel.business_owner
        if owner.id == exception.requested_by_id:
            return []  # communications staff decide it; their dashboard shows it
        return [Email(
            to=(owner.email,),
            subject=f"Exception requested on {where}",
            body=(f"Kia ora {owner.name},\n\n{exception.requested_by.name} asks to publish a "
                  f"{draft.kind} on {where} despite a block finding. Their justification:\n\n"
                  f"{exception.justification}\n\nApprove or decline it, with a reason:\n"
                  f"{_link(base_url, exception)}\n"),
        )]
    if exception.state in ("approved", "declined"):
        decider = exception.decided_by.name if exception.decided_by else "The business owner"
        next_step = ("You can now acknowledge any warnings and submit it."
                     if exception.state == "approved" else "Rewrite it and check it again.")
        return [Email(
            to=(exception.requested_by.email,),
            subject=f"Exception {exception.state} on {where}",
            body=(f"Kia ora {exception.requested_by.name},\n\n{decider} {exception.state} your "
                  f"exception for {draft.kind} {draft.id} on {where}:\n\n"
                  f"{exception.decision_reason or ''}\n\n{next_step}\n{_link(base_url, exception)}\n"),
        )]
    return []


def review_notices(review: DraftReview, base_url: str) -> list[Email]:
    """The author's email once a reviewer approved or returned their post."""
    draft = review.draft
    where = f"@{draft.channel.handle} ({draft.channel.platform})"
    next_step = ("Schedule it or publish it." if review.decision == "approved"
                 else "Change it, check it and submit it again.")
    comment = f"\n\n{review.comment}" if review.comment else ""
    return [Email(
        to=(draft.author.email,),
        subject=f"Your {draft.kind} on {where} is {review.decision}",
        body=(f"Kia ora {draft.author.name},\n\n{review.reviewer.name} {review.decision} your "
              f"{draft.kind} {draft.id} on {where}.{comment}\n\n{next_step}\n"
              f"{base_url.rstrip('/')}/drafts/{draft.id}#review\n"),
    )]


__all__ = ["exception_notices", "review_notices"]
