from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kaitiaki.models.base import Base, UTCDateTime
from kaitiaki.models.channel import Channel
from kaitiaki.models.user import User
from kaitiaki.timeutil import utcnow

REQUEST_KINDS = ("new_channel", "extended_use")


class ChannelRequest(Base):
    """A request for a new channel or for extended use of one; its approvals stay with it and
    it stays with the channel (approved, declined or withdrawn)."""

    __tablename__ = "channel_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    details: Mapped[str] = mapped_column(Text)  # the purpose, or the new purpose / feature asked for
    state: Mapped[str] = mapped_column(String(20), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decline_reason: Mapped[str | None] = mapped_column(Text)

    channel: Mapped[Channel] = relationship(lazy="joined")
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id], lazy="joined")
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
