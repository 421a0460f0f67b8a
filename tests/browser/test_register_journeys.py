"""Register journeys in a real browser on the demo data, every page checked with axe-core: a
request through its two approvals to an active channel, a business owner authorising a poster,
and someone who is not the business owner being refused."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from kaitiaki.people.demo import DEMO_PASSWORD
from tests.browser.conftest import PageWatch

pytestmark = pytest.mark.browser

COMMS = "comms@dpmc.example.govt.nz"
DIRECTOR = "director.comms@dpmc.example.govt.nz"
ELT_GH = "elt.gh@dpmc.example.govt.nz"
NEMA_COMMS = "nema.comms@nema.example.govt.nz"
POSTER = "poster@dpmc.example.govt.nz"
STAFF = "staff@dpmc.example.govt.nz"


def settle(page: Page, watch: PageWatch) -> None:
    page.wait_for_load_state("load")
    watch.check(page)


def sign_in(page: Page, watch: PageWatch, email: str) -> None:
    page.goto("/login")
    settle(page, watch)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    settle(page, watch)


def sign_out(page: Page, watch: PageWatch) -> None:
    page.get_by_role("button", name="Sign out").click()
    settle(page, watch)


def open_channel(page: Page, watch: PageWatch, platform: str, handle: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Channels").click()
    settle(page, watch)
    page.get_by_label("Search", exact=True).fill(handle)
    page.get_by_label("Platform").select_option(platform)
    page.get_by_role("button", name="Filter").click()
    settle(page, watch)
    page.get_by_role("link", name=f"@{handle}", exact=True).click()
    settle(page, watch)


def test_a_request_goes_through_two_approvals_and_becomes_active(page: Page, watch: PageWatch):
    sign_in(page, watch, COMMS)
    page.goto("/register/new")
    settle(page, watch)
    page.get_by_label("Platform").select_option("youtube")
    page.get_by_label("Handle").fill("@GovernmentHouseNZ")
    page.get_by_label("Web address").fill("youtube.com/@GovernmentHouseNZ")  # no https://
    page.get_by_label("Display name").fill("Government House New Zealand")
    page.get_by_label("Organisation unit").select_option("DPMC-GH")
    page.get_by_label("Purposes").fill("Video of investitures and state occasions.")
    page.get_by_label("Business owner's email address").fill(ELT_GH)
    page.get_by_label("Expected posting cadence (days)").fill("30")
    page.get_by_role("button", name="Send the request").click()
    settle(page, watch)
    expect(page.get_by_text("Enter the full web address of the channel", exact=False).first).to_be_visible()
    expect(page.get_by_label("Handle")).to_have_value("@GovernmentHouseNZ")

    page.get_by_label("Web address").fill("https://www.youtube.com/@GovernmentHouseNZ")
    page.get_by_role("button", name="Send the request").click()
    settle(page, watch)
    expect(page.locator("#request-state")).to_have_text("This request is waiting for approval.")
    request_url = page.url
    sign_out(page, watch)

    sign_in(page, watch, DIRECTOR)
    panel = page.get_by_role("region", name="Channel requests waiting for your decision")
    panel.get_by_role("link", name=re.compile("@GovernmentHouseNZ on youtube")).click()
    settle(page, watch)
    page.get_by_role("button", name="Approve").click()
    settle(page, watch)
    expect(page.locator("#request-state")).to_have_text("This request is waiting for its remaining approval.")
    sign_out(page, watch)

    sign_in(page, watch, ELT_GH)
    page.goto(request_url)
    settle(page, watch)
    page.get_by_role("button", name="Approve").click()
    settle(page, watch)
    expect(page.locator("#request-state")).to_have_text("This request is already approved.")
    expect(page.get_by_role("status")).to_contain_text("is active")
    page.get_by_role("link", name=re.compile("Government House New Zealand")).click()
    settle(page, watch)
    expect(page.get_by_role("heading", level=1)).to_contain_text("@GovernmentHouseNZ on youtube")
    expect(page.get_by_text("Approved by Mere Director (Director Strategic Communications and Engagement)", exact=False)).to_be_visible()


def test_a_business_owner_authorises_a_poster(page: Page, watch: PageWatch):
    sign_in(page, watch, NEMA_COMMS)
    open_channel(page, watch, "facebook", "NZCivilDefence")
    page.get_by_label("Email address of the person").fill(STAFF)
    page.get_by_label("Authorised until (optional)").fill("2099-12-31")
    page.get_by_role("button", name="Authorise").click()
    settle(page, watch)
    expect(page.get_by_role("status")).to_have_text("Sam Staff can now post on @NZCivilDefence.")
    row = page.get_by_role("row", name=re.compile("Sam Staff"))
    expect(row).to_contain_text("In force")

    page.get_by_role("link", name="Register of channels").click()
    settle(page, watch)
    page.get_by_role("link", name="Who can post where").click()
    settle(page, watch)
    expect(page.get_by_role("row", name=re.compile("@NZCivilDefence on facebook.*Sam Staff"))).to_be_visible()


def test_someone_who_is_not_the_business_owner_is_refused(page: Page, watch: PageWatch):
    sign_in(page, watch, POSTER)
    open_channel(page, watch, "x", "NZCivilDefence")
    page.get_by_label("Email address of the person").fill(STAFF)
    page.get_by_role("button", name="Authorise").click()
    settle(page, watch)
    expect(page.get_by_role("alert")).to_contain_text(
        "Only the channel's business owner, Ana NEMA Communications, can authorise posters on @NZCivilDefence."
    )
    expect(page.get_by_label("Email address of the person")).to_have_value(STAFF)
    expect(page.get_by_role("row", name=re.compile("Sam Staff"))).to_have_count(0)
