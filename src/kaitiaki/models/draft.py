from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kaitiaki.models.base import Base, UTCDateTime
from kaitiaki.models.channel import Channel
from kaitiaki.models.comment import Comment
from kaitiaki.models.user import User
from kaitiaki.timeutil import utcnow

DRAFT_KINDS = ("post", "reply", "interaction")


class Draft(Base):
    """A post, reply or interaction an authorised poster prepares for one channel.

    Its words live in numbered versions (DraftVersion); `current_version` is the newest. `state`
    follows kaitiaki.publishing.transitions.DRAFT_WORKFLOW. Rows are never deleted: a withdrawn
    draft keeps its versions, checks, acknowledgements and exceptions.
    """

    __tablename__ = "drafts"
    __table_args__ = (
        Index("ix_drafts_author_state", "author_id", "state"),
        Index("ix_drafts_channel_state", "channel_id", "state"),
        Index("ix_drafts_state_scheduled_for", "state", "scheduled_for"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(30))
    current_version: Mapped[int] = mapped_column(Integer, default=0)
    reply_to_comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_url: Mapped[str | None] = mapped_column(String(1000))
    platform_post_id: Mapped[str | None] = mapped_column(String(300))
    published_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    connector: Mapped[str | None] = mapped_column(String(40))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When a submitted post is to go out (UTC; chosen in New Zealand time). The due-posts job
    # claims it once (`send_claimed_at`) before sending, so two workers never send it twice.
    scheduled_for: Mapped[datetime | None] = mapped_column(UTCDateTime)
    send_claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when the send step is about to call the platform, cleared when it records the answer:
    # still set afterwards means the outcome is unknown (the process stopped mid-call), so the
    # draft is never sent again by itself; a person looks on the platform and says what happened.
    send_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    channel: Mapped[Channel] = relationship(lazy="joined")
    author: Mapped[User] = relationship(foreign_keys=[author_id], lazy="joined")
    published_recorded_by: Mapped[User | None] = relationship(foreign_keys=[published_recorded_by_id])
    reply_to_comment: Mapped[Comment | None] = relationship()

    def __repr__(self) -> str:
        return f"Draft({self.id!r}, {self.kind!r}, {self.state!r})"
