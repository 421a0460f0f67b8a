"""The second-person review and scheduling in a real browser, with axe-core on every page: the
business owner turns review on; a post is drafted, sent for review, returned with a comment,
changed and sent again, approved, scheduled in New Zealand time, shown in the calendar, and
recorded as published (Facebook is a platform Kaitiaki does not post to for the poster). With
KAITIAKI_SCREENSHOTS=1 the review, schedule and calendar screens are saved for the user guide."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect

from kaitiaki.people.demo import DEMO_PASSWORD
from kaitiaki.timeutil import to_local, utcnow
from tests.browser.conftest import PageWatch, watched_page
from tests.browser.test_journeys import open_page, sign_in
from tests.browser.test_screens import DESKTOP, PHONE, fits_the_screen, screenshot

pytestmark = pytest.mark.browser

POSTER = "poster@dpmc.example.govt.nz"
OWNER = "elt.gh@dpmc.example.govt.nz"  # business owner of Government House's channels
CHANNEL = ("Facebook @GovernmentHouseNZ (Government House New Zealand), "
           "up to 63,206 characters")
FIRST = "The Governor-General hosts an investiture at Government House on Thursday."
SECOND = ("The Governor-General hosts an investiture at Government House Wellington on "
          "Thursday 10 December at 11am. Watch the livestream on our page.")
ZONE = ZoneInfo("Pacific/Auckland")


def click(page: Page, watch: PageWatch, name: str) -> None:
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state("load")
    watch.check(page)


def test_draft_review_return_resubmit_approve_schedule_publish(browser: Browser, live_server: str,
                                                               watch: PageWatch):
    with watched_page(browser, live_server, watch) as owner, \
            watched_page(browser, live_server, watch) as poster:
        owner.set_viewport_size(DESKTOP)
        poster.set_viewport_size(DESKTOP)
        sign_in(owner, watch, OWNER, DEMO_PASSWORD)
        open_page(owner, watch, "/register")
        owner.get_by_role("row").filter(has_text=re.compile("facebook", re.I)).get_by_role(
            "link", name="@GovernmentHouseNZ", exact=True).click()
        owner.wait_for_load_state("load")
        watch.check(owner)
        owner.get_by_label("A second person reviews each post before it goes out").check()
        click(owner, watch, "Save the review setting")
        expect(owner.locator("#review-setting")).to_contain_text("waits until someone else")

        sign_in(poster, watch, POSTER, DEMO_PASSWORD)
        open_page(poster, watch, "/compose")
        poster.get_by_label("Channel").select_option(label=CHANNEL)
        poster.get_by_label("Text", exact=True).fill(FIRST)
        click(poster, watch, "Save draft")
        draft_url = poster.url
        click(poster, watch, "Submit")
        expect(poster.locator("#draft-state")).to_have_text(
            "This draft is waiting for a second person's review.")
        expect(poster.get_by_role("button", name="Record the review")).to_have_count(0)

        open_page(owner, watch, "/")
        owner.get_by_role("region", name="Posts waiting for your review").get_by_role(
            "link").first.click()
        owner.wait_for_load_state("load")
        watch.check(owner)
        assert owner.url.split("#")[0] == draft_url
        expect(owner.locator("#findings-section")).to_be_visible()
        owner.get_by_label("Return it to Wiremu Poster for changes").check()
        click(owner, watch, "Record the review")
        expect(owner.locator(".error-summary, [role=alert]").first).to_contain_text("comment")
        owner.get_by_label("Comment").fill("Say which Government House, and the date and time.")
        click(owner, watch, "Record the review")
        expect(owner.locator("#draft-state")).to_have_text(
            "This draft is returned by its reviewer for changes.")

        open_page(poster, watch, draft_url)
        expect(poster.locator("#review")).to_contain_text("Say which Government House")
        poster.get_by_label("Text", exact=True).fill(SECOND)
        click(poster, watch, "Save and check")
        click(poster, watch, "Submit")
        expect(poster.locator("#draft-state")).to_have_text(
            "This draft is waiting for a second person's review.")

        open_page(owner, watch, draft_url)
        owner.get_by_label("Approve: it may go out").check()
        watch.check(owner)
        screenshot(owner, "review")
        click(owner, watch, "Record the review")
        expect(owner.locator("#draft-state")).to_have_text("This draft is submitted.")

        open_page(poster, watch, draft_url)
        when = (to_local(utcnow(), ZONE) + timedelta(days=2)).replace(hour=10, minute=30)
        poster.get_by_label("Publish at").fill(when.strftime("%Y-%m-%dT%H:%M"))
        click(poster, watch, "Schedule")
        expect(poster.locator("#draft-schedule")).to_contain_text(str(when.day))
        screenshot(poster, "schedule")

        open_page(poster, watch, f"/calendar?view=month&date={when.date().isoformat()}")
        entry = poster.get_by_role("link", name=re.compile("Scheduled: post on @GovernmentHouseNZ"))
        expect(entry).to_be_visible()
        screenshot(poster, "calendar")
        poster.set_viewport_size(PHONE)
        assert fits_the_screen(poster), "the calendar scrolls sideways on a phone"
        expect(entry).to_be_visible()
        watch.check(poster)
        poster.set_viewport_size(DESKTOP)

        entry.click()
        poster.wait_for_load_state("load")
        watch.check(poster)
        poster.get_by_label("Web address of the published post").fill(
            "https://www.facebook.com/GovernmentHouseNZ/posts/1012")
        click(poster, watch, "Record publication")
        expect(poster.locator("#draft-state")).to_have_text("This draft is published.")
        open_page(poster, watch, "/calendar")
        expect(poster.get_by_role("link", name=re.compile(
            "Published: post on @GovernmentHouseNZ"))).to_be_visible()
