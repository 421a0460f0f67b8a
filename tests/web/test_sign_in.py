"""Signing in and out through the pages, with the generic failure message and throttling."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from kaitiaki.config import Settings
from kaitiaki.models import LoginAttempt
from kaitiaki.people import service
from tests.fixtures.people import DEFAULT_PASSWORD, make_user
from tests.web.helpers import form_token, sign_in

GENERIC = "The email address or password is not correct."


def test_sign_in_leads_to_the_dashboard_with_the_persons_name(client: TestClient, session: Session):
    make_user(session, email="hemi@dpmc.example.govt.nz", name="Hemi Tester", roles=["comms_staff"])
    session.commit()

    response = sign_in(client, "Hemi@DPMC.example.govt.nz ", DEFAULT_PASSWORD)

    assert response.status_code == 303
    assert response.headers["location"] == "/"
    dashboard = client.get("/")
    assert dashboard.status_code == 200
    assert "Kia ora, Hemi Tester" in dashboard.text
    assert "Communications staff" in dashboard.text


def test_session_cookie_is_signed_httponly_and_samesite(client: TestClient, session: Session):
    make_user(session, email="cookie@dpmc.example.govt.nz")
    session.commit()
    response = sign_in(client, "cookie@dpmc.example.govt.nz", DEFAULT_PASSWORD)
    cookie = response.headers["set-cookie"].lower()
    assert cookie.startswith("kaitiaki_session=")
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    # A tampered cookie is ignored: the person is no longer signed in.
    value = client.cookies["kaitiaki_session"]
    # A letter of the signed data changed (not of the signature's end, whose last base64 letter can
    # carry only padding bits and so decode the same).
    # The jar keeps the server's cookie under its own domain: clear it, or both would be sent.
    client.cookies.clear()
    client.cookies.set("kaitiaki_session", value[:5] + ("x" if value[5] != "x" else "y") + value[6:])
    assert client.get("/").status_code == 303


def test_wrong_password_and_unknown_user_get_the_same_message(client: TestClient, session: Session):
    make_user(session, email="aroha@dpmc.example.govt.nz")
    session.commit()

    wrong_password = sign_in(client, "aroha@dpmc.example.govt.nz", "not-the-password-at-all")
    unknown_user = sign_in(client, "nobody@dpmc.example.govt.nz", DEFAULT_PASSWORD)

    for response in (wrong_password, unknown_user):
        assert response.status_code == 400
        assert GENERIC in response.text
        assert "unknown" not in response.text.lower()
    assert client.get("/").status_code == 303  # still signed out


def test_deactivated_person_cannot_sign_in_and_is_signed_out(client: TestClient, session: Session):
    make_user(session, email="admin@dpmc.example.govt.nz", roles=["admin"])
    make_user(session, email="leaver@dpmc.example.govt.nz")
    session.commit()
    assert sign_in(client, "leaver@dpmc.example.govt.nz", DEFAULT_PASSWORD).status_code == 303

    service.deactivate(session, email="leaver@dpmc.example.govt.nz", actor="system")
    session.commit()

    assert client.get("/").status_code == 303  # the open session no longer counts
    response = sign_in(client, "leaver@dpmc.example.govt.nz", DEFAULT_PASSWORD)
    assert response.status_code == 400
    assert GENERIC in response.text


def test_sign_out_ends_the_session(client: TestClient, session: Session):
    make_user(session, email="out@dpmc.example.govt.nz")
    session.commit()
    sign_in(client, "out@dpmc.example.govt.nz", DEFAULT_PASSWORD)
    token = form_token(client, "/")

    response = client.post("/logout", data={"csrf_token": token})

    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert "You have signed out." in page.text
    assert client.get("/").headers["location"] == "/login?next=%2F"


def test_pages_need_sign_in_and_come_back_afterwards(client: TestClient, session: Session):
    make_user(session, email="admin@dpmc.example.govt.nz", roles=["admin"])
    session.commit()

    response = client.get("/admin/audit?action=user.")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fadmin%2Faudit%3Faction%3Duser."

    signed_in = sign_in(client, "admin@dpmc.example.govt.nz", DEFAULT_PASSWORD, next_path="/admin/audit?action=user.")
    assert signed_in.headers["location"] == "/admin/audit?action=user."


def test_next_never_leads_off_site(client: TestClient, session: Session):
    make_user(session, email="safe@dpmc.example.govt.nz")
    session.commit()
    for target in ("//evil.example", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"):
        client.cookies.clear()
        response = sign_in(client, "safe@dpmc.example.govt.nz", DEFAULT_PASSWORD, next_path=target)
        assert response.headers["location"] == "/", target


def test_five_failures_lock_the_account_with_a_clear_wait(client: TestClient, session: Session):
    make_user(session, email="target@dpmc.example.govt.nz")
    session.commit()
    for _ in range(5):
        assert sign_in(client, "target@dpmc.example.govt.nz", "wrong-password-guess").status_code == 400

    locked = sign_in(client, "target@dpmc.example.govt.nz", DEFAULT_PASSWORD)

    assert locked.status_code == 429
    assert "Too many failed sign-in attempts. Wait 5 minutes and try again." in locked.text
    assert client.get("/").status_code == 303  # the right password did not get through
    attempts = session.scalars(select(LoginAttempt).where(LoginAttempt.email == "target@dpmc.example.govt.nz")).all()
    assert [attempt.succeeded for attempt in attempts] == [False] * 5  # refusals are not recorded


def test_failures_from_one_address_across_accounts_are_throttled(app, client: TestClient, session: Session,
                                                                 settings: Settings):
    app.state.settings = settings.model_copy(update={"login_max_failures_per_address": 5})
    make_user(session, email="victim@dpmc.example.govt.nz")
    session.commit()
    for number in range(5):
        sign_in(client, f"guess{number}@dpmc.example.govt.nz", "wrong-password-guess")

    response = sign_in(client, "victim@dpmc.example.govt.nz", DEFAULT_PASSWORD)

    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.text


def test_one_persons_typos_do_not_lock_out_others_at_the_same_address(client: TestClient, session: Session):
    make_user(session, email="colleague@dpmc.example.govt.nz")
    session.commit()
    for _ in range(5):
        sign_in(client, "typist@dpmc.example.govt.nz", "wrong-password-guess")
    assert sign_in(client, "typist@dpmc.example.govt.nz", DEFAULT_PASSWORD).status_code == 429
    assert sign_in(client, "colleague@dpmc.example.govt.nz", DEFAULT_PASSWORD).status_code == 303


def test_the_limit_follows_the_settings(app, client: TestClient, session: Session, settings: Settings):
    app.state.settings = settings.model_copy(update={"login_max_failures": 2})
    make_user(session, email="strict@dpmc.example.govt.nz")
    session.commit()
    sign_in(client, "strict@dpmc.example.govt.nz", "wrong-password-guess")
    sign_in(client, "strict@dpmc.example.govt.nz", "wrong-password-guess")
    assert sign_in(client, "strict@dpmc.example.govt.nz", DEFAULT_PASSWORD).status_code == 429
