"""Connecting a channel to its platform account: the channel's business owner gives the account
and its credentials (tried with the platform before they are saved, then stored encrypted and
never shown again), can replace them and revoke them.
Each change is audited on the channel ("channel:<id>") without the secret; each call to the
platform records its success or its error on the connection, which the register shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from kaitiaki.audit import service as audit
from kaitiaki.common.forms import FieldErrors, clean_text
from kaitiaki.common.rows import lock_latest
from kaitiaki.config import Settings, SettingsError
from kaitiaki.errors import BadInput, Conflict, FieldError
from kaitiaki.models import Channel, ChannelConnection, User
from kaitiaki.publishing.connectors import PublishFailed, outside_transaction
from kaitiaki.publishing.credentials import encrypt
from kaitiaki.publishing.live import live_connector
from kaitiaki.register import permissions as register_permissions
from kaitiaki.register.service import subject_of
from kaitiaki.timeutil import utcnow

MAX_ERROR_LENGTH = 1000


@dataclass(frozen=True)
class PlatformForm:
    """What connecting a platform asks for, in the words of its own settings pages."""

    account_label: str
    account_hint: str
    secret_label: str
    secret_hint: str
    service_label: str
    default_service_url: str


# The platforms Kaitiaki publishes on by itself. X, LinkedIn, TikTok and the rest stay manual: the
# poster publishes by hand and records the address.
CONNECTABLE: dict[str, PlatformForm] = {
    "bluesky": PlatformForm(
        "Handle", "The account's handle, e.g. civildefence.govt.nz", "App password",
        "Create one under Settings > Privacy and security > App passwords; never the account's "
        "own password.", "Service (PDS) address", "https://bsky.social"),
    "mastodon": PlatformForm(
        "Account", "The account, e.g. @civildefence@mastodon.nz", "Access token",
        "Preferences > Development > New application, with the read and write scopes.",
        "Instance address", "https://mastodon.social"),
    "facebook": PlatformForm(
        "Page id", "The Facebook page's numeric id", "Page access token",
        "A long-lived page token with pages_manage_posts and pages_read_user_content.",
        "Graph API address", "https://graph.facebook.com/v21.0"),
    "instagram": PlatformForm(
        "Instagram account id", "The professional account's numeric id", "Access token",
        "A token with instagram_content_publish and instagram_manage_comments.",
        "Graph API address", "https://graph.facebook.com/v21.0"),
}


def active_connection(session: Session, channel: Channel) -> ChannelConnection | None:
    return session.scalars(select(ChannelConnection).where(
        ChannelConnection.channel_id == channel.id, ChannelConnection.state == "active")
        .order_by(ChannelConnection.id.desc())).first()


def any_active(session: Session) -> bool:
    return bool(session.scalar(select(exists().where(ChannelConnection.state == "active"))))


def refuse_without_key(session: Session, settings: Settings) -> None:
    """Production start-up: connected channels need KAITIAKI_CONNECTION_KEY to be used at all."""
    if settings.env == "production" and not settings.connection_key and any_active(session):
        raise SettingsError("Kaitiaki will not start in production: channels are connected to "
                            "their platforms but KAITIAKI_CONNECTION_KEY is not set, so their "
                            "credentials cannot be read. Set it to the key they were stored with.")


def connect(session: Session, settings: Settings, *, user: User, channel: Channel, account: str,
            secret: str, service_url: str = "") -> ChannelConnection:
    """Connect (or reconnect, replacing the credentials) the channel to its platform account."""
    register_permissions.require_business_owner(user, channel, "connect it to its platform")
    form = CONNECTABLE.get(channel.platform)
    if form is None:
        raise Conflict(f"Kaitiaki does not publish on {channel.platform} by itself: post there by "
                       "hand and record each post's address on its draft.")
    errors = FieldErrors()
    account = clean_text(account, errors, "account", form.account_label.lower(), max_length=300)
    secret = clean_text(secret, errors, "secret", form.secret_label.lower(), max_length=2000)
    service_url = clean_text(service_url, errors, "service_url", form.service_label.lower(),
                             required=False, max_length=500) or form.default_service_url
    parts = urlsplit(service_url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        errors.add("service_url", f"Enter the {form.service_label.lower()} starting with https://.")
    errors.raise_if_any()
    account = account.lstrip("@") if channel.platform == "bluesky" else account
    service_url = service_url.rstrip("/")
    try_credentials(session, ChannelConnection(platform=channel.platform, account=account,
                                               service_url=service_url), secret)
    channel = lock_latest(session, channel)
    now = utcnow()
    replaced = active_connection(session, channel)
    if replaced is not None:
        replaced.state = "revoked"
        replaced.revoked_at = now
        replaced.revoked_by_id = user.id
    connection = ChannelConnection(
        channel_id=channel.id, platform=channel.platform, account=account, service_url=service_url,
        secret=encrypt(settings, secret), state="active", connected_by_id=user.id,
        connected_at=now)
    session.add(connection)
    session.flush()
    audit.record(session, actor=user.email, action="channel.connected", subject=subject_of(channel),
                 details={"connection": connection.id, "platform": channel.platform,
                          "account": connection.account, "service_url": connection.service_url,
                          "replaced": replaced.id if replaced else None})
    return connection


def try_credentials(session: Session, connection: ChannelConnection, secret: str) -> None:
    """Sign in to the platform with the credentials before they are saved (a Bluesky session with
    the PDS, Mastodon's "verify credentials", the Graph API's page): BadInput, saying what the
    platform answered, when they do not work. The platform is asked with no transaction open."""
    connector = live_connector(connection, secret)
    if connector is None:
        return
    try:
        outside_transaction(session, connector.verify)
    except PublishFailed as error:
        message = f"Not connected: these credentials did not work, so nothing was saved. {error}"
        raise BadInput(message, fields=[FieldError(["secret"], message)]) from error


def revoke(session: Session, *, user: User, channel: Channel) -> ChannelConnection:
    """Stop using the channel's credentials; it goes back to manual publishing."""
    register_permissions.require_business_owner(user, channel, "disconnect it")
    channel = lock_latest(session, channel)
    connection = active_connection(session, channel)
    if connection is None:
        raise Conflict(f"@{channel.handle} is not connected to {channel.platform}.")
    connection.state = "revoked"
    connection.revoked_at = utcnow()
    connection.revoked_by_id = user.id
    session.flush()
    audit.record(session, actor=user.email, action="channel.connection_revoked",
                 subject=subject_of(channel),
                 details={"connection": connection.id, "account": connection.account})
    return connection


def record_success(connection: ChannelConnection, now: datetime) -> None:
    connection.last_used_at = now
    connection.last_error = None
    connection.last_error_at = None


def record_error(connection: ChannelConnection, message: str, now: datetime) -> None:
    connection.last_error = message[:MAX_ERROR_LENGTH]
    connection.last_error_at = now


__all__ = ["CONNECTABLE", "PlatformForm", "active_connection", "any_active", "connect",
           "record_error", "record_success", "refuse_without_key", "revoke", "try_credentials"]
