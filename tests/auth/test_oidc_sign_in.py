"""Sign-in through a real OpenID Connect provider (oidc-provider, started by tests/oidc_provider.py)
into the web application on the test database: who gets in, who does not, and forged callbacks."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from authlib.integrations.requests_client import OAuth2Session
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from kaitiaki.app import create_app
from kaitiaki.auth.oidc_client import CALLBACK_PATH
from kaitiaki.config import Settings
from kaitiaki.people import queries
from kaitiaki.people.service import add_user, deactivate, roles_of
from tests.oidc_provider import (
    ADVISOR,
    CLIENT_ID,
    CLIENT_SECRET,
    OUTSIDER,
    Provider,
    ProviderRefused,
    running_provider,
    through_provider,
)
from tests.web.helpers import form_token

APP_URL = "http://testserver"
CALLBACK = APP_URL + CALLBACK_PATH
ADVISOR_EMAIL = ADVISOR["email"].lower()
PASSWORD = "a-long-enough-password"


@pytest.fixture(scope="module")
def oidc_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    with running_provider(tmp_path_factory.mktemp("oidc"), [CALLBACK]) as provider:
        yield provider


@pytest.fixture
def provider(oidc_provider: Provider) -> Provider:
    oidc_provider.set_users([ADVISOR, OUTSIDER])  # a test may have disabled someone
    return oidc_provider


def sso_settings(settings: Settings, issuer: str, **changes: object) -> Settings:
    return settings.model_copy(
        update={
            "base_url": APP_URL,
            "oidc_issuer": issuer,
            "oidc_client_id": CLIENT_ID,
            "oidc_client_secret": CLIENT_SECRET,
            "oidc_scopes": "openid email profile groups",
            "oidc_allowed_email_domains": "agency.example.govt.nz",
            "oidc_provider_name": "Agency ID",
            **changes,
        }
    )


@pytest.fixture
def client(settings: Settings, provider: Provider) -> Iterator[TestClient]:
    with TestClient(
        create_app(sso_settings(settings, provider.issuer)), follow_redirects=False
    ) as client:
        yield client


def start(client: TestClient, next_path: str = "/") -> str:
    response = client.get("/login/oidc", params={"next": next_path})
    assert response.status_code == 303
    return response.headers["location"]


def sign_in(
    client: TestClient, browser: httpx.Client, username: str, password: str, next_path: str = "/"
):
    callback = through_provider(
        browser, start(client, next_path), stop_at=CALLBACK, username=username, password=password
    )
    return client.get(callback)


def signed_in_as(client: TestClient) -> str | None:
    """The dashboard's text when someone is signed in, else None."""
    page = client.get("/")
    return None if page.status_code != 200 else page.text


def test_an_existing_person_signs_in_through_the_provider(client: TestClient, session: Session):
    add_user(
        session,
        email=ADVISOR_EMAIL,
        name="Aroha",
        password=PASSWORD,
        roles=["comms_staff"],
        actor="test",
    )
    session.commit()
    login_page = client.get("/login")
    assert "Sign in with Agency ID" in login_page.text
    with httpx.Client() as browser:
        response = sign_in(client, browser, "advisor", "advisor-pass", next_path="/people/me")
    assert response.status_code == 303
    assert response.headers["location"] == "/people/me"
    page = signed_in_as(client)
    assert page is not None and "Kia ora, Aroha" in page


def test_provisioning_creates_the_person_with_no_roles(
    settings: Settings, provider: Provider, session: Session
):
    app = create_app(sso_settings(settings, provider.issuer, oidc_provision_users=True))
    with TestClient(app, follow_redirects=False) as client, httpx.Client() as browser:
        assert sign_in(client, browser, "advisor", "advisor-pass").status_code == 303
        assert signed_in_as(client) is not None
    user = queries.get_user_by_email(session, ADVISOR_EMAIL)
    assert user is not None and user.name == ADVISOR["name"]
    assert roles_of(session, user) == []


def test_group_claim_grants_mapped_roles(settings: Settings, provider: Provider, session: Session):
    app = create_app(
        sso_settings(
            settings,
            provider.issuer,
            oidc_provision_users=True,
            oidc_group_claim="groups",
            oidc_group_roles="kaitiaki-comms=comms_staff",
        )
    )
    with TestClient(app, follow_redirects=False) as client, httpx.Client() as browser:
        assert sign_in(client, browser, "advisor", "advisor-pass").status_code == 303
    user = queries.get_user_by_email(session, ADVISOR_EMAIL)
    assert user is not None and roles_of(session, user) == [("comms_staff", None)]


def test_an_email_domain_that_is_not_allowed_is_refused(settings: Settings, provider: Provider):
    app = create_app(sso_settings(settings, provider.issuer, oidc_provision_users=True))
    with TestClient(app, follow_redirects=False) as client, httpx.Client() as browser:
        response = sign_in(client, browser, "outsider", "outsider-pass")
        assert response.status_code == 403
        assert "Accounts from elsewhere.example.com cannot sign in to Kaitiaki." in response.text
        assert signed_in_as(client) is None


def test_a_deactivated_kaitiaki_account_cannot_sign_in(client: TestClient, session: Session):
    add_user(session, email=ADVISOR_EMAIL, name="Aroha", password=PASSWORD, roles=[], actor="test")
    deactivate(session, email=ADVISOR_EMAIL, actor="test")
    session.commit()
    with httpx.Client() as browser:
        response = sign_in(client, browser, "advisor", "advisor-pass")
    assert response.status_code == 403
    assert "has been deactivated" in response.text
    assert signed_in_as(client) is None


def test_a_disabled_provider_account_can_no_longer_sign_in(
    client: TestClient, provider: Provider, session: Session
):
    add_user(session, email=ADVISOR_EMAIL, name="Aroha", password=PASSWORD, roles=[], actor="test")
    session.commit()
    with httpx.Client() as browser:
        assert sign_in(client, browser, "advisor", "advisor-pass").status_code == 303
        client.post("/logout", data={"csrf_token": form_token(client, "/self-check")})
        assert signed_in_as(client) is None
        provider.disable("advisor")
        # The provider's own session for this browser no longer counts, and the password is refused.
        with pytest.raises(ProviderRefused, match="This account is disabled"):
            sign_in(client, browser, "advisor", "advisor-pass")
    assert signed_in_as(client) is None


def _sign_in_and_out(client: TestClient, username: str, password: str) -> int:
    """Sign in through the provider in a fresh browser, then sign out of Kaitiaki; the status of
    Kaitiaki's answer to the provider's callback."""
    with httpx.Client() as browser:
        status = sign_in(client, browser, username, password).status_code
    if status == 303:
        client.post("/logout", data={"csrf_token": form_token(client, "/self-check")})
    return status


def test_an_email_change_at_the_provider_keeps_the_account(
    client: TestClient, provider: Provider, session: Session
):
    aroha = add_user(session, email=ADVISOR_EMAIL, name="Aroha", password=PASSWORD, roles=[],
                     actor="test")
    session.commit()
    assert _sign_in_and_out(client, "advisor", "advisor-pass") == 303
    provider.set_users([{**ADVISOR, "email": "Aroha.Tane@agency.example.govt.nz"}, OUTSIDER])
    with httpx.Client() as browser:
        assert sign_in(client, browser, "advisor", "advisor-pass").status_code == 303
    page = signed_in_as(client)
    assert page is not None and "Kia ora, Aroha" in page
    session.expire_all()
    assert queries.get_user_by_email(session, "aroha.tane@agency.example.govt.nz") is None
    assert session.get(type(aroha), aroha.id).oidc_subject == ADVISOR["sub"]


def test_another_person_given_a_linked_email_is_refused(
    client: TestClient, provider: Provider, session: Session
):
    add_user(session, email=ADVISOR_EMAIL, name="Aroha", password=PASSWORD, roles=[], actor="test")
    session.commit()
    assert _sign_in_and_out(client, "advisor", "advisor-pass") == 303
    newcomer = {**ADVISOR, "sub": "u-newcomer", "username": "newcomer",
                "password": "newcomer-pass", "name": "Nikau Newcomer"}
    provider.set_users([ADVISOR, newcomer])
    with httpx.Client() as browser:
        response = sign_in(client, browser, "newcomer", "newcomer-pass")
    assert response.status_code == 403
    assert "belongs to another person at your identity provider" in response.text
    assert signed_in_as(client) is None


def test_a_callback_with_another_state_is_refused(client: TestClient, session: Session):
    add_user(session, email=ADVISOR_EMAIL, name="Aroha", password=PASSWORD, roles=[], actor="test")
    session.commit()
    with httpx.Client() as browser:
        callback = through_provider(
            browser, start(client), stop_at=CALLBACK, username="advisor", password="advisor-pass"
        )
    url = httpx.URL(callback)
    forged = url.copy_set_param("state", "a-state-this-browser-was-never-given")
    response = client.get(str(forged))
    assert response.status_code == 400
    assert "did not start on this page" in response.text
    # The genuine answer is no good either now: each sign-in's state is used once.
    assert client.get(callback).status_code == 400
    assert signed_in_as(client) is None


def test_a_callback_in_another_browser_is_refused(
    client: TestClient, settings: Settings, provider: Provider
):
    with httpx.Client() as browser:
        callback = through_provider(
            browser, start(client), stop_at=CALLBACK, username="advisor", password="advisor-pass"
        )
    # Someone else's browser (a login CSRF attempt) has no pending sign-in to match.
    with TestClient(
        create_app(sso_settings(settings, provider.issuer)), follow_redirects=False
    ) as other:
        response = other.get(callback)
        assert response.status_code == 400
        assert signed_in_as(other) is None


def test_an_answer_claiming_another_issuer_is_refused(client: TestClient):
    with httpx.Client() as browser:
        callback = through_provider(
            browser, start(client), stop_at=CALLBACK, username="advisor", password="advisor-pass"
        )
    forged = httpx.URL(callback).copy_set_param("iss", "https://impostor.example.com")
    response = client.get(str(forged))
    assert response.status_code == 400
    assert "could not be verified" in response.text


def test_with_passwords_off_the_form_is_gone_and_password_sign_in_is_refused(
    settings: Settings, session: Session
):
    add_user(session, email=ADVISOR_EMAIL, name="Aroha", password=PASSWORD, roles=[], actor="test")
    session.commit()
    # The provider is never contacted to show the page or refuse the password.
    app = create_app(sso_settings(settings, "https://id.example.govt.nz", password_sign_in=False))
    with TestClient(app, follow_redirects=False) as client:
        page = client.get("/login")
        assert "Sign in with Agency ID" in page.text
        assert 'type="password"' not in page.text
        token = form_token(client, "/self-check")
        response = client.post(
            "/login", data={"email": ADVISOR_EMAIL, "password": PASSWORD, "csrf_token": token}
        )
        assert response.status_code == 403
        assert "switched off" in response.text
        assert signed_in_as(client) is None


def test_single_sign_on_is_not_there_unless_configured(settings: Settings, tmp_path: Path):
    with TestClient(create_app(settings), follow_redirects=False) as client:
        assert "Sign in with" not in client.get("/login").text
        assert client.get("/login/oidc").status_code == 404


def test_a_tampered_id_token_from_the_provider_is_refused(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
):
    """The provider's real token, its claims changed on the way (the email of someone else)."""
    add_user(session, email="admin@agency.example.govt.nz", name="Admin", password=PASSWORD,
             roles=["admin"], actor="test")
    session.commit()
    genuine_fetch = OAuth2Session.fetch_token

    def tampering_fetch(self: OAuth2Session, *args: object, **kwargs: object) -> dict:
        token = genuine_fetch(self, *args, **kwargs)
        header, payload, signature = token["id_token"].split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        claims["email"] = "admin@agency.example.govt.nz"
        forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        return {**token, "id_token": f"{header}.{forged}.{signature}"}

    monkeypatch.setattr(OAuth2Session, "fetch_token", tampering_fetch)
    with httpx.Client() as browser:
        response = sign_in(client, browser, "advisor", "advisor-pass")
    assert response.status_code == 400
    assert "could not be verified" in response.text
    assert signed_in_as(client) is None
