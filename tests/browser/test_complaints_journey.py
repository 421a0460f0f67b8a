"""A complaint in a real browser on the demo data, with a real SMTP server on loopback: a member
of the public reports a privacy breach on @DPMC_NZ, its business owner sees it at once, the ELT
member of the channel's business unit sees the escalation on their dashboard and by email, and
the business owner takes it to a closed, recorded resolution. Every page is checked with axe-core.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from kaitiaki.app import create_app
from kaitiaki.config import Settings
from kaitiaki.db import make_engine, migrate, session_scope
from kaitiaki.demo import load_demo
from kaitiaki.people.demo import DEMO_PASSWORD
from tests.browser.conftest import BROWSER_SECRET_KEY, PageWatch
from tests.fixtures.servers import serving
from tests.fixtures.mail import MailSink, mail_sink  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

OWNER = "comms@dpmc.example.govt.nz"       # business owner of @DPMC_NZ (DPMC-SCE)
ELT_SGE = "elt.sge@dpmc.example.govt.nz"   # ELT member of DPMC-SGE, above DPMC-SCE
ELT_GH = "elt.gh@dpmc.example.govt.nz"


@pytest.fixture(scope="module")
def module_mail_sink() -> Iterator[MailSink]:
    yield from mail_sink.__wrapped__()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory, module_mail_sink: MailSink) -> Iterator[str]:
    """Kaitiaki with email on, sending to the loopback SMTP server."""
    folder = tmp_path_factory.mktemp("complaints-browser")
    settings = Settings(env="test", database_url=f"sqlite:///{folder / 'browser.db'}",
                        var_dir=folder, secret_key=BROWSER_SECRET_KEY, smtp_host="127.0.0.1",
                        smtp_port=module_mail_sink.port, smtp_from="kaitiaki@dpmc.example.govt.nz")
    engine = make_engine(settings.database_url)
    try:
        migrate(engine)
        with session_scope(engine) as session:
            load_demo(session)
    finally:
        engine.dispose()
    with serving(create_app(settings)) as url:
        yield url


def settle(page: Page, watch: PageWatch) -> None:
    page.wait_for_load_state("load")
    watch.check(page)


def sign_in(page: Page, watch: PageWatch, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/login")
    settle(page, watch)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    settle(page, watch)


def wait_for_mail(sink: MailSink, recipient: str) -> list:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = [r for r in sink.received if recipient in r.recipients]
        if found:
            return found
        time.sleep(0.1)
    return []


def test_a_privacy_breach_travels_from_the_public_form_to_a_closed_resolution(
    page: Page, watch: PageWatch, module_mail_sink: MailSink,
):
    page.goto("/login")
    settle(page, watch)
    page.get_by_role("link", name="Make a complaint about our social media").click()
    settle(page, watch)

    # A description that is too long, and a script: field errors, text kept, shown as text.
    page.get_by_label("What is the complaint about?").select_option(label="Privacy breach")
    page.get_by_label("Web address of the post or channel").fill("not a web address")
    page.get_by_label("Your complaint").fill("<script>alert(1)</script> My address is in the post.")
    page.get_by_label("Email address").fill("mere@example.co.nz")
    page.get_by_role("button", name="Send the complaint").click()
    settle(page, watch)
    expect(page.locator("#url-error")).to_contain_text("full web address")
    expect(page.get_by_label("Your complaint")).to_have_value(
        "<script>alert(1)</script> My address is in the post.")

    page.get_by_label("Web address of the post or channel").fill("https://x.com/DPMC_NZ/status/1234")
    page.get_by_role("button", name="Send the complaint").click()
    settle(page, watch)
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: we have your complaint")
    reference = page.locator("#complaint-reference").inner_text()
    assert re.fullmatch(r"DPMC-SM-\d{4}-\d{4}", reference)
    expect(page.locator("main")).to_contain_text("business owner of @DPMC_NZ on x")
    expect(page.locator("main")).to_contain_text("a senior leader has been told")
    expect(page.locator("#receipt-outcome")).to_contain_text("We are emailing a receipt to the address you gave.")

    sign_in(page, watch, OWNER)
    expect(page.locator("#panel-complaints-to-handle").locator("..")).to_contain_text(reference)
    page.get_by_role("link", name=reference).first.click()
    settle(page, watch)
    expect(page.locator("#complaint-state")).to_contain_text("escalated")
    expect(page.locator("main")).to_contain_text("mere@example.co.nz")
    expect(page.locator("main")).to_contain_text("<script>alert(1)</script>")

    sign_in(page, watch, ELT_SGE)
    panel = page.locator("#panel-complaints-escalated").locator("..")
    expect(panel).to_contain_text(reference)
    [email] = wait_for_mail(module_mail_sink, ELT_SGE)
    assert reference in email.message["Subject"] and "escalated to you" in email.message["Subject"]
    assert not [r for r in module_mail_sink.received if ELT_GH in r.recipients]
    page.get_by_role("link", name="Notifications", exact=True).click()
    settle(page, watch)
    expect(page.locator("main")).to_contain_text(reference)

    sign_in(page, watch, OWNER)
    page.goto(f"/complaints/{reference}")
    settle(page, watch)
    # The reply goes to the complainant by email from the case, and is kept on its record.
    page.get_by_label("Your reply").fill("We have removed the post. We are sorry it showed your address.")
    page.get_by_role("button", name="Send the reply").click()
    settle(page, watch)
    expect(page.locator("#complaint-state")).to_contain_text("responded to")
    expect(page.locator("main")).to_contain_text(
        "replied to the complainant: “We have removed the post. We are sorry it showed your address.”")
    def replies() -> list:
        return [r for r in wait_for_mail(module_mail_sink, "mere@example.co.nz")
                if "We have removed the post." in r.message.get_payload(decode=True).decode()]

    deadline = time.monotonic() + 10  # the receipt may arrive first; wait for the reply itself
    while not replies() and time.monotonic() < deadline:
        time.sleep(0.1)
    [reply] = replies()
    assert reference in reply.message["Subject"]
    page.get_by_label("Action").select_option(label="Close")
    page.get_by_label("Note").fill("Post removed; the privacy officer was told.")
    page.get_by_role("button", name="Record", exact=True).click()
    settle(page, watch)
    expect(page.locator("#complaint-state")).to_contain_text("closed")
    expect(page.locator("main")).to_contain_text("Post removed; the privacy officer was told.")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Complaints").click()
    settle(page, watch)
    expect(page.locator("table")).to_contain_text(reference)
