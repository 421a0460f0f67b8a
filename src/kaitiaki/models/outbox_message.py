from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kaitiaki.models.base import Base, UTCDateTime
from kaitiaki.timeutil import utcnow

# pending: waits for delivery (again, after a failed attempt); sent: delivered; dead: gave up
# after the last allowed attempt, kept with the reason for an administrator to retry.
OUTBOX_STATES = ("pending", "sent", "dead")
# email: delivered through SMTP; notice: an in-app notice, written when the message is.
OUTBOX_KINDS = ("email", "notice")


class OutboxMessage(Base):
    """A message to someone, written in the same transaction as the change that causes it and
    delivered afterwards by a job (kaitiaki.notify.outbox). The unique key makes writing it
    idempotent: a reminder that runs twice, or on two workers, finds its key taken."""

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_state_next_attempt_at", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    recipients: Mapped[str] = mapped_column(String(2000), default="")
    subject: Mapped[str] = mapped_column(String(500), default="")
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"OutboxMessage({self.key!r}, {self.state!r})"
