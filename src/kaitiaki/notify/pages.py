"""The Notifications page (a person's in-app notices, newest first) and its dashboard panel."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from kaitiaki.auth.pages import safe_next
from kaitiaki.models import Notification, User
from kaitiaki.notify import inapp
from kaitiaki.web.dashboard import Panel
from kaitiaki.web.deps import DbSession, RequiredUser
from kaitiaki.web.templating import flash, render

router = APIRouter(prefix="/notifications", include_in_schema=False)
PANEL_LIMIT = 5


@router.get("")
def notifications_page(request: Request, session: DbSession, user: RequiredUser) -> Response:
    notices = inapp.notifications_for(session, user, limit=100)
    return render(request, "notifications/index.html",
                  {"notices": notices, "unread": inapp.unread_count(session, user)})


@router.get("/bell")
def bell(request: Request, session: DbSession, user: RequiredUser) -> Response:
    """The link in the page header with the unread count (htmx loads it after the page)."""
    return render(request, "notifications/bell.html", {"unread": inapp.unread_count(session, user)})


@router.post("/read-all")
def read_all(request: Request, session: DbSession, user: RequiredUser) -> Response:
    count = inapp.mark_all_read(session, user)
    flash(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
    return RedirectResponse("/notifications", status_code=303)


@router.post("/{notification_id}/open")
def open_notification(session: DbSession, user: RequiredUser, notification_id: int) -> Response:
    """Mark it read and go to what it is about."""
    notice = inapp.mark_read(session, user, notification_id)
    return RedirectResponse(safe_next(notice.link or "/notifications"), status_code=303)


def _unread(session: Session, user: User) -> list[Notification]:
    return inapp.notifications_for(session, user, unread_only=True, limit=PANEL_LIMIT)


NOTIFICATIONS_PANEL = Panel(
    key="notifications",
    title="New notifications",
    template="notifications/panel.html",
    empty_text="You have no unread notifications.",
    gather=_unread,
    link="/notifications",
    hide_when_empty=True,  # the bell in the header already says "none"
)

__all__ = ["NOTIFICATIONS_PANEL", "router"]
