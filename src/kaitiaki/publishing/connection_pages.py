"""The channel page's "Platform connection" section: the business owner connects the channel to
its platform account, replaces or revokes the credentials, and anyone who moderates it can fetch
replies now. A refused form shows the channel page again with the message and what was typed
(never the secret)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from kaitiaki.errors import AppError
from kaitiaki.models import Channel, User
from kaitiaki.moderation.permissions import require_can_moderate
from kaitiaki.moderation.web import pack_of
from kaitiaki.publishing import connections
from kaitiaki.publishing.connectors import PublishFailed
from kaitiaki.publishing.platform_replies import pull_replies
from kaitiaki.register import pages as register_pages
from kaitiaki.register import service as register_service
from kaitiaki.register.permissions import is_business_owner
from kaitiaki.timeutil import utcnow
from kaitiaki.web.deps import AppSettings, DbSession, RequiredUser
from kaitiaki.web.templating import flash

router = APIRouter(prefix="/register/channels", include_in_schema=False)

Text = Annotated[str, Form(max_length=8000)]
ANCHOR = "#connection"


def connection_context(session: Session, user: User, channel: Channel) -> dict:
    """What the channel page shows about the connection (for register.pages.channel_page)."""
    return {"connection": connections.active_connection(session, channel),
            "connection_form": connections.CONNECTABLE.get(channel.platform),
            "can_connect": is_business_owner(user, channel)}


def _back(request: Request, channel: Channel, message: str) -> Response:
    flash(request, message)
    return RedirectResponse(f"{register_service.channel_path(channel)}{ANCHOR}", status_code=303)


def _refused(request: Request, session: Session, user: User, channel_id: int, error: AppError,
             form: dict) -> Response:
    session.rollback()
    channel = register_service.require_channel(session, channel_id)
    return register_pages.channel_page(request, session, user, channel, error=error,
                                       form_name="connect", form=form,
                                       status_code=error.status_code)


@router.post("/{channel_id}/connection")
def connect(request: Request, session: DbSession, user: RequiredUser, settings: AppSettings,
            channel_id: int, account: Text = "", secret: Text = "",
            service_url: Text = "") -> Response:
    form = {"account": account, "service_url": service_url}  # the secret is never sent back
    try:
        channel = register_service.require_channel(session, channel_id)
        connection = connections.connect(session, settings, user=user, channel=channel,
                                         account=account, secret=secret, service_url=service_url)
    except AppError as error:
        return _refused(request, session, user, channel_id, error, form)
    return _back(request, channel, f"@{channel.handle} is connected to {channel.platform} as "
                                   f"{connection.account}. Posts sent from Kaitiaki now go out "
                                   "by themselves.")


@router.post("/{channel_id}/connection/revoke")
def revoke(request: Request, session: DbSession, user: RequiredUser, channel_id: int) -> Response:
    try:
        channel = register_service.require_channel(session, channel_id)
        connections.revoke(session, user=user, channel=channel)
    except AppError as error:
        return _refused(request, session, user, channel_id, error, {})
    return _back(request, channel, f"@{channel.handle} is no longer connected: its posts are "
                                   "published by hand again.")


@router.post("/{channel_id}/connection/fetch")
def fetch_now(request: Request, session: DbSession, user: RequiredUser, settings: AppSettings,
              channel_id: int) -> Response:
    try:
        channel = register_service.require_channel(session, channel_id)
        require_can_moderate(session, user, channel)
        report = pull_replies(session, settings, channel, pack=pack_of(request),
                              actor=user.email, now=utcnow())
    except PublishFailed as error:
        session.commit()  # keep the error on the connection for the page to show
        return _back(request, channel, f"Replies could not be fetched: {error}")
    except AppError as error:
        return _refused(request, session, user, channel_id, error, {})
    if report is None:
        return _back(request, channel, f"@{channel.handle} is not connected to its platform.")
    return _back(request, channel, f"{report.stored} new replies are in the moderation queue "
                                   f"({report.already_stored} were there already).")


__all__ = ["connection_context", "router"]
