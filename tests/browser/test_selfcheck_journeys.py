"""The personal self-check in a real browser, signed out: a grievance post is explained in plain
words with the guidance quoted."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PageWatch
from tests.browser.test_journeys import open_page

pytestmark = pytest.mark.browser


def test_self_check_explains_a_grievance_post(page: Page, watch: PageWatch):
    open_page(page, watch, "/login")
    page.get_by_role("link", name="check a personal post", exact=True).click()
    page.wait_for_load_state("load")
    watch.check(page)
    page.get_by_label("Platform").select_option("facebook")
    page.get_by_label("Your post").fill(
        "My manager is useless and this department treats us like dirt. Sick of this place.")
    page.get_by_label("My profile shows my employer").check()
    page.get_by_role("button", name="Check my post").click()
    page.wait_for_load_state("load")
    watch.check(page)
    expect(page.get_by_role("heading", name="Have another think before posting this").first).to_be_visible()
    expect(page.get_by_text("It is never a good idea to air workplace grievances online")).to_be_visible()
    expect(page.get_by_text("talk to their manager or an HR advisor", exact=False)).to_be_visible()
    open_page(page, watch, "/guidance")
    expect(page.get_by_role("heading", name="Purpose | Kaupapa")).to_be_visible()
