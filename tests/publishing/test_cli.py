"""`kaitiaki posts`: draft, check, submit, schedule and list through the same services as the web,
with one-line errors, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from typer.testing import CliRunner

from kaitiaki.cli import app
from kaitiaki.db import session_scope
from kaitiaki.publishing import review, service
from kaitiaki.timeutil import to_local, utcnow
from tests.fixtures.register import ZONE
from tests.publishing.conftest import authorised_channel
from tests.register.conftest import Cast

NEUTRAL = "Civil Defence sirens are tested at 9am on Sunday. No action is needed."
POLITICAL = "Vote National on Saturday! They are the only party with a plan."


@pytest.fixture
def cli(cast: Cast, tmp_path):
    runner = CliRunner()
    environment = {"KAITIAKI_DATABASE_URL": cast.url, "KAITIAKI_VAR_DIR": str(tmp_path / "var"),
                   "KAITIAKI_ENV": "test"}

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(app, list(args), env=environment, input=input)

    return invoke


def test_draft_submit_schedule_list_and_cancel(cli, cast):
    with session_scope(cast.engine) as session:
        authorised_channel(session, cast, handle="CliPosts")
    poster = cast.emails["poster"]
    drafted = cli("posts", "draft", "--channel", "CliPosts", "--as", poster, "--text", NEUTRAL,
                  "--json")
    assert drafted.exit_code == 0, drafted.output
    row = json.loads(drafted.stdout)
    assert row["state"] == "checked" and row["decision"] == "pass" and row["channel"] == "@CliPosts"
    draft_id = str(row["id"])

    assert cli("posts", "schedule", draft_id, "--as", poster, "--at", "2099-01-01T09:00").exit_code == 2
    submitted = cli("posts", "submit", draft_id, "--as", poster)
    assert submitted.exit_code == 0 and "submitted" in submitted.stdout

    past = cli("posts", "schedule", draft_id, "--as", poster, "--at", "2020-01-01 09:00")
    assert past.exit_code == 2 and past.stderr.startswith("Error: Choose a time at least 2 minutes")
    wanted = (to_local(utcnow(), ZONE) + timedelta(days=3)).replace(hour=9, minute=30)
    at = wanted.strftime("%Y-%m-%dT%H:%M")
    scheduled = cli("posts", "schedule", draft_id, "--as", poster, "--at", at)
    assert scheduled.exit_code == 0 and "9:30 am" in scheduled.stdout, scheduled.output

    listed = json.loads(cli("posts", "list", "--scheduled", "--json").stdout)
    assert [(r["id"], r["scheduled_for"][:16]) for r in listed] == [(int(draft_id), at)]
    text = cli("posts", "list", "--as", poster).stdout
    assert text.startswith(f"{draft_id}\t@CliPosts (x)\tsubmitted\tpass, goes out {at}")

    other = cli("posts", "schedule", draft_id, "--as", cast.emails["owner"], "--cancel")
    assert other.exit_code == 2 and "who wrote this draft" in other.stderr
    cancelled = cli("posts", "schedule", draft_id, "--as", poster, "--cancel")
    assert cancelled.exit_code == 0
    assert cli("posts", "list", "--scheduled").stdout.strip() == "No posts match."


def test_a_block_exits_1_and_a_review_channel_waits(cli, cast):
    with session_scope(cast.engine) as session:
        posting = authorised_channel(session, cast, handle="CliReviewed")
        review.set_review_required(session, user=posting.owner, channel=posting.channel,
                                   required=True)
    poster = cast.emails["poster"]
    blocked = cli("posts", "draft", "--channel", "CliReviewed", "--as", poster, "--file", "-",
                  input=POLITICAL)
    assert blocked.exit_code == 1 and "saved and checked: block" in blocked.stdout
    assert "block: " in blocked.stdout
    refused = cli("posts", "submit", blocked.stdout.split()[1], "--as", poster)
    assert refused.exit_code == 2 and "block finding stops submission" in refused.stderr

    fine = cli("posts", "draft", "--channel", "CliReviewed", "--as", poster, "--text", NEUTRAL)
    draft_id = fine.stdout.split()[1]
    again = cli("posts", "check", draft_id, "--as", poster)
    assert again.exit_code == 0 and again.stdout.startswith(f"Draft {draft_id}, version 1: pass")
    sent = cli("posts", "submit", draft_id, "--as", poster)
    assert sent.stdout.strip() == f"Draft {draft_id} sent for review on @CliReviewed."
    with session_scope(cast.engine) as session:
        assert service.require_draft(session, int(draft_id)).state == "in_review"
    assert cli("posts", "list", "--state", "nonsense").exit_code == 2
    assert cli("posts", "draft", "--channel", "CliReviewed", "--as", poster).exit_code == 2


def test_a_draft_with_an_image_needs_its_alt_text(cli, cast, tmp_path):
    with session_scope(cast.engine) as session:
        authorised_channel(session, cast, handle="CliImages")
    poster = cast.emails["poster"]
    image = tmp_path / "siren.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(32))
    missing = cli("posts", "draft", "--channel", "CliImages", "--as", poster, "--text", NEUTRAL,
                  "--image", str(image))
    assert missing.exit_code == 2 and "Give one --alt for each --image" in missing.stderr
    drafted = cli("posts", "draft", "--channel", "CliImages", "--as", poster, "--text", NEUTRAL,
                  "--image", str(image), "--alt", "A grey siren on a pole", "--json")
    assert drafted.exit_code == 0, drafted.output
    assert json.loads(drafted.stdout)["images"] == [
        {"alt": "A grey siren on a pole", "media_type": "image/png", "bytes": 40}]
