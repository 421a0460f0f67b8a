"""The moderation pages and API: the queue shows the threat first with its evidence, offensive
text blurred behind a <details>, HTML shown as text; actions need reasons; figures update."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient

from kaitiaki.db import session_scope
from tests.fixtures.register import make_request
from tests.moderation.conftest import INSULT, QUESTION, SPAM, THREAT, new_channel
from tests.register.conftest import Cast
from tests.web.helpers import csrf_from



def _channel_id(cast: Cast, handle: str) -> int:
    with session_scope(cast.engine) as session:
        return new_channel(session, cast, handle=handle).id


def _import(client: TestClient, handle: str, comments: list[dict]):
    return client.post("/api/v1/comments", json={"channel": handle, "comments": comments})


def _comment_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'id="comment-(\d+)"', html)]


def test_api_import_then_queue_page_shows_the_threat_first_blurred_and_escaped(cast, signed_in):
    channel_id = _channel_id(cast, "PagesQueue")
    owner = signed_in("owner")
    response = _import(owner, "PagesQueue", [
        {"id": "p1", "text": QUESTION}, {"id": "p2", "text": SPAM},
        {"id": "p3", "text": THREAT, "author": "@menace"},
        # markup beside a short insult dilutes what the meaning model reads: the insult here is whole
        {"id": "p4", "text": f"<script>alert('x')</script> {INSULT}"}, {"text": "no id"},
    ])
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["stored"], body["errors"]) == (4, [{"number": 5, "message": "id is missing"}])
    again = _import(owner, "PagesQueue", [{"id": "p1", "text": QUESTION}]).json()
    assert (again["stored"], again["already_stored"]) == (0, 1)

    page = owner.get(f"/moderation/channels/{channel_id}")
    assert page.status_code == 200
    ids = _comment_ids(page.text)
    assert len(ids) == 3  # the three the checker blocked; the question passed
    first = page.text.split(f'id="comment-{ids[0]}"')[1].split("</li>")[0]
    assert "@menace" in first and '<details class="sensitive">' in first and "<mark>" in first
    assert "<script>alert" not in page.text and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page.text


def test_hiding_with_a_reason_strikes_it_through_and_updates_the_figures(cast, signed_in):
    channel_id = _channel_id(cast, "PagesAct")
    owner = signed_in("owner")
    _import(owner, "PagesAct", [{"id": "a1", "text": THREAT}, {"id": "a2", "text": INSULT}])
    threat_id = _comment_ids(owner.get(f"/moderation/channels/{channel_id}").text)[0]
    comment_page = owner.get(f"/moderation/comments/{threat_id}")
    token = csrf_from(comment_page.text)

    refused = owner.post(f"/moderation/comments/{threat_id}/act",
                         data={"action": "hide", "reason": "", "note": "Police told", "csrf_token": token})
    assert refused.status_code == 422 and "Choose the reason" in refused.text
    assert "Police told" in refused.text  # the form keeps what was typed

    done = owner.post(f"/moderation/comments/{threat_id}/act",
                      data={"action": "hide", "reason": "threat", "note": "Police told", "csrf_token": token})
    assert done.status_code == 303
    hidden = owner.get(f"/moderation/channels/{channel_id}", params={"state": "hidden"})
    assert "<del>" in hidden.text and "Olivia Owner" in hidden.text and "Police told" in hidden.text
    history = owner.get(f"/moderation/comments/{threat_id}").text
    assert "Reason: threat." in history and "Held for review → Hidden" in history
    figures = owner.get("/moderation/figures").text
    assert re.search(r"@PagesAct on x</td><td>\d{4}-\d{2}</td><td>Hide</td><td>Threats</td><td>1</td>", figures)
    api = owner.get("/api/v1/moderation/figures",
                    params={"since": "2000-01-01T00:00:00+00:00", "until": "2100-01-01T00:00:00+00:00"})
    assert {"channel": "@PagesAct on x", "action": "hide", "reason": "threat", "count": 1}.items() <= \
        next(r for r in api.json() if r["channel"] == "@PagesAct on x").items()


def test_a_blocked_reply_shows_the_checkers_findings(cast, signed_in):
    channel_id = _channel_id(cast, "PagesReply")
    owner = signed_in("owner")
    _import(owner, "PagesReply", [{"id": "r1", "text": QUESTION}])
    comment_id = owner.get("/api/v1/comments", params={"channel_id": channel_id, "state": "all"}).json()["comments"][0]["id"]
    token = csrf_from(owner.get(f"/moderation/comments/{comment_id}").text)
    refused = owner.post(f"/moderation/comments/{comment_id}/act", data={
        "action": "reply", "reason": "question", "reply": "Shut up you idiot, nobody asked you.",
        "csrf_token": token})
    assert refused.status_code == 422 and "What the checker found in the reply" in refused.text
    ok = owner.post(f"/api/v1/comments/{comment_id}/actions", json={
        "action": "reply", "reason": "question", "reply": "Yes, it is open until 10pm tonight."})
    assert ok.status_code == 201 and ok.json()["reply_decision"] == "pass"


def test_bulk_spam_and_the_dashboard_panel(cast, signed_in):
    channel_id = _channel_id(cast, "PagesBulk")
    owner = signed_in("owner")
    _import(owner, "PagesBulk", [{"id": f"b{n}", "text": SPAM} for n in range(3)])
    assert "@PagesBulk on x</a>: 3 waiting" in owner.get("/").text
    queue = owner.get(f"/moderation/channels/{channel_id}")
    ids = _comment_ids(queue.text)
    done = owner.post(f"/moderation/channels/{channel_id}/bulk", data={
        "action": "spam", "reason": "spam", "ids": [str(i) for i in ids], "csrf_token": csrf_from(queue.text)})
    assert done.status_code == 303
    assert owner.get(f"/moderation/channels/{channel_id}", params={"state": "spam"}).text.count("<del>") == 3
    assert "No comments match" in owner.get(f"/moderation/channels/{channel_id}").text


def test_someone_else_cannot_see_the_queue_until_delegated(cast, signed_in):
    channel_id = _channel_id(cast, "PagesDelegate")
    staff, owner = signed_in("staff"), signed_in("owner")
    assert staff.get(f"/moderation/channels/{channel_id}").status_code == 403
    queue = owner.get(f"/moderation/channels/{channel_id}")
    added = owner.post(f"/moderation/channels/{channel_id}/delegates", data={
        "email": cast.emails["staff"], "reason": "Weekend cover", "csrf_token": csrf_from(queue.text)})
    assert added.status_code == 303
    assert staff.get(f"/moderation/channels/{channel_id}").status_code == 200
    assert "PagesDelegate" in staff.get("/moderation").text


def test_upload_refuses_a_file_that_is_not_utf8(cast, signed_in):
    channel_id = _channel_id(cast, "PagesUpload")
    owner = signed_in("owner")
    queue = owner.get(f"/moderation/channels/{channel_id}")
    files = {"file": ("latin.jsonl", json.dumps({"id": "1", "text": "café"}, ensure_ascii=False).encode("latin-1"))}
    refused = owner.post(f"/moderation/channels/{channel_id}/import", files=files,
                         data={"format": "jsonl", "csrf_token": csrf_from(queue.text)})
    assert refused.status_code == 422 and "is not UTF-8 text" in refused.text
    good = {"file": ("ok.csv", b"id,text\nu1,Is the road open?\nu2\n")}
    done = owner.post(f"/moderation/channels/{channel_id}/import", files=good,
                      data={"format": "csv", "csrf_token": csrf_from(queue.text)})
    assert done.status_code == 303
    assert "1 comments imported, 0 already stored, 1 refused (line 3:" in owner.get(f"/moderation/channels/{channel_id}").text


def test_api_refuses_an_unknown_channel_and_an_oversized_batch(signed_in):
    owner = signed_in("owner")
    unknown = _import(owner, "NoSuchChannel", [{"id": "1", "text": "hi"}])
    assert unknown.status_code == 404 and "@NoSuchChannel is not in the register" in unknown.json()["detail"]
    too_many = _import(owner, "NoSuchChannel", [{"id": str(n), "text": "hi"} for n in range(1001)])
    assert too_many.status_code == 422


def test_a_proposed_channel_is_not_in_the_owners_moderation_list(cast, signed_in):
    """A channel still waiting for approval has no comments to moderate."""
    live_id = _channel_id(cast, "PagesLive")
    with session_scope(cast.engine) as session:
        proposed = make_request(session, requester=cast.user(session, "comms"),
                                owner=cast.user(session, "owner"), handle="PagesProposed").channel
        proposed_id = proposed.id
    listing = signed_in("owner").get("/moderation").text
    assert f"/moderation/channels/{live_id}" in listing
    assert f"/moderation/channels/{proposed_id}" not in listing and "PagesProposed" not in listing
