from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kaitiaki.models.base import Base, UTCDateTime
from kaitiaki.models.channel import Channel
from kaitiaki.models.user import User
from kaitiaki.timeutil import utcnow


class ChannelAuthorisation(Base):
    """The business owner's authorisation of a person to post on a channel.

    In force while not revoked and not past `expires_at`. Rows are never deleted: a revocation
    sets `revoked_at`, so "who could post where, when" stays answerable.
    """

    __tablename__ = "channel_authorisations"
    __table_args__ = (Index("ix_channel_authorisations_channel_user", "channel_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revocation_reason: Mapped[str | None] = mapped_column(Text)

    channel: Mapped[Channel] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
    granted_by: Mapped[User] = relationship(foreign_keys=[granted_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    def in_force(self, at: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > at)
