"""The API's answers about drafts, built from a DraftView."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from kaitiaki.models import Channel, DraftException, DraftImage, DraftReview, DraftVersion
from kaitiaki.publishing.schemas import platform_limit
from kaitiaki.publishing.views import DraftView


class ChannelRef(BaseModel):
    id: int
    platform: str
    handle: str
    display_name: str
    text_limit: int | None = None

    @classmethod
    def of(cls, channel: Channel, limits: dict[str, int] | None = None) -> ChannelRef:
        return cls(id=channel.id, platform=channel.platform, handle=channel.handle,
                   display_name=channel.display_name,
                   text_limit=platform_limit(limits, channel.platform) if limits else None)


class FindingOut(BaseModel):
    index: int
    rule: str
    category: str
    severity: str
    clause: str
    quote: str
    message: str
    suggestion: str
    evidence: list[dict[str, Any]]
    acknowledged_by: str | None = None
    acknowledged_at: datetime | None = None


class ImageOut(BaseModel):
    id: int
    alt: str
    media_type: str
    bytes: int
    url: str = Field(description="The image itself, for those who may see the draft.")

    @classmethod
    def of(cls, draft_id: int, image: DraftImage) -> ImageOut:
        return cls(id=image.id, alt=image.alt_text, media_type=image.media_type,
                   bytes=image.byte_size, url=f"/drafts/{draft_id}/images/{image.id}")


class VersionOut(BaseModel):
    number: int
    text: str
    images: list[ImageOut] = Field(default_factory=list,
                                   description="Attached on the draft's page, each with alt text.")
    reply_to_text: str | None
    action: str | None
    target: dict[str, str | None]
    business_purpose: str | None
    created_by: str
    created_at: datetime
    decision: str | None
    pack: str | None
    checked_at: datetime | None

    @classmethod
    def of(cls, version: DraftVersion) -> VersionOut:
        return cls(
            number=version.number, text=version.text,
            images=[ImageOut.of(version.draft_id, image) for image in version.images],
            reply_to_text=version.reply_to_text,
            action=version.action,
            target={"handle": version.target_handle, "name": version.target_name,
                    "text": version.target_text, "url": version.target_url},
            business_purpose=version.business_purpose, created_by=version.created_by.email,
            created_at=version.created_at, decision=version.decision, pack=version.pack_id,
            checked_at=version.checked_at,
        )


class ExceptionOut(BaseModel):
    id: int
    version: int
    state: str
    justification: str
    requested_by: str
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    reason: str | None
    expires_at: datetime | None

    @classmethod
    def of(cls, exception: DraftException) -> ExceptionOut:
        return cls(
            id=exception.id, version=exception.version.number, state=exception.state,
            justification=exception.justification, requested_by=exception.requested_by.email,
            requested_at=exception.requested_at,
            decided_by=exception.decided_by.email if exception.decided_by else None,
            decided_at=exception.decided_at, reason=exception.decision_reason,
            expires_at=exception.expires_at,
        )


class PublicationOut(BaseModel):
    url: str
    platform_id: str | None
    published_at: datetime
    recorded_by: str | None
    connector: str | None


class ReviewOut(BaseModel):
    version: int
    reviewer: str
    decision: str
    comment: str | None
    decided_at: datetime

    @classmethod
    def of(cls, review: DraftReview) -> ReviewOut:
        return cls(version=review.version.number, reviewer=review.reviewer.email,
                   decision=review.decision, comment=review.comment, decided_at=review.decided_at)


class DraftOut(BaseModel):
    id: int
    url: str
    channel: ChannelRef
    kind: str
    state: str
    author: str
    reply_to_comment_id: int | None
    decision: str | None
    pack: str | None
    findings: list[FindingOut]
    can_submit: bool
    problems: list[str]
    next_actions: list[str]
    current_version: VersionOut
    versions: list[VersionOut]
    exceptions: list[ExceptionOut]
    reviews: list[ReviewOut]
    scheduled_for: datetime | None
    send_started_at: datetime | None = Field(
        None, description="A send to the platform whose answer was never recorded began then: "
                          "look on the platform before sending it again.")
    publication: PublicationOut | None
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None

    @classmethod
    def of(cls, view: DraftView) -> DraftOut:
        draft = view.draft
        findings = [
            FindingOut(index=f.index, **{key: f.finding.get(key) for key in (
                "rule", "category", "severity", "clause", "quote", "message", "suggestion")},
                evidence=list(f.finding.get("evidence", [])),
                acknowledged_by=f.acknowledgement.user.email if f.acknowledgement else None,
                acknowledged_at=f.acknowledgement.acknowledged_at if f.acknowledgement else None)
            for f in view.findings
        ]
        publication = None
        if draft.published_at is not None and draft.published_url:
            publication = PublicationOut(
                url=draft.published_url, platform_id=draft.platform_post_id,
                published_at=draft.published_at, connector=draft.connector,
                recorded_by=draft.published_recorded_by.email if draft.published_recorded_by else None,
            )
        return cls(
            id=draft.id, url=f"/drafts/{draft.id}", channel=ChannelRef.of(draft.channel),
            kind=draft.kind, state=draft.state, author=draft.author.email,
            reply_to_comment_id=draft.reply_to_comment_id, decision=view.current.decision,
            pack=view.current.pack_id, findings=findings, can_submit=view.can_submit,
            problems=view.problems, next_actions=view.actions,
            current_version=VersionOut.of(view.current),
            versions=[VersionOut.of(v) for v in view.versions],
            exceptions=[ExceptionOut.of(e) for e in view.exceptions], publication=publication,
            reviews=[ReviewOut.of(r) for r in view.reviews], scheduled_for=draft.scheduled_for,
            send_started_at=draft.send_started_at, created_at=draft.created_at, updated_at=draft.updated_at,
            submitted_at=draft.submitted_at,
        )


__all__ = ["ChannelRef", "DraftOut", "ExceptionOut", "FindingOut", "ImageOut", "PublicationOut",
           "ReviewOut", "VersionOut"]
