"""The public transparency statement in a real browser on the demo data: reached from the site
footer without signing in, bilingual headings, the demo's active channels; then a records officer
logs an OIA request and sees its due date. Every page is checked with axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from kaitiaki.people.demo import DEMO_PASSWORD
from tests.browser.conftest import PageWatch

pytestmark = pytest.mark.browser


def test_the_public_reads_the_statement_from_the_footer(page: Page, watch: PageWatch):
    page.goto("/login")
    watch.check(page)
    page.get_by_role("link", name="How we use social media: our transparency statement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Social media transparency statement")
    expect(page.get_by_role("heading", name="Ngā amuamu | Concerns and complaints")).to_be_visible()
    expect(page.get_by_role("link", name="@NZCivilDefence").first).to_be_visible()
    expect(page.get_by_role("link", name="complaint form")).to_have_attribute(
        "href", "http://127.0.0.1:8000/complaints/new")
    watch.check(page)


def test_a_records_officer_logs_a_request(page: Page, watch: PageWatch):
    page.goto("/login")
    watch.check(page)
    page.get_by_label("Email").fill("records@dpmc.example.govt.nz")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    watch.check(page)
    page.get_by_role("link", name="OIA requests").click()
    watch.check(page)
    page.get_by_role("link", name="Log a request").click()
    watch.check(page)
    page.get_by_label("Date received").fill("2025-12-10")
    page.get_by_label("What was requested").fill("Moderation records for @NZCivilDefence.")
    page.get_by_label("Requester's email").fill("requester@example.org")
    page.get_by_role("button", name="Log the request").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("OIA-2025/26-")
    expect(page.get_by_text("29 January 2026").first).to_be_visible()
    expect(page.get_by_text("Overdue").first).to_be_visible()
    watch.check(page)
