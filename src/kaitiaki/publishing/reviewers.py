"""Who reviews posts on a channel that asks for a second person's review, and telling them a post
waits. Below the draft services, which tell the reviewers when a post is submitted for review."""

from __future__ import annotations

from sqlalchemy.orm import Session

from kaitiaki.models import Channel, Draft, User
from kaitiaki.notify import outbox
from kaitiaki.register import queries as register_queries
from kaitiaki.register import service as register_service
from kaitiaki.register.permissions import is_business_owner


def may_review_on(session: Session, user: User, channel: Channel) -> bool:
    """Whether the person reviews posts on the channel: authorised to post on it, or its owner."""
    if not user.is_active or user.left_at is not None:
        return False
    return is_business_owner(user, channel) or register_service.can_post(session, user, channel)


def reviewers_of(session: Session, channel: Channel) -> list[User]:
    """The channel's business owner and everyone authorised to post on it now."""
    people = {channel.business_owner.id: channel.business_owner}
    for grant in register_queries.authorisations_of(session, channel):
        if register_service.can_post(session, grant.user, channel):
            people.setdefault(grant.user.id, grant.user)
    return [person for person in people.values() if person.is_active and person.left_at is None]


def tell_reviewers(session: Session, draft: Draft) -> list[User]:
    """An in-app notice to each possible reviewer that the draft waits for them."""
    people = [person for person in reviewers_of(session, draft.channel)
              if person.id != draft.author_id]
    outbox.add_notice(session, people,
                      f"{draft.author.name}'s {draft.kind} on @{draft.channel.handle} waits for "
                      "your review.", link=f"/drafts/{draft.id}",
                      key=f"draft:{draft.id}:v{draft.current_version}:review_waiting")
    return people


__all__ = ["may_review_on", "reviewers_of", "tell_reviewers"]
