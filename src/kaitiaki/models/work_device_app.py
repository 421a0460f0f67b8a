from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kaitiaki.models.base import Base, UTCDateTime
from kaitiaki.models.user import User
from kaitiaki.timeutil import utcnow


class WorkDeviceApp(Base):
    """A social media app a person has on a work device, and the business purpose for it
    (the policy's "Social Media Apps on Work Devices"). Removal keeps the row."""

    __tablename__ = "work_device_apps"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    app: Mapped[str] = mapped_column(String(100))
    device: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
