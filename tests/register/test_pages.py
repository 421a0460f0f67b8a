"""The register's pages through the web application: forms keep what was entered, refusals say
why, approvals move a request through its states, and approvers are emailed after the commit."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from kaitiaki.app import create_app
from kaitiaki.db import session_scope
from kaitiaki.models import Channel
from kaitiaki.register import queries, service
from tests.fixtures.mail import MailSink
from tests.fixtures.people import DEFAULT_PASSWORD
from tests.fixtures.register import ZONE, make_channel, make_request
from tests.register.conftest import Cast
from tests.web.helpers import csrf_from, sign_in



def _nema_channel(cast: Cast, handle: str, approved_days_ago: int = 0) -> int:
    with session_scope(cast.engine) as session:
        channel = make_channel(session, requester=cast.user(session, "comms"),
                               approvers=(cast.user(session, "nema_ce"), cast.user(session, "nema_cm")),
                               owner=cast.user(session, "owner"), handle=handle)
        for channel_request in queries.requests_of_channel(session, channel):
            channel_request.decided_at -= timedelta(days=approved_days_ago)
        return channel.id


def _post(client: TestClient, page: str, action: str, data: dict):
    token = csrf_from(client.get(page).text)
    return client.post(action, data={**data, "csrf_token": token})


def _alert(html: str) -> str:
    # The summary's title ("There is a problem") comes first, then the message.
    match = re.search(r'role="alert"[^>]*>\s*<h2[^>]*>There is a problem</h2>\s*<p>([^<]*)</p>', html)
    assert match, "the page shows no error summary"
    return match.group(1).replace("&#39;", "'")


def _channel_count(cast: Cast) -> int:
    with session_scope(cast.engine) as session:
        return session.scalar(select(func.count()).select_from(Channel))


NEW_CHANNEL = {"platform": "x", "handle": "@PagesNew", "url": "https://x.com/PagesNew",
               "display_name": "Pages New", "unit": "NEMA", "purposes": "Emergency updates.",
               "business_owner": "owner@cast.example.govt.nz", "monitoring_hours": "24/7",
               "cadence_days": "7", "details": "For the test."}


def test_register_lists_searches_filters_and_exports(cast, signed_in):
    channel_id = _nema_channel(cast, "PagesListed", approved_days_ago=30)
    staff = signed_in("staff")
    page = staff.get("/register", params={"q": "pageslisted"})
    assert page.status_code == 200
    assert f'href="/register/channels/{channel_id}"' in page.text
    assert "No post within its cadence" in page.text  # never posted, cadence 14 days
    assert f'/register/channels/{channel_id}"' not in staff.get("/register", params={"platform": "facebook"}).text

    exported = staff.get("/register/export.csv", params={"q": "pageslisted"})
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [(r["handle"], r["business_owner"], r["flags"]) for r in rows] == [
        ("PagesListed", cast.emails["owner"], "no_recent_post checklist_incomplete")]
    as_json = json.loads(staff.get("/register/export.json", params={"q": "pageslisted"}).text)
    assert [(c["handle"], c["status"], c["checklist"]["links_to_agency_site"]) for c in as_json] == [
        ("PagesListed", "active", False)]

    channel_page = staff.get(f"/register/channels/{channel_id}")
    history = html.unescape(channel_page.text)
    for sentence in ("asked for the channel", "approved the request", "changed the channel's status"):
        assert sentence in history  # the full history, as sentences


def test_a_malformed_url_is_a_field_error_that_keeps_what_was_entered(cast, signed_in):
    comms = signed_in("comms")
    before = _channel_count(cast)
    response = _post(comms, "/register/new", "/register/new",
                     {**NEW_CHANNEL, "handle": "PagesBadUrl", "url": "x.com/PagesBadUrl"})
    assert response.status_code == 422
    assert 'id="url-error"' in response.text and "starting with https://" in response.text
    assert 'value="PagesBadUrl"' in response.text and 'value="x.com/PagesBadUrl"' in response.text
    assert _channel_count(cast) == before


def test_the_same_handle_twice_links_to_the_existing_channel(cast, signed_in):
    channel_id = _nema_channel(cast, "PagesTaken")
    comms = signed_in("comms")
    response = _post(comms, "/register/new", "/register/new", {**NEW_CHANNEL, "handle": "pagestaken"})
    assert response.status_code == 409
    assert _alert(response.text).startswith("@PagesTaken on x is already in the register.")
    assert f'<a href="/register/channels/{channel_id}">' in response.text


def test_a_request_goes_through_two_approvals_and_approvers_are_emailed(cast, cast_settings,
                                                                       mail_sink: MailSink):
    cast_settings.smtp_host, cast_settings.smtp_port = "127.0.0.1", mail_sink.port
    app = create_app(cast_settings)
    with TestClient(app, follow_redirects=False) as comms, \
            TestClient(app, follow_redirects=False) as ce, \
            TestClient(app, follow_redirects=False) as cm:
        for client, name in ((comms, "comms"), (ce, "nema_ce"), (cm, "nema_cm")):
            sign_in(client, cast.emails[name], DEFAULT_PASSWORD)
        created = _post(comms, "/register/new", "/register/new", {**NEW_CHANNEL, "handle": "PagesFlow"})
        assert created.status_code == 303
        request_path = created.headers["location"]
        [sent] = mail_sink.received
        assert sorted(sent.recipients) == sorted([cast.emails["nema_ce"], cast.emails["nema_cm"]])
        assert request_path in sent.message.get_payload(decode=True).decode()

        assert "Channel requests waiting for your decision" in ce.get("/").text
        assert "@PagesFlow" in ce.get("/").text
        # The approver sees what they are asked to approve without opening the register entry.
        asked = html.unescape(ce.get(request_path).text)
        channel_part = asked[asked.index('id="channel-heading"'):asked.index('id="decide"')]
        for detail in (NEW_CHANNEL["purposes"], "Business owner", "Monitoring hours", "Visual identity"):
            assert detail in channel_part
        first = _post(ce, request_path, f"{request_path}/approve", {})
        assert first.status_code == 303
        assert "waiting for its remaining approval" in ce.get(request_path).text
        again = _post(ce, request_path, f"{request_path}/approve", {})
        assert again.status_code == 403
        assert _alert(again.text).startswith("You have already approved this request")

        final = _post(cm, request_path, f"{request_path}/approve", {})
        assert final.status_code == 303
        page = cm.get(request_path).text
        assert "This request is already approved." in page
        after = _post(cm, request_path, f"{request_path}/approve", {})
        assert after.status_code == 409
        assert _alert(after.text).startswith("This request is already approved; it can no longer be approved.")
        assert mail_sink.received[-1].message["Subject"] == "Channel request approved: @PagesFlow"
    with session_scope(cast.engine) as session:
        assert queries.get_channel_by_handle(session, "x", "PagesFlow").status == "active"


def test_decline_needs_a_reason_and_a_declined_request_cannot_be_approved(cast, signed_in):
    with session_scope(cast.engine) as session:
        request_id = make_request(session, requester=cast.user(session, "comms"),
                                  owner=cast.user(session, "owner"), handle="PagesDeclined").id
    path = f"/register/requests/{request_id}"
    ce = signed_in("nema_ce")
    no_reason = _post(ce, path, f"{path}/decline", {"reason": ""})
    assert no_reason.status_code == 422 and 'id="reason-error"' in no_reason.text
    assert _post(ce, path, f"{path}/decline", {"reason": "Duplicates @NZCivilDefence."}).status_code == 303
    cm = signed_in("nema_cm")
    refused = _post(cm, path, f"{path}/approve", {})
    assert refused.status_code == 409
    assert _alert(refused.text).startswith("This request is declined; it can no longer be approved.")
    assert "Duplicates @NZCivilDefence." in refused.text


def test_only_the_business_owner_authorises_and_unknown_people_are_field_errors(cast, signed_in):
    channel_id = _nema_channel(cast, "PagesPosters")
    path = f"/register/channels/{channel_id}"
    comms = signed_in("comms")
    refused = _post(comms, path, f"{path}/authorise", {"email": cast.emails["poster"]})
    assert refused.status_code == 403
    assert _alert(refused.text) == ("Only the channel's business owner, Olivia Owner, can "
                                    "authorise posters on @PagesPosters.")

    owner = signed_in("owner")
    unknown = _post(owner, path, f"{path}/authorise", {"email": "ghost@cast.example.govt.nz"})
    assert unknown.status_code == 422
    assert 'id="email-error"' in unknown.text and 'value="ghost@cast.example.govt.nz"' in unknown.text

    granted = _post(owner, path, f"{path}/authorise", {"email": cast.emails["poster"], "until": "2099-12-31"})
    assert granted.status_code == 303
    assert "Paora Poster" in owner.get("/register/posters").text
    with session_scope(cast.engine) as session:
        channel = service.require_channel(session, channel_id)
        assert service.can_post(session, cast.user(session, "poster"), channel)
    assert _post(owner, path, f"{path}/revoke", {"email": cast.emails["poster"]}).status_code == 303
    with session_scope(cast.engine) as session:
        channel = service.require_channel(session, channel_id)
        assert not service.can_post(session, cast.user(session, "poster"), channel)


def test_comms_staff_see_flagged_channels_on_their_dashboard(cast, signed_in):
    _nema_channel(cast, "PagesFlagged", approved_days_ago=30)
    dashboard = signed_in("comms").get("/").text
    assert "Channels that need attention" in dashboard
    assert "@PagesFlagged on x" in dashboard and "no post within its cadence" in dashboard
    assert "Channels that need attention" not in signed_in("staff").get("/").text


def test_comms_staff_change_the_owner_and_edit_the_entry(cast, signed_in):
    channel_id = _nema_channel(cast, "PagesOwner")
    path = f"/register/channels/{channel_id}"
    comms = signed_in("comms")
    assert _post(comms, path, f"{path}/owner", {"business_owner": cast.emails["staff"],
                                                "reason": "Olivia moved teams."}).status_code == 303
    page = comms.get(path).text
    assert "Sam Staff (staff@cast.example.govt.nz)" in page and "Olivia moved teams." in page
    bad = _post(comms, path, f"{path}/details", {"display_name": "Renamed", "url": "nope",
                                                  "purposes": "x", "monitoring_hours": "",
                                                  "cadence_days": "0"})
    assert bad.status_code == 422
    assert 'value="Renamed"' in bad.text and 'id="cadence_days-error"' in bad.text
    owner_page = signed_in("owner").get(path).text
    assert "Edit the register entry" not in owner_page


def test_work_device_apps_on_the_persons_page(cast, signed_in):
    poster = signed_in("poster")
    with session_scope(cast.engine) as session:
        poster_id = cast.user(session, "poster").id
    page = f"/people/{poster_id}"
    assert poster.get("/people/me").headers["location"] == page
    recorded = _post(poster, page, f"{page}/devices", {"app": "LinkedIn", "device": "DPMC iPhone 7",
                                                       "purpose": "Professional networking."})
    assert recorded.status_code == 303
    text = poster.get(page).text
    assert "LinkedIn" in text and "Professional networking." in text
    missing = _post(poster, page, f"{page}/devices", {"app": "X", "device": "", "purpose": ""})
    assert missing.status_code == 422 and 'value="X"' in missing.text
    assert signed_in("staff").get(page).status_code == 403
    assert "LinkedIn" in signed_in("comms").get(page).text


def test_signed_out_people_are_sent_to_sign_in(cast, cast_settings):
    with TestClient(create_app(cast_settings), follow_redirects=False) as anonymous:
        response = anonymous.get("/register")
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
        assert anonymous.get("/api/v1/channels").status_code == 401


@pytest.mark.parametrize("last_day, shown", [(date(2099, 1, 31), "Until 31 Jan 2099"),
                                              (date(2099, 6, 30), "Until 30 Jun 2099")])
def test_business_owner_authorisation_through_a_service_matches_the_page(cast, signed_in, last_day, shown):
    """The page shows the last day the owner chose, in summer and winter time, not the stored moment
    that day ends (midnight at the start of the next day)."""
    channel_id = _nema_channel(cast, f"PagesExpiry{last_day.month}")
    with session_scope(cast.engine) as session:
        channel = service.require_channel(session, channel_id)
        service.authorise(session, user=cast.user(session, "owner"), channel=channel,
                          person_email=cast.emails["poster"], until=last_day, reason="",
                          zone=ZONE)
    staff = signed_in("staff")
    page = staff.get(f"/register/channels/{channel_id}").text
    assert shown in page and "In force" in page
    assert "00:00" not in page.split("In force")[0].rsplit("<tr", 1)[-1]
    assert shown in staff.get("/register/posters").text


def test_a_request_page_says_who_can_approve_and_why_nobody_can(cast, signed_in):
    """The only NEMA Communications Manager asks for a channel: the page names who can give each
    missing approval, and says plainly that nobody can give theirs yet, and what to do."""
    with session_scope(cast.engine) as session:
        manager = cast.user(session, "nema_cm")
        request_id = make_request(session, requester=manager, owner=manager, handle="PagesOwnRequest").id
    page = signed_in("nema_cm").get(f"/register/requests/{request_id}").text
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "Waiting for the NEMA Chief Executive: Rangi Chief can approve." in text
    assert ("Waiting for the NEMA Communications Manager: nobody can give this approval yet. "
            "You hold this role, but nobody approves their own request.") in text
    assert "An administrator can give the role to another person" in text
