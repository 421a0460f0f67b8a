from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kaitiaki.models.base import Base, UTCDateTime
from kaitiaki.models.draft import Draft
from kaitiaki.models.draft_image import DraftImage
from kaitiaki.models.user import User
from kaitiaki.timeutil import utcnow


class DraftVersion(Base):
    """One saved version of a draft's words, images and target, with the check made of it.

    A version is never changed after it is checked: a change is a new version. `findings` is the
    checker's result with personal information masked (checker.render.mask_for_storage) and
    `pack_id` names the exact pack that produced it.
    """

    __tablename__ = "draft_versions"
    __table_args__ = (UniqueConstraint("draft_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"))
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    reply_to_text: Mapped[str | None] = mapped_column(Text)
    action: Mapped[str | None] = mapped_column(String(20))
    target_handle: Mapped[str | None] = mapped_column(String(300))
    target_name: Mapped[str | None] = mapped_column(String(300))
    target_text: Mapped[str | None] = mapped_column(Text)
    target_url: Mapped[str | None] = mapped_column(String(1000))
    business_purpose: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decision: Mapped[str | None] = mapped_column(String(10))
    pack_id: Mapped[str | None] = mapped_column(String(200))
    findings: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    draft: Mapped[Draft] = relationship()
    created_by: Mapped[User] = relationship()
    # Alt texts and sizes only: the bytes load when an image is served or sent.
    images: Mapped[list[DraftImage]] = relationship(order_by=DraftImage.position,
                                                    lazy="selectin")
