"""Journeys through the browser: sign in, a wrong password, sign out, a form without its token,
the admin pages, a missing page and the API documentation. Each page is checked with axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from kaitiaki.people.demo import DEMO_PASSWORD
from tests.browser.conftest import PageWatch

pytestmark = pytest.mark.browser

ADMIN = "admin@dpmc.example.govt.nz"
STAFF = "staff@dpmc.example.govt.nz"
# Swagger UI's markup, not ours; everything else on the documentation page is checked.
SWAGGER_UI_EXEMPTIONS = {
    "nested-interactive": "Swagger UI 5.35 nests each operation's copy and expand buttons inside "
    "its clickable summary row",
    "scrollable-region-focusable": "Swagger UI 5.35 shows request examples in scrolling <pre> "
    "blocks that take no keyboard focus",
}


def open_page(page: Page, watch: PageWatch, path: str) -> None:
    page.goto(path)
    watch.check(page)


def sign_in(page: Page, watch: PageWatch, email: str, password: str) -> None:
    open_page(page, watch, "/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")
    watch.check(page)


def test_sign_in_and_out(page: Page, watch: PageWatch):
    sign_in(page, watch, STAFF, DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Kia ora, Sam Staff")
    expect(page.get_by_role("heading", name="Your roles")).to_be_visible()
    expect(page.get_by_text("Staff member", exact=True)).to_be_visible()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Users")).to_have_count(0)

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("load")
    watch.check(page)
    expect(page).to_have_url(re.compile(r"/login\?signed_out=1$"))
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    open_page(page, watch, "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_wrong_password_shows_one_generic_message(page: Page, watch: PageWatch):
    sign_in(page, watch, STAFF, "not-the-demo-password")
    expect(page.get_by_role("alert")).to_have_text("The email address or password is not correct.")
    expect(page.get_by_label("Email address")).to_have_value(STAFF)


def test_form_without_its_csrf_token_is_refused(page: Page, watch: PageWatch):
    open_page(page, watch, "/login")
    page.locator("input[name=csrf_token]").evaluate("input => input.remove()")
    page.get_by_label("Email address").fill(STAFF)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")
    watch.check(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("This form has expired")
    expect(page.get_by_text("Reload the page and submit the form again.")).to_be_visible()
    open_page(page, watch, "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")  # not signed in


def test_admin_pages(page: Page, watch: PageWatch):
    sign_in(page, watch, ADMIN, DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="Recent account changes")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Users").click()
    page.wait_for_load_state("load")
    watch.check(page)
    expect(page.get_by_role("cell", name="Sam Staff")).to_be_visible()

    page.get_by_role("link", name="Sam Staff").click()
    page.wait_for_load_state("load")
    watch.check(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sam Staff")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit log").click()
    page.wait_for_load_state("load")
    watch.check(page)
    page.get_by_label("Action starts with").fill("user.")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state("load")
    watch.check(page)
    expect(page.get_by_role("cell", name="user.created").first).to_be_visible()


def test_skip_link_is_the_first_stop_and_focus_is_visible(page: Page, watch: PageWatch):
    open_page(page, watch, "/login")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


def test_htmx_runs_under_the_content_security_policy(page: Page, watch: PageWatch):
    open_page(page, watch, "/login")
    assert page.evaluate("() => typeof window.htmx") == "object"
    assert page.evaluate("() => htmx.config.includeIndicatorStyles") is False


def test_missing_page(page: Page, watch: PageWatch):
    open_page(page, watch, "/no/such/page")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")


def test_api_docs_render_from_vendored_files(page: Page, watch: PageWatch):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Kaitiaki")
    operation = page.locator(".opblock").first
    expect(operation).to_be_visible()
    operation.locator(".opblock-summary-control").click()
    expect(operation.locator(".opblock-body")).to_be_visible()
    watch.check(page, exempt_rules=SWAGGER_UI_EXEMPTIONS)
    origin = page.url.split("/api/docs")[0]
    assert [url for url in requested if not url.startswith(origin + "/")] == []
