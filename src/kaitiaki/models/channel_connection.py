from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kaitiaki.models.base import Base, UTCDateTime
from kaitiaki.models.channel import Channel
from kaitiaki.models.user import User
from kaitiaki.timeutil import utcnow

CONNECTION_STATES = ("active", "revoked")


class ChannelConnection(Base):
    """A channel's link to its platform account, through which Kaitiaki publishes, pulls replies
    and moderates.

    `account` (a Bluesky handle, a Mastodon account, a Facebook page id) and `service_url` (the
    PDS, the instance, the Graph API) are shown; `secret` (an app password or access token) is
    Fernet-encrypted with KAITIAKI_CONNECTION_KEY and never shown again. At most one connection of
    a channel is active; replacing or revoking one sets `revoked_at`, and rows are never deleted.
    `last_error` is the platform's last refusal, in words, until a call succeeds again.
    """

    __tablename__ = "channel_connections"
    __table_args__ = (Index("ix_channel_connections_channel_state", "channel_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"))
    platform: Mapped[str] = mapped_column(String(20))
    account: Mapped[str] = mapped_column(String(300))
    service_url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10), default="active")
    connected_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    connected_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    replies_fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    channel: Mapped[Channel] = relationship(lazy="joined")
    connected_by: Mapped[User] = relationship(foreign_keys=[connected_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    def __repr__(self) -> str:
        return f"ChannelConnection({self.id!r}, {self.platform!r}, {self.account!r}, {self.state!r})"
