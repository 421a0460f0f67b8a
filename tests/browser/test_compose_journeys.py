"""Compose in a real browser: a party-political post is blocked with the quoted clause, rewritten,
passes, is submitted and recorded as published; a person not authorised sees no channel."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from kaitiaki.people.demo import DEMO_PASSWORD
from tests.browser.conftest import PageWatch
from tests.browser.test_journeys import open_page, sign_in

pytestmark = pytest.mark.browser

POSTER = "poster@dpmc.example.govt.nz"
OWNER = "nema.comms@nema.example.govt.nz"
# Authorised on no channel in the demo data, and no journey authorises them.
NOT_A_POSTER = "director.comms@dpmc.example.govt.nz"
QUOTE = "DPMC and its staff must remain politically neutral."
CIVIL_DEFENCE_X = "X @NZCivilDefence (NZ Civil Defence), up to 280 characters"
DPMC_X = "X @DPMC_NZ (Department of the Prime Minister and Cabinet), up to 280 characters"


def test_poster_rewrites_a_blocked_post_submits_and_records_it(page: Page, watch: PageWatch):
    sign_in(page, watch, POSTER, DEMO_PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Compose").click()
    page.wait_for_load_state("load")
    watch.check(page)
    page.get_by_label("Channel").select_option(label=CIVIL_DEFENCE_X)
    page.get_by_label("Text", exact=True).fill("Vote National on Saturday!")
    findings = page.locator("#findings")
    # The checker runs as the poster types (htmx, after a pause).
    expect(findings.get_by_text("Blocked: a finding stops submission.")).to_be_visible()
    # a word rule and the meaning model may both cite the sentence: the first is enough here
    expect(findings.get_by_text(QUOTE).first).to_be_visible()
    # the party call is marked (the meaning model may mark other words that weighed, such as the day)
    expect(findings.locator("mark", has_text="Vote National")).to_be_visible()
    watch.check(page)

    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state("load")
    watch.check(page)
    expect(page.locator("#draft-state")).to_have_text("This draft is checked.")
    expect(page.locator("#findings-section").get_by_text(QUOTE).first).to_be_visible()
    expect(page.get_by_role("heading", name="Ask for an exception")).to_be_visible()

    page.get_by_label("Text", exact=True).fill("Polling places are open from 9am to 7pm on Saturday.")
    expect(page.locator("#findings").get_by_text("Passes: nothing in the policy")).to_be_visible()
    page.get_by_role("button", name="Save and check").click()
    page.wait_for_load_state("load")
    watch.check(page)
    expect(page.get_by_text("No findings: nothing in the policy stands in its way.")).to_be_visible()

    page.get_by_role("button", name="Submit").click()
    page.wait_for_load_state("load")
    watch.check(page)
    expect(page.locator("#draft-state")).to_have_text("This draft is submitted.")
    page.get_by_label("Web address of the published post").fill(
        "https://x.com/NZCivilDefence/status/1861")
    page.get_by_role("button", name="Record publication").click()
    page.wait_for_load_state("load")
    watch.check(page)
    expect(page.locator("#draft-state")).to_have_text("This draft is published.")
    expect(page.get_by_role("link", name="https://x.com/NZCivilDefence/status/1861")).to_be_visible()


def test_the_check_button_works_without_javascript(browser, live_server, watch: PageWatch):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/login")
        page.get_by_label("Email address").fill(POSTER)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto("/compose")
        page.get_by_label("Channel").select_option(label=DPMC_X)
        page.get_by_label("Text", exact=True).fill("Vote National on Saturday!")
        page.get_by_role("button", name="Check").click()
        page.wait_for_load_state("load")
        expect(page.locator("#findings").get_by_text(QUOTE).first).to_be_visible()
        expect(page.get_by_label("Text", exact=True)).to_have_value("Vote National on Saturday!")
    finally:
        context.close()


def test_person_not_authorised_sees_no_channel(page: Page, watch: PageWatch):
    sign_in(page, watch, NOT_A_POSTER, DEMO_PASSWORD)
    open_page(page, watch, "/compose")
    expect(page.get_by_text("You are not authorised to post on any channel.")).to_be_visible()
    expect(page.get_by_label("Channel")).to_have_count(0)


def test_business_owner_decides_an_exception_from_the_dashboard(page: Page, watch: PageWatch):
    # The demo data holds a brand-endorsement post on @NZCivilDefence waiting for an exception.
    sign_in(page, watch, OWNER, DEMO_PASSWORD)
    panel = page.get_by_role("region", name="Exceptions waiting for you")
    panel.get_by_role("link", name=re.compile("@NZCivilDefence")).first.click()
    page.wait_for_load_state("load")
    watch.check(page)
    expect(page.locator("#draft-state")).to_contain_text("waiting for the business owner's decision")
    page.get_by_label("Decline: it must be rewritten").check()
    page.get_by_label("Reason").fill("Thank donors without naming the brand's deals.")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_load_state("load")
    watch.check(page)
    expect(page.locator("#draft-state")).to_have_text("This draft is not cleared: the business owner declined the exception.")
    expect(page.locator("#exception").get_by_text("Thank donors without naming the brand's deals.", exact=False)).to_be_visible()
    # The history says the same as a sentence, naming the person.
    expect(page.get_by_role("region", name="History")).to_contain_text(
        "declined an exception to the policy: “Thank donors without naming the brand's deals.”")
