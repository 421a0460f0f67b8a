"""A day's moderation in the browser: the business owner imports a file of comments, finds the
threat first in the queue (blurred until opened), hides it with a reason, sees it struck through,
and the month's figures count it. Every page is checked with axe-core."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from kaitiaki.people.demo import DEMO_PASSWORD
from tests.browser.conftest import PageWatch
from tests.browser.test_journeys import sign_in

pytestmark = pytest.mark.browser

OWNER = "comms@dpmc.example.govt.nz"  # business owner of @DPMC_NZ on x in the demo data
THREAT = "I know where your office is and I will burn it down with you inside."
COMMENTS = [
    {"id": "journey-1", "text": "Is the Napier evacuation centre still open tonight?", "author": "@napier_mum"},
    {"id": "journey-2", "text": "Earn $5000 a week from home!!! Click bit.ly/fr33-cash now", "author": "@deals"},
    {"id": "journey-3", "text": THREAT, "author": "@menace"},
    {"id": "journey-4", "text": "<script>document.title='owned'</script> useless idiots", "author": "@html"},
]


def test_import_then_hide_the_threat_with_a_reason(page: Page, watch: PageWatch, tmp_path):
    upload = tmp_path / "comments.jsonl"
    upload.write_text("\n".join(json.dumps(c) for c in COMMENTS) + "\n{broken\n", encoding="utf-8")
    sign_in(page, watch, OWNER, DEMO_PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Moderation").click()
    watch.check(page)
    page.get_by_role("link", name="@DPMC_NZ on x").click()
    watch.check(page)
    expect(page.get_by_text("Nothing is waiting for review on this channel.")).to_be_visible()

    page.get_by_label("File of comments (UTF-8)").set_input_files(str(upload))
    page.get_by_label("Format").select_option("jsonl")
    page.get_by_role("button", name="Import and check").click()
    watch.check(page)
    expect(page.get_by_role("status")).to_contain_text("4 comments imported, 0 already stored, 1 refused (line 5:")

    first = page.locator("ol.queue > li").first
    expect(first).to_contain_text("@menace")
    expect(first.locator(".sensitive__label")).to_have_text("This comment may be offensive. Show text")
    expect(first.locator(".comment-text")).not_to_be_visible()  # blurred until the moderator chooses
    first.locator("summary").click()
    expect(first.locator(".comment-text")).to_contain_text("burn it down")
    assert page.title() != "owned"
    expect(page.get_by_text("<script>document.title='owned'</script>", exact=False)).to_have_count(1)

    first.get_by_role("link", name=re.compile(r"Open comment #\d+")).click()
    watch.check(page)
    page.get_by_label("Action", exact=True).select_option("hide")
    page.get_by_role("button", name="Record the action").click()
    watch.check(page)
    expect(page.get_by_role("alert")).to_contain_text("Choose the reason for this action")

    page.get_by_label("Action", exact=True).select_option("hide")
    page.get_by_label("Reason (published in the transparency statement)").select_option("threat")
    page.get_by_label("Note (optional, kept with the record)").fill("Reported to Police")
    page.get_by_role("button", name="Record the action").click()
    watch.check(page)
    expect(page.get_by_role("status")).to_contain_text("hide (threat); now hidden")
    expect(page.locator("ol.queue")).not_to_contain_text("@menace")

    page.get_by_label("State").select_option("hidden")
    page.get_by_role("button", name="Filter").click()
    watch.check(page)
    hidden = page.locator("ol.queue > li").first
    expect(hidden.locator("del")).to_have_count(1)
    expect(hidden).to_contain_text("Reported to Police")

    page.get_by_role("link", name="Figures").click()
    watch.check(page)
    row = page.get_by_role("row").filter(has_text="@DPMC_NZ on x")
    expect(row).to_contain_text("Hide")
    expect(row).to_contain_text("Threats")
    expect(row.get_by_role("cell").last).to_have_text("1")
