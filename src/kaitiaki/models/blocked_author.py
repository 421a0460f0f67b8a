from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from kaitiaki.models.base import Base, UTCDateTime
from kaitiaki.timeutil import utcnow


class BlockedAuthor(Base):
    """An author a moderator blocked on a channel, with the action that did it.

    `author_key` is the handle folded for comparison (no leading @, lower case). Comments that
    arrive later from a blocked author are flagged in the queue.
    """

    __tablename__ = "blocked_authors"
    __table_args__ = (Index("ix_blocked_authors_channel_author", "channel_id", "author_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"))
    author_key: Mapped[str] = mapped_column(String(300))
    action_id: Mapped[int] = mapped_column(ForeignKey("moderation_actions.id"))
    blocked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
