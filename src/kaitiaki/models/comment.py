from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kaitiaki.models.base import Base, UTCDateTime
from kaitiaki.models.channel import Channel
from kaitiaki.timeutil import utcnow

# Where a comment stands. The checker sets the first state (block -> held, warn -> review,
# pass -> visible); a moderator's action moves it on (kaitiaki.moderation.transitions).
COMMENT_STATES = (
    "held", "review", "visible", "kept", "replied", "hidden", "deleted", "spam", "complaint",
)


class Comment(Base):
    """A comment left by a member of the public on an agency channel, as imported.

    The text and metadata stay after a moderator hides or deletes the comment (record first:
    the public record duty outlives the platform); `retain_until` says how long. `findings` is
    the checker's result with personal information masked; `severity_rank` orders the queue
    (4 a blocked threat, 3 block, 2 warn, 1 advise only, 0 nothing found).
    """

    __tablename__ = "comments"
    __table_args__ = (
        UniqueConstraint("platform", "external_id"),
        Index("ix_comments_queue", "channel_id", "state", "severity_rank", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"))
    platform: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(300))
    author_handle: Mapped[str] = mapped_column(String(300), default="")
    author_name: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(1000))
    in_reply_to: Mapped[str | None] = mapped_column(String(1000))
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decision: Mapped[str] = mapped_column(String(10))
    severity_rank: Mapped[int] = mapped_column(Integer)
    # Space-separated finding categories with a space at each end, so " threat " finds one.
    categories: Mapped[str] = mapped_column(String(500), default=" ")
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False)  # blurred until asked
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    pack_id: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(20))
    state_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    retain_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when retention disposed of the comment's words and author (kaitiaki.moderation.retention).
    disposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    channel: Mapped[Channel] = relationship(lazy="joined")

    @property
    def category_list(self) -> list[str]:
        return self.categories.split()

    def __repr__(self) -> str:
        return f"Comment({self.platform!r}, {self.external_id!r}, {self.state!r})"


# The queue's order (most severe first, then the longest waiting) as an index, so a page of the
# queue, however deep, is read in order instead of sorting every comment of the channel.
Index("ix_comments_channel_order", Comment.channel_id, Comment.severity_rank.desc(),
      Comment.received_at, Comment.id)
