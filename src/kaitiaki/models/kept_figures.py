from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from kaitiaki.models.base import Base, UTCDateTime


class KeptFigures(Base):
    """Figures counted by a periodic job and read by public pages, so that an anonymous request
    does not count the records again (kaitiaki.transparency.kept). One row per set of figures."""

    __tablename__ = "kept_figures"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    counted_at: Mapped[datetime] = mapped_column(UTCDateTime)
