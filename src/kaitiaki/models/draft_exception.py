from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kaitiaki.models.base import Base, UTCDateTime
from kaitiaki.models.draft import Draft
from kaitiaki.models.draft_version import DraftVersion
from kaitiaki.models.user import User
from kaitiaki.timeutil import utcnow

EXCEPTION_STATES = ("requested", "approved", "declined", "withdrawn")


class DraftException(Base):
    """A poster's request to publish a version despite a `block` finding, with the written
    justification, and the channel business owner's decision with its reason. An approval may
    run until a day (`expires_at`: the end of that day in the agency's zone); then it lapses."""

    __tablename__ = "draft_exceptions"
    __table_args__ = (Index("ix_draft_exceptions_draft", "draft_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"))
    version_id: Mapped[int] = mapped_column(ForeignKey("draft_versions.id"))
    justification: Mapped[str] = mapped_column(Text)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    state: Mapped[str] = mapped_column(String(20), index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    draft: Mapped[Draft] = relationship()
    version: Mapped[DraftVersion] = relationship()
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id], lazy="joined")
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id], lazy="joined")

    def lapsed(self, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now
