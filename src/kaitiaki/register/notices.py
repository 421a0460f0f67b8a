"""The email a request's progress sends: to the approvers it waits for, and to the requester and
the business owner once it is decided. Built inside the transaction and written to the outbox in it
(kaitiaki.notify.outbox), which a job delivers."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from kaitiaki.models import ChannelRequest, User
from kaitiaki.notify.email import Email
from kaitiaki.policy.schema import ApprovalRule
from kaitiaki.register import queries
from kaitiaki.register.approval_rules import holders

KIND_LABELS = {"new_channel": "a new channel", "extended_use": "extended use of a channel"}


def _link(base_url: str, request: ChannelRequest) -> str:
    return f"{base_url.rstrip('/')}/register/requests/{request.id}"


def _waiting_for(session: Session, rules: Sequence[ApprovalRule], request: ChannelRequest) -> list[User]:
    approved_by = {a.approver_id for a in queries.approvals_of(session, request)}
    people: dict[int, User] = {}
    for requirement in queries.missing_requirements(session, rules, request):
        for person in holders(session, requirement):
            if person.id != request.requested_by_id and person.id not in approved_by:
                people.setdefault(person.id, person)
    return list(people.values())


def request_notices(
    session: Session, rules: Sequence[ApprovalRule], request: ChannelRequest, base_url: str
) -> list[Email]:
    """Who should hear about the request now, given its state."""
    channel = request.channel
    if request.state in ("pending", "partly_approved"):
        approvers = _waiting_for(session, rules, request)
        if not approvers:
            return []
        body = (
            f"{request.requested_by.name} has requested {KIND_LABELS[request.kind]}: "
            f"{channel.display_name} (@{channel.handle} on {channel.platform}).\n\n"
            f"{request.details}\n\nIt needs your decision: {_link(base_url, request)}\n"
        )
        return [Email(to=tuple(p.email for p in approvers),
                      subject=f"Channel request waiting for you: @{channel.handle}", body=body)]
    if request.state in ("approved", "declined"):
        recipients = {request.requested_by.email, channel.business_owner.email}
        outcome = "approved" if request.state == "approved" else "declined"
        body = f"The request for {KIND_LABELS[request.kind]}, @{channel.handle} on " \
               f"{channel.platform}, was {outcome}.\n"
        if request.decline_reason:
            body += f"\nReason: {request.decline_reason}\n"
        body += f"\n{_link(base_url, request)}\n"
        return [Email(to=tuple(sorted(recipients)),
                      subject=f"Channel request {outcome}: @{channel.handle}", body=body)]
    return []


__all__ = ["request_notices"]
