from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kaitiaki.models.base import Base, UTCDateTime
from kaitiaki.models.user import User
from kaitiaki.timeutil import utcnow

# Where a request stands; the allowed moves are in kaitiaki.oia.transitions.
OIA_STATES = ("open", "extended", "responded", "transferred", "withdrawn")
# Section 15A(1) of the Official Information Act 1982: the two grounds for extending the limit.
EXTENSION_REASONS = ("large_quantity", "consultation")


class OiaRequest(Base):
    """A request for information under the Official Information Act 1982.

    Dates are New Zealand dates. `due_on` is the date the decision is due now: the 20th working
    day after `received_on` (`original_due_on`), or the extended date. The requester's details
    are private: shown to records officers only and never written to an export.
    """

    __tablename__ = "oia_requests"
    __table_args__ = (Index("ix_oia_requests_state_due_on", "state", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    received_on: Mapped[date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text)
    requester_name: Mapped[str] = mapped_column(String(200), default="")
    requester_email: Mapped[str] = mapped_column(String(254), default="")
    requester_address: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(20))
    original_due_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    extension_reason: Mapped[str | None] = mapped_column(String(40))
    extension_note: Mapped[str | None] = mapped_column(Text)
    extended_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    closing_note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    recorded_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"OiaRequest({self.reference!r}, {self.state!r})"
