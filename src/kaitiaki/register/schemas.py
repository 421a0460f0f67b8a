"""The register's data as people enter it (validation with field errors) and as the API, the CLI
and the exports show it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel, Field

from kaitiaki.common.forms import FieldErrors, SaneDate
from kaitiaki.models import (
    PLATFORMS,
    Channel,
    ChannelAuthorisation,
    ChannelRequest,
    WorkDeviceApp,
)

MAX_HANDLE_LENGTH = 100
MAX_NAME_LENGTH = 200
MAX_CADENCE_DAYS = 366
_HANDLE = re.compile(r"^[A-Za-z0-9_.-]+$")


def handle_key(handle: str) -> str:
    """The handle as the register compares it: without a leading @, lower case."""
    return handle.strip().removeprefix("@").strip().lower()


def clean_handle(handle: str, errors: FieldErrors) -> str:
    cleaned = handle.strip().removeprefix("@").strip()
    if not cleaned:
        errors.add("handle", "Enter the channel's handle, for example @NZCivilDefence.")
    elif len(cleaned) > MAX_HANDLE_LENGTH or not _HANDLE.match(cleaned):
        errors.add("handle", "A handle has letters, digits, underscores, dots and hyphens only "
                             f"(at most {MAX_HANDLE_LENGTH}), for example @NZCivilDefence.")
    return cleaned


def clean_platform(platform: str, errors: FieldErrors) -> str:
    cleaned = platform.strip().lower()
    if cleaned not in PLATFORMS:
        errors.add("platform", f"Choose a platform: {', '.join(PLATFORMS)}.")
    return cleaned


def clean_cadence(value: int | str | None, errors: FieldErrors) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        days = int(value)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_CADENCE_DAYS:
        errors.add("cadence_days", f"Enter the posting cadence as a number of days from 1 to "
                                   f"{MAX_CADENCE_DAYS}, or leave it empty.")
        return None
    return days


@dataclass(frozen=True)
class ChannelDraft:
    """A channel's details as requested or edited, already validated."""

    platform: str
    handle: str
    url: str
    display_name: str
    unit_code: str
    purposes: str
    business_owner_email: str
    monitoring_hours: str = ""
    cadence_days: int | str | None = None  # a form sends text; validated by clean_cadence


# --- API and CLI shapes ---------------------------------------------------------------------


class ChannelRequestIn(BaseModel):
    platform: str = Field(description=f"One of: {', '.join(PLATFORMS)}.")
    handle: str = Field(max_length=200, description="The account's handle, with or without @.")
    url: str = Field(max_length=1000)
    display_name: str = Field(max_length=400)
    unit: str = Field(max_length=40, description="Organisation unit code, e.g. DPMC-GH or NEMA.")
    purposes: str = Field(max_length=8000)
    business_owner: str = Field(max_length=320, description="The business owner's email address.")
    monitoring_hours: str = Field("", max_length=400)
    cadence_days: int | None = Field(None, description="At least one post every N days.")
    details: str = Field("", max_length=8000, description="Why the channel is needed.")


class ExtendedUseIn(BaseModel):
    details: str = Field(max_length=8000, description="The new purpose or platform feature.")


class DeclineIn(BaseModel):
    reason: str = Field(max_length=8000)


class AuthoriseIn(BaseModel):
    email: str = Field(max_length=320)
    until: SaneDate | None = Field(None, description="Last day the authorisation covers (NZ time).")
    reason: str = Field("", max_length=8000)


class RevokeIn(BaseModel):
    email: str = Field(max_length=320)
    reason: str = Field("", max_length=8000)


class OwnerChangeIn(BaseModel):
    business_owner: str = Field(max_length=320)
    reason: str = Field(max_length=8000)


class ApprovalOut(BaseModel):
    approver: str
    requirement: str
    approved_at: datetime


class RequestOut(BaseModel):
    id: int
    channel_id: int
    channel: str
    kind: str
    details: str
    state: str
    requested_by: str
    requested_at: datetime
    approvals: list[ApprovalOut]
    decided_by: str | None
    decided_at: datetime | None
    decline_reason: str | None

    @classmethod
    def of(cls, request: ChannelRequest, approvals: list[ApprovalOut]) -> RequestOut:
        return cls(
            id=request.id, channel_id=request.channel_id, channel=request.channel.label,
            kind=request.kind, details=request.details, state=request.state,
            requested_by=request.requested_by.email, requested_at=request.requested_at,
            approvals=approvals,
            decided_by=request.decided_by.email if request.decided_by else None,
            decided_at=request.decided_at, decline_reason=request.decline_reason,
        )


class AuthorisationOut(BaseModel):
    id: int
    channel: str
    email: str
    name: str
    granted_by: str
    granted_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    revoked_by: str | None
    reason: str
    in_force: bool

    @classmethod
    def of(cls, grant: ChannelAuthorisation, channel: Channel, now: datetime) -> AuthorisationOut:
        return cls(
            id=grant.id, channel=channel.label, email=grant.user.email, name=grant.user.name,
            granted_by=grant.granted_by.email, granted_at=grant.granted_at,
            expires_at=grant.expires_at, revoked_at=grant.revoked_at,
            revoked_by=grant.revoked_by.email if grant.revoked_by else None,
            reason=grant.reason, in_force=grant.in_force(now),
        )


class ChannelOut(BaseModel):
    id: int
    platform: str
    handle: str
    url: str
    display_name: str
    unit: str
    purposes: str
    business_owner: str
    business_owner_name: str
    status: str
    monitoring_hours: str
    cadence_days: int | None
    last_post_on: date | None
    checklist: dict[str, bool]
    checklist_checked_by: str | None
    checklist_checked_at: datetime | None
    flags: list[str]

    @classmethod
    def of(cls, channel: Channel, flags: list[str]) -> ChannelOut:
        return cls(
            id=channel.id, platform=channel.platform, handle=channel.handle, url=channel.url,
            display_name=channel.display_name, unit=channel.unit.code, purposes=channel.purposes,
            business_owner=channel.business_owner.email,
            business_owner_name=channel.business_owner.name, status=channel.status,
            monitoring_hours=channel.monitoring_hours, cadence_days=channel.cadence_days,
            last_post_on=channel.last_post_on,
            checklist={key: bool(getattr(channel, key)) for key in CHECKLIST_ITEMS},
            checklist_checked_by=(channel.checklist_checked_by.email
                                  if channel.checklist_checked_by else None),
            checklist_checked_at=channel.checklist_checked_at, flags=flags,
        )


class DeviceAppOut(BaseModel):
    id: int
    email: str
    app: str
    device: str
    purpose: str
    recorded_at: datetime
    removed_at: datetime | None

    @classmethod
    def of(cls, row: WorkDeviceApp) -> DeviceAppOut:
        return cls(id=row.id, email=row.user.email, app=row.app, device=row.device,
                   purpose=row.purpose, recorded_at=row.recorded_at, removed_at=row.removed_at)


# The visual-identity checklist: column -> what is checked.
CHECKLIST_ITEMS: dict[str, str] = {
    "name_follows_convention": "Name and handle follow the naming convention",
    "avatar_banner_follow_guidelines": "Avatar and banner follow the visual identity guidelines",
    "bio_wording_approved": "Bio wording is the approved wording",
    "links_to_agency_site": "Profile links to the agency's website",
}

__all__ = [
    "AuthoriseIn",
    "AuthorisationOut",
    "CHECKLIST_ITEMS",
    "ChannelDraft",
    "ChannelOut",
    "ChannelRequestIn",
    "DeclineIn",
    "DeviceAppOut",
    "ExtendedUseIn",
    "OwnerChangeIn",
    "RequestOut",
    "RevokeIn",
    "clean_cadence",
    "clean_handle",
    "clean_platform",
    "handle_key",
]
