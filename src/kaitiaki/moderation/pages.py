"""Moderation pages: the channels a person moderates, each channel's queue (filters, pages, bulk
spam, import, delegates), each comment's full record and history with the action form, and the
figures. Every form works without JavaScript; a refused form shows the page again with the
message and what was entered. Offensive text is blurred until the moderator opens it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from kaitiaki.errors import AppError, NotFound
from kaitiaki.models import Channel, User
from kaitiaki.moderation import formats, permissions, queries, service
from kaitiaki.moderation.figures_period import FiguresPeriod
from kaitiaki.moderation.ingest import import_comments
from kaitiaki.moderation.transitions import ACTION_LABELS, COMMENT_WORKFLOW, STATE_LABELS
from kaitiaki.moderation.web import comment_pieces, pack_of, read_upload
from kaitiaki.register import service as register_service
from kaitiaki.common.access import require_active
from kaitiaki.register.permissions import is_business_owner
from kaitiaki.common.web import FormText, field_errors
from kaitiaki.web.dashboard import Panel
from kaitiaki.web.deps import AppSettings, DbSession, RequiredUser, Work
from kaitiaki.web.forms import Done, handle_form
from kaitiaki.web.templating import flash, render

router = APIRouter(prefix="/moderation", include_in_schema=False)

Text = FormText


def _channel(session: Session, user: User, channel_id: int) -> Channel:
    channel = register_service.require_channel(session, channel_id)
    permissions.require_can_moderate(session, user, channel)
    return channel


@router.get("")
def index(session: DbSession, request: Request, user: RequiredUser) -> Response:
    require_active(user)
    channels = queries.channels_moderated_by(session, user)
    return render(request, "moderation/index.html", {
        "channels": channels, "waiting": queries.waiting_counts(session, channels)})


def queue_page(request: Request, session: Session, user: User, channel: Channel, *,
               filters: queries.QueueFilter, error: AppError | None = None, form_name: str = "",
               form: dict[str, Any] | None = None, status_code: int = 200) -> Response:
    page = queries.queue(session, channel, filters)
    pack = pack_of(request)
    return render(request, "moderation/queue.html", {
        "channel": channel, "page": page, "filters": page.filters, "state_labels": STATE_LABELS,
        "state_filters": queries.STATE_FILTERS, "decisions": queries.DECISIONS,
        "categories": CATEGORIES,
        "latest": queries.last_actions(session, page.comments),
        "pieces": {c.id: comment_pieces(c) for c in page.comments},
        "spam_reasons": service.reasons_for(pack, "spam"), "bulk_actions": service.BULK_ACTIONS,
        "action_labels": ACTION_LABELS, "reasons": pack.meta.moderation_reasons,
        "delegates": queries.delegates_of(session, channel),
        "is_owner": is_business_owner(user, channel), "formats": formats.FORMATS,
        "error": error, "errors": field_errors(error), "form_name": form_name, "form": form or {},
    }, status_code=status_code)


# Comment categories of the checker contract, offered as queue filters.
CATEGORIES = ("offensive", "threat", "hate_or_discrimination", "spam", "personal_information",
              "disrespectful_tone", "political_neutrality", "commercial_endorsement")


@router.get("/channels/{channel_id}")
def show_queue(request: Request, session: DbSession, user: RequiredUser, channel_id: int,
               state: str = "waiting", decision: str = "", category: str = "", q: str = "",
               page: int = 1) -> Response:
    channel = _channel(session, user, channel_id)
    filters = queries.QueueFilter(state=state, decision=decision, category=category, q=q, page=page)
    return queue_page(request, session, user, channel, filters=filters)


def _refused_on_queue(request: Request, session: Session, user: User, channel_id: int,
                      exc: AppError, form_name: str, form: dict[str, Any]) -> Response:
    channel = _channel(session, user, channel_id)
    return queue_page(request, session, user, channel, filters=queries.QueueFilter(), error=exc,
                      form_name=form_name, form=form, status_code=exc.status_code)


@router.post("/channels/{channel_id}/bulk")
def bulk_action(request: Request, work: Work, user: RequiredUser, channel_id: int,
                action: Text = "spam", reason: Text = "", note: Text = "",
                ids: Annotated[list[int], Form()] = []) -> Response:  # noqa: B006
    channel = _channel(work.session, user, channel_id)

    def change() -> Done:
        done = service.act_on_many(work, comment_ids=ids, user=user,
                                   request=service.ActionRequest(action=action, reason=reason,
                                                                 note=note))
        foreign = [a for a in done if a.channel_id != channel.id]
        if foreign:
            raise NotFound(f"Comment #{foreign[0].comment_id} is not on @{channel.handle}.")
        return Done(f"{ACTION_LABELS[action]}: {len(done)} comments, reason {reason}.",
                    f"/moderation/channels/{channel.id}")

    return handle_form(request, work, change, lambda exc: _refused_on_queue(
        request, work.session, user, channel_id, exc, "bulk",
        {"action": action, "reason": reason, "note": note, "ids": ids}))


@router.post("/channels/{channel_id}/import")
async def import_upload(request: Request, session: DbSession, user: RequiredUser,
                        settings: AppSettings, channel_id: int,
                        file: Annotated[UploadFile, File()], fmt: Annotated[str, Form(alias="format")] = "jsonl") -> Response:
    channel = register_service.require_channel(session, channel_id)
    try:
        permissions.require_can_import(session, user, channel)
        text = await read_upload(file, max_bytes=settings.import_max_bytes)
        records = formats.parse(text, fmt)
        report = import_comments(session, channel=channel, pack=pack_of(request), records=records,
                                 actor=user.email, source=f"upload:{(file.filename or '')[:100]}")
    except AppError as exc:
        session.rollback()
        return _refused_on_queue(request, session, user, channel_id, exc, "import", {"format": fmt})
    refused = "; ".join(str(e) for e in report.errors[:5])
    more = f" and {len(report.errors) - 5} more" if len(report.errors) > 5 else ""
    flash(request, f"{report.stored} comments imported, {report.already_stored} already stored, "
                   f"{len(report.errors)} refused" + (f" (line {refused}{more})." if refused else "."))
    return RedirectResponse(f"/moderation/channels/{channel.id}", status_code=303)


@router.post("/channels/{channel_id}/delegates")
def add_delegate(request: Request, work: Work, user: RequiredUser, channel_id: int,
                 email: Text = "", reason: Text = "") -> Response:
    channel = register_service.require_channel(work.session, channel_id)

    def change() -> Done:
        grant = service.delegate(work.session, owner=user, channel=channel, person_email=email,
                                 reason=reason)
        return Done(f"{grant.user.name} can now moderate @{channel.handle}.",
                    f"/moderation/channels/{channel.id}#moderators")

    return handle_form(request, work, change, lambda exc: _refused_on_queue(
        request, work.session, user, channel_id, exc, "delegate", {"email": email, "reason": reason}))


@router.post("/channels/{channel_id}/delegates/{delegate_id}/revoke")
def remove_delegate(request: Request, session: DbSession, user: RequiredUser, channel_id: int,
                    delegate_id: int) -> Response:
    channel = register_service.require_channel(session, channel_id)
    grant = service.revoke_delegate(session, owner=user, channel=channel, delegate_id=delegate_id)
    flash(request, f"{grant.user.name} no longer moderates @{channel.handle}.")
    return RedirectResponse(f"/moderation/channels/{channel.id}#moderators", status_code=303)


def comment_page(request: Request, session: Session, user: User, comment_id: int, *,
                 error: AppError | None = None, form: dict[str, Any] | None = None,
                 reply_result: Any = None, status_code: int = 200) -> Response:
    comment = service.require_comment(session, comment_id)
    permissions.require_can_moderate(session, user, comment.channel)
    pack = pack_of(request)
    return render(request, "moderation/comment.html", {
        "comment": comment, "pieces": comment_pieces(comment),
        "history": queries.history(session, comment), "state_labels": STATE_LABELS,
        "action_labels": ACTION_LABELS, "allowed": COMMENT_WORKFLOW.allowed_actions(comment.state),
        "reasons": pack.meta.moderation_reasons, "error": error, "errors": field_errors(error),
        "complaint_categories": pack.meta.complaint_categories,
        "form": form or {}, "reply_result": reply_result,
    }, status_code=status_code)


@router.get("/comments/{comment_id}")
def show_comment(request: Request, session: DbSession, user: RequiredUser, comment_id: int) -> Response:
    require_active(user)
    return comment_page(request, session, user, comment_id)


@router.post("/comments/{comment_id}/act")
def act(request: Request, work: Work, user: RequiredUser, comment_id: int, action: Text = "",
        reason: Text = "", note: Text = "", reply: FormText = "",
        complaint_category: Text = "") -> Response:
    form = {"action": action, "reason": reason, "note": note, "reply": reply,
            "complaint_category": complaint_category}

    def change() -> Done:
        done = service.act(work, comment_id=comment_id, user=user,
                           request=service.ActionRequest(action=action, reason=reason, note=note,
                                                         reply=reply,
                                                         complaint_category=complaint_category))
        return Done(f"Comment #{comment_id}: {ACTION_LABELS[done.action].lower()} "
                    f"({done.reason_code}); now {STATE_LABELS[done.to_state].lower()}."
                    + (f" Complaint #{done.complaint_id} opened." if done.complaint_id else ""),
                    f"/moderation/channels/{done.channel_id}")

    def refused(exc: AppError) -> Response:
        result = exc.result if isinstance(exc, service.ReplyBlocked) else None
        return comment_page(request, work.session, user, comment_id, error=exc, form=form,
                            reply_result=result, status_code=exc.status_code)

    return handle_form(request, work, change, refused)


@router.get("/figures")
def figures(request: Request, session: DbSession, user: RequiredUser, settings: AppSettings,
            since: str = "", until: str = "") -> Response:
    require_active(user)
    period = FiguresPeriod.parse(since, until, settings.zone)
    rows = queries.moderation_figures(session, since=period.start, until=period.end, zone=settings.zone)
    return render(request, "moderation/figures.html", {
        "rows": rows, "period": period, "total": sum(r.count for r in rows),
        "action_labels": ACTION_LABELS,
        "reason_labels": {r.code: r.label for r in pack_of(request).meta.moderation_reasons},
    })


QUEUES_PANEL = Panel(
    key="moderation_queues",
    title="Comments waiting in your queues",
    template="moderation/panel_queues.html",
    empty_text="No comments are waiting for you.",
    gather=queries.queues_waiting_for,
    link="/moderation",
    hide_when_empty=True,  # moderating follows from owning or being delegated a channel
)

__all__ = ["QUEUES_PANEL", "router"]
