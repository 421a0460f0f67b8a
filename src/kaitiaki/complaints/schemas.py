"""A complaint as people enter it (validated with field errors that keep what was typed) and as
the API, the CLI and the exports show it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel, Field

from kaitiaki.errors import BadInput
from kaitiaki.people.service import validate_email
from kaitiaki.common.forms import FieldErrors, clean_text, clean_url, parse_id

MAX_DESCRIPTION_LENGTH = 5000
MAX_CONTENT_LENGTH = 5000
MAX_NOTE_LENGTH = 5000
MAX_NAME_LENGTH = 200
MAX_PHONE_LENGTH = 40
# Form fields accept more than the limits, so that an over-long text comes back with its field
# error and the text kept, instead of a bare rejection of the request.
FORM_FIELD_MAX = 50_000
_PHONE = re.compile(r"^\+?[0-9 ()-]{6,40}$")


@dataclass(frozen=True)
class ComplaintDraft:
    """A complaint as entered on the public form or by staff, not yet validated."""

    category: str
    description: str
    url: str = ""
    channel_id: str = ""  # chosen from the list of channels instead of (or as well as) the url
    content_text: str = ""
    name: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class CleanComplaint:
    category: str
    description: str
    url: str
    channel_id: int | None
    content_text: str
    name: str
    email: str
    phone: str


def clean_draft(draft: ComplaintDraft, categories: dict[str, str]) -> CleanComplaint:
    errors = FieldErrors()
    category = draft.category.strip()
    if category not in categories:
        errors.add("category", "Choose what the complaint is about.")
    description = clean_text(draft.description, errors, "description",
                             "a description of your complaint", max_length=MAX_DESCRIPTION_LENGTH)
    channel_id = None
    if draft.channel_id.strip():
        channel_id = parse_id(draft.channel_id)
        if channel_id is None:
            errors.add("channel", "Choose a channel from the list, or leave it as it is.")
    url = draft.url.strip()
    if url:
        url_errors = FieldErrors()
        url = clean_url(url, url_errors, "url")
        if url_errors.errors:
            errors.add("url", "Enter the full web address of the post or channel, starting with "
                              "https://, for example https://x.com/DPMC_NZ/status/123.")
    elif channel_id is None:
        errors.add("url", "Enter the web address of the post or the channel, or choose the "
                          "channel from the list.")
    content_text = clean_text(draft.content_text, errors, "content_text",
                              "the words of the post", required=False,
                              max_length=MAX_CONTENT_LENGTH)
    name = clean_text(draft.name, errors, "name", "your name", required=False,
                      max_length=MAX_NAME_LENGTH)
    email = draft.email.strip()
    if email:
        try:
            email = validate_email(email)
        except BadInput:
            errors.add("email", "Enter an email address like name@example.co.nz, or leave it "
                                "empty.")
    phone = draft.phone.strip()
    if phone and not _PHONE.match(phone):
        errors.add("phone", "Enter a phone number with digits, spaces and an optional + (for "
                            "example 021 555 0123), or leave it empty.")
    errors.raise_if_any()
    return CleanComplaint(category=category, description=description, url=url,
                          channel_id=channel_id, content_text=content_text, name=name,
                          email=email, phone=phone)


def clean_note(note: str | None, field: str, label: str, *, required: bool) -> str:
    errors = FieldErrors()
    cleaned = clean_text(note or "", errors, field, label, required=required,
                         max_length=MAX_NOTE_LENGTH)
    errors.raise_if_any()
    return cleaned


# --- API, CLI and export shapes ---------------------------------------------------------------


class Contact(BaseModel):
    name: str
    email: str
    phone: str


class ComplaintOut(BaseModel):
    reference: str
    state: str
    category: str
    category_label: str
    serious: bool
    source: str
    channel: str | None = Field(description="@handle on platform; null when comms staff triage it")
    channel_id: int | None
    content_url: str
    description: str
    received_at: datetime
    acknowledge_by: date
    resolve_by: date
    acknowledged_at: datetime | None
    overdue: list[str] = Field(description="acknowledge and/or resolve when past due")
    handled_by: str | None = Field(description="the business owner, or null for comms triage")
    escalated_to: str | None = Field(description="the role it was escalated to")
    escalated_at: datetime | None
    response: str
    resolution: str
    closed_at: datetime | None
    anonymous: bool
    contact: Contact | None = Field(
        None, description="only for those handling the complaint; never in exports")


class ComplaintIn(BaseModel):
    """A complaint staff enter from an email or a direct message."""

    source: str = Field("email", description="email or direct_message")
    category: str
    description: str = Field(max_length=FORM_FIELD_MAX)
    url: str = Field("", max_length=FORM_FIELD_MAX)
    channel_id: int | None = None
    content_text: str = Field("", max_length=FORM_FIELD_MAX)
    name: str = Field("", max_length=FORM_FIELD_MAX)
    email: str = Field("", max_length=FORM_FIELD_MAX)
    phone: str = Field("", max_length=FORM_FIELD_MAX)


class ActionIn(BaseModel):
    action: str = Field(description="triage, acknowledge, escalate, respond, close or reopen")
    note: str = Field("", max_length=FORM_FIELD_MAX,
                      description="the response (respond), the resolution (close), or a note")


class CheckIn(BaseModel):
    text: str = Field(max_length=FORM_FIELD_MAX, description="the content complained about")


__all__ = [
    "ActionIn",
    "CheckIn",
    "CleanComplaint",
    "ComplaintDraft",
    "ComplaintIn",
    "ComplaintOut",
    "Contact",
    "FORM_FIELD_MAX",
    "MAX_DESCRIPTION_LENGTH",
    "clean_draft",
    "clean_note",
]
