"""The checker's public contract: what goes in (Item) and what comes out (Result).

These names and fields are stable: the CLI, the library and `POST /api/v1/check` all speak them.
See docs/checker.md and ARCHITECTURE "The checker contract".
"""

from __future__ import annotations

from enum import Enum
from typing import Literal

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

MAX_TEXT_CHARS = 100_000


class Kind(str, Enum):
    post = "post"
    reply = "reply"
    interaction = "interaction"
    personal_post = "personal_post"
    comment = "comment"


class Platform(str, Enum):
    x = "x"
    facebook = "facebook"
    instagram = "instagram"
    linkedin = "linkedin"
    youtube = "youtube"
    mastodon = "mastodon"
    bluesky = "bluesky"
    tiktok = "tiktok"
    other = "other"


class Action(str, Enum):
    follow = "follow"
    like = "like"
    repost = "repost"
    share = "share"
    link = "link"


class Decision(str, Enum):
    pass_ = "pass"
    warn = "warn"
    block = "block"


class Severity(str, Enum):
    advise = "advise"
    warn = "warn"
    block = "block"


#: most severe first: how findings are sorted and how a finding's severity is compared
SEVERITY_RANK = {"block": 0, "warn": 1, "advise": 2}


class Category(str, Enum):
    """The DPMC pack's categories. Another agency's pack may add its own (categories are strings)."""

    political_neutrality = "political_neutrality"
    ministerial_advice = "ministerial_advice"
    confidential_information = "confidential_information"
    personal_information = "personal_information"
    criticism_of_ministerial_policy = "criticism_of_ministerial_policy"
    personal_view_as_agency = "personal_view_as_agency"
    commercial_endorsement = "commercial_endorsement"
    interaction_without_business_purpose = "interaction_without_business_purpose"
    disrespectful_tone = "disrespectful_tone"
    work_disclosure = "work_disclosure"
    workplace_grievance = "workplace_grievance"
    offensive = "offensive"
    threat = "threat"
    hate_or_discrimination = "hate_or_discrimination"
    spam = "spam"


class _Lenient(BaseModel):
    """Unknown fields are ignored, as the contract promises."""

    model_config = ConfigDict(extra="ignore", use_enum_values=True)


class Target(_Lenient):
    handle: str | None = None
    name: str | None = None
    bio: str | None = None
    text: str | None = Field(default=None, max_length=MAX_TEXT_CHARS)
    url: str | None = None


class Author(_Lenient):
    employer_listed: bool = False


class Item(_Lenient):
    id: str | None = None
    kind: Kind
    text: str = Field(default="", max_length=MAX_TEXT_CHARS)
    platform: Platform = Platform.other
    channel: str | None = None
    action: Action | None = None
    target: Target | None = None
    business_purpose: str | None = None
    author: Author = Field(default_factory=Author)
    links: list[str] = Field(default_factory=list)
    hashtags: list[str] = Field(default_factory=list)
    mentions: list[str] = Field(default_factory=list)
    # When it is (to be) published: a pack's dated periods apply by this time; now when absent.
    published_at: datetime | None = None


class Evidence(BaseModel):
    field: str
    start: int
    end: int
    text: str


class Finding(BaseModel):
    rule: str
    category: str
    severity: Literal["block", "warn", "advise"]
    clause: str
    quote: str
    message: str
    suggestion: str
    evidence: list[Evidence] = Field(default_factory=list)
    confidence: float = 1.0
    detector: str


class Result(BaseModel):
    id: str | None = None
    decision: Literal["pass", "warn", "block"]
    pack: str
    findings: list[Finding] = Field(default_factory=list)


def decide(findings: list[Finding]) -> str:
    """`block` if any finding blocks, else `warn` if any warns, else `pass`."""
    severities = {f.severity for f in findings}
    if "block" in severities:
        return "block"
    if "warn" in severities:
        return "warn"
    return "pass"
