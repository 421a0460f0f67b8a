"""Choosing, changing and taking away a submitted post's time, on the draft's page
(kaitiaki.publishing.scheduling). Times are typed and shown in New Zealand time."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kaitiaki.checker.periods import period_words, periods_in_force
from kaitiaki.errors import AppError
from kaitiaki.publishing import scheduling, service
from kaitiaki.publishing.pages import _done, _refused, _text
from kaitiaki.publishing.web import gate_pack
from kaitiaki.web.deps import AppSettings, DbSession, RequiredUser

router = APIRouter(include_in_schema=False)


@router.post("/drafts/{draft_id}/schedule")
async def schedule(request: Request, session: DbSession, user: RequiredUser,
                   settings: AppSettings, draft_id: int) -> Response:
    typed = _text((await request.form()).get("scheduled_for"))
    try:
        draft = service.require_draft(session, draft_id)
        at = scheduling.local_time(typed, settings.zone)
        scheduling.schedule(session, user=user, draft=draft, at=at, zone=settings.zone)
    except AppError as exc:
        return _refused(request, session, user, draft_id, exc, "schedule",
                        {"scheduled_for": typed})
    during = "; ".join(period_words(p) for p in periods_in_force(gate_pack(request).meta, at))
    return _done(request, draft, f"Scheduled for {scheduling.spoken_time(at, settings.zone)} "
                                 "(New Zealand time)." + (
                                     f" That is during {during}: the period's rules apply when "
                                     "it is checked again as it goes out." if during else ""))


@router.post("/drafts/{draft_id}/unschedule")
async def unschedule(request: Request, session: DbSession, user: RequiredUser,
                     draft_id: int) -> Response:
    try:
        draft = service.require_draft(session, draft_id)
        scheduling.unschedule(session, user=user, draft=draft)
    except AppError as exc:
        return _refused(request, session, user, draft_id, exc, "unschedule", {})
    return _done(request, draft, "The time is taken away; the post stays submitted and does not "
                                 "go out by itself.")


__all__ = ["router"]
