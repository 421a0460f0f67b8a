"""`/api/v1/comments` and `/api/v1/moderation`: import comments in batches, read a queue, act on
a comment, and the figures. The API acts as the signed-in person, through the same services and
audit events as the pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from kaitiaki.errors import BadInput, NotFound
from kaitiaki.models import Comment, ModerationAction
from kaitiaki.moderation import formats, permissions, queries, service
from kaitiaki.moderation.ingest import import_comments
from kaitiaki.moderation.web import pack_of
from kaitiaki.register import queries as register_queries
from kaitiaki.register import service as register_service
from kaitiaki.common.access import require_active
from kaitiaki.common.forms import parse_id
from kaitiaki.web.deps import AppSettings, DbSession, RequiredUser, Work

router = APIRouter(tags=["moderation"])

MAX_BATCH = 1000


class CommentBatchIn(BaseModel):
    channel: str = Field(description="The channel's handle, or its number in the register.", max_length=200)
    platform: str | None = Field(None, description="The platform, when the handle is on several.", max_length=20)
    comments: list[Any] = Field(max_length=MAX_BATCH, description=(
        "Up to 1,000 comments: {id, text, author, author_name, posted_at, url, in_reply_to}."))


class ImportOut(BaseModel):
    channel: str
    stored: int
    already_stored: int
    by_decision: dict[str, int]
    errors: list[dict[str, Any]] = Field(description="Refused comments by position (from 1).")


class CommentOut(BaseModel):
    id: int
    channel_id: int
    external_id: str
    author: str
    text: str
    decision: str
    state: str
    categories: list[str]
    sensitive: bool
    received_at: datetime
    findings: list[dict[str, Any]]

    @classmethod
    def of(cls, comment: Comment) -> CommentOut:
        return cls(id=comment.id, channel_id=comment.channel_id, external_id=comment.external_id,
                   author=comment.author_handle, text=comment.text, decision=comment.decision,
                   state=comment.state, categories=comment.category_list, sensitive=comment.sensitive,
                   received_at=comment.received_at, findings=comment.findings)


class QueueOut(BaseModel):
    total: int = Field(description="Comments matching, counted up to 1,000 (see `capped`).")
    capped: bool
    page: int
    pages: int
    comments: list[CommentOut]


class ActionIn(BaseModel):
    action: str = Field(max_length=20)
    reason: str = Field(max_length=64)
    note: str = Field("", max_length=2000)
    reply: str = Field("", max_length=100_000)
    complaint_category: str = Field("", max_length=64)


class ActionOut(BaseModel):
    id: int
    comment_id: int
    action: str
    reason: str
    note: str | None
    from_state: str
    to_state: str
    actor: str
    acted_at: datetime
    reply_text: str | None
    reply_decision: str | None
    complaint_id: int | None

    @classmethod
    def of(cls, action: ModerationAction) -> ActionOut:
        return cls(id=action.id, comment_id=action.comment_id, action=action.action,
                   reason=action.reason_code, note=action.note, from_state=action.from_state,
                   to_state=action.to_state, actor=action.actor.email, acted_at=action.acted_at,
                   reply_text=action.reply_text, reply_decision=action.reply_decision,
                   complaint_id=action.complaint_id)


class FigureOut(BaseModel):
    channel_id: int
    channel: str
    month: str
    action: str
    reason: str
    count: int


def _resolve_channel(session, handle: str, platform: str | None):  # noqa: ANN001, ANN202
    if handle.isascii() and handle.isdigit():
        channel_id = parse_id(handle)
        if channel_id is None:
            raise NotFound(f"There is no channel number {handle} in the register.")
        return register_service.require_channel(session, channel_id)
    if platform:
        channel = register_queries.get_channel_by_handle(session, platform, handle)
        found = [channel] if channel else []
    else:
        found = register_queries.channels_with_handle(session, handle)
    if not found:
        raise NotFound(f"@{handle.lstrip('@')} is not in the register.")
    if len(found) > 1:
        raise BadInput(f"@{found[0].handle} is on {' and '.join(c.platform for c in found)}; give the platform.")
    return found[0]


@router.post("/api/v1/comments", response_model=ImportOut, status_code=201,
             summary="Import a batch of comments (checked and stored; known ones skipped)")
def import_batch(request: Request, session: DbSession, user: RequiredUser, body: CommentBatchIn) -> ImportOut:
    channel = _resolve_channel(session, body.channel, body.platform)
    permissions.require_can_import(session, user, channel)
    records = (formats.record_from_mapping(raw, number) for number, raw in enumerate(body.comments, start=1))
    report = import_comments(session, channel=channel, pack=pack_of(request), records=records,
                             actor=user.email, source="api")
    return ImportOut(**report.as_dict())


@router.get("/api/v1/comments", response_model=QueueOut, summary="A channel's moderation queue")
def list_queue(session: DbSession, user: RequiredUser, channel_id: int, state: str = "waiting",
               decision: str = "", category: str = "", q: str = "", page: int = 1,
               per_page: int = queries.PAGE_SIZE) -> QueueOut:
    channel = register_service.require_channel(session, channel_id)
    permissions.require_can_moderate(session, user, channel)
    result = queries.queue(session, channel, queries.QueueFilter(
        state=state, decision=decision, category=category, q=q, page=page, per_page=per_page))
    return QueueOut(total=result.total, capped=result.capped, page=result.filters.page, pages=result.pages,
                    comments=[CommentOut.of(c) for c in result.comments])


@router.post("/api/v1/comments/{comment_id}/actions", response_model=ActionOut, status_code=201,
             summary="Act on a comment with one of the pack's moderation reasons")
def act(work: Work, user: RequiredUser, comment_id: int, body: ActionIn) -> ActionOut:
    done = service.act(work, comment_id=comment_id, user=user,
                       request=service.ActionRequest(action=body.action, reason=body.reason,
                                                     note=body.note, reply=body.reply,
                                                     complaint_category=body.complaint_category))
    return ActionOut.of(done)


@router.get("/api/v1/moderation/figures", response_model=list[FigureOut],
            summary="Moderation actions by channel, month (local time), action and reason")
def figures(session: DbSession, user: RequiredUser, settings: AppSettings, since: datetime,
            until: datetime) -> list[FigureOut]:
    require_active(user)
    if since.tzinfo is None or until.tzinfo is None:
        raise BadInput("Give since and until with a time zone, e.g. 2026-01-01T00:00:00+13:00.")
    rows = queries.moderation_figures(session, since=since, until=until, zone=settings.zone)
    return [FigureOut(channel_id=r.channel.id, channel=r.channel.label, month=r.month,
                      action=r.action, reason=r.reason, count=r.count) for r in rows]


__all__ = ["router"]
