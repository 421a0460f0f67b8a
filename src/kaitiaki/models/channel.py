from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kaitiaki.models.base import Base, UTCDateTime
from kaitiaki.models.org_unit import OrgUnit
from kaitiaki.models.user import User
from kaitiaki.timeutil import utcnow

# The checker's platform names (ARCHITECTURE.md, the item's `platform`), plus threads.
PLATFORMS = (
    "x", "facebook", "instagram", "linkedin", "youtube", "mastodon", "bluesky", "threads",
    "tiktok", "other",
)
CHANNEL_STATUSES = ("proposed", "active", "suspended", "retired", "declined", "withdrawn")


class Channel(Base):
    """An agency social media channel in the register kept by communications staff.

    `handle_key` is the handle folded for comparison (no leading @, lower case): platforms treat
    @NZCivilDefence and @nzcivildefence as the same account, so the register does too.
    """

    __tablename__ = "channels"
    __table_args__ = (UniqueConstraint("platform", "handle_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    handle: Mapped[str] = mapped_column(String(100))
    handle_key: Mapped[str] = mapped_column(String(100))
    url: Mapped[str] = mapped_column(String(500))
    display_name: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    purposes: Mapped[str] = mapped_column(Text)
    business_owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    monitoring_hours: Mapped[str] = mapped_column(String(200), default="")
    cadence_days: Mapped[int | None] = mapped_column(Integer)  # at least one post every N days
    last_post_on: Mapped[date | None] = mapped_column(Date)
    # Visual-identity checklist (the policy's "visual identity guidelines").
    name_follows_convention: Mapped[bool] = mapped_column(Boolean, default=False)
    avatar_banner_follow_guidelines: Mapped[bool] = mapped_column(Boolean, default=False)
    bio_wording_approved: Mapped[bool] = mapped_column(Boolean, default=False)
    links_to_agency_site: Mapped[bool] = mapped_column(Boolean, default=False)
    checklist_checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    checklist_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A submitted post waits for a second person authorised on the channel before it can go out.
    review_required: Mapped[bool] = mapped_column(Boolean, default=False)

    unit: Mapped[OrgUnit] = relationship(lazy="joined")
    business_owner: Mapped[User] = relationship(foreign_keys=[business_owner_id], lazy="joined")
    checklist_checked_by: Mapped[User | None] = relationship(foreign_keys=[checklist_checked_by_id])

    @property
    def checklist_complete(self) -> bool:
        return (
            self.name_follows_convention
            and self.avatar_banner_follow_guidelines
            and self.bio_wording_approved
            and self.links_to_agency_site
        )

    @property
    def label(self) -> str:
        """How people name the channel: "@NZCivilDefence on x"."""
        return f"@{self.handle} on {self.platform}"

    def __repr__(self) -> str:
        return f"Channel({self.platform!r}, {self.handle!r})"
