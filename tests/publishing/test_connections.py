"""Channel connections on SQLite and PostgreSQL: only the business owner connects, the secret is
stored encrypted and never in the audit log, a replacement revokes the old credentials, manual
platforms are refused plainly, and production will not start without the key once connected."""

from __future__ import annotations

import json

import pytest
from sqlalchemy.orm import Session

from kaitiaki.audit import queries as audit_queries
from kaitiaki.config import Settings, SettingsError
from kaitiaki.errors import BadInput, Conflict, NotPermitted
from kaitiaki.publishing import connections
from kaitiaki.publishing.credentials import decrypt
from tests.publishing.conftest import Posting, authorised_channel

APP_PASSWORD = "abcd-efgh-ijkl-mnop"


@pytest.fixture
def bluesky(db: Session, cast, credentials_accepted) -> Posting:
    return authorised_channel(db, cast, platform="bluesky", handle="civildefence.govt.nz")


def test_the_owner_connects_and_the_secret_is_only_stored_encrypted(db: Session, bluesky: Posting,
                                                                     cast_settings: Settings):
    connection = connections.connect(db, cast_settings, user=bluesky.owner, channel=bluesky.channel,
                                     account="@civildefence.govt.nz", secret=APP_PASSWORD)
    assert (connection.account, connection.service_url) == ("civildefence.govt.nz",
                                                            "https://bsky.social")
    assert APP_PASSWORD not in connection.secret
    assert decrypt(cast_settings, connection.secret) == APP_PASSWORD
    [event] = audit_queries.list_events(db, subject=f"channel:{bluesky.channel.id}", limit=1)
    assert event.action == "channel.connected" and APP_PASSWORD not in json.dumps(event.details)


def test_a_replacement_revokes_the_old_credentials(db: Session, bluesky: Posting, cast_settings):
    first = connections.connect(db, cast_settings, user=bluesky.owner, channel=bluesky.channel,
                                account="civildefence.govt.nz", secret="old-password-1234")
    second = connections.connect(db, cast_settings, user=bluesky.owner, channel=bluesky.channel,
                                 account="civildefence.govt.nz", secret=APP_PASSWORD)
    assert first.state == "revoked" and first.revoked_by_id == bluesky.owner.id
    assert connections.active_connection(db, bluesky.channel) == second
    connections.revoke(db, user=bluesky.owner, channel=bluesky.channel)
    assert connections.active_connection(db, bluesky.channel) is None
    with pytest.raises(Conflict, match="is not connected"):
        connections.revoke(db, user=bluesky.owner, channel=bluesky.channel)


def test_only_the_business_owner_connects(db: Session, bluesky: Posting, cast_settings):
    with pytest.raises(NotPermitted, match="Only the channel's business owner"):
        connections.connect(db, cast_settings, user=bluesky.poster, channel=bluesky.channel,
                            account="civildefence.govt.nz", secret=APP_PASSWORD)


def test_missing_fields_are_named(db: Session, bluesky: Posting, cast_settings):
    with pytest.raises(BadInput) as refused:
        connections.connect(db, cast_settings, user=bluesky.owner, channel=bluesky.channel,
                            account="", secret="", service_url="ftp://pds")
    assert {tuple(f.loc)[-1] for f in refused.value.fields} == {"account", "secret", "service_url"}


def test_a_manual_platform_cannot_be_connected(db: Session, cast, cast_settings):
    x = authorised_channel(db, cast, platform="x", handle="NZCivilDefence")
    with pytest.raises(Conflict, match="does not publish on x by itself: post there by hand"):
        connections.connect(db, cast_settings, user=x.owner, channel=x.channel,
                            account="NZCivilDefence", secret="token")


def test_production_will_not_start_without_the_key_once_connected(db: Session, bluesky: Posting,
                                                                   cast_settings):
    production = cast_settings.model_copy(update={"env": "production", "connection_key": None})
    connections.refuse_without_key(db, production)  # nothing connected yet: fine
    connections.connect(db, cast_settings, user=bluesky.owner, channel=bluesky.channel,
                        account="civildefence.govt.nz", secret=APP_PASSWORD)
    with pytest.raises(SettingsError, match="KAITIAKI_CONNECTION_KEY is not set"):
        connections.refuse_without_key(db, production)
    with pytest.raises(SettingsError, match="KAITIAKI_CONNECTION_KEY is required in production"):
        connections.connect(db, production, user=bluesky.owner, channel=bluesky.channel,
                            account="civildefence.govt.nz", secret=APP_PASSWORD)
