from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kaitiaki.models.base import Base, UTCDateTime
from kaitiaki.timeutil import utcnow


class DraftImage(Base):
    """An image attached to one version of a draft, with the alt text the public reads.

    Images belong to a version as its words do: a version's images never change after it is
    saved, and a change (an image added, removed or described differently) is a new version that
    is checked, reviewed and approved again. `data` holds the bytes (at most 1,000,000: Bluesky's
    limit), loaded only when the image itself is served or sent; `media_type` is sniffed from the
    bytes, never taken from the upload.
    """

    __tablename__ = "draft_images"
    __table_args__ = (UniqueConstraint("version_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("draft_versions.id"))
    position: Mapped[int] = mapped_column(Integer)
    alt_text: Mapped[str] = mapped_column(Text)
    media_type: Mapped[str] = mapped_column(String(20))
    byte_size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"DraftImage({self.id!r}, version={self.version_id!r}, {self.position!r})"
