"""The main screens in a real browser: compose by kind, the error summary, the phone layout, and
each role's first screen. With KAITIAKI_SCREENSHOTS=1 the test also saves each screen to
docs/images/ for the user guide, so the pictures there stay current; normal runs write nothing."""

from __future__ import annotations

import os
import re
import struct
import zlib

import pytest
from playwright.sync_api import Page, expect

from kaitiaki.people.demo import DEMO_PASSWORD
from tests.browser.conftest import REPO_ROOT, PageWatch
from tests.browser.test_journeys import open_page, sign_in

pytestmark = pytest.mark.browser

POSTER = "poster@dpmc.example.govt.nz"
COMMS = "comms@dpmc.example.govt.nz"
DIRECTOR = "director.comms@dpmc.example.govt.nz"
NEMA_COMMS = "nema.comms@nema.example.govt.nz"  # business owner of NZ Civil Defence's channels
DPMC_X = "X @DPMC_NZ (Department of the Prime Minister and Cabinet), up to 280 characters"
IMAGES = REPO_ROOT / "docs" / "images"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def screenshot(page: Page, name: str) -> None:
    """Save the screen for the user guide, only when asked (KAITIAKI_SCREENSHOTS=1)."""
    if os.environ.get("KAITIAKI_SCREENSHOTS") != "1":
        return
    IMAGES.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(IMAGES / f"{name}.png"), full_page=True, animations="disabled")


def fits_the_screen(page: Page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_compose_shows_only_the_chosen_kinds_fields_and_checks_as_you_type(page: Page, watch: PageWatch):
    page.set_viewport_size(DESKTOP)
    sign_in(page, watch, POSTER, DEMO_PASSWORD)
    open_page(page, watch, "/compose")
    reply_comment = page.get_by_label("Or paste the comment")
    purpose = page.get_by_label("Business purpose")
    expect(page.locator("#kind-post")).to_be_checked()
    expect(reply_comment).to_be_hidden()
    expect(purpose).to_be_hidden()

    page.locator("#kind-reply").check()
    expect(reply_comment).to_be_visible()
    expect(purpose).to_be_hidden()
    page.locator("#kind-interaction").check()
    expect(purpose).to_be_visible()
    expect(reply_comment).to_be_hidden()
    watch.check(page)

    page.locator("#kind-post").check()
    page.get_by_label("Channel").select_option(label=DPMC_X)
    page.get_by_label("Text", exact=True).fill("Vote National on Saturday!")
    findings = page.locator("#findings")
    expect(findings.get_by_text("Blocked: a finding stops submission.")).to_be_visible()
    expect(findings).to_contain_text("Checked against the DPMC / NEMA Social Media Policy, version 1.2.")
    expect(findings).to_contain_text("What to do instead:")
    expect(findings).not_to_contain_text("dpmc@1.2+")
    watch.check(page)
    screenshot(page, "compose")

    page.set_viewport_size(PHONE)
    assert fits_the_screen(page), "the compose page scrolls sideways on a phone"
    watch.check(page)
    screenshot(page, "compose-phone")


def solid_png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A one-colour PNG, made without an imaging library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def test_an_image_with_alt_text_is_attached_and_shown_with_it(page: Page, watch: PageWatch):
    page.set_viewport_size(DESKTOP)
    sign_in(page, watch, POSTER, DEMO_PASSWORD)
    open_page(page, watch, "/compose")
    page.get_by_label("Channel").select_option(label=DPMC_X)
    page.get_by_label("Text", exact=True).fill("The new siren at the wharf is tested at 9am on Sunday.")
    page.locator("#image_1").set_input_files(files=[{
        "name": "siren.png", "mimeType": "image/png", "buffer": solid_png(320, 180, (0, 94, 133))}])
    page.locator("#image_alt_1").fill("A blue siren housing on a pole beside the wharf")
    expect(page.locator("#findings")).to_contain_text("Checked against")
    watch.check(page)
    screenshot(page, "compose-image")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state("load")
    figure = page.get_by_role("list", name="Images of version 1")
    expect(figure.get_by_role("img", name="A blue siren housing on a pole beside the wharf")).to_be_visible()
    expect(figure).to_contain_text("Image 1 alt text: “A blue siren housing on a pole beside the wharf”")
    watch.check(page)


def test_the_error_summary_takes_focus_and_links_to_the_field(page: Page, watch: PageWatch):
    sign_in(page, watch, POSTER, DEMO_PASSWORD)
    open_page(page, watch, "/compose")
    page.get_by_label("Channel").select_option(label=DPMC_X)
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state("load")
    watch.check(page)
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    screenshot(page, "error-summary")
    summary.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/compose#text$"))


def test_an_approver_starts_from_what_needs_them_and_sees_the_whole_request(page: Page, watch: PageWatch):
    page.set_viewport_size(DESKTOP)
    sign_in(page, watch, DIRECTOR, DEMO_PASSWORD)
    today = page.get_by_role("list", name="What needs you today")
    if today.count():
        expect(today.get_by_role("link").first).to_be_visible()
    expect(page.get_by_text("Comments waiting in your queues")).to_have_count(0)
    screenshot(page, "dashboard-approver")
    open_page(page, watch, "/register/requests")
    screenshot(page, "requests")
    request_links = page.locator('main a[href^="/register/requests/"]')
    if request_links.count():
        request_links.first.click()
        page.wait_for_load_state("load")
        watch.check(page)
        expect(page.get_by_role("heading", name="The channel")).to_be_visible()
        expect(page.get_by_text("Business owner", exact=True)).to_be_visible()


def test_the_channel_page_is_in_sections_with_history_as_sentences(page: Page, watch: PageWatch):
    page.set_viewport_size(DESKTOP)
    sign_in(page, watch, COMMS, DEMO_PASSWORD)
    open_page(page, watch, "/register")
    screenshot(page, "register")
    page.get_by_role("link", name="@DPMC_NZ").first.click()
    page.wait_for_load_state("load")
    watch.check(page)
    sections = page.get_by_role("navigation", name="Sections of this page")
    for name in ("Overview", "People", "Approvals", "Visual identity", "History"):
        expect(sections.get_by_role("link", name=name)).to_be_visible()
    # Forms used now and then are folded away until asked for.
    expect(page.get_by_label("New business owner's email address")).to_be_hidden()
    page.locator("summary", has_text="Change the business owner").click()
    expect(page.get_by_label("New business owner's email address")).to_be_visible()
    history = page.get_by_role("region", name="History")
    expect(history).to_contain_text("Mere Director approved the request.")
    expect(history).not_to_contain_text(re.compile(r"channel\.[a-z_]+"))  # no event names
    watch.check(page)
    sections.get_by_role("link", name="History").click()
    screenshot(page, "channel")


def test_a_business_owner_sees_how_to_connect_a_channel_to_its_platform(page: Page, watch: PageWatch):
    page.set_viewport_size(DESKTOP)
    sign_in(page, watch, NEMA_COMMS, DEMO_PASSWORD)
    open_page(page, watch, "/register?platform=facebook")
    page.get_by_role("link", name="@NZCivilDefence").click()
    page.wait_for_load_state("load")
    watch.check(page)
    page.get_by_role("navigation", name="Sections of this page").get_by_role(
        "link", name="Platform connection").click()
    watch.check(page)
    section = page.get_by_role("region", name="Platform connection")
    expect(section).to_contain_text("Not connected")
    section.get_by_label("Page id").fill("100000000000001")
    section.get_by_role("button", name="Connect").click()  # the token forgotten
    page.wait_for_load_state("load")
    watch.check(page)
    expect(page.get_by_label("Page id")).to_have_value("100000000000001")
    expect(page.get_by_text("Enter page access token.").first).to_be_visible()
    page.get_by_role("region", name="Platform connection").scroll_into_view_if_needed()
    screenshot(page, "channel-connection")


def test_a_moderator_on_a_phone_sees_the_queue_without_sideways_scrolling(page: Page, watch: PageWatch):
    page.set_viewport_size(PHONE)
    sign_in(page, watch, COMMS, DEMO_PASSWORD)
    screenshot(page, "dashboard-phone")
    open_page(page, watch, "/moderation")
    assert fits_the_screen(page), "the moderation page scrolls sideways on a phone"
    screenshot(page, "moderation-phone")


def test_public_and_reference_screens(page: Page, watch: PageWatch):
    page.set_viewport_size(DESKTOP)
    open_page(page, watch, "/glossary")
    expect(page.get_by_role("heading", name="Glossary", level=1)).to_be_visible()
    screenshot(page, "glossary")
    open_page(page, watch, "/complaints/new")
    screenshot(page, "complaint-form")
    open_page(page, watch, "/self-check")
    screenshot(page, "self-check")


def _tab_to(page: Page, matches: str, *, limit: int = 200) -> None:
    """Press Tab until the focused element matches the JavaScript test `matches` (given `el`)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!el && ({matches}); }}"):
            return
    pytest.fail(f"Tab never reached an element where {matches}")


def test_a_moderator_clears_a_queue_with_the_keyboard_only(page: Page, watch: PageWatch):
    # Last in this file: it changes the demo queue that the screenshots above show.
    sign_in(page, watch, COMMS, DEMO_PASSWORD)
    _tab_to(page, "el.tagName === 'A' && el.getAttribute('href') === '/moderation'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    watch.check(page)
    _tab_to(page, "el.tagName === 'A' && el.textContent.includes('@NZCivilDefence')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    watch.check(page)
    waiting = page.locator("ol.queue > li").count()
    assert waiting > 0
    _tab_to(page, "el.id.startsWith('select-')")
    page.keyboard.press("Space")
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('Apply to the selected comments')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    watch.check(page)
    expect(page.get_by_role("status")).to_contain_text(": 1 comments, reason")
    expect(page.locator("ol.queue > li")).to_have_count(waiting - 1)
