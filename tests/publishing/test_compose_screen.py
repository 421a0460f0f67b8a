"""The compose screen: each kind's own fields, the policy named in words, findings with the policy
sentence and what to do instead, and the error summary linking to the field."""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kaitiaki.app import create_app
from kaitiaki.db import session_scope
from tests.fixtures.people import DEFAULT_PASSWORD
from tests.publishing.conftest import authorised_channel
from tests.web.helpers import form_token, sign_in

_handles = itertools.count(1)


@pytest.fixture
def poster(cast, cast_settings) -> Iterator[tuple[TestClient, int]]:
    with session_scope(cast.engine) as session:
        channel_id = authorised_channel(session, cast, handle=f"Screen{next(_handles)}").channel.id
    with TestClient(create_app(cast_settings), follow_redirects=False) as client:
        assert sign_in(client, cast.emails["poster"], DEFAULT_PASSWORD).status_code == 303
        yield client, channel_id


def _kind_blocks(page: str) -> dict[str, str]:
    """Which fields sit in which kind's block (the stylesheet shows only the chosen kind's)."""
    blocks = re.findall(r'<fieldset class="field kind-fields" data-kinds="(\w+)">(.*?)</fieldset>', page, re.S)
    return {kind: body for kind, body in blocks}


def test_each_kind_has_its_own_fields_and_a_post_is_chosen_to_start(poster):
    client, _ = poster
    page = client.get("/compose").text
    blocks = _kind_blocks(page)
    assert set(blocks) == {"reply", "interaction"}
    assert 'name="reply_to_text"' in blocks["reply"] and 'name="reply_to_text"' not in blocks["interaction"]
    assert 'name="business_purpose"' in blocks["interaction"]
    assert re.search(r'id="kind-post" name="kind" value="post"\s*checked', page)
    assert 'href="/self-check"' in page  # the personal kind is one step away
    stylesheet = client.get("/static/css/kaitiaki.css").text
    for kind in ("post", "reply", "interaction"):
        assert f'.compose__form:has(#kind-{kind}:checked) .kind-fields:not([data-kinds~="{kind}"])' in stylesheet


def test_the_live_check_names_the_policy_in_words_and_says_what_to_do_instead(poster):
    client, channel_id = poster
    preview = client.post("/compose/live", data={
        "channel_id": channel_id, "kind": "post", "text": "Vote National on Saturday!",
        "csrf_token": form_token(client, "/compose")})
    text = html.unescape(re.sub(r"<[^>]+>", "", preview.text))
    assert preview.status_code == 200
    assert "Checked against the DPMC / NEMA Social Media Policy, version 1.2." in text
    assert not re.search(r">[^<]*dpmc@1\.2\+", preview.text)  # the pack id only in a tooltip
    assert "The policy says:" in text and "What to do instead:" in text


def test_the_error_summary_is_titled_and_links_to_each_field(poster):
    client, channel_id = poster
    refused = client.post("/compose", data={"channel_id": channel_id, "kind": "post", "text": "",
                                            "csrf_token": form_token(client, "/compose")})
    assert refused.status_code == 422
    summary = re.search(r'<div class="alert alert--error error-summary" role="alert"(.*?)</div>', refused.text, re.S)
    assert summary, refused.text
    assert "There is a problem" in summary.group(1)
    assert '<a href="#text">' in summary.group(1)  # one error is still a link to its field
    assert 'id="text"' in refused.text
