"""What a draft is made of, its validation, and the API's request and response bodies.

Validation collects every field's problem at once (register.schemas.FieldErrors), so a form shows
them all and keeps what was typed. Text limits come from the pack's `platform_limits` table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, Field

from kaitiaki.checker.items import MAX_TEXT_CHARS, Action, Item, Platform, Target
from kaitiaki.common.forms import FieldErrors, SaneDate
from kaitiaki.publishing.images import ImageIn, clean_images, item_text
from kaitiaki.publishing.length import counted_length, normalise_newlines

MAX_TARGET_TEXT = 10_000
MAX_NAME = 300
MAX_URL = 1000
MAX_PURPOSE = 2000
MAX_JUSTIFICATION = 4000
ACTIONS = tuple(action.value for action in Action)
KIND_LABELS = {"post": "Post", "reply": "Reply", "interaction": "Interaction"}
ACTION_LABELS = {"follow": "Follow", "like": "Like", "repost": "Repost", "share": "Share",
                 "link": "Link to"}
PLATFORM_NAMES = {"x": "X", "facebook": "Facebook", "instagram": "Instagram",
                  "linkedin": "LinkedIn", "youtube": "YouTube", "mastodon": "Mastodon",
                  "bluesky": "Bluesky", "threads": "Threads", "tiktok": "TikTok", "other": "other"}
_CHECKER_PLATFORMS = frozenset(platform.value for platform in Platform)


def _content(limit: int) -> Any:
    """A field a version stores, with the most characters it may hold."""
    return field(default="", metadata={"max_length": limit})


@dataclass
class DraftInput:
    """A draft's words and target as typed (a form or an API body), before validation.

    The one declaration of a draft's fields: the compose form, the API body, a stored version
    (kaitiaki.models.DraftVersion, same names) and the checker's item are made from it."""

    kind: str = "post"
    reply_to_comment_id: int | None = None
    text: str = _content(MAX_TEXT_CHARS)
    reply_to_text: str = _content(MAX_TARGET_TEXT)
    action: str = _content(20)
    target_handle: str = _content(MAX_NAME)
    target_name: str = _content(MAX_NAME)
    target_text: str = _content(MAX_TARGET_TEXT)
    target_url: str = _content(MAX_URL)
    business_purpose: str = _content(MAX_PURPOSE)
    # Each with its alt text; a version stores them in its own table (models.DraftImage).
    images: list[ImageIn] = field(default_factory=list)

    def content(self) -> dict[str, str]:
        """The fields a version stores, by name."""
        return {name: getattr(self, name) for name in CONTENT_LIMITS}


# The fields a version stores, with the most each may hold.
CONTENT_LIMITS: dict[str, int] = {f.name: f.metadata["max_length"] for f in fields(DraftInput)
                                  if "max_length" in f.metadata}


def platform_limit(limits: Mapping[str, int], platform: str) -> int:
    return min(limits.get(platform, limits.get("other", MAX_TEXT_CHARS)), MAX_TEXT_CHARS)


def checker_platform(platform: str) -> str:
    return platform if platform in _CHECKER_PLATFORMS else "other"


def clean_draft(data: DraftInput, *, platform: str, limits: Mapping[str, int],
                errors: FieldErrors, has_comment: bool = False) -> DraftInput:
    """The input trimmed, with a field error for each problem. `has_comment`: the reply names a
    comment from the moderation queue, so no pasted comment is needed."""
    kind = data.kind.strip().lower()
    if kind not in KIND_LABELS:
        errors.add("kind", "Choose what you are writing: a post, a reply or an interaction.")
    text = normalise_newlines(data.text).strip()
    limit = platform_limit(limits, platform)
    length = counted_length(text, platform)
    if kind in ("post", "reply") and not text:
        errors.add("text", f"Write the text of the {kind} before saving it.")
    elif length > limit:
        errors.add("text", f"The text is {length:,} characters as "
                           f"{PLATFORM_NAMES.get(platform, platform)} counts them, {length - limit:,} over "
                           f"its limit of {limit:,}.")
    cleaned = DraftInput(kind=kind, text=text)
    cleaned.images = clean_images(data.images, kind=kind, platform=platform, errors=errors)
    if kind == "reply":
        cleaned.reply_to_comment_id = data.reply_to_comment_id
        cleaned.reply_to_text = _bounded(data.reply_to_text, errors, "reply_to_text",
                                         "The comment you reply to", MAX_TARGET_TEXT)
        if not cleaned.reply_to_text and not has_comment:
            errors.add("reply_to_text", "Paste the comment you are replying to, or choose it "
                                        "from the moderation queue.")
    if kind == "interaction":
        action = data.action.strip().lower()
        if action not in ACTIONS:
            errors.add("action", "Choose the interaction: follow, like, repost, share or link.")
        cleaned.action = action
        cleaned.target_handle = _bounded(data.target_handle, errors, "target_handle",
                                         "The handle", MAX_NAME)
        cleaned.target_name = _bounded(data.target_name, errors, "target_name", "The name", MAX_NAME)
        cleaned.target_text = _bounded(data.target_text, errors, "target_text",
                                       "The content's text", MAX_TARGET_TEXT)
        cleaned.target_url = data.target_url.strip()
        if cleaned.target_url and not _is_web_address(cleaned.target_url):
            errors.add("target_url", "Enter the full web address, starting with https://.")
        if not cleaned.target_handle and not cleaned.target_url:
            errors.add("target_handle", "Give the handle or the web address of the account or "
                                        "content you are interacting with.")
        cleaned.business_purpose = _bounded(data.business_purpose, errors, "business_purpose",
                                            "The business purpose", MAX_PURPOSE)
    return cleaned


def _bounded(value: str, errors: FieldErrors, field: str, label: str, limit: int) -> str:
    cleaned = (value or "").strip()
    if len(cleaned) > limit:
        errors.add(field, f"{label} must be at most {limit:,} characters.")
    return cleaned


def _is_web_address(url: str) -> bool:
    if len(url) > MAX_URL or any(ch.isspace() for ch in url):
        return False
    parts = urlsplit(url)
    return parts.scheme in ("https", "http") and bool(parts.hostname)


def checker_item(data: DraftInput, *, platform: str, channel_handle: str, item_id: str | None,
                 reply_author: str | None = None, published_at: datetime | None = None) -> Item:
    """The checker's item for a draft (ARCHITECTURE "The checker contract"). The images' alt
    texts follow the text (kaitiaki.publishing.images: `place_in_alt_texts` places the findings
    in them afterwards)."""
    target: Target | None = None
    if data.kind == "reply":
        target = Target(text=data.reply_to_text or None, handle=reply_author or None)
    elif data.kind == "interaction":
        target = Target(handle=data.target_handle or None, name=data.target_name or None,
                        text=data.target_text or None, url=data.target_url or None)
    return Item(
        id=item_id, kind=data.kind, text=item_text(data.text, [image.alt for image in data.images]),
        platform=checker_platform(platform),
        channel=channel_handle, action=(data.action or None) if data.kind == "interaction" else None,
        target=target,
        business_purpose=(data.business_purpose or None) if data.kind == "interaction" else None,
        published_at=published_at,
    )


# --- API bodies --------------------------------------------------------------------------------


# The API body nests the target; its fields are the draft's `target_*` fields.
class TargetIn(BaseModel):
    handle: str = Field("", max_length=CONTENT_LIMITS["target_handle"])
    name: str = Field("", max_length=CONTENT_LIMITS["target_name"])
    text: str = Field("", max_length=CONTENT_LIMITS["target_text"])
    url: str = Field("", max_length=CONTENT_LIMITS["target_url"])


class DraftContentIn(BaseModel):
    kind: Literal["post", "reply", "interaction"] = "post"
    text: str = Field("", max_length=CONTENT_LIMITS["text"])
    reply_to_text: str = Field("", max_length=CONTENT_LIMITS["reply_to_text"],
                               description="The comment replied to, pasted (replies).")
    reply_to_comment_id: int | None = Field(
        None, description="A comment of the same channel from the moderation queue (replies).")
    action: str = Field("", max_length=CONTENT_LIMITS["action"],
                        description="follow, like, repost, share or link (interactions).")
    target: TargetIn = Field(default_factory=TargetIn)
    business_purpose: str = Field("", max_length=CONTENT_LIMITS["business_purpose"])

    def as_input(self) -> DraftInput:
        flat = self.model_dump(include=set(DraftContentIn.model_fields) - {"target"})
        flat.update({f"target_{name}": value for name, value in self.target.model_dump().items()})
        return DraftInput(**flat)


class DraftIn(DraftContentIn):
    channel_id: int = Field(description="The channel, from GET /api/v1/drafts/channels.")


class AcknowledgeIn(BaseModel):
    findings: list[int] | None = Field(
        None, description="Indexes of the warn findings acknowledged; leave out for all of them.")


class ExceptionRequestIn(BaseModel):
    justification: str = Field(max_length=MAX_JUSTIFICATION)


class ExceptionDecisionIn(BaseModel):
    decision: Literal["approve", "decline"]
    reason: str = Field(max_length=MAX_JUSTIFICATION)
    until: SaneDate | None = Field(None, description="An approval's last day (in the agency's "
                                                      "time zone); after it the exception lapses.")


class ReviewIn(BaseModel):
    decision: Literal["approve", "return"]
    comment: str = Field("", max_length=MAX_JUSTIFICATION,
                         description="What to change; needed when the post is returned.")


class ScheduleIn(BaseModel):
    at: str = Field(max_length=40, description="When it goes out: ISO 8601 with a zone, or a "
                                               "New Zealand date and time such as 2026-12-08T09:30.")


class PublicationIn(BaseModel):
    url: str = Field(max_length=MAX_URL, description="Where the post can be seen.")
    platform_id: str = Field("", max_length=300, description="The platform's id for the post; "
                                                            "taken from the address when empty.")
    published_at: datetime | None = Field(None, description="When it was published (ISO 8601 "
                                                            "with a zone); now when left out.")


class PublicationCorrectionIn(BaseModel):
    url: str = Field(max_length=MAX_URL, description="The right address of the published post.")
    platform_id: str = Field("", max_length=300, description="The platform's id for the post; "
                                                            "taken from the address when empty.")
    reason: str = Field(max_length=MAX_JUSTIFICATION, description="Why the address is corrected.")


class WithdrawIn(BaseModel):
    reason: str = Field("", max_length=MAX_JUSTIFICATION)


__all__ = [
    "ACTIONS", "ACTION_LABELS", "AcknowledgeIn", "CONTENT_LIMITS", "DraftContentIn", "DraftIn", "DraftInput",
    "ExceptionDecisionIn", "ExceptionRequestIn", "KIND_LABELS", "PLATFORM_NAMES",
    "PublicationCorrectionIn", "PublicationIn", "ReviewIn", "ScheduleIn",
    "TargetIn", "WithdrawIn", "checker_item", "checker_platform", "clean_draft", "platform_limit",
]
