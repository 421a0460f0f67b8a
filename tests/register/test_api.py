"""`/api/v1/channels` as a signed-in person: the same rules and messages as the pages, as JSON."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kaitiaki.app import create_app
from kaitiaki.audit import queries as audit_queries
from kaitiaki.config import Settings
from kaitiaki.db import session_scope
from tests.fixtures.people import DEFAULT_PASSWORD
from tests.register.conftest import Cast
from tests.web.helpers import sign_in

NEW = {"platform": "facebook", "handle": "ApiChannel", "url": "https://www.facebook.com/ApiChannel",
       "display_name": "API Channel", "unit": "DPMC-GH", "purposes": "Engagements.",
       "business_owner": "owner@cast.example.govt.nz", "cadence_days": 14}


@pytest.fixture
def api(cast: Cast, cast_settings: Settings) -> Iterator:
    app = create_app(cast_settings)
    clients: list[TestClient] = []

    def as_person(name: str) -> TestClient:
        client = TestClient(app, follow_redirects=False)
        client.__enter__()
        clients.append(client)
        sign_in(client, cast.emails[name], DEFAULT_PASSWORD)
        return client

    yield as_person
    for client in clients:
        client.__exit__(None, None, None)


def test_request_approve_twice_and_activate(api, cast):
    created = api("comms").post("/api/v1/channels/requests", json=NEW)
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["state"], body["kind"], body["requested_by"]) == ("pending", "new_channel", cast.emails["comms"])
    request_id, channel_id = body["id"], body["channel_id"]

    director = api("director")
    # Without a JSON body a POST is a form post, which needs the page's CSRF token.
    bare = director.post(f"/api/v1/channels/requests/{request_id}/approve")
    assert (bare.status_code, bare.json()["error"]) == (403, "csrf_failed")
    first = director.post(f"/api/v1/channels/requests/{request_id}/approve", json={})
    assert first.json()["state"] == "partly_approved"
    twice = director.post(f"/api/v1/channels/requests/{request_id}/approve", json={})
    assert twice.status_code == 403 and twice.json()["error"] == "not_permitted"
    assert api("elt_sge").post(f"/api/v1/channels/requests/{request_id}/approve", json={}).status_code == 403

    final = api("elt_gh").post(f"/api/v1/channels/requests/{request_id}/approve", json={})
    assert final.json()["state"] == "approved"
    assert [a["requirement"] for a in final.json()["approvals"]] == [
        "director_strategic_comms", "elt_member@DPMC-GH"]
    channel = director.get(f"/api/v1/channels/{channel_id}").json()
    assert (channel["status"], channel["business_owner"]) == ("active", cast.emails["owner"])
    again = director.post(f"/api/v1/channels/requests/{request_id}/approve", json={})
    assert again.status_code == 409
    assert again.json()["error"] == "invalid_transition"
    assert again.json()["detail"].startswith(
        "This request is already approved; it can no longer be approved. Kiri House approved it ")


def test_conflict_and_field_errors(api, cast):
    comms = api("comms")
    assert comms.post("/api/v1/channels/requests", json={**NEW, "handle": "ApiDup"}).status_code == 201
    duplicate = comms.post("/api/v1/channels/requests", json={**NEW, "handle": "@apidup"})
    assert duplicate.status_code == 409
    assert duplicate.json()["fields"][0]["loc"] == ["handle"]
    assert "/register/channels/" in duplicate.json()["detail"]

    malformed = comms.post("/api/v1/channels/requests", json={**NEW, "handle": "ApiBad", "url": "ftp://x"})
    assert malformed.status_code == 422
    assert [f["loc"] for f in malformed.json()["fields"]] == [["url"]]
    assert comms.get("/api/v1/channels", params={"q": "apibad"}).json() == []


def test_decline_then_approve_names_the_state(api):
    request_id = api("comms").post("/api/v1/channels/requests", json={**NEW, "handle": "ApiDecline"}).json()["id"]
    director = api("director")
    no_reason = director.post(f"/api/v1/channels/requests/{request_id}/decline", json={"reason": " "})
    assert no_reason.status_code == 422 and no_reason.json()["fields"][0]["loc"] == ["reason"]
    declined = director.post(f"/api/v1/channels/requests/{request_id}/decline", json={"reason": "Use the existing page."})
    assert declined.json()["state"] == "declined"
    refused = api("elt_gh").post(f"/api/v1/channels/requests/{request_id}/approve", json={})
    assert refused.status_code == 409
    assert refused.json()["detail"].startswith("This request is declined; it can no longer be approved.")


def _active_channel(api, handle: str) -> int:
    body = api("comms").post("/api/v1/channels/requests", json={**NEW, "handle": handle}).json()
    api("director").post(f"/api/v1/channels/requests/{body['id']}/approve", json={})
    api("elt_gh").post(f"/api/v1/channels/requests/{body['id']}/approve", json={})
    return body["channel_id"]


def test_authorisations_owner_changes_and_posters(api, cast):
    channel_id = _active_channel(api, "ApiPosters")
    path = f"/api/v1/channels/{channel_id}/authorisations"
    not_owner = api("comms").post(path, json={"email": cast.emails["poster"]})
    assert not_owner.status_code == 403
    assert not_owner.json()["detail"] == ("Only the channel's business owner, Olivia Owner, can "
                                          "authorise posters on @ApiPosters.")
    owner = api("owner")
    unknown = owner.post(path, json={"email": "ghost@cast.example.govt.nz"})
    assert unknown.status_code == 422 and unknown.json()["fields"][0]["loc"] == ["email"]
    granted = owner.post(path, json={"email": cast.emails["poster"], "until": "2099-06-30"})
    assert granted.status_code == 201 and granted.json()["in_force"] is True
    posters = owner.get("/api/v1/channels/posters").json()
    assert {(p["channel"], p["email"]) for p in posters} >= {("@ApiPosters on facebook", cast.emails["poster"])}
    revoked = owner.post(f"{path}/revoke", json={"email": cast.emails["poster"], "reason": "Left the team."})
    assert revoked.json()["in_force"] is False and revoked.json()["revoked_by"] == cast.emails["owner"]

    moved = api("comms").put(f"/api/v1/channels/{channel_id}/owner",
                             json={"business_owner": cast.emails["staff"], "reason": "Restructure."})
    assert moved.json()["business_owner"] == cast.emails["staff"]
    assert owner.put(f"/api/v1/channels/{channel_id}/owner",
                     json={"business_owner": cast.emails["owner"], "reason": "Mine."}).status_code == 403
    with session_scope(cast.engine) as session:
        actions = [e.action for e in audit_queries.list_events(session, subject=f"channel:{channel_id}", limit=4)]
    assert actions == ["channel.owner_changed", "channel.poster_revoked", "channel.poster_authorised",
                       "channel.status_changed"]


def test_extended_use_and_open_requests(api):
    channel_id = _active_channel(api, "ApiExtended")
    created = api("owner").post(f"/api/v1/channels/{channel_id}/extended-use",
                                json={"details": "Instagram Live for investitures."})
    assert created.status_code == 201 and created.json()["kind"] == "extended_use"
    open_ids = [r["id"] for r in api("staff").get("/api/v1/channels/requests").json()]
    assert created.json()["id"] in open_ids
    assert api("staff").post(f"/api/v1/channels/{channel_id}/extended-use",
                             json={"details": "TikTok."}).status_code == 403


def test_the_api_is_in_the_openapi_document(api):
    paths = api("staff").get("/api/openapi.json").json()["paths"]
    assert {"/api/v1/channels", "/api/v1/channels/requests", "/api/v1/channels/{channel_id}/authorisations",
            "/api/v1/channels/requests/{request_id}/approve"} <= set(paths)
