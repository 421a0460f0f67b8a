"""The queue page of a busy channel costs what a quiet one costs: the same database queries
whatever the number of comments (no query per comment, counts that stop at the cap), and a
moderator reads "more than 1,000 waiting" instead of waiting for every comment to be counted."""

from __future__ import annotations

import re

from kaitiaki.db import session_scope
from kaitiaki.moderation.queries import COUNT_CAP
from tests.complaints.test_list_queries import counted
from tests.moderation.conftest import INSULT, QUESTION, SPAM, THREAT, import_records, jsonl_line, new_channel

FILTERS = ["", "?state=all&page=2", "?category=spam", "?state=all&q=Napier", "?decision=block&page=3"]


def _channel_with(cast, pack, handle: str, count: int) -> int:
    """`count` comments, three in four blocked by the checker (held), the rest passed."""
    texts = [SPAM, THREAT, INSULT, QUESTION]
    with session_scope(cast.engine) as session:
        channel = new_channel(session, cast, handle=handle)
        report = import_records(session, channel, pack, [
            jsonl_line(f"{handle}-{n}", texts[n % len(texts)], author=f"@person{n % 97}") for n in range(count)])
        assert report.stored == count
        return channel.id


def _queries(client, channel_id: int) -> dict[str, int]:
    found = {}
    for query in FILTERS:
        with counted(client.app.state.engine) as statements:
            response = client.get(f"/moderation/channels/{channel_id}{query}")
        assert response.status_code == 200, response.text[:300]
        found[query] = len(statements)
    return found


def test_a_busy_queue_page_makes_the_queries_of_a_quieter_one(cast, pack, signed_in):
    # 200 comments fill every filtered page asked for, so both pages count their matches
    quieter = _channel_with(cast, pack, "QuieterQueue", 200)
    busy = _channel_with(cast, pack, "BusyQueue", 4 * COUNT_CAP // 3 + 3)
    owner = signed_in("owner")
    assert _queries(owner, busy) == _queries(owner, quieter)


def test_waiting_counts_stop_at_the_cap_and_say_so(cast, pack, signed_in):
    busy = _channel_with(cast, pack, "CappedQueue", 4 * COUNT_CAP // 3 + 3)  # 1,002 held, 334 passed
    few = _channel_with(cast, pack, "FewQueue", 8)
    owner = signed_in("owner")
    page = owner.get(f"/moderation/channels/{busy}").text
    lede = re.search(r'<p class="lede">(.*?)</p>', page, re.S).group(1)
    assert lede.startswith("more than 1,000 waiting: more than 1,000 held by the checker, 0 for review")
    assert "Comments (more than 1,000)" in page
    quiet = owner.get(f"/moderation/channels/{few}").text
    assert re.search(r'<p class="lede">6 waiting: 6 held by the checker, 0 for review', quiet)
    assert "Comments (6)" in quiet


def test_the_last_page_counts_what_it_shows(cast, pack, signed_in):
    channel_id = _channel_with(cast, pack, "LastPage", 60)  # 45 held
    owner = signed_in("owner")
    page = owner.get(f"/moderation/channels/{channel_id}?state=all&page=2").text
    assert "Page 2 of 2" in page and 'rel="next"' not in page
    assert len(re.findall(r'id="comment-\d+"', page)) == 10
