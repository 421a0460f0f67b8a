"""The compose and draft pages without a browser: field errors keep what was typed, the live
check is escaped and stores nothing, the item page shows its history to the right people, and the
API token page shows a new token once."""

from __future__ import annotations

import itertools
import re
import shutil
from datetime import date, timedelta
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kaitiaki.app import create_app
from kaitiaki.checker import load_pack
from kaitiaki.db import session_scope
from kaitiaki.models import ApiToken, Comment, Draft, PersonalCheck, User
from kaitiaki.policy.loader import BUNDLED_PACKS
from kaitiaki.publishing import service
from kaitiaki.publishing.connectors import ManualRecordConnector
from kaitiaki.publishing.schemas import DraftInput
from tests.fixtures.people import DEFAULT_PASSWORD
from tests.fixtures.register import ZONE
from tests.publishing.conftest import authorised_channel
from tests.web.helpers import form_token, sign_in

_handles = itertools.count(1)


@pytest.fixture
def site(cast, cast_settings) -> Iterator[dict]:
    with session_scope(cast.engine) as session:
        channel_id = authorised_channel(session, cast, handle=f"GatePage{next(_handles)}").channel.id
    with TestClient(create_app(cast_settings), follow_redirects=False) as client:
        yield {"client": client, "channel_id": channel_id, "cast": cast}


def signed_in(site, name: str) -> TestClient:
    client = site["client"]
    assert sign_in(client, site["cast"].emails[name], DEFAULT_PASSWORD).status_code == 303
    return client


def post(client: TestClient, path: str, data: dict, *, token_from: str = "/compose"):
    return client.post(path, data={**data, "csrf_token": form_token(client, token_from)})


def drafts_count(cast) -> int:
    with session_scope(cast.engine) as session:
        return session.scalar(select(func.count()).select_from(Draft))


def test_empty_text_is_a_field_error_and_the_form_keeps_its_values(site):
    client = signed_in(site, "poster")
    before = drafts_count(site["cast"])
    response = post(client, "/compose", {"channel_id": site["channel_id"], "kind": "reply",
                                         "text": "", "reply_to_text": "When are sirens tested?"})
    assert response.status_code == 422
    assert "Write the text of the reply before saving it." in response.text
    assert "When are sirens tested?" in response.text
    assert drafts_count(site["cast"]) == before


def test_live_check_is_escaped_and_stores_nothing(site):
    client = signed_in(site, "poster")
    before = drafts_count(site["cast"])
    response = post(client, "/compose/live", {"channel_id": site["channel_id"], "kind": "post",
                                              "text": "<script>alert(1)</script> Vote National!"})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text
    # escaped; a word of it may be highlighted as evidence (&lt;<mark>script</mark><sup>...</sup>&gt;)
    assert "&lt;script&gt;" in re.sub(r'</?mark>|<sup class="finding-ref">[^<]*</sup>', "", response.text)
    assert "<mark>Vote National</mark>" in response.text
    assert drafts_count(site["cast"]) == before


def test_live_check_names_the_platform_limit(site):
    client = signed_in(site, "poster")
    response = post(client, "/compose/live", {"channel_id": site["channel_id"], "kind": "post",
                                              "text": "a" * 300})
    assert "The text is 300 characters as X counts them, 20 over its limit of 280." in response.text


def test_line_breaks_count_once_as_people_count_them(site):
    """A browser sends each line break as CR LF: 14 lines of 19 letters are 279 characters on X,
    not 292, so the post is checked rather than refused."""
    client = signed_in(site, "poster")
    text = "\r\n".join(["Kia ora koutou katoa"[:19]] * 14)
    response = post(client, "/compose/live", {"channel_id": site["channel_id"], "kind": "post",
                                              "text": text})
    assert "over its limit" not in response.text
    assert "279 of 280 characters" in response.text


def test_unknown_channel_keeps_the_text(site):
    client = signed_in(site, "poster")
    response = post(client, "/compose", {"channel_id": "999999", "kind": "post",
                                         "text": "Sirens are tested on Sunday."})
    assert response.status_code == 422
    assert "Choose one of the channels you are authorised to post on." in response.text
    assert "Sirens are tested on Sunday." in response.text


def test_draft_page_history_and_who_may_see_it(site):
    client = signed_in(site, "poster")
    saved = post(client, "/compose", {"channel_id": site["channel_id"], "kind": "post",
                                      "text": "Vote National on Saturday!"})
    assert saved.status_code == 303
    path = saved.headers["location"]
    page = client.get(path)
    assert "This draft is checked." in page.text
    assert "DPMC and its staff must remain politically neutral." in page.text
    assert "checked the draft against the policy" in page.text
    refused = post(client, f"{path}/revise", {"text": ""}, token_from=path)
    assert refused.status_code == 422 and "Vote National on Saturday!" in refused.text
    client.post("/logout", data={"csrf_token": form_token(client, path)})
    signed_in(site, "staff")
    assert client.get(path).status_code == 403
    client.post("/logout", data={"csrf_token": form_token(client, "/")})
    signed_in(site, "owner")
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("days", ["²", "-3", "9" * 12, "thirty"])
def test_a_token_lifetime_that_is_not_a_whole_number_of_days_is_a_field_error(site, days):
    client = signed_in(site, "staff")
    refused = post(client, "/people/me/tokens", {"name": "Scheduler", "expires_in_days": days},
                   token_from="/people/me/tokens")
    assert refused.status_code == 422 and "Choose how long the token lasts" in refused.text
    assert 'value="Scheduler"' in refused.text


def test_api_token_is_shown_once(site):
    client = signed_in(site, "staff")
    created = post(client, "/people/me/tokens", {"name": "Scheduler", "expires_in_days": "30"},
                   token_from="/people/me/tokens")
    assert created.status_code == 201
    secret = re.search(r'value="(kt_[^"]+)"', created.text).group(1)
    again = client.get("/people/me/tokens")
    assert secret not in again.text and secret[:10] in again.text
    assert client.get("/api/v1/drafts", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    with session_scope(site["cast"].engine) as session:
        assert session.scalars(select(ApiToken).where(ApiToken.prefix == secret[:10])).one()


def test_self_check_kept_only_when_asked_and_deletable(site):
    client = signed_in(site, "staff")
    cast = site["cast"]

    def kept() -> int:
        with session_scope(cast.engine) as session:
            return session.scalar(select(func.count()).select_from(PersonalCheck))

    before = kept()
    text = "My manager is useless and this department treats us like dirt."
    post(client, "/self-check", {"platform": "x", "text": text}, token_from="/self-check")
    assert kept() == before
    response = post(client, "/self-check", {"platform": "x", "text": text, "keep": "1"},
                    token_from="/self-check")
    assert response.status_code == 303 and kept() == before + 1
    page = client.get("/self-check")
    assert text[:40] in page.text
    check_id = re.search(r'/self-check/kept/(\d+)/delete', page.text).group(1)
    post(client, f"/self-check/kept/{check_id}/delete", {}, token_from="/self-check")
    assert kept() == before


def test_reply_opened_from_a_queue_comment_picks_its_channel(site):
    with session_scope(site["cast"].engine) as session:
        comment = Comment(channel_id=site["channel_id"], platform="x",
                          external_id=f"queue-{site['channel_id']}", author_handle="@resident",
                          text="Is the road to Napier open?", decision="pass", severity_rank=0,
                          findings=[], pack_id="dpmc@test", state="review")
        session.add(comment)
        session.flush()
        comment_id = comment.id
    page = signed_in(site, "poster").get(f"/compose?comment={comment_id}").text
    assert re.search(rf'<option value="{site["channel_id"]}" selected>', page)
    assert re.search(r'id="kind-reply" name="kind" value="reply"\s*checked', page)
    assert re.search(rf'<option value="{comment_id}" selected>', page)


def _checked_draft(site, text: str, then: Callable[[Session, User, Draft], Any]) -> str:
    """A draft the poster saved and checked, then `then` done with it; its page's path."""
    cast = site["cast"]
    with session_scope(cast.engine) as session:
        poster, pack = cast.user(session, "poster"), load_pack("dpmc")
        draft = service.create_draft(session, user=poster, pack=pack, channel_id=site["channel_id"],
                                     data=DraftInput(kind="post", text=text))
        service.check_draft(session, user=poster, draft=draft, pack=pack)
        then(session, poster, draft)
        return f"/drafts/{draft.id}"


def _submitted_and_published(session: Session, poster: User, draft: Draft) -> None:
    service.submit(session, user=poster, draft=draft)
    service.record_publication(session, user=poster, draft=draft, connector=ManualRecordConnector(),
                               url="https://x.com/NZCivilDefence/status/100", zone=ZONE)


def test_a_published_address_is_corrected_on_the_draft_page(site):
    path = _checked_draft(site, "Check your emergency water today.", _submitted_and_published)
    client = signed_in(site, "poster")
    assert "Correct the published address" in client.get(path).text
    wrong = post(client, f"{path}/publication/correct",
                 {"url": "https://bsky.app/profile/x/post/1", "reason": "Wrong link."}, token_from=path)
    assert wrong.status_code == 422
    assert "That address is not on x" in wrong.text and 'value="https://bsky.app/profile/x/post/1"' in wrong.text
    fixed = post(client, f"{path}/publication/correct",
                 {"url": "https://x.com/NZCivilDefence/status/101", "reason": "Wrong link."}, token_from=path)
    assert fixed.status_code == 303
    assert 'href="https://x.com/NZCivilDefence/status/101"' in client.get(path).text


def test_the_owner_approves_an_exception_until_a_day_and_a_past_day_keeps_what_was_typed(site):
    path = _checked_draft(site, "Vote National on Saturday!", lambda session, poster, draft: (
        service.request_exception(session, user=poster, draft=draft, justification="A quote.")))
    client = signed_in(site, "owner")
    assert "Approved until (optional)" in client.get(path).text
    past = post(client, f"{path}/exception/decision",
                {"decision": "approve", "reason": "It is a quote.", "until": "2020-01-31"}, token_from=path)
    assert past.status_code == 422
    assert "That day has passed" in past.text and 'value="2020-01-31"' in past.text
    assert "It is a quote.</textarea>" in past.text
    until = date.today() + timedelta(days=30)
    approved = post(client, f"{path}/exception/decision",
                    {"decision": "approve", "reason": "It is a quote.", "until": until.isoformat()},
                    token_from=path)
    assert approved.status_code == 303
    assert f"Until {until:%-d %b %Y}." in client.get(path).text


def test_the_compose_page_shows_a_dated_period_while_it_is_in_force(cast, cast_settings, tmp_path):
    """A pack whose pre-election period covers today: the compose page says so above the form."""
    folder = tmp_path / "dpmc"
    shutil.copytree(BUNDLED_PACKS / "dpmc", folder)
    today = date.today()
    meta = folder / "pack.yaml"
    meta.write_text(meta.read_text().replace("starts: 2023-07-14", f"starts: {today - timedelta(days=2)}")
                    .replace("ends: 2023-10-14", f"ends: {today + timedelta(days=2)}"))
    settings = cast_settings.model_copy(update={"policy_pack": str(folder)})
    with session_scope(cast.engine) as session:
        authorised_channel(session, cast, handle="GatePeriod")
    with TestClient(create_app(settings), follow_redirects=False) as client:
        assert sign_in(client, cast.emails["poster"], DEFAULT_PASSWORD).status_code == 303
        page = client.get("/compose").text
    assert "Stricter rules apply now: the pre-election period for the 2023 general election" in page
    with TestClient(create_app(cast_settings), follow_redirects=False) as client:
        assert sign_in(client, cast.emails["poster"], DEFAULT_PASSWORD).status_code == 303
        assert "Stricter rules apply now" not in client.get("/compose").text
