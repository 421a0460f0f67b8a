from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kaitiaki.models.base import Base

ORG_UNIT_KINDS = ("agency", "business_unit")


class OrgUnit(Base):
    """An agency (DPMC, NEMA) or one of its business units."""

    __tablename__ = "org_units"
    __table_args__ = (CheckConstraint("kind IN ('agency', 'business_unit')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)

    parent: Mapped[OrgUnit | None] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"OrgUnit({self.code!r})"
