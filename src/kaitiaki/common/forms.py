"""Form input as people enter it, for every domain: one place that collects each field's problem,
and the cleaners that trim, bound and explain."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Annotated
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pydantic import AfterValidator

from kaitiaki.errors import BadInput, FieldError

MAX_URL_LENGTH = 500
MAX_TEXT_LENGTH = 4000
# Every id is a database integer: PostgreSQL's INTEGER stops here.
MAX_DATABASE_ID = 2**31 - 1
# Dates people enter: anything outside is a typing slip, and 9999-12-31 would overflow the
# moment a day is added to it.
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2199, 12, 31)
DAY_RANGE_MESSAGE = (f"Enter a date between {EARLIEST_DAY.isoformat()} and "
                     f"{LATEST_DAY.isoformat()}.")
_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$", re.I)


def parse_id(text: str | None) -> int | None:
    """The id a form or filter names ("42"), or None when it names none: empty, not ASCII digits
    ("²" passes isdigit() but not int()), or past the database range."""
    cleaned = (text or "").strip()
    if not (cleaned.isascii() and cleaned.isdigit()):
        return None
    number = int(cleaned)
    return number if 1 <= number <= MAX_DATABASE_ID else None


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


def clean_text(value: str, errors: FieldErrors, field: str, label: str, *, required: bool = True,
               max_length: int = MAX_TEXT_LENGTH) -> str:
    cleaned = value.strip()
    if required and not cleaned:
        errors.add(field, f"Enter {label}.")
    elif len(cleaned) > max_length:
        errors.add(field, f"{label[0].upper()}{label[1:]} must be at most {max_length} characters.")
    return cleaned


def parse_date(value: str | date | None, errors: FieldErrors, field: str, label: str, *,
               message: str | None = None, required: bool = False) -> date | None:
    """The day typed as YYYY-MM-DD, or None with the field's problem added to `errors`.
    `message` replaces the words for a date that is not one (and for a missing one, when
    `required`); a day outside EARLIEST_DAY..LATEST_DAY always says the range."""
    if value is None or isinstance(value, date):
        return value
    if not value.strip():
        if required:
            errors.add(field, message or f"Enter {label}.")
        return None
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        errors.add(field, message or f"Enter {label} as a date like 2026-12-31.")
        return None
    if not day_in_range(day):
        errors.add(field, DAY_RANGE_MESSAGE)
        return None
    return day


def day_in_range(day: date) -> bool:
    return EARLIEST_DAY <= day <= LATEST_DAY


def _in_day_range(day: date) -> date:
    if not day_in_range(day):
        raise ValueError(DAY_RANGE_MESSAGE)
    return day


SaneDate = Annotated[date, AfterValidator(_in_day_range)]
"""A date in an API body or query, limited to EARLIEST_DAY..LATEST_DAY."""


def end_of_day(day: date, zone: ZoneInfo) -> datetime:
    """The moment `day` ends in the agency's time zone: a grant "until 31 December" covers that
    whole day."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
