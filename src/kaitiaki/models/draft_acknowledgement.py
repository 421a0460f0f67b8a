from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kaitiaki.models.base import Base, UTCDateTime
from kaitiaki.models.user import User
from kaitiaki.timeutil import utcnow


class DraftAcknowledgement(Base):
    """A poster's acknowledgement of one `warn` finding of a checked version, before submitting.

    `finding_index` is the finding's place in the version's stored findings; `rule` repeats its
    rule id so the record reads on its own.
    """

    __tablename__ = "draft_acknowledgements"
    __table_args__ = (UniqueConstraint("version_id", "finding_index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("draft_versions.id"))
    finding_index: Mapped[int] = mapped_column(Integer)
    rule: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")
