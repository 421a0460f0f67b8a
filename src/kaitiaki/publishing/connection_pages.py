"""The channel page's "Platform connection" section: the business owner connects the channel to
its platform account, replaces or revokes the credentials, and anyone who moderates it can fetch
replies now. A refused form shows the channel page again with the message and what was typed
(never the secret)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from kaitiaki.common.work import UnitOfWork
from kaitiaki.errors import AppError
from kaitiaki.models import Channel, User
from kaitiaki.moderation.permissions import require_can_moderate
from kaitiaki.publishing import connections
from kaitiaki.publishing.connectors import PublishFailed
from kaitiaki.publishing.platform_replies import pull_replies
from kaitiaki.register import pages as register_pages
from kaitiaki.register import service as register_service
from kaitiaki.register.permissions import is_business_owner
from kaitiaki.web.deps import RequiredUser, Work
from kaitiaki.web.forms import Done, handle_form

router = APIRouter(prefix="/register/channels", include_in_schema=False)

Text = Annotated[str, Form(max_length=8000)]
ANCHOR = "#connection"


def connection_context(session: Session, user: User, channel: Channel) -> dict:
    """What the channel page shows about the connection (for register.pages.channel_page)."""
    return {"connection": connections.active_connection(session, channel),
            "connection_form": connections.CONNECTABLE.get(channel.platform),
            "can_connect": is_business_owner(user, channel)}


def _form(request: Request, work: UnitOfWork, user: User, channel_id: int, form: dict,
          change: Callable[[Channel], str]) -> Response:
    """A form of the connection section: `change` returns what to say; refused, the channel page
    again with the problem and what was typed."""

    def done() -> Done:
        channel = register_service.require_channel(work.session, channel_id)
        return Done(change(channel), f"{register_service.channel_path(channel)}{ANCHOR}")

    def refused(error: AppError) -> Response:
        channel = register_service.require_channel(work.session, channel_id)
        return register_pages.channel_page(request, work.session, user, channel, error=error,
                                           form_name="connect", form=form,
                                           status_code=error.status_code)

    return handle_form(request, work, done, refused)


@router.post("/{channel_id}/connection")
def connect(request: Request, work: Work, user: RequiredUser, channel_id: int, account: Text = "",
            secret: Text = "", service_url: Text = "") -> Response:
    def change(channel: Channel) -> str:
        connection = connections.connect(work.session, work.settings, user=user, channel=channel,
                                         account=account, secret=secret, service_url=service_url)
        return (f"@{channel.handle} is connected to {channel.platform} as {connection.account}. "
                "Posts sent from Kaitiaki now go out by themselves.")

    # The secret is never sent back to the page.
    return _form(request, work, user, channel_id, {"account": account, "service_url": service_url},
                 change)


@router.post("/{channel_id}/connection/revoke")
def revoke(request: Request, work: Work, user: RequiredUser, channel_id: int) -> Response:
    def change(channel: Channel) -> str:
        connections.revoke(work.session, user=user, channel=channel)
        return f"@{channel.handle} is no longer connected: its posts are published by hand again."

    return _form(request, work, user, channel_id, {}, change)


@router.post("/{channel_id}/connection/fetch")
def fetch_now(request: Request, work: Work, user: RequiredUser, channel_id: int) -> Response:
    def change(channel: Channel) -> str:
        require_can_moderate(work.session, user, channel)
        try:
            report = pull_replies(work.session, work.settings, channel, pack=work.pack,
                                  actor=user.email, now=work.now())
        except PublishFailed as error:  # kept on the connection (committed) for the page to show
            return f"Replies could not be fetched: {error}"
        if report is None:
            return f"@{channel.handle} is not connected to its platform."
        return (f"{report.stored} new replies are in the moderation queue "
                f"({report.already_stored} were there already).")

    return _form(request, work, user, channel_id, {}, change)


__all__ = ["connection_context", "router"]
