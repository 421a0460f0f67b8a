from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from kaitiaki.models.base import Base, UTCDateTime
from kaitiaki.timeutil import utcnow


class SubmissionAttempt(Base):
    """A submission of a public form, kept briefly to limit submissions per client address.

    `address_key` is a keyed hash of the address, not the address: the limit needs to recognise
    a returning address, not to know it.
    """

    __tablename__ = "submission_attempts"
    __table_args__ = (Index("ix_submission_attempts_form_key_at", "form", "address_key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    form: Mapped[str] = mapped_column(String(40))
    address_key: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
