"""Importing comments: checked on arrival, stored once, ordered by severity, refusals reported."""

from __future__ import annotations

from sqlalchemy import event, func, select, text

from kaitiaki.checker import check_many
from kaitiaki.models import AuditEvent, Comment
from kaitiaki.moderation import formats, ingest, queries
from kaitiaki.moderation.ingest import ImportReport, checker_item, store_checked
from tests.moderation.conftest import (
    CRITICISM, INSULT, QUESTION, SPAM, THREAT, import_records, jsonl_line,
)


def test_comments_are_checked_and_the_threat_leads_the_queue(db, channel, pack):
    report = import_records(db, channel, pack, [
        jsonl_line("c1", INSULT), jsonl_line("c2", QUESTION), jsonl_line("c3", SPAM),
        jsonl_line("c4", THREAT), jsonl_line("c5", CRITICISM),
    ])
    assert (report.stored, report.by_decision) == (5, {"block": 3, "warn": 0, "pass": 2})
    page = queries.queue(db, channel, queries.QueueFilter())
    assert [c.external_id for c in page.comments][0] == "c4"
    assert {c.external_id for c in page.comments} == {"c1", "c3", "c4"}
    threat = page.comments[0]
    assert threat.state == "held" and threat.sensitive and threat.category_list == ["threat"]
    assert threat.findings[0]["category"] == "threat" and threat.findings[0]["evidence"]
    criticism = db.scalar(select(Comment).where(Comment.external_id == "c5"))
    assert (criticism.state, criticism.decision, criticism.sensitive) == ("visible", "pass", False)


def test_importing_the_same_comments_again_stores_nothing_new(db, channel, pack):
    rows = [jsonl_line(f"id-{n}", QUESTION) for n in range(5)]
    first = import_records(db, channel, pack, rows)
    again = import_records(db, channel, pack, rows + [jsonl_line("id-5", QUESTION), jsonl_line("id-5", QUESTION)])
    assert (first.stored, again.stored, again.already_stored) == (5, 1, 6)
    count = db.scalar(select(func.count()).select_from(Comment).where(Comment.channel_id == channel.id))
    assert count == 6


def test_a_malformed_record_is_reported_and_the_rest_are_stored(db, channel, pack):
    report = import_records(db, channel, pack, [
        jsonl_line("a", QUESTION), {"id": "b"}, {"text": "no id"}, jsonl_line("d", CRITICISM),
    ])
    assert report.stored == 2
    assert [(e.number, e.message) for e in report.errors] == [(2, "text is missing"), (3, "id is missing")]
    stored = set(db.scalars(select(Comment.external_id).where(Comment.channel_id == channel.id)))
    assert stored == {"a", "d"}


def test_each_import_is_audited(db, channel, pack):
    import_records(db, channel, pack, [jsonl_line("x1", SPAM)])
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "comments.imported")
                      .order_by(AuditEvent.id.desc()))
    assert event.subject == f"channel:{channel.id}"
    assert event.details["stored"] == 1 and event.details["by_decision"]["block"] == 1


def test_queue_filters_by_state_decision_category_and_words(db, channel, pack):
    import_records(db, channel, pack, [jsonl_line("s1", SPAM), jsonl_line("t1", THREAT),
                                       jsonl_line("q1", QUESTION, author="@napier_resident")])
    by_category = queries.queue(db, channel, queries.QueueFilter(category="spam"))
    passed = queries.queue(db, channel, queries.QueueFilter(state="all", decision="pass"))
    by_author = queries.queue(db, channel, queries.QueueFilter(state="all", q="napier_res"))
    assert [c.external_id for c in by_category.comments] == ["s1"]
    assert [c.external_id for c in passed.comments] == ["q1"]
    assert [c.external_id for c in by_author.comments] == ["q1"]
    paged = queries.queue(db, channel, queries.QueueFilter(state="all", per_page=2, page=2))
    assert (paged.total, paged.pages, len(paged.comments)) == (3, 2, 1)


def test_a_batch_with_comments_stored_meanwhile_stores_the_rest(db, channel, pack):
    """Another import stored some of the batch after it was read: those are skipped by platform
    and id, the rest stored with their findings, on both databases' bulk paths."""
    import_records(db, channel, pack, [jsonl_line("m1", THREAT)])
    records = [formats.record_from_mapping(jsonl_line(f"m{n}", text), n)
               for n, text in enumerate([THREAT, SPAM, QUESTION], start=1)]
    results = check_many([checker_item(channel, r) for r in records], pack)
    report = ImportReport(channel=channel.label)
    store_checked(db, channel=channel, records=records, results=results, report=report, blocked=set())
    stored = {c.external_id: c for c in db.scalars(select(Comment).where(Comment.channel_id == channel.id))}
    assert sorted(stored) == ["m1", "m2", "m3"]
    assert {f["category"] for f in stored["m2"].findings} == {"spam"}
    assert stored["m2"].state == "held" and stored["m3"].findings == []
    assert stored["m2"].received_at.tzinfo is not None and stored["m2"].categories == " spam "


def test_a_spam_wave_in_one_batch_stores_every_comment_with_its_findings(db, channel, pack):
    rows = [jsonl_line(f"wave-{n}", SPAM, author=f"@bot{n}") for n in range(40)] + [jsonl_line("q", QUESTION)]
    report = import_records(db, channel, pack, rows)
    assert (report.stored, report.by_decision["block"]) == (41, 40)
    wave = list(db.scalars(select(Comment).where(Comment.channel_id == channel.id,
                                                 Comment.external_id.like("wave-%"))))
    assert len(wave) == 40 and len({c.author_handle for c in wave}) == 40
    assert all(c.decision == "block" and c.findings == wave[0].findings and c.findings for c in wave)


def test_a_large_import_refreshes_postgresqls_statistics(db, channel, pack, monkeypatch):
    """So that the queue page read right after it is planned for the comments now stored."""
    monkeypatch.setattr(ingest, "ANALYZE_AFTER", 3)  # instead of importing 10,000 comments
    import_records(db, channel, pack, [jsonl_line(f"an-{n}", QUESTION) for n in range(3)])
    count = db.scalar(select(func.count()).select_from(Comment))
    if db.get_bind().dialect.name == "postgresql":
        assert db.scalar(text("SELECT reltuples FROM pg_class WHERE relname = 'comments'")) == count
    else:  # SQLite plans without statistics, and keeps any it is given until told again
        assert db.scalar(text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")) == 0


def test_postgresqls_statistics_are_refreshed_as_a_large_import_grows(db, channel, pack, monkeypatch):
    """Each batch looks up which of its comments are stored already; with statistics from before
    the import, PostgreSQL scans the whole table for that, and a 100,000-comment import slows to a
    crawl as the table grows."""
    monkeypatch.setattr(ingest, "ANALYZE_AFTER", 4)
    statements: list[str] = []
    engine = db.get_bind().engine

    def listener(conn, cursor, statement, *rest) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        records = [formats.record_from_mapping(jsonl_line(f"grow-{n}", QUESTION), n)
                   for n in range(1, 11)]
        report = ingest.import_comments(db, channel=channel, pack=pack, records=records,
                                        actor="test", source="test", batch_size=2)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert report.stored == 10
    analyses = [s for s in statements if s.strip().upper().startswith("ANALYZE")]
    if db.get_bind().dialect.name == "postgresql":
        assert len(analyses) == 3  # after 4 and 8 comments, and at the end for the last 2
    else:
        assert analyses == []


def test_text_is_stored_exactly_as_written(db, channel, pack):
    """Tabs, line breaks, backslashes, quotes, \\N and emoji survive the bulk write (PostgreSQL's
    COPY has its own escaping)."""
    written = 'Tab\there,\nnew line, back\\slash \\N "quoted" \'single\' kia ora 🌊 Ōtaki\r\nend'
    report = import_records(db, channel, pack, [jsonl_line("exact", written, author="@a\tb",
                                                           url="https://x.com/a\\b")])
    assert report.stored == 1
    stored = db.scalar(select(Comment).where(Comment.external_id == "exact"))
    assert (stored.text, stored.author_handle, stored.url) == (written, "@a\tb", "https://x.com/a\\b")
