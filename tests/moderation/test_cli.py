"""`kaitiaki comments`: import in each format, queue, act with reasons, figures; clear refusals."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from kaitiaki.cli import app
from kaitiaki.db import session_scope
from tests.moderation.conftest import CRITICISM, SPAM, THREAT, new_channel
from tests.register.conftest import Cast


@pytest.fixture
def cli(cast: Cast, tmp_path):
    runner = CliRunner()
    environment = {"KAITIAKI_DATABASE_URL": cast.url, "KAITIAKI_VAR_DIR": str(tmp_path / "var"),
                   "KAITIAKI_ENV": "test", "KAITIAKI_IMPORT_MAX_BYTES": "1048576"}

    def invoke(*args: str):
        return runner.invoke(app, list(args), env=environment)

    return invoke


def _channel(cast: Cast, handle: str) -> None:
    with session_scope(cast.engine) as session:
        new_channel(session, cast, handle=handle)


def test_import_each_format_then_queue_and_act(cli, cast, tmp_path):
    _channel(cast, "CliMod")
    jsonl = tmp_path / "c.jsonl"
    jsonl.write_text("\n".join([json.dumps({"id": "j1", "text": THREAT, "author": "@menace"}),
                                "{broken", json.dumps({"id": "j2", "text": CRITICISM})]) + "\n")
    csv_file = tmp_path / "c.csv"
    csv_file.write_text("Comment ID,Message,From\nc1,\"" + SPAM + "\",@deals\n")
    notes = tmp_path / "outbox.json"
    notes.write_text(json.dumps({"type": "OrderedCollection", "orderedItems": [{"type": "Note",
        "id": "https://m.example/users/jo/statuses/1", "attributedTo": "https://m.example/users/jo",
        "inReplyTo": "https://m.example/users/nema/statuses/2", "content": "<p>Is the road open?</p>"}]}))

    first = cli("comments", "import", str(jsonl), "--channel", "CliMod")
    assert first.exit_code == 1  # a line was refused; the others are stored
    assert "2 comments stored on @CliMod on x (1 held, 0 for review, 1 passed)" in first.stdout
    assert "line 2: not valid JSON" in first.stderr
    again = cli("comments", "import", str(jsonl), "--channel", "CliMod")
    assert "0 comments stored" in again.stdout and "2 already stored" in again.stdout
    mapped = cli("comments", "import", str(csv_file), "--channel", "CliMod", "--format", "csv",
                 "--column", "id=Comment ID")
    assert mapped.exit_code == 0, mapped.output
    notes_run = cli("comments", "import", str(notes), "--channel", "CliMod", "--format", "activitystreams", "--json")
    assert json.loads(notes_run.stdout)["stored"] == 1

    queue = json.loads(cli("comments", "queue", "--channel", "CliMod", "--json").stdout)
    assert [c["author"] for c in queue["comments"]] == ["@menace", "@deals"]
    threat_id = queue["comments"][0]["id"]
    no_reason = cli("comments", "act", str(threat_id), "--action", "hide", "--reason", "rude", "--as", cast.emails["owner"])
    assert no_reason.exit_code == 2 and "'rude' is not one of the pack's reasons" in no_reason.stderr
    hidden = cli("comments", "act", str(threat_id), "--action", "hide", "--reason", "threat",
                 "--note", "Police told", "--as", cast.emails["owner"])
    assert hidden.stdout.strip() == f"Comment #{threat_id}: hide (threat); now hidden."
    everything = json.loads(cli("comments", "queue", "--channel", "CliMod", "--state", "all", "--json").stdout)
    assert everything["total"] == 4
    figures = cli("comments", "figures", "--since", "2000-01-01", "--until", "2100-01-01")
    assert "@CliMod on x  hide  threat  1" in figures.stdout


def test_an_unknown_channel_is_refused_before_the_file_is_read(cli, tmp_path):
    result = cli("comments", "import", str(tmp_path / "missing.jsonl"), "--channel", "NoSuchChannel")
    assert result.exit_code == 2 and result.stderr.strip() == "Error: @NoSuchChannel is not in the register."


def test_files_over_the_limit_or_not_utf8_are_refused_with_the_reason(cli, cast, tmp_path):
    _channel(cast, "CliLimits")
    big = tmp_path / "big.jsonl"
    big.write_text(json.dumps({"id": "1", "text": "x" * 1_100_000}))
    too_big = cli("comments", "import", str(big), "--channel", "CliLimits")
    assert too_big.exit_code == 2 and "over the import limit of 1,048,576 bytes" in too_big.stderr
    latin = tmp_path / "latin.csv"
    latin.write_bytes("id,text\n1,café\n".encode("latin-1"))
    not_utf8 = cli("comments", "import", str(latin), "--channel", "CliLimits", "--format", "csv")
    assert not_utf8.exit_code == 2 and "is not UTF-8 text (byte 14, line 2)" in not_utf8.stderr


def test_worker_processes_check_a_file_in_order_with_the_same_results(cli, cast, tmp_path):
    _channel(cast, "CliWorkers")
    texts = [THREAT, SPAM, CRITICISM] * 900  # three batches of 1,000 and a part batch
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(json.dumps({"id": f"w{n}", "text": f"{t} #{n}"}) for n, t in enumerate(texts)) + "\n")
    result = cli("comments", "import", str(path), "--channel", "CliWorkers", "--workers", "2", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["stored"], report["by_decision"]) == (2700, {"block": 1800, "warn": 0, "pass": 900})
    first = json.loads(cli("comments", "queue", "--channel", "CliWorkers", "--json").stdout)["comments"][0]
    assert first["external_id"] == "w0" and first["categories"] == ["threat"]
