"""Choosing, changing and taking away a submitted post's time, on the draft's page
(kaitiaki.publishing.scheduling). Times are typed and shown in New Zealand time."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kaitiaki.checker.periods import period_words, periods_in_force
from kaitiaki.models import Draft
from kaitiaki.publishing import scheduling
from kaitiaki.publishing.pages import _draft_form, _text
from kaitiaki.publishing.web import gate_pack
from kaitiaki.web.deps import RequiredUser, Work

router = APIRouter(include_in_schema=False)


@router.post("/drafts/{draft_id}/schedule")
async def schedule(request: Request, work: Work, user: RequiredUser, draft_id: int) -> Response:
    form = {"scheduled_for": _text((await request.form()).get("scheduled_for"))}
    zone = work.settings.zone

    def change(draft: Draft) -> str:
        at = scheduling.local_time(form["scheduled_for"], zone)
        scheduling.schedule(work.session, user=user, draft=draft, at=at, zone=zone,
                            now=work.now())
        during = "; ".join(period_words(p) for p in periods_in_force(gate_pack(request).meta, at))
        return (f"Scheduled for {scheduling.spoken_time(at, zone)} (New Zealand time)."
                + (f" That is during {during}: the period's rules apply when it is checked "
                   "again as it goes out." if during else ""))

    return _draft_form(request, work, user, draft_id, "schedule", form, change)


@router.post("/drafts/{draft_id}/unschedule")
async def unschedule(request: Request, work: Work, user: RequiredUser, draft_id: int) -> Response:
    def change(draft: Draft) -> str:
        scheduling.unschedule(work.session, user=user, draft=draft, now=work.now())
        return "The time is taken away; the post stays submitted and does not go out by itself."

    return _draft_form(request, work, user, draft_id, "unschedule", {}, change)


__all__ = ["router"]
