from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kaitiaki.models.base import Base, UTCDateTime
from kaitiaki.models.user import User
from kaitiaki.timeutil import utcnow


class ChannelApproval(Base):
    """One approver's approval of a channel request, for one of the roles the pack requires.

    The unique constraints are the separation of duties in the database: one approval per required
    role, and one per person (two roles need two different people).
    """

    __tablename__ = "channel_approvals"
    __table_args__ = (
        UniqueConstraint("request_id", "requirement"),
        UniqueConstraint("request_id", "approver_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("channel_requests.id", ondelete="CASCADE"), index=True
    )
    approver_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    requirement: Mapped[str] = mapped_column(String(100))  # role spec, e.g. elt_member@DPMC-SGE
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    approver: Mapped[User] = relationship(lazy="joined")
