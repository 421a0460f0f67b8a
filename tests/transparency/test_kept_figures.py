"""The figures a periodic job keeps: the public statement shows them until the job counts again,
and counts for itself only when none were kept for today."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaitiaki.checker import load_pack
from kaitiaki.models import Comment
from kaitiaki.moderation import service
from kaitiaki.moderation.service import ActionRequest
from kaitiaki.timeutil import utcnow
from kaitiaki.transparency.kept import current_figures, kept_figures, refresh_figures
from tests.moderation.conftest import INSULT, import_records, jsonl_line, new_channel
from tests.register.conftest import Cast, cast, cast_settings, db, work  # noqa: F401 (fixtures)

ZONE = ZoneInfo("Pacific/Auckland")


def test_the_statement_reads_the_kept_figures_until_the_job_counts_again(db: Session, work, cast: Cast):
    pack, now = load_pack("dpmc"), utcnow()
    channel = new_channel(db, cast, handle="KeptFigures")
    import_records(db, channel, pack, [jsonl_line("k1", INSULT), jsonl_line("k2", INSULT)])
    assert kept_figures(db, now.astimezone(ZONE).date()) is None
    assert current_figures(db, pack=pack, zone=ZONE, now=now).comments_deleted == 0  # counted itself

    refresh_figures(db, pack=pack, zone=ZONE, now=now)
    first = db.scalar(select(Comment).where(Comment.platform == channel.platform, Comment.external_id == "k1"))
    service.act(work, comment_id=first.id, user=cast.user(db, "owner"),
                request=ActionRequest(action="delete", reason="offensive"))
    assert current_figures(db, pack=pack, zone=ZONE, now=now).comments_deleted == 0  # kept, not recounted
    later = utcnow()
    refresh_figures(db, pack=pack, zone=ZONE, now=later)
    assert current_figures(db, pack=pack, zone=ZONE, now=later).comments_deleted == 1
    tomorrow = now + timedelta(days=1)
    assert kept_figures(db, tomorrow.astimezone(ZONE).date()) is None  # a new day counts afresh
