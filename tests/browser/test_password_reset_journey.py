"""In the browser, with axe-core on every page: forgot the password, follow the emailed link
(delivered through the outbox to a real SMTP sink), choose a new one, sign in with it, then look at
where one is signed in and try a wrong current password."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from kaitiaki.app import create_app
from kaitiaki.config import Settings
from kaitiaki.db import make_engine, migrate, session_scope
from kaitiaki.jobs.periodic import deliver_outbox
from kaitiaki.people.service import add_user
from tests.browser.conftest import BROWSER_SECRET_KEY, PageWatch, watched_page
from tests.fixtures.mail import MailSink, mail_sink  # noqa: F401 (a fixture)
from tests.fixtures.servers import free_port, serving

pytestmark = pytest.mark.browser

EMAIL = "rawiri@dpmc.example.govt.nz"
OLD_PASSWORD = "the-old-long-password"
NEW_PASSWORD = "the-new-long-password"


@pytest.fixture
def site(tmp_path: Path, mail_sink: MailSink) -> Iterator[tuple[str, Settings]]:  # noqa: F811
    port = free_port()
    settings = Settings(env="test", database_url=f"sqlite:///{tmp_path / 'reset.db'}",
                        var_dir=tmp_path, secret_key=BROWSER_SECRET_KEY, smtp_host="127.0.0.1",
                        smtp_port=mail_sink.port, base_url=f"http://127.0.0.1:{port}")
    engine = make_engine(settings.database_url)
    try:
        migrate(engine)
        with session_scope(engine) as session:
            add_user(session, email=EMAIL, name="Rawiri Staff", password=OLD_PASSWORD,
                     roles=["staff"], actor="test")
    finally:
        engine.dispose()
    with serving(create_app(settings), port=port) as url:
        yield url, settings


def checked(page: Page, watch: PageWatch) -> None:
    page.wait_for_load_state("load")
    watch.check(page)


def test_forgot_password_journey(browser: Browser, watch: PageWatch, site, mail_sink: MailSink):  # noqa: F811
    url, settings = site
    with watched_page(browser, url, watch) as page:
        page.goto("/login")
        checked(page, watch)
        page.get_by_role("link", name="Forgot your password?").click()
        checked(page, watch)
        page.get_by_label("Email address").fill(EMAIL)
        page.get_by_role("button", name="Email me a link").click()
        checked(page, watch)
        expect(page.get_by_role("status")).to_contain_text("we have emailed it a link")

        engine = make_engine(settings.database_url)
        try:
            deliver_outbox(engine, settings)
        finally:
            engine.dispose()
        [received] = mail_sink.received
        link = re.search(r"http://\S+/login/reset/\S+", received.message.get_payload(decode=True).decode())
        assert link is not None
        page.goto(link.group(0))
        checked(page, watch)
        page.get_by_label("New password").fill("short")
        page.get_by_role("button", name="Set new password").click()
        checked(page, watch)
        expect(page.get_by_role("alert")).to_contain_text("at least 12 characters")
        page.get_by_label("New password").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Set new password").click()
        checked(page, watch)
        expect(page.get_by_text("Your password is changed")).to_be_visible()

        page.get_by_label("Email address").fill(EMAIL)
        page.get_by_label("Password").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        checked(page, watch)
        expect(page.get_by_role("heading", level=1)).to_have_text("Kia ora, Rawiri Staff")

        page.goto("/people/me/sessions")
        checked(page, watch)
        expect(page.get_by_text("(this browser)")).to_be_visible()
        page.get_by_label("Current password").fill(OLD_PASSWORD)
        page.get_by_label("New password").fill("yet-another-long-password")
        page.get_by_role("button", name="Change password").click()
        checked(page, watch)
        expect(page.get_by_role("alert")).to_contain_text("Your current password is not correct.")

        page.goto(link.group(0))
        checked(page, watch)
        expect(page.get_by_role("alert")).to_contain_text("has expired or has been used already")
