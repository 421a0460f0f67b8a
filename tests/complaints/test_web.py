"""The complaint pages, exports and API through the web application: the public form without
sign-in, bad input kept with its field errors, spam protection, routing seen by the right people,
and contact details shown only to those handling the complaint."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator

import pytest
from sqlalchemy import delete, func, select
from fastapi.testclient import TestClient

from kaitiaki.app import create_app
from kaitiaki.db import session_scope
from kaitiaki.models import Channel, Complaint, SubmissionAttempt
from tests.fixtures.people import DEFAULT_PASSWORD
from tests.fixtures.register import make_channel
from tests.register.conftest import Cast
from tests.web.helpers import form_token, sign_in

PRIVACY = {"category": "privacy_breach", "url": "https://x.com/WebDpmc/status/77",
           "description": "The post shows my neighbour's home address.",
           "name": "Mere Public", "email": "mere@example.co.nz", "phone": ""}


@pytest.fixture(scope="module")
def web_channel(cast: Cast) -> Channel:
    with session_scope(cast.engine) as session:
        user = lambda name: cast.user(session, name)  # noqa: E731
        return make_channel(session, requester=user("comms"),
                            approvers=(user("director"), user("elt_sge")), owner=user("owner"),
                            unit="DPMC-SCE", handle="WebDpmc")


@pytest.fixture
def client(cast, cast_settings, web_channel) -> Iterator[TestClient]:
    # Every test client comes from the same address; each test starts with its limit unused.
    with session_scope(cast.engine) as session:
        session.execute(delete(SubmissionAttempt))
    with TestClient(create_app(cast_settings), follow_redirects=False) as test_client:
        yield test_client


def _submit(client: TestClient, **fields) -> object:
    data = {**PRIVACY, **fields}
    return client.post("/complaints/new", data={**data, "csrf_token": form_token(client, "/complaints/new")})


def _reference(client: TestClient) -> str:
    page = client.get("/complaints/received")
    match = re.search(r'id="complaint-reference">([A-Z0-9-]+)<', page.text)
    assert match, page.text
    return match.group(1)


def _as(client: TestClient, cast: Cast, name: str) -> TestClient:
    client.cookies.clear()
    assert sign_in(client, cast.emails[name], DEFAULT_PASSWORD).status_code == 303
    return client


def test_the_public_form_needs_no_sign_in_and_is_linked_in_the_footer(client):
    page = client.get("/complaints/new")
    assert page.status_code == 200
    assert "Make a complaint about our social media" in page.text
    assert "Privacy breach" in page.text and "A moderation decision" in page.text
    assert 'href="/complaints/new"' in client.get("/login").text


def test_a_privacy_breach_reaches_the_owner_and_the_elt_member(client, cast):
    response = _submit(client)
    assert response.status_code == 303 and response.headers["location"] == "/complaints/received"
    received = client.get("/complaints/received").text
    reference = _reference(client)
    assert reference.startswith("DPMC-SM-")
    assert "business owner of @WebDpmc on x" in received and "senior leader" in received

    owner_dashboard = _as(client, cast, "owner").get("/").text
    assert reference in owner_dashboard
    page = client.get(f"/complaints/{reference}").text
    assert "mere@example.co.nz" in page and "This complaint is escalated." in page

    elt_dashboard = _as(client, cast, "elt_sge").get("/").text
    assert "Serious complaints escalated to you" in elt_dashboard and reference in elt_dashboard
    assert reference in client.get("/notifications").text

    staff_page = _as(client, cast, "staff").get(f"/complaints/{reference}").text
    assert "mere@example.co.nz" not in staff_page
    assert "shown only to the people handling the complaint" in staff_page
    assert "Handle the complaint" not in staff_page


def test_a_complaint_naming_no_channel_says_comms_staff_triage_it(client):
    _submit(client, url="https://www.instagram.com/p/abc/", category="other")
    assert "communications team will look at it first" in client.get("/complaints/received").text


@pytest.mark.parametrize(
    ("fields", "field", "kept"),
    [
        ({"description": ""}, "description", None),
        ({"description": "too long " * 600}, "description", "too long too long"),
        ({"url": "not a web address", "description": "Keep me"}, "url", "Keep me"),
        ({"email": "mere@", "description": "Keep me too"}, "email", "Keep me too"),
    ],
)
def test_bad_input_shows_field_errors_and_keeps_the_text(client, fields, field, kept):
    response = _submit(client, **fields)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text
    if kept:
        assert kept in response.text
    assert "mere@example.co.nz" in response.text or field == "email"


def test_script_in_any_field_is_shown_as_text(client, cast):
    script = "<script>alert('x')</script>"
    _submit(client, description=f"Look {script}", name=script, category="other")
    reference = _reference(client)
    page = _as(client, cast, "comms").get(f"/complaints/{reference}").text
    assert script not in page and "&lt;script&gt;alert(" in page


def test_the_honeypot_refuses_programs(client):
    response = _submit(client, website="https://spam.example")
    assert response.status_code == 422 and "Leave this field empty" in response.text
    assert "/complaints/received" not in response.headers.get("location", "")


def test_too_many_submissions_from_one_address_get_a_polite_wait(client):
    for _ in range(5):
        assert _submit(client, category="other").status_code == 303
    response = _submit(client, category="other", description="One more, kept")
    assert response.status_code == 429
    assert "Thank you for your patience" in response.text and "Please wait" in response.text
    assert "One more, kept" in response.text


def test_staff_record_a_complaint_and_take_it_to_a_closed_resolution(client, cast, web_channel):
    _as(client, cast, "comms")
    token = form_token(client, "/complaints/record")
    response = client.post("/complaints/record", data={
        "csrf_token": token, "source": "direct_message", "category": "accessibility",
        "url": "", "channel": str(web_channel.id), "description": "No alt text on the image.",
        "content_text": "", "name": "", "email": "", "phone": ""})
    assert response.status_code == 303
    path = response.headers["location"]
    reference = path.rsplit("/", 1)[1]
    _as(client, cast, "owner")

    def act(action: str, note: str = "") -> object:
        return client.post(f"{path}/act", data={"action": action, "note": note,
                                                "csrf_token": form_token(client, path)})

    assert act("triage").status_code == 303
    refused = act("reopen", "why")
    assert refused.status_code == 409 and "This complaint is triaged; it cannot be reopened." in refused.text
    assert act("close", "").status_code == 422
    assert act("respond", "Alt text added and the person thanked.").status_code == 303
    assert act("close", "Fixed: alt text added.").status_code == 303
    page = client.get(path).text
    assert "This complaint is closed." in page and "Fixed: alt text added." in page
    # History as sentences, the person named (not their address or the event's name).
    assert "closed the complaint from responded to closed: “Fixed: alt text added.”" in html.unescape(page)
    assert "complaint.closed" not in page

    api = client.get(f"/api/v1/complaints/{reference}").json()
    assert api["state"] == "closed" and api["resolution"] == "Fixed: alt text added."


def test_exports_and_the_api_withhold_contact_details(client, cast):
    _submit(client, category="other", description="Export me")
    reference = _reference(client)
    _as(client, cast, "comms")
    csv_text = client.get("/complaints/export.csv").text
    json_rows = json.loads(client.get("/complaints/export.json").text)
    assert reference in csv_text and "mere@example.co.nz" not in csv_text
    assert all("contact" not in row for row in json_rows)
    handler_view = client.get(f"/api/v1/complaints/{reference}").json()
    assert handler_view["contact"]["email"] == "mere@example.co.nz"
    _as(client, cast, "staff")
    listed = {row["reference"]: row for row in client.get("/api/v1/complaints").json()}
    assert listed[reference]["contact"] is None and listed[reference]["anonymous"] is False


def test_the_api_moves_a_complaint_on_with_field_errors(client, cast):
    _as(client, cast, "owner")
    created = client.post("/api/v1/complaints", json={
        "source": "email", "category": "other", "description": "By email",
        "url": "https://x.com/WebDpmc"})
    assert created.status_code == 201
    reference = created.json()["reference"]
    assert created.json()["handled_by"] == cast.emails["owner"]
    bad = client.post(f"/api/v1/complaints/{reference}/actions", json={"action": "respond", "note": ""})
    assert bad.status_code == 422 and bad.json()["fields"][0]["loc"] == ["note"]
    moved = client.post(f"/api/v1/complaints/{reference}/actions", json={"action": "triage"})
    assert moved.json()["state"] == "triaged"
    assert client.get("/api/v1/complaints/NOPE-1").status_code == 404


def test_lists_highlight_what_is_overdue_and_filter(client, cast):
    _as(client, cast, "comms")
    page = client.get("/complaints?state=closed&category=accessibility")
    assert page.status_code == 200
    assert client.get("/complaints?q=zzzz-nothing").text.count("No complaints match these filters") == 1


def test_a_complaint_over_50000_characters_comes_back_with_its_text_and_a_message(client):
    long_text = "Kept word. " * 6000  # 66,000 characters: over the old per-field cap as well
    response = _submit(client, description=long_text)
    assert response.status_code == 422
    assert 'id="description-error"' in response.text
    assert "must be at most 5000 characters" in response.text
    assert long_text.strip() in response.text


def test_invisible_control_characters_are_removed_and_the_complaint_is_received(client, cast):
    response = _submit(client, description="Rude\u0000 reply\u001b to a commenter", category="other")
    assert response.status_code == 303
    reference = _reference(client)
    page = _as(client, cast, "comms").get(f"/complaints/{reference}").text
    assert "Rude reply to a commenter" in page


def test_staff_cannot_record_a_complaint_as_if_from_the_public_form(client, cast):
    _as(client, cast, "comms")
    response = client.post("/api/v1/complaints", json={
        "source": "public_form", "category": "other", "description": "Pretending",
        "url": "https://x.com/WebDpmc"})
    assert response.status_code == 422
    assert response.json()["fields"][0]["loc"] == ["source"]
    token = form_token(client, "/complaints/record")
    page = client.post("/complaints/record", data={
        "csrf_token": token, "source": "public_form", "category": "other", "url": "https://x.com/WebDpmc",
        "channel": "", "description": "Pretending", "content_text": "", "name": "", "email": "",
        "phone": ""})
    assert page.status_code == 422 and "Pretending" in page.text


@pytest.mark.parametrize("channel", ["9" * 30, "\u00b2", "-1"])
def test_a_channel_that_is_no_id_is_a_field_error_with_the_form_kept(client, channel):
    response = _submit(client, url="", channel=channel, description="Keep this description")
    assert response.status_code == 422
    assert 'id="channel-error"' in response.text and "Keep this description" in response.text


def test_a_form_sent_twice_records_one_complaint_and_shows_it_both_times(client, cast):
    page = client.get("/complaints/new").text
    token = re.search(r'name="submission_token" value="([^"]+)"', page).group(1)
    data = {**PRIVACY, "csrf_token": form_token(client, "/complaints/new"), "submission_token": token}
    with session_scope(cast.engine, write=False) as session:
        before = session.scalar(select(func.count()).select_from(Complaint))
    first = client.post("/complaints/new", data=data)
    first_reference = _reference(client)
    again = client.post("/complaints/new", data=data)
    assert (first.status_code, again.status_code) == (303, 303)
    assert _reference(client) == first_reference
    with session_scope(cast.engine, write=False) as session:
        assert session.scalar(select(func.count()).select_from(Complaint)) == before + 1
