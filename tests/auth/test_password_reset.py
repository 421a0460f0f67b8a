"""Password reset by emailed single-use link, end to end (SQLite, and PostgreSQL when configured):
the request goes through the outbox to a real SMTP server (aiosmtpd), the link in the email sets
a new password once, and every session of the person ends."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kaitiaki.app import SESSION_COOKIE, create_app
from kaitiaki.config import Settings
from kaitiaki.jobs.periodic import deliver_outbox
from kaitiaki.models import OutboxMessage, PasswordResetToken
from tests.fixtures.mail import MailSink, mail_sink  # noqa: F401 (a fixture)
from tests.fixtures.clock import SetClock
from tests.fixtures.people import DEFAULT_PASSWORD, make_user
from tests.web.helpers import form_token, post_form, sign_in

NEW_PASSWORD = "a-brand-new-password"
LINK = re.compile(r"http://testserver(/login/reset/[A-Za-z0-9_-]+)")
SAME_ANSWER = "If there is a Kaitiaki account for that address, we have emailed it a link"


@pytest.fixture
def mail_settings(settings: Settings, mail_sink: MailSink) -> Settings:  # noqa: F811
    return settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": mail_sink.port,
                                       "base_url": "http://testserver"})


@pytest.fixture
def app(mail_settings: Settings) -> FastAPI:
    return create_app(mail_settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def ask_for_link(client: TestClient, email: str):
    return post_form(client, "/login/forgot", {"email": email}, token_from="/login/forgot")


def delivered_link(app: FastAPI, settings: Settings, sink: MailSink, to: str) -> str:
    deliver_outbox(app.state.engine, settings)
    [message] = [m for m in sink.received if m.recipients == [to]][-1:]
    assert message.message["Subject"] == "Reset your Kaitiaki password"
    match = LINK.search(message.message.get_payload(decode=True).decode())
    assert match, "the email has no reset link"
    return match.group(1)


def choose(client: TestClient, path: str, password: str):
    return post_form(client, path, {"password": password}, token_from=path)


def test_reset_end_to_end(app: FastAPI, client: TestClient, session: Session,
                          mail_settings: Settings, mail_sink: MailSink):  # noqa: F811
    user = make_user(session, email="mere@dpmc.example.govt.nz")
    session.commit()
    login = client.get("/login")
    assert 'href="/login/forgot"' in login.text
    # Signed in elsewhere: the reset must end that session.
    with TestClient(app, follow_redirects=False) as laptop:
        sign_in(laptop, user.email, DEFAULT_PASSWORD)
        copied = laptop.cookies[SESSION_COOKIE]
        answer = ask_for_link(client, "Mere@DPMC.example.govt.nz")
        assert answer.status_code == 200 and SAME_ANSWER in answer.text
        path = delivered_link(app, mail_settings, mail_sink, user.email)
        form = client.get(path)
        assert form.status_code == 200 and "Choose a new password" in form.text
        too_short = choose(client, path, "short")
        assert too_short.status_code == 422
        assert "at least 12 characters" in too_short.text
        done = choose(client, path, NEW_PASSWORD)
        assert done.status_code == 303
        assert done.headers["location"] == "/login?password_changed=1"
        assert "Your password is changed" in client.get(done.headers["location"]).text
        assert laptop.get("/people/me/sessions").status_code == 303
    thief = TestClient(app, follow_redirects=False)
    thief.cookies.set(SESSION_COOKIE, copied)
    assert thief.get("/people/me/sessions").status_code == 303
    # The old password no longer works; the new one does.
    assert sign_in(client, user.email, DEFAULT_PASSWORD).status_code == 400
    assert sign_in(client, user.email, NEW_PASSWORD).status_code == 303
    # The link works once.
    client.post("/logout", data={"csrf_token": form_token(client, "/self-check")})
    reused = client.get(path)
    assert reused.status_code == 422
    assert "has expired or has been used already" in reused.text
    assert choose_without_form(client, path, "yet-another-password").status_code == 422
    assert sign_in(client, user.email, NEW_PASSWORD).status_code == 303


def choose_without_form(client: TestClient, path: str, password: str):
    """Post straight to the link with a token from another page (the link's form is gone)."""
    return client.post(path, data={"password": password,
                                   "csrf_token": form_token(client, "/login/forgot")})


def test_an_unknown_address_gets_the_same_answer_and_no_email(
    client: TestClient, app: FastAPI, session: Session, mail_settings: Settings,
    mail_sink: MailSink,  # noqa: F811
):
    answer = ask_for_link(client, "nobody@dpmc.example.govt.nz")
    assert answer.status_code == 200 and SAME_ANSWER in answer.text
    deliver_outbox(app.state.engine, mail_settings)
    assert mail_sink.received == []
    bad = ask_for_link(client, "not an address")
    assert bad.status_code == 422
    assert 'value="not an address"' in bad.text


def test_an_expired_link_is_refused_and_a_newer_request_ends_the_older_link(
    app: FastAPI, client: TestClient, session: Session, mail_settings: Settings,
    mail_sink: MailSink,  # noqa: F811
):
    user = make_user(session, email="tane@dpmc.example.govt.nz")
    session.commit()
    clock = SetClock(datetime.now(UTC))
    app.state.clock = clock
    ask_for_link(client, user.email)
    first = delivered_link(app, mail_settings, mail_sink, user.email)
    ask_for_link(client, user.email)
    second = delivered_link(app, mail_settings, mail_sink, user.email)
    assert first != second
    assert client.get(first).status_code == 422  # replaced by the newer one
    clock.now += timedelta(minutes=mail_settings.password_reset_minutes, seconds=1)
    expired = client.get(second)
    assert expired.status_code == 422
    assert "has expired" in expired.text
    assert choose_without_form(client, second, NEW_PASSWORD).status_code == 422
    assert sign_in(client, user.email, DEFAULT_PASSWORD).status_code == 303


def test_requests_for_one_address_are_throttled(app: FastAPI, client: TestClient,
                                               session: Session, mail_settings: Settings,
                                               mail_sink: MailSink):  # noqa: F811
    user = make_user(session, email="huia@dpmc.example.govt.nz")
    session.commit()
    for _ in range(5):
        assert SAME_ANSWER in ask_for_link(client, user.email).text
    deliver_outbox(app.state.engine, mail_settings)
    assert len([m for m in mail_sink.received if m.recipients == [user.email]]) == 3
    session.rollback()
    assert session.scalar(select(func.count(PasswordResetToken.id))) == 3
    # The token itself is never stored, only its hash.
    tokens = session.scalars(select(PasswordResetToken.token_hash)).all()
    bodies = " ".join(str(m.payload) for m in session.scalars(select(OutboxMessage)))
    assert all(token not in bodies for token in tokens)


def test_with_passwords_off_there_is_no_reset(settings: Settings):
    sso = settings.model_copy(update={"password_sign_in": False,
                                      "oidc_issuer": "https://id.example.govt.nz",
                                      "oidc_client_id": "k",
                                      "oidc_allowed_email_domains": "example.govt.nz"})
    with TestClient(create_app(sso), follow_redirects=False) as client:
        assert client.get("/login/forgot").status_code == 404
        assert "/login/forgot" not in client.get("/login").text
