"""Replies on a connected platform: pulled into the channel's moderation queue (on a schedule and
by "Fetch replies now"), and a moderator's hide or delete carried out on the platform where the
platform allows it. Each call records its success or error on the connection.

The platform is called with no transaction open (`outside_transaction`): what was done before the
call (a moderator's decision in Kaitiaki, say) is committed first and stands whatever the platform
answers; the answer is recorded in the session's next transaction, which the caller commits."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaitiaki.checker import CompiledPack
from kaitiaki.config import Settings
from kaitiaki.models import Channel, ChannelConnection, Comment, Draft
from kaitiaki.moderation.formats import CommentIn
from kaitiaki.moderation.ingest import ImportReport, import_comments
from kaitiaki.publishing import connections
from kaitiaki.publishing.connectors import PublishFailed, connector_for, outside_transaction

# Replies are looked for under the posts published in this many days.
REPLY_WINDOW = timedelta(days=30)


def posts_to_watch(session: Session, channel: Channel, connector: str, now: datetime) -> list[str]:
    return list(session.scalars(select(Draft.platform_post_id).where(
        Draft.channel_id == channel.id, Draft.state == "published", Draft.connector == connector,
        Draft.platform_post_id.is_not(None), Draft.published_at >= now - REPLY_WINDOW)))


def pull_replies(session: Session, settings: Settings, channel: Channel, *, pack: CompiledPack,
                 actor: str, now: datetime) -> ImportReport | None:
    """Check and store the replies to the channel's recent posts (those stored before are
    skipped). None when the channel is not connected. A platform error is recorded on the
    connection and raised as PublishFailed."""
    connection = connections.active_connection(session, channel)
    connector = connector_for(session, settings, channel)
    if connection is None or connector is None:
        return None
    watched = posts_to_watch(session, channel, connector.name, now)
    try:
        found = outside_transaction(session, lambda: connector.replies(watched))
    except PublishFailed as error:
        connections.record_error(connection, str(error), now)
        raise
    records = [CommentIn(number=number, external_id=reply.external_id, text=reply.text,
                         author_handle=reply.author_handle, author_name=reply.author_name,
                         posted_at=reply.posted_at, url=reply.url, in_reply_to=reply.parent_id)
               for number, reply in enumerate(found, start=1)]
    report = import_comments(session, channel=channel, pack=pack, records=records, actor=actor,
                             source=connector.name)
    connections.record_success(connection, now)
    connection.replies_fetched_at = now
    session.flush()
    return report


def connected_channels(session: Session) -> list[Channel]:
    return list(session.scalars(select(Channel).join(
        ChannelConnection, ChannelConnection.channel_id == Channel.id)
        .where(ChannelConnection.state == "active", Channel.status == "active")
        .order_by(Channel.id)).unique())


def moderate_on_platform(session: Session, settings: Settings, comment: Comment, action: str,
                         now: datetime) -> str:
    """Carry a moderator's hide or delete out on the platform; what happened, in words for the
    moderator ("" when the channel is not connected or the action stays in Kaitiaki)."""
    if action not in ("hide", "delete"):
        return ""
    connection = connections.active_connection(session, comment.channel)
    connector = connector_for(session, settings, comment.channel)
    if connection is None or connector is None:
        return ""
    platform = comment.channel.platform.capitalize()
    carry_out = getattr(connector, "hide_reply" if action == "hide" else "delete_reply", None)
    if carry_out is None:
        other = "hide it instead, or " if action == "delete" else ""
        return (f"{platform} does not let the agency {action} other people's replies: "
                f"{other}report it to {platform}.")
    done = "Hidden" if action == "hide" else "Deleted"
    external_id = comment.external_id
    try:
        outside_transaction(session, lambda: carry_out(external_id))
    except PublishFailed as error:
        connections.record_error(connection, str(error), now)
        return f"Not {done.lower()} on {platform}: {error}"
    connections.record_success(connection, now)
    return f"{done} on {platform} too."


__all__ = ["REPLY_WINDOW", "connected_channels", "moderate_on_platform", "posts_to_watch",
           "pull_replies"]
