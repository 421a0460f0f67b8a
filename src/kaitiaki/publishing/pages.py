"""Compose and the item's page. The checker runs as the poster types (htmx posts the form to
/compose/live after a pause and swaps in the findings); without JavaScript the "Check" button
posts the whole form and the page comes back with the findings. Nothing is stored until the poster
saves. A refused or invalid form comes back with the message and everything typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from kaitiaki.audit import queries as audit_queries
from kaitiaki.checker import CompiledPack, check
from kaitiaki.checker.items import Result
from kaitiaki.checker.periods import period_words, periods_in_force
from kaitiaki.errors import AppError, BadInput, FieldError, NotFound
from kaitiaki.models import Channel, Draft, DraftException, User
from kaitiaki.publishing import connections, permissions, queries, review, sending, service
from kaitiaki.publishing.notices import exception_notices
from kaitiaki.publishing.forms import ComposeForm
from kaitiaki.publishing.highlight import Segment, segments
from kaitiaki.publishing.images import ImageIn, place_in_alt_texts
from kaitiaki.publishing.length import counted_length
from kaitiaki.publishing.schemas import (
    ACTION_LABELS,
    KIND_LABELS,
    PLATFORM_NAMES,
    checker_item,
    platform_limit,
)
from kaitiaki.publishing.transitions import DRAFT_WORKFLOW
from kaitiaki.publishing.views import draft_view
from kaitiaki.publishing.web import connector, gate_pack
from kaitiaki.register import queries as register_queries
from kaitiaki.common.access import require_active
from kaitiaki.register.permissions import is_comms_staff
from kaitiaki.common.forms import FieldErrors, parse_date
from kaitiaki.common.web import field_errors
from kaitiaki.common.work import UnitOfWork
from kaitiaki.web.dashboard import Panel
from kaitiaki.web.deps import DbSession, RequiredUser, Work
from kaitiaki.web.forms import Done, handle_form
from kaitiaki.timeutil import to_local
from kaitiaki.web.templating import render

router = APIRouter(include_in_schema=False)

HISTORY_LIMIT = 500
SHORT_FIELD = 4000


@dataclass
class Preview:
    """The check of what is typed, not stored."""

    result: Result | None = None
    segments: list[Segment] = field(default_factory=list)
    length: int = 0
    limit: int | None = None
    platform: str = ""
    error: AppError | None = None


def preview(session: Session, user: User, pack: CompiledPack, form: ComposeForm) -> Preview:
    """The check of the words and the alt texts typed (the image files are checked on saving)."""
    alts = [" ".join(alt.split()) for alt in form.alt_texts()]
    try:
        data = form.as_input()
        data.images = []
        channel, cleaned = service.validate(session, user=user, pack=pack,
                                            channel_id=form.channel, data=data)
        cleaned.images = [ImageIn(data=b"", alt=alt) for alt in alts]
        item = checker_item(cleaned, platform=channel.platform, channel_handle=channel.handle,
                            item_id=None)
        result = place_in_alt_texts(check(item, pack), cleaned.text, alts)
    except AppError as exc:
        return Preview(error=exc)
    return Preview(result=result, segments=segments(cleaned.text, result.findings),
                   length=counted_length(cleaned.text, channel.platform), platform=channel.platform,
                   limit=platform_limit(service.platform_limits(pack), channel.platform))


def _channel_options(channels: list[Channel], limits: dict[str, int]) -> list[tuple[str, str]]:
    return [(str(c.id), f"{PLATFORM_NAMES.get(c.platform, c.platform)} @{c.handle} "
                        f"({c.display_name}), up to {platform_limit(limits, c.platform):,} characters")
            for c in channels]


def compose_page(request: Request, session: Session, user: User, form: ComposeForm, *,
                 checked: Preview | None = None, error: AppError | None = None,
                 status_code: int = 200) -> Response:
    pack = gate_pack(request)
    channels = register_queries.channels_postable_by(session, user)
    context = {
        "form": form, "errors": field_errors(error), "error": error, "checked": checked,
        "channel_options": _channel_options(channels, service.platform_limits(pack)),
        "has_channels": bool(channels), "kind_labels": KIND_LABELS,
        "action_labels": ACTION_LABELS,
        "comments": queries.recent_comments(session, [c.id for c in channels]),
        "periods": periods_in_force(pack.meta, None), "period_words": period_words,
    }
    return render(request, "publishing/compose.html", context, status_code=status_code)


@router.get("/compose")
def compose(request: Request, session: DbSession, user: RequiredUser, channel: str = "",
            kind: str = "post", comment: str = "") -> Response:
    require_active(user)
    form = ComposeForm(channel_id=channel[:20], kind=kind if kind in KIND_LABELS else "post",
                       reply_to_comment_id=comment[:20])
    if form.comment is not None:
        # A reply to a comment picked in the moderation queue (/compose?comment=<id>).
        form.kind = "reply"
        picked = queries.get_comment(session, form.comment)
        if picked is not None and not form.channel_id:
            form.channel_id = str(picked.channel_id)
    return compose_page(request, session, user, form)


@router.post("/compose/check")
async def compose_check(request: Request, session: DbSession, user: RequiredUser) -> Response:
    """The no-JavaScript check: the compose page again, with the findings; nothing stored."""
    form = ComposeForm.read(await request.form(), with_files=False)
    checked = preview(session, user, gate_pack(request), form)
    return compose_page(request, session, user, form, checked=checked, error=checked.error,
                        status_code=checked.error.status_code if checked.error else 200)


@router.post("/compose/live")
async def compose_live(request: Request, session: DbSession, user: RequiredUser) -> Response:
    """The findings fragment htmx swaps in while the poster types; nothing stored."""
    form = ComposeForm.read(await request.form(), with_files=False)
    checked = preview(session, user, gate_pack(request), form)
    return render(request, "publishing/_preview.html", {"checked": checked})


@router.post("/compose")
async def save_draft(request: Request, work: Work, user: RequiredUser) -> Response:
    form = ComposeForm.read(await request.form())
    pack = gate_pack(request)

    def change() -> Done:
        draft = service.create_draft(work.session, user=user, pack=pack, channel_id=form.channel,
                                     data=form.as_input())
        version = service.check_draft(work.session, user=user, draft=draft, pack=pack)
        return Done(f"Draft saved and checked: {DECISION_NOTES[version.decision or 'pass']}",
                    service.draft_path(draft))

    return handle_form(request, work, change, lambda exc: compose_page(
        request, work.session, user, form, error=exc, status_code=exc.status_code))


DECISION_NOTES = {
    "pass": "nothing in the policy stands in its way.",
    "warn": "read and acknowledge each warning before submitting.",
    "block": "a block finding stops it; rewrite it, or ask for an exception.",
}


@router.get("/drafts")
def my_drafts(request: Request, session: DbSession, user: RequiredUser,
              show: Annotated[str, Query(alias="all")] = "") -> Response:
    require_active(user)
    show_all = show in ("1", "true", "yes")
    context = {"drafts": queries.drafts_by(session, user, open_only=not show_all),
               "show_all": show_all, "states": DRAFT_WORKFLOW.states, "kind_labels": KIND_LABELS}
    return render(request, "publishing/drafts.html", context)


def item_page(request: Request, session: Session, user: User, draft: Draft, *,
              error: AppError | None = None, form_name: str = "", form: dict[str, Any] | None = None,
              status_code: int = 200) -> Response:
    permissions.require_can_see(session, user, draft)
    view = draft_view(session, draft)
    pack = gate_pack(request)
    revise_form = form if form_name == "revise" and isinstance(form, ComposeForm) else None
    if revise_form is None:
        revise_form = ComposeForm.of(service.input_of(view.current, draft.kind),
                                     channel_id=draft.channel_id,
                                     comment_id=draft.reply_to_comment_id,
                                     images=view.current.images)
    open_exception = view.open_exception
    context = {
        "view": view, "draft": draft, "error": error, "form_name": form_name,
        "form": form if isinstance(form, dict) else {}, "errors": field_errors(error),
        "revise_form": revise_form, "states": DRAFT_WORKFLOW.states, "kind_labels": KIND_LABELS,
        "action_labels": ACTION_LABELS, "platform_names": PLATFORM_NAMES,
        "is_author": draft.author_id == user.id,
        "connection": connections.active_connection(session, draft.channel),
        "can_correct": draft.state == "published" and (draft.author_id == user.id
                                                        or is_comms_staff(session, user)),
        "can_decide": open_exception is not None and permissions.can_decide(session, user, open_exception),
        "can_review": review.can_review(session, user, draft),
        "schedule_value": _datetime_local(draft.scheduled_for, request.app.state.settings.zone),
        "limit": platform_limit(service.platform_limits(pack), draft.channel.platform),
        "history": audit_queries.list_events(session, subject=service.subject_of(draft),
                                             limit=HISTORY_LIMIT),
    }
    return render(request, "publishing/draft.html", context, status_code=status_code)


@router.get("/drafts/{draft_id}")
def show_draft(request: Request, session: DbSession, user: RequiredUser, draft_id: int) -> Response:
    return item_page(request, session, user, service.require_draft(session, draft_id))


def _draft_form(request: Request, work: UnitOfWork, user: User, draft_id: int, form_name: str,
                form: Any, change: Callable[[Draft], str]) -> Response:
    """A form on a draft's page: `change` returns what to say; refused, the page again with the
    problem and what was typed."""
    session = work.session

    def done() -> Done:
        draft = service.require_draft(session, draft_id)
        return Done(change(draft), service.draft_path(draft))

    def refused(exc: AppError) -> Response:
        return item_page(request, session, user, service.require_draft(session, draft_id),
                         error=exc, form_name=form_name, form=form, status_code=exc.status_code)

    return handle_form(request, work, done, refused)


def _text(value: Any) -> str:
    return value[:SHORT_FIELD + 1] if isinstance(value, str) else ""


@router.post("/drafts/{draft_id}/revise")
async def revise(request: Request, work: Work, user: RequiredUser, draft_id: int) -> Response:
    form = ComposeForm.read(await request.form())
    pack = gate_pack(request)

    def change(draft: Draft) -> str:
        form.channel_id, form.kind = str(draft.channel_id), draft.kind
        kept = service.current_version(work.session, draft).images
        new = service.revise_draft(work.session, user=user, draft=draft, pack=pack,
                                   data=form.as_input(kept))
        service.check_draft(work.session, user=user, draft=draft, pack=pack)
        return f"Version {new.number} saved and checked: {DECISION_NOTES[new.decision or 'pass']}"

    return _draft_form(request, work, user, draft_id, "revise", form, change)


@router.post("/drafts/{draft_id}/submit")
async def submit(request: Request, work: Work, user: RequiredUser, draft_id: int) -> Response:
    submitted = await request.form()
    # Finding indexes count from 0; ASCII digits only ("²" passes isdigit() but not int()).
    ticked = [int(number) for key in submitted if key.startswith("ack_")
              and (number := key.removeprefix("ack_")).isascii() and number.isdigit()
              and len(number) <= 6]
    session = work.session

    def change(draft: Draft) -> str:
        if ticked:
            service.acknowledge(session, user=user, draft=draft, indexes=ticked)
        pending = service.unacknowledged(session, service.current_version(session, draft))
        if pending and DRAFT_WORKFLOW.can(draft.state, "submit"):
            message = "Tick each warning to acknowledge it before submitting."
            raise BadInput(message, fields=[FieldError([f"ack_{i}"], "Acknowledge this warning.")
                                             for i in pending])
        service.submit(session, user=user, draft=draft, now=work.now())
        if draft.state == "in_review":
            return (f"Sent for review. Someone else authorised on @{draft.channel.handle} "
                    "reviews it; you are told when they do.")
        return "Submitted. Schedule it, or publish it on the platform and record it here."

    return _draft_form(request, work, user, draft_id, "submit", {}, change)


@router.post("/drafts/{draft_id}/exception")
async def request_exception(request: Request, work: Work, user: RequiredUser,
                            draft_id: int) -> Response:
    justification = _text((await request.form()).get("justification"))

    def change(draft: Draft) -> str:
        exception = service.request_exception(work.session, user=user, draft=draft,
                                              justification=justification)
        work.outbox.extend(exception_notices(exception, work.settings.base_url))
        return (f"Exception requested. {draft.channel.business_owner.name}, the channel's "
                "business owner, decides it.")

    return _draft_form(request, work, user, draft_id, "exception",
                       {"justification": justification}, change)


@router.post("/drafts/{draft_id}/exception/decision")
async def decide_exception(request: Request, work: Work, user: RequiredUser,
                           draft_id: int) -> Response:
    submitted = await request.form()
    form = {key: _text(submitted.get(key)) for key in ("decision", "reason", "until")}

    def change(draft: Draft) -> str:
        errors = FieldErrors()
        if form["decision"] not in ("approve", "decline"):
            errors.add("decision", "Choose approve or decline.")
        until = parse_date(form["until"], errors, "until", "the last day")
        errors.raise_if_any()
        approve = form["decision"] == "approve"
        exception = service.decide_exception(work.session, user=user, draft=draft, approve=approve,
                                             reason=form["reason"], until=until,
                                             zone=work.settings.zone, now=work.now())
        work.outbox.extend(exception_notices(exception, work.settings.base_url))
        return "Exception approved." if approve else "Exception declined."

    return _draft_form(request, work, user, draft_id, "decision", form, change)


@router.post("/drafts/{draft_id}/publication")
async def record_publication(request: Request, work: Work, user: RequiredUser,
                             draft_id: int) -> Response:
    submitted = await request.form()
    form = {key: _text(submitted.get(key)) for key in ("url", "platform_id", "published_at")}
    settings = work.settings

    def change(draft: Draft) -> str:
        service.record_publication(work.session, user=user, draft=draft, connector=connector(),
                                   url=form["url"], platform_id=form["platform_id"],
                                   published_at=_local_time(form["published_at"], settings),
                                   zone=settings.zone)
        return "Publication recorded; the channel's last-post date is updated."

    return _draft_form(request, work, user, draft_id, "publication", form, change)


@router.post("/drafts/{draft_id}/send")
def send_now(request: Request, work: Work, user: RequiredUser, draft_id: int) -> Response:
    """"Publish now" on a connected channel: the send step, with its checks, at once. A stop or
    a failure is not an error of the form: it is recorded, and the poster is told why."""

    def change(draft: Draft) -> str:
        permissions.require_can_post(work.session, user, draft)
        outcome = sending.send_draft(work.session, work.settings, draft.id, actor_id=user.id,
                                     now=work.now(), pack=gate_pack(request))
        return (f"Published on {draft.channel.platform}: {outcome.url}" if outcome.went_out
                else outcome.reason)

    return _draft_form(request, work, user, draft_id, "send", {}, change)


@router.post("/drafts/{draft_id}/send/release")
def release_send(request: Request, work: Work, user: RequiredUser, draft_id: int) -> Response:
    """"It did not go out": after a send whose answer was never recorded, the author looked on
    the platform and did not find it, so it may be sent again."""

    def change(draft: Draft) -> str:
        sending.release_send(work.session, user=user, draft=draft, now=work.now())
        return "Noted: it did not go out. Publish it again when you are ready."

    return _draft_form(request, work, user, draft_id, "release", {}, change)


@router.get("/drafts/{draft_id}/images/{image_id}")
def draft_image(session: DbSession, user: RequiredUser, draft_id: int, image_id: int) -> Response:
    """An image of one of the draft's versions, to those who may see the draft."""
    draft = service.require_draft(session, draft_id)
    permissions.require_can_see(session, user, draft)
    image = queries.draft_image(session, draft, image_id)
    if image is None:
        raise NotFound(f"Draft {draft_id} has no image number {image_id}.")
    # Private: a draft's images are not public until it is published, and never cached shared.
    return Response(image.data, media_type=image.media_type, headers={
        "Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff",
        "Content-Disposition": f'inline; filename="draft-{draft_id}-image-{image.position + 1}"'})


@router.post("/drafts/{draft_id}/publication/correct")
async def correct_publication(request: Request, work: Work, user: RequiredUser,
                              draft_id: int) -> Response:
    submitted = await request.form()
    form = {key: _text(submitted.get(key)) for key in ("url", "platform_id", "reason")}

    def change(draft: Draft) -> str:
        service.correct_publication(work.session, user=user, draft=draft, url=form["url"],
                                    platform_id=form["platform_id"], reason=form["reason"])
        return "The published address is corrected."

    return _draft_form(request, work, user, draft_id, "correct", form, change)


def _datetime_local(value: datetime | None, zone: Any) -> str:
    """A stored time as a `datetime-local` field's value, in the zone."""
    return to_local(value, zone).strftime("%Y-%m-%dT%H:%M") if value is not None else ""


def _local_time(value: str, settings: Any) -> datetime | None:
    """A `datetime-local` field, read in the configured zone; empty means now."""
    if not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        message = "Enter the date and time it was published, for example 2026-11-21 09:30."
        raise BadInput(message, fields=[FieldError(["published_at"], message)]) from None
    return parsed.replace(tzinfo=settings.zone) if parsed.tzinfo is None else parsed


@router.post("/drafts/{draft_id}/withdraw")
async def withdraw(request: Request, work: Work, user: RequiredUser, draft_id: int) -> Response:
    reason = _text((await request.form()).get("reason"))

    def change(draft: Draft) -> str:
        service.withdraw(work.session, user=user, draft=draft, reason=reason)
        return "Draft withdrawn. Its history is kept."

    return _draft_form(request, work, user, draft_id, "withdraw", {"reason": reason}, change)


# --- dashboard -----------------------------------------------------------------------------------


def _my_drafts(session: Session, user: User) -> list[Draft]:
    return queries.drafts_by(session, user, limit=10)


def _exceptions_for_me(session: Session, user: User) -> list[DraftException]:
    return queries.exceptions_waiting_for(session, user, comms_staff=is_comms_staff(session, user))


DRAFTS_PANEL = Panel(
    key="your-drafts", title="Your drafts", template="publishing/panel_drafts.html",
    empty_text="You have no drafts in progress.", gather=_my_drafts, hide_when_empty=True,
    link="/drafts",
)
EXCEPTIONS_PANEL = Panel(
    key="exceptions-waiting", title="Exceptions waiting for you",
    template="publishing/panel_exceptions.html",
    empty_text="No exception requests are waiting for you.", gather=_exceptions_for_me,
    hide_when_empty=True, link="/drafts",
)

__all__ = ["DRAFTS_PANEL", "EXCEPTIONS_PANEL", "preview", "router"]
