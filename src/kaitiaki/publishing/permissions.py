"""Who may do what with a draft. Services call these before changing anything.

| action                                         | who                                                 |
|------------------------------------------------|-----------------------------------------------------|
| compose, change, check, acknowledge, submit,   | the draft's author, while authorised to post on the |
| ask for an exception, record publication,      | channel (an authorisation in force, an active       |
| withdraw                                       | channel)                                            |
| approve or decline an exception                | the channel's business owner, not for their own     |
|                                                | draft; communications staff when the owner asked    |
| see a draft                                    | its author, the channel's business owner,           |
|                                                | communications staff, administrators; while it is   |
|                                                | in review or returned, its possible reviewers       |
| review (approve or return)                     | publishing.review: not the author                   |
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from kaitiaki.errors import NotPermitted
from kaitiaki.models import Draft, DraftException, User
from kaitiaki.common.roles import ADMIN
from kaitiaki.people.service import has_role
from kaitiaki.publishing.reviewers import may_review_on
from kaitiaki.register import service as register_service
from kaitiaki.common.access import require_active
from kaitiaki.register.permissions import is_business_owner, is_comms_staff


def require_can_post(session: Session, user: User, draft: Draft) -> None:
    require_active(user)
    if draft.author_id != user.id:
        raise NotPermitted(f"Only {draft.author.name}, who wrote this draft, can change it.")
    if not register_service.can_post(session, user, draft.channel):
        raise NotPermitted(
            f"You are not authorised to post on @{draft.channel.handle} now; its business owner, "
            f"{draft.channel.business_owner.name}, can authorise you."
        )


def can_see(session: Session, user: User, draft: Draft) -> bool:
    return (
        draft.author_id == user.id
        or is_business_owner(user, draft.channel)
        or is_comms_staff(session, user)
        or has_role(session, user, ADMIN)
        or (draft.state in ("in_review", "returned") and may_review_on(session, user, draft.channel))
    )


def require_can_see(session: Session, user: User, draft: Draft) -> None:
    require_active(user)
    if not can_see(session, user, draft):
        raise NotPermitted("Only the author, the channel's business owner, communications "
                           "staff and, while it is in review, its reviewers can see this draft.")


def can_decide(session: Session, user: User, exception: DraftException) -> bool:
    channel = exception.draft.channel
    if is_business_owner(user, channel):
        return exception.requested_by_id != user.id
    return exception.requested_by_id == channel.business_owner_id and is_comms_staff(session, user)


def require_can_decide(session: Session, user: User, exception: DraftException) -> None:
    require_active(user)
    if can_decide(session, user, exception):
        return
    channel = exception.draft.channel
    if exception.requested_by_id == user.id:
        raise NotPermitted("Nobody decides their own exception request: communications staff "
                           "decide a business owner's request on their own channel.")
    raise NotPermitted(f"Only the business owner of @{channel.handle}, "
                       f"{channel.business_owner.name}, can decide this exception.")


__all__ = ["can_decide", "can_see", "require_can_decide", "require_can_post", "require_can_see"]
