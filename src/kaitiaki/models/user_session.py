from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from kaitiaki.models.base import Base, UTCDateTime
from kaitiaki.timeutil import utcnow


class UserSession(Base):
    """A sign-in in one browser. The browser's cookie holds a random secret; only its SHA-256 is
    stored (`secret_hash`), so a copy of the table cannot be replayed as cookies.

    A session stops working at once when `ended_at` is set (sign-out, password change,
    deactivation, "sign out everywhere"), when it has been idle too long (`last_seen_at`) or when
    `expires_at` has passed. Ended and expired rows are purged by the retention job.
    """

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(40))
    # What the person sees in their list of sessions to tell them apart: "Firefox on Windows".
    device: Mapped[str] = mapped_column(String(100), default="")
    address: Mapped[str] = mapped_column(String(64), default="")
