from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kaitiaki.models.base import Base, UTCDateTime
from kaitiaki.models.draft import Draft
from kaitiaki.models.draft_version import DraftVersion
from kaitiaki.models.user import User
from kaitiaki.timeutil import utcnow

REVIEW_DECISIONS = ("approved", "returned")


class DraftReview(Base):
    """A second person's decision on a submitted version, on a channel that asks for review:
    approved, or returned to the author with a comment."""

    __tablename__ = "draft_reviews"
    __table_args__ = (Index("ix_draft_reviews_draft", "draft_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"))
    version_id: Mapped[int] = mapped_column(ForeignKey("draft_versions.id"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    draft: Mapped[Draft] = relationship()
    version: Mapped[DraftVersion] = relationship()
    reviewer: Mapped[User] = relationship(lazy="joined")
