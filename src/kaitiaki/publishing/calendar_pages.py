"""The calendar page: /calendar?view=week|month&date=YYYY-MM-DD&channel=<id>. A week is a list of
days; a month is a table with a caption and a header for each weekday, which narrow screens show
as a list of the days that have posts."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kaitiaki.common.access import require_active
from kaitiaki.errors import NotPermitted
from kaitiaki.publishing import calendar
from kaitiaki.publishing.schemas import KIND_LABELS, PLATFORM_NAMES
from kaitiaki.timeutil import to_local, utcnow
from kaitiaki.web.deps import AppSettings, DbSession, RequiredUser
from kaitiaki.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/calendar")
def show_calendar(request: Request, session: DbSession, user: RequiredUser,
                  settings: AppSettings, view: str = "week", channel: str = "") -> Response:
    require_active(user)
    today = to_local(utcnow(), settings.zone).date()
    problem = ""
    view = view if view in calendar.VIEWS else "week"
    anchor = today
    typed = request.query_params.get("date", "")[:20]  # `date` would shadow the type
    if typed:
        try:
            anchor = date.fromisoformat(typed)
        except ValueError:
            problem = f"“{typed}” is not a date such as {today.isoformat()}; showing this {view}."
    channels = calendar.visible_channels(session, user)
    chosen = None
    if channel.strip():
        chosen = next((c for c in channels if str(c.id) == channel.strip()), None)
        if chosen is None:
            raise NotPermitted("That channel is not one you post on, own or look after; the "
                               "calendar shows the channels you can see.")
    shown = calendar.build(session, channels=[chosen] if chosen else channels, view=view,
                           anchor=anchor, zone=settings.zone)
    context = {"calendar": shown, "channels": channels, "chosen": chosen, "today": today,
               "problem": problem, "kind_labels": KIND_LABELS, "platform_names": PLATFORM_NAMES}
    return render(request, "publishing/calendar.html", context)


__all__ = ["router"]
