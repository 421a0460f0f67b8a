from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kaitiaki.models.base import Base, UTCDateTime
from kaitiaki.models.channel import Channel
from kaitiaki.models.org_unit import OrgUnit
from kaitiaki.models.user import User
from kaitiaki.timeutil import utcnow

# Where a complaint stands; the allowed moves are in kaitiaki.complaints.transitions.
COMPLAINT_STATES = ("received", "triaged", "escalated", "responded", "closed", "reopened")
# How the complaint reached the agency.
COMPLAINT_SOURCES = ("public_form", "email", "direct_message", "moderation")


class Complaint(Base):
    """A concern or complaint about the agency's use of social media or its content.

    The handler is not stored: it is whoever is the channel's business owner now (comms staff
    triage a complaint with no channel). Escalation stores the role the pack names and, for a
    unit role, the channel's unit, so whoever holds that role sees it, as with approvals.
    Due dates are New Zealand dates counted in working days (kaitiaki.workingdays).
    The complainant's contact details are optional and shown to handlers only.
    """

    __tablename__ = "complaints"
    __table_args__ = (
        Index("ix_complaints_state_resolve_by", "state", "resolve_by"),
        Index("ix_complaints_channel_state", "channel_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(60), unique=True)
    source: Mapped[str] = mapped_column(String(20))
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channels.id"))
    content_url: Mapped[str] = mapped_column(String(1000), default="")
    category: Mapped[str] = mapped_column(String(60))
    serious: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str] = mapped_column(Text)
    content_text: Mapped[str] = mapped_column(Text, default="")
    # The checker's result over content_text, personal information masked (mask_for_storage).
    check_result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    complainant_name: Mapped[str] = mapped_column(String(200), default="")
    complainant_email: Mapped[str] = mapped_column(String(254), default="")
    complainant_phone: Mapped[str] = mapped_column(String(40), default="")
    state: Mapped[str] = mapped_column(String(20), index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    acknowledge_by: Mapped[date] = mapped_column(Date)
    resolve_by: Mapped[date] = mapped_column(Date)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalation_role: Mapped[str | None] = mapped_column(String(60))
    escalation_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    response: Mapped[str] = mapped_column(Text, default="")
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolution: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"), index=True)

    channel: Mapped[Channel | None] = relationship(lazy="joined")
    escalation_unit: Mapped[OrgUnit | None] = relationship(lazy="joined")
    recorded_by: Mapped[User | None] = relationship()

    @property
    def has_contact(self) -> bool:
        return bool(self.complainant_name or self.complainant_email or self.complainant_phone)

    def __repr__(self) -> str:
        return f"Complaint({self.reference!r}, {self.state!r})"
