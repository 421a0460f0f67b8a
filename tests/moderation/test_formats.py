"""Reading comment files: each format, the CSV column mapping, and refusals with their numbers."""

from __future__ import annotations

import json

import pytest

from kaitiaki.errors import BadInput
from kaitiaki.moderation import formats
from kaitiaki.moderation.formats import CommentIn, RecordError


def test_jsonl_reads_comments_and_reports_a_malformed_line_by_number():
    text = "\n".join([
        json.dumps({"id": "1", "text": "Kia ora", "author": "@ana", "posted_at": "2026-11-20T09:00:00+13:00"}),
        "{not json",
        json.dumps({"id": "3"}),
        "",
        json.dumps({"id": "5", "text": "Thanks", "author": {"handle": "@bo", "name": "Bo"}}),
    ])
    parsed = list(formats.parse_jsonl(text))
    assert [type(p) for p in parsed] == [CommentIn, RecordError, RecordError, CommentIn]
    assert parsed[0].posted_at.isoformat() == "2026-11-19T20:00:00+00:00"
    assert parsed[1].number == 2 and "not valid JSON" in parsed[1].message
    assert parsed[2].number == 3 and "text is missing" in parsed[2].message
    assert (parsed[3].number, parsed[3].author_handle, parsed[3].author_name) == (5, "@bo", "Bo")


def test_a_time_without_zone_and_an_over_long_text_are_refused():
    naive = formats.record_from_mapping({"id": "1", "text": "x", "posted_at": "2026-11-20T09:00"}, 1)
    too_long = formats.record_from_mapping({"id": "2", "text": "x" * 100_001}, 2)
    assert isinstance(naive, RecordError) and "time zone" in naive.message
    assert isinstance(too_long, RecordError) and "over the limit" in too_long.message


def test_csv_uses_known_headers_and_a_column_mapping():
    text = "Comment ID,Message,From,Created Time\nc1,Hello there,@jo,2026-11-20T09:00:00Z\n"
    with pytest.raises(BadInput, match="no column for id"):
        list(formats.parse_csv(text, {}))
    parsed = list(formats.parse_csv(text, {"id": "Comment ID", "posted_at": "Created Time"}))
    assert parsed == [CommentIn(number=2, external_id="c1", text="Hello there", author_handle="@jo",
                                posted_at=parsed[0].posted_at)]


def test_csv_row_with_the_wrong_number_of_columns_is_reported_with_its_row_number():
    text = "id,text,author\n1,fine,@a\n2,too,many,cells\n3,also fine,@c\n"
    parsed = list(formats.parse_csv(text, {}))
    assert [p.number for p in parsed] == [2, 3, 4]
    assert isinstance(parsed[1], RecordError) and "4 columns" in parsed[1].message


def test_activitystreams_reads_mastodon_style_notes_with_in_reply_to():
    outbox = {
        "@context": "https://www.w3.org/ns/activitystreams", "type": "OrderedCollection",
        "orderedItems": [
            {"type": "Create", "object": {
                "type": "Note", "id": "https://mastodon.example/users/jo/statuses/1",
                "attributedTo": "https://mastodon.example/users/jo",
                "inReplyTo": "https://govt.example/users/nema/statuses/9",
                "published": "2026-11-20T09:00:00Z",
                "content": '<p><span class="h-card"><a href="https://govt.example/@nema">@<span>nema</span></a></span> Is the road open?</p><p>Thanks &amp; kia ora</p>'}},
            {"type": "Announce", "object": "https://elsewhere.example/1"},
        ],
    }
    parsed = list(formats.parse_activitystreams(json.dumps(outbox)))
    note, announce = parsed
    assert note.text == "@nema Is the road open?\n\nThanks & kia ora"
    assert note.author_handle == "@jo@mastodon.example"
    assert note.in_reply_to == "https://govt.example/users/nema/statuses/9"
    assert isinstance(announce, RecordError) and announce.number == 2


def test_html_in_activitystreams_content_becomes_plain_text():
    assert formats.html_to_text("<b>bold</b><script>alert(1)</script>") == "boldalert(1)"


def test_a_file_that_is_not_utf8_or_too_big_is_refused_with_the_reason(tmp_path):
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes('{"id": "1", "text": "caf\u00e9"}\n'.encode("latin-1"))
    with pytest.raises(BadInput, match="not UTF-8"):
        formats.read_import_file(latin, max_bytes=10_000)
    big = tmp_path / "big.jsonl"
    big.write_text("x" * 2048)
    with pytest.raises(BadInput, match="over the import limit of 1,024 bytes"):
        formats.read_import_file(big, max_bytes=1024)
