"""Who may moderate a channel's comments: its business owner, and the people the business owner
has delegated moderation to (while the delegation stands). Only the business owner delegates.
Communications staff may also import comments, since they keep the channels."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaitiaki.errors import NotPermitted
from kaitiaki.models import Channel, ModerationDelegate, User
from kaitiaki.common.access import require_active
from kaitiaki.register.permissions import is_business_owner, is_comms_staff


def is_delegate(session: Session, user: User, channel: Channel) -> bool:
    return session.scalar(
        select(ModerationDelegate.id).where(
            ModerationDelegate.channel_id == channel.id,
            ModerationDelegate.user_id == user.id,
            ModerationDelegate.revoked_at.is_(None),
        ).limit(1)
    ) is not None


def can_moderate(session: Session, user: User, channel: Channel) -> bool:
    return is_business_owner(user, channel) or is_delegate(session, user, channel)


def require_can_moderate(session: Session, user: User, channel: Channel) -> None:
    require_active(user)
    if not can_moderate(session, user, channel):
        raise NotPermitted(
            f"Only the business owner of @{channel.handle}, {channel.business_owner.name}, and the "
            "people they ask to moderate it can moderate its comments."
        )


def require_can_import(session: Session, user: User, channel: Channel) -> None:
    require_active(user)
    if not (can_moderate(session, user, channel) or is_comms_staff(session, user)):
        raise NotPermitted(
            f"Only the moderators of @{channel.handle} and communications staff can import its "
            "comments."
        )


__all__ = ["can_moderate", "is_delegate", "require_can_import", "require_can_moderate"]
