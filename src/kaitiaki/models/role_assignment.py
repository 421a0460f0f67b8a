from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kaitiaki.models.base import Base, UTCDateTime
from kaitiaki.models.org_unit import OrgUnit
from kaitiaki.timeutil import utcnow


class RoleAssignment(Base):
    """A role held by a user; unit-scoped roles (elt_member) name the business unit."""

    __tablename__ = "role_assignments"
    __table_args__ = (
        UniqueConstraint("user_id", "role", "unit_id"),
        # NULLs are distinct in a unique constraint, so agency-wide roles need their own index.
        Index(
            "uq_role_assignments_user_id_role_agency_wide",
            "user_id",
            "role",
            unique=True,
            sqlite_where=text("unit_id IS NULL"),
            postgresql_where=text("unit_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(60))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[OrgUnit | None] = relationship(lazy="joined")
