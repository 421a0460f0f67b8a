"""Signing in through the agency's identity provider in a real browser: Kaitiaki (passwords off,
accounts provisioned, roles from groups) and a real OpenID provider (oidc-provider from npm), each
on its own loopback port. Every page, the provider's included, is checked with axe-core."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from kaitiaki.app import create_app
from kaitiaki.auth.oidc_client import CALLBACK_PATH
from kaitiaki.config import Settings
from kaitiaki.db import make_engine, migrate
from tests.browser.conftest import BROWSER_SECRET_KEY, PageWatch, watched_page
from tests.fixtures.servers import free_port, serving
from tests.oidc_provider import (
    ADVISOR,
    CLIENT_ID,
    CLIENT_SECRET,
    OUTSIDER,
    Provider,
    running_provider,
)

pytestmark = pytest.mark.browser

BUTTON = "Sign in with Agency ID"


@pytest.fixture(scope="module")
def sso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Provider]]:
    """Kaitiaki, signing in only through the provider, on an empty SQLite database; the provider."""
    folder = tmp_path_factory.mktemp("sso")
    port = free_port()
    app_url = f"http://127.0.0.1:{port}"
    with running_provider(folder, [app_url + CALLBACK_PATH]) as provider:
        settings = Settings(
            env="test",
            database_url=f"sqlite:///{folder / 'sso.db'}",
            var_dir=folder,
            secret_key=BROWSER_SECRET_KEY,
            base_url=app_url,
            password_sign_in=False,
            oidc_issuer=provider.issuer,
            oidc_client_id=CLIENT_ID,
            oidc_client_secret=CLIENT_SECRET,
            oidc_scopes="openid email profile groups",
            oidc_allowed_email_domains="agency.example.govt.nz",
            oidc_provision_users=True,
            oidc_group_claim="groups",
            oidc_group_roles="kaitiaki-comms=comms_staff",
            oidc_provider_name="Agency ID",
        )
        engine = make_engine(settings.database_url)
        try:
            migrate(engine)
        finally:
            engine.dispose()
        with serving(create_app(settings), port) as url:
            yield url, provider


@pytest.fixture
def sso_page(
    browser: Browser, sso_server: tuple[str, Provider], watch: PageWatch
) -> Iterator[Page]:
    url, provider = sso_server
    provider.set_users([ADVISOR, OUTSIDER])  # a test may have disabled someone
    with watched_page(browser, url, watch) as page:
        yield page


def open_sign_in(page: Page, watch: PageWatch) -> None:
    page.goto("/login")
    watch.check(page)
    expect(page.get_by_label("Password")).to_have_count(0)  # passwords are switched off


def through_provider(page: Page, watch: PageWatch, username: str, password: str) -> None:
    """From Kaitiaki's sign-in page through the provider's sign-in (and, first time, consent)."""
    page.get_by_role("link", name=BUTTON).click()
    page.wait_for_load_state("load")
    watch.check(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")
    watch.check(page)
    if page.get_by_role("button", name="Allow").count():
        page.get_by_role("button", name="Allow").click()
        page.wait_for_load_state("load")
        watch.check(page)


def test_sign_in_through_the_agency_provider(sso_page: Page, watch: PageWatch):
    open_sign_in(sso_page, watch)
    through_provider(sso_page, watch, "advisor", "advisor-pass")
    # First sign-in: the account is created, and its role comes from the provider's group claim.
    expect(sso_page.get_by_role("heading", level=1)).to_have_text(f"Kia ora, {ADVISOR['name']}")
    expect(sso_page.get_by_text("Communications staff", exact=True)).to_be_visible()

    sso_page.get_by_role("button", name="Sign out").click()
    sso_page.wait_for_load_state("load")
    watch.check(sso_page)
    expect(sso_page).to_have_url(re.compile(r"/login\?signed_out=1$"))
    expect(sso_page.get_by_role("link", name=BUTTON)).to_be_visible()


def test_a_disabled_provider_account_can_no_longer_sign_in(
    sso_page: Page, watch: PageWatch, sso_server: tuple[str, Provider]
):
    _url, provider = sso_server
    open_sign_in(sso_page, watch)
    through_provider(sso_page, watch, "advisor", "advisor-pass")
    expect(sso_page.get_by_role("heading", level=1)).to_have_text(f"Kia ora, {ADVISOR['name']}")
    sso_page.get_by_role("button", name="Sign out").click()
    sso_page.wait_for_load_state("load")
    watch.check(sso_page)

    provider.disable("advisor")
    # The browser still holds a provider session; it no longer counts, and the password is refused.
    through_provider(sso_page, watch, "advisor", "advisor-pass")
    expect(sso_page.get_by_role("alert")).to_have_text("This account is disabled")
    sso_page.goto("/")
    watch.check(sso_page)
    expect(sso_page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_someone_from_another_domain_is_turned_away(sso_page: Page, watch: PageWatch):
    open_sign_in(sso_page, watch)
    through_provider(sso_page, watch, "outsider", "outsider-pass")
    expect(sso_page.get_by_role("alert")).to_have_text(
        "Accounts from elsewhere.example.com cannot sign in to Kaitiaki."
    )
    expect(sso_page.get_by_role("heading", level=1)).to_have_text("Sign in")
