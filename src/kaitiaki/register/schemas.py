"""The register's data as people enter it (validation with field errors) and as the API, the CLI
and the exports show it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from kaitiaki.errors import BadInput, FieldError
from kaitiaki.models import PLATFORMS, Channel, ChannelAuthorisation, ChannelRequest, WorkDeviceApp

MAX_HANDLE_LENGTH = 100
MAX_URL_LENGTH = 500
MAX_NAME_LENGTH = 200
MAX_TEXT_LENGTH = 4000
MAX_CADENCE_DAYS = 366
_HANDLE = re.compile(r"^[A-Za-z0-9_.-]+$")
_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$", re.I)


class FieldErrors:
    """Collects every field's problem so a form shows them all at once."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, field: str, message: str) -> None:
        self.errors.append(FieldError([field], message))

    def raise_if_any(self, summary: str = "Some of the details need correcting.") -> None:
        if len(self.errors) == 1:
            raise BadInput(self.errors[0].msg, fields=self.errors)
        if self.errors:
            raise BadInput(summary, fields=self.errors)


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


def clean_url(url: str, errors: FieldErrors, field: str = "url") -> str:
    cleaned = url.strip()
    parts = urlsplit(cleaned) if len(cleaned) <= MAX_URL_LENGTH else None
    host = parts.hostname if parts is not None else None
    if (
        parts is None
        or parts.scheme not in {"https", "http"}
        or not host
        or not _HOST.match(host)
        or any(ch.isspace() for ch in cleaned)
    ):
        errors.add(field, "Enter the full web address of the channel, starting with https://, "
                          "for example https://x.com/NZCivilDefence.")
    return cleaned


def clean_platform(platform: str, errors: FieldErrors) -> str:
    cleaned = platform.strip().lower()
    if cleaned not in PLATFORMS:
        errors.add("platform", f"Choose a platform: {', '.join(PLATFORMS)}.")
    return cleaned


def clean_text(value: str, errors: FieldErrors, field: str, label: str, *, required: bool = True,
               max_length: int = MAX_TEXT_LENGTH) -> str:
    cleaned = value.strip()
    if required and not cleaned:
        errors.add(field, f"Enter {label}.")
    elif len(cleaned) > max_length:
        errors.add(field, f"{label[0].upper()}{label[1:]} must be at most {max_length} characters.")
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


def parse_date(value: str | date | None, errors: FieldErrors, field: str, label: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        errors.add(field, f"Enter {label} as a date like 2026-12-31.")
        return None


def end_of_day(day: date, zone: ZoneInfo) -> datetime:
    """The moment `day` ends in the agency's time zone: a grant "until 31 December" covers that
    whole day."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)


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
    until: date | None = Field(None, description="Last day the authorisation covers (NZ time).")
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
    "FieldErrors",
    "OwnerChangeIn",
    "RequestOut",
    "RevokeIn",
    "clean_cadence",
    "clean_handle",
    "clean_platform",
    "clean_text",
    "clean_url",
    "end_of_day",
    "handle_key",
    "parse_date",
]
