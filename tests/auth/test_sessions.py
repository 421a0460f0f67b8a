"""Server-side sign-in sessions through the pages (SQLite, and PostgreSQL when configured): a copy
of the session cookie stops working the moment the session is ended, however it is ended, and
sessions time out when idle and at their absolute expiry (with the app's clock fixed)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from kaitiaki.app import SESSION_COOKIE, create_app
from kaitiaki.config import Settings
from kaitiaki.jobs.periodic import purge_sessions
from kaitiaki.models import LoginAttempt, User, UserSession
from tests.fixtures.clock import SetClock
from tests.fixtures.people import DEFAULT_PASSWORD, make_user
from tests.web.helpers import form_token, post_form, sign_in

CHROME_ON_WINDOWS = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
                     "Gecko) Chrome/131.0 Safari/537.36")
NEW_PASSWORD = "another-long-password"


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture
def browser(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False, headers={"user-agent": CHROME_ON_WINDOWS}) as client:
        yield client


def copy_of(app: FastAPI, original: TestClient) -> TestClient:
    """Another client holding a copy of `original`'s session cookie, as a thief would."""
    thief = TestClient(app, follow_redirects=False)
    thief.cookies.set(SESSION_COOKIE, original.cookies[SESSION_COOKIE])
    return thief


def signed_in(client: TestClient) -> bool:
    response = client.get("/people/me/sessions")
    assert response.status_code in (200, 303), response.text
    return response.status_code == 200


def person(session: Session, **roles: list[str]) -> User:
    user = make_user(session, **roles)
    session.commit()
    return user


def test_a_copied_cookie_is_refused_after_sign_out(app: FastAPI, browser: TestClient,
                                                   session: Session):
    user = person(session)
    assert sign_in(browser, user.email, DEFAULT_PASSWORD).status_code == 303
    thief = copy_of(app, browser)
    assert signed_in(thief)
    browser.post("/logout", data={"csrf_token": form_token(browser, "/self-check")})
    assert not signed_in(browser)
    assert not signed_in(thief)
    row = session.scalars(select(UserSession).where(UserSession.user_id == user.id)).one()
    assert row.end_reason == "signed_out"


def test_the_cookie_holds_a_random_secret_not_the_person(app: FastAPI, browser: TestClient,
                                                         session: Session):
    user = person(session)
    sign_in(browser, user.email, DEFAULT_PASSWORD)
    first = browser.cookies[SESSION_COOKIE]
    browser.post("/logout", data={"csrf_token": form_token(browser, "/self-check")})
    sign_in(browser, user.email, DEFAULT_PASSWORD)
    # Two sign-ins of one person carry different secrets; the old one does not come back to life.
    assert browser.cookies[SESSION_COOKIE] != first
    thief = TestClient(app, follow_redirects=False)
    thief.cookies.set(SESSION_COOKIE, first)
    assert not signed_in(thief)


def test_changing_ones_password_ends_the_other_sessions_and_keeps_this_one(
    app: FastAPI, browser: TestClient, session: Session
):
    user = person(session)
    sign_in(browser, user.email, DEFAULT_PASSWORD)
    thief = copy_of(app, browser)
    with TestClient(app, follow_redirects=False) as laptop:
        sign_in(laptop, user.email, DEFAULT_PASSWORD)
        wrong = post_form(browser, "/people/me/password",
                          {"current_password": "not-it-at-all", "new_password": NEW_PASSWORD},
                          token_from="/people/me/sessions")
        assert wrong.status_code == 422
        assert "Your current password is not correct." in wrong.text
        assert signed_in(laptop)
        # Guessing the current password here is throttled like signing in.
        for _ in range(4):
            post_form(browser, "/people/me/password",
                      {"current_password": "still-not-it", "new_password": NEW_PASSWORD},
                      token_from="/people/me/sessions")
        locked = post_form(browser, "/people/me/password",
                           {"current_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD},
                           token_from="/people/me/sessions")
        assert locked.status_code == 429
        assert "Too many failed sign-in attempts" in locked.text
        session.execute(delete(LoginAttempt))
        session.commit()
        changed = post_form(browser, "/people/me/password",
                            {"current_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD},
                            token_from="/people/me/sessions")
        assert changed.status_code == 303
        assert not signed_in(laptop)
    # The copy is of this browser's session, which stays: the thief must be refused by another
    # way (sign-out), but a copy of any other session is refused at once.
    assert signed_in(browser)
    assert signed_in(thief)
    browser.post("/logout", data={"csrf_token": form_token(browser, "/self-check")})
    assert not signed_in(thief)
    assert sign_in(browser, user.email, DEFAULT_PASSWORD).status_code == 400
    assert sign_in(browser, user.email, NEW_PASSWORD).status_code == 303


def test_an_administrator_setting_a_password_ends_every_session_of_the_person(
    app: FastAPI, browser: TestClient, session: Session
):
    admin = person(session, roles=["admin"])
    user = person(session)
    with TestClient(app, follow_redirects=False) as victim:
        sign_in(victim, user.email, DEFAULT_PASSWORD)
        thief = copy_of(app, victim)
        sign_in(browser, admin.email, DEFAULT_PASSWORD)
        response = post_form(browser, f"/admin/users/{user.id}/password",
                             {"password": NEW_PASSWORD}, token_from=f"/admin/users/{user.id}")
        assert response.status_code == 303
        assert not signed_in(victim)
        assert not signed_in(thief)
    assert signed_in(browser)


def test_deactivation_ends_every_session_of_the_person(app: FastAPI, browser: TestClient,
                                                       session: Session):
    admin = person(session, roles=["admin"])
    user = person(session)
    with TestClient(app, follow_redirects=False) as leaver:
        sign_in(leaver, user.email, DEFAULT_PASSWORD)
        thief = copy_of(app, leaver)
        sign_in(browser, admin.email, DEFAULT_PASSWORD)
        response = post_form(browser, f"/admin/users/{user.id}/deactivate", {},
                             token_from=f"/admin/users/{user.id}")
        assert response.status_code == 303
        assert not signed_in(thief)
    rows = session.scalars(select(UserSession).where(UserSession.user_id == user.id)).all()
    assert [row.end_reason for row in rows] == ["deactivated"]


def test_sign_out_everywhere_from_the_persons_page(app: FastAPI, browser: TestClient,
                                                   session: Session):
    admin = person(session, roles=["admin"])
    user = person(session)
    with TestClient(app, follow_redirects=False, headers={"user-agent": CHROME_ON_WINDOWS}) as phone, \
            TestClient(app, follow_redirects=False) as desk:
        sign_in(phone, user.email, DEFAULT_PASSWORD)
        sign_in(desk, user.email, DEFAULT_PASSWORD)
        thief = copy_of(app, phone)
        sign_in(browser, admin.email, DEFAULT_PASSWORD)
        page = browser.get(f"/admin/users/{user.id}")
        assert "Signed in on 2 browsers" in page.text
        assert "Chrome on Windows" in page.text
        response = post_form(browser, f"/admin/users/{user.id}/sign-out-everywhere", {},
                             token_from=f"/admin/users/{user.id}")
        assert response.status_code == 303
        assert "signed out everywhere (2 sessions ended)" in browser.get(response.headers["location"]).text
        assert not signed_in(phone)
        assert not signed_in(desk)
        assert not signed_in(thief)
    assert signed_in(browser)
    assert "signed the person out everywhere" in browser.get(f"/admin/users/{user.id}").text


def test_a_person_sees_their_sessions_and_ends_one(app: FastAPI, browser: TestClient,
                                                   session: Session):
    user = person(session)
    sign_in(browser, user.email, DEFAULT_PASSWORD)
    with TestClient(app, follow_redirects=False, headers={"user-agent": "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"}) as other:
        sign_in(other, user.email, DEFAULT_PASSWORD)
        page = browser.get("/people/me/sessions")
        assert "Chrome on Windows <strong>(this browser)</strong>" in page.text
        assert "Sign out Firefox on Linux" in page.text
        other_id = session.scalars(select(UserSession.id).where(
            UserSession.user_id == user.id, UserSession.device == "Firefox on Linux")).one()
        ended = post_form(browser, f"/people/me/sessions/{other_id}/end", {},
                          token_from="/people/me/sessions")
        assert ended.status_code == 303
        assert not signed_in(other)
        assert signed_in(browser)
        assert "Firefox on Linux" not in browser.get("/people/me/sessions").text
    # Someone else's session, or one already ended, is not found.
    again = post_form(browser, f"/people/me/sessions/{other_id}/end", {},
                      token_from="/people/me/sessions")
    assert again.status_code == 404


def test_idle_and_absolute_timeouts_with_a_fixed_clock(app: FastAPI, browser: TestClient,
                                                       session: Session, settings: Settings):
    user = person(session)
    clock = SetClock(datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
    app.state.clock = clock
    idle = timedelta(seconds=settings.session_idle_timeout_seconds)
    sign_in(browser, user.email, DEFAULT_PASSWORD)
    # Used every so often, just inside the idle timeout, it lasts until its absolute expiry...
    step = idle - timedelta(minutes=1)
    absolute_end = clock.now + timedelta(seconds=settings.session_max_age_seconds)
    while clock.now + step < absolute_end:
        clock.now += step
        assert signed_in(browser), clock.now
    clock.now = absolute_end
    assert not signed_in(browser)
    # ...and left alone for the idle timeout, it ends.
    clock.now += timedelta(hours=1)
    sign_in(browser, user.email, DEFAULT_PASSWORD)
    clock.now += idle - timedelta(seconds=1)
    thief = copy_of(app, browser)
    assert signed_in(thief)
    clock.now += idle - timedelta(seconds=1)
    assert signed_in(browser)  # the thief's use a moment ago kept it alive
    clock.now += idle
    assert not signed_in(browser)
    assert not signed_in(thief)


def test_the_purge_job_deletes_ended_and_timed_out_sessions_only(
    app: FastAPI, browser: TestClient, session: Session, settings: Settings, engine
):
    user = person(session)
    sign_in(browser, user.email, DEFAULT_PASSWORD)
    with TestClient(app, follow_redirects=False) as other:
        sign_in(other, user.email, DEFAULT_PASSWORD)
        other.post("/logout", data={"csrf_token": form_token(other, "/self-check")})
    count = select(func.count(UserSession.id))
    assert session.scalar(count) == 2
    now = datetime.now(UTC)
    assert "1 ended or expired sessions" in purge_sessions(engine, settings, lambda: now)
    session.rollback()  # a fresh read
    assert session.scalar(count) == 1
    assert signed_in(browser)
    later = now + timedelta(seconds=settings.session_idle_timeout_seconds + 1)
    assert "1 ended or expired sessions" in purge_sessions(engine, settings, lambda: later)
    session.rollback()
    assert session.scalar(count) == 0
