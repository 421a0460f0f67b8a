from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kaitiaki.models.base import Base


class ComplaintCounter(Base):
    """The last complaint number given for a reference prefix in a year. Numbering updates this
    row inside the complaint's transaction, so two complaints never get the same number."""

    __tablename__ = "complaint_counters"

    prefix: Mapped[str] = mapped_column(String(40), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)
