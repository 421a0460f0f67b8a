from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kaitiaki.models.base import Base, UTCDateTime
from kaitiaki.models.comment import Comment
from kaitiaki.models.user import User
from kaitiaki.timeutil import utcnow

MODERATION_ACTIONS = ("keep", "reply", "hide", "delete", "spam", "block", "complaint")


class ModerationAction(Base):
    """One moderator's action on one comment, with the pack's reason code. Never updated.

    A `reply` carries the reply's text and the checker's result for it (kind `reply`); a
    `complaint` carries the id of the complaint it opened. `channel_id` is copied from the
    comment so the transparency figures count per channel without a join.
    """

    __tablename__ = "moderation_actions"
    __table_args__ = (
        Index("ix_moderation_actions_channel_acted", "channel_id", "acted_at"),
        Index("ix_moderation_actions_comment", "comment_id", "acted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"))
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"))
    action: Mapped[str] = mapped_column(String(20))
    reason_code: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    from_state: Mapped[str] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    acted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reply_text: Mapped[str | None] = mapped_column(Text)
    reply_decision: Mapped[str | None] = mapped_column(String(10))
    reply_result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # No foreign key: the complaints table is created by a later migration.
    complaint_id: Mapped[int | None] = mapped_column(Integer)

    comment: Mapped[Comment] = relationship()
    actor: Mapped[User] = relationship(lazy="joined")
