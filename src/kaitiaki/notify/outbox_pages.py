"""The Outbox page for administrators: emails that wait for delivery or were given up, each with
the last reason, and a button to send one again."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from kaitiaki.notify import outbox
from kaitiaki.common.roles import ADMIN
from kaitiaki.people.service import require_role
from kaitiaki.web.deps import DbSession, RequiredUser
from kaitiaki.web.templating import flash, render

router = APIRouter(prefix="/admin/outbox", include_in_schema=False)


@router.get("")
def outbox_page(request: Request, session: DbSession, user: RequiredUser) -> Response:
    require_role(session, user, ADMIN)
    messages = outbox.list_messages(session, ("dead", "pending"))
    return render(request, "admin/outbox.html", {
        "messages": messages, "dead": sum(1 for m in messages if m.state == "dead")})


@router.post("/{message_id}/retry")
def retry(request: Request, session: DbSession, user: RequiredUser, message_id: int) -> Response:
    require_role(session, user, ADMIN)
    message = outbox.retry(session, message_id)
    flash(request, f"The email to {message.recipients} will be sent again within a minute.")
    return RedirectResponse("/admin/outbox", status_code=303)


__all__ = ["router"]
