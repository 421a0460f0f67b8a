"""`kaitiaki channels`: the same services and audit events as the web, one-line errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from kaitiaki.audit import queries as audit_queries
from kaitiaki.cli import app
from kaitiaki.db import session_scope
from kaitiaki.register import queries, service
from tests.register.conftest import Cast


@pytest.fixture
def cli(cast: Cast, tmp_path):
    runner = CliRunner()
    environment = {"KAITIAKI_DATABASE_URL": cast.url, "KAITIAKI_VAR_DIR": str(tmp_path / "var"),
                   "KAITIAKI_ENV": "test"}

    def invoke(*args: str):
        return runner.invoke(app, list(args), env=environment)

    return invoke


def _request(cli, cast, handle: str, platform: str = "x"):
    return cli("channels", "request", "--platform", platform, "--handle", handle, "--unit", "NEMA",
               "--url", f"https://x.com/{handle}", "--name", handle, "--purposes", "Updates.",
               "--owner", cast.emails["owner"], "--as", cast.emails["comms"], "--cadence-days", "7")


def test_request_approve_authorise_revoke(cli, cast):
    requested = _request(cli, cast, "CliChannel")
    assert requested.exit_code == 0, requested.output
    request_id = int(requested.stdout.split()[1])
    assert "waiting for: NEMA Chief Executive, NEMA Communications Manager" in requested.stdout

    own = cli("channels", "approve", str(request_id), "--as", cast.emails["comms"])
    assert own.exit_code == 2 and "You made this request" in own.stderr
    assert cli("channels", "approve", str(request_id), "--as", cast.emails["nema_ce"]).exit_code == 0
    twice = cli("channels", "approve", str(request_id), "--as", cast.emails["nema_ce"])
    assert twice.exit_code == 2 and twice.stderr.startswith("Error: You have already approved")
    done = cli("channels", "approve", str(request_id), "--as", cast.emails["nema_cm"])
    assert done.stdout.strip() == f"Request {request_id} is approved; @CliChannel is active."
    after = cli("channels", "approve", str(request_id), "--as", cast.emails["nema_cm"])
    assert after.stderr.strip().startswith(
        "Error: This request is already approved; it can no longer be approved. Ana Manager approved it ")

    refused = cli("channels", "authorise", "CliChannel", cast.emails["poster"], "--as", cast.emails["comms"])
    assert refused.exit_code == 2
    assert refused.stderr.strip() == ("Error: Only the channel's business owner, Olivia Owner, can "
                                      "authorise posters on @CliChannel.")
    unknown = cli("channels", "authorise", "CliChannel", "ghost@cast.example.govt.nz", "--as", cast.emails["owner"])
    assert "Nobody with the email address ghost@cast.example.govt.nz" in unknown.stderr
    granted = cli("channels", "authorise", "@clichannel", cast.emails["poster"], "--as", cast.emails["owner"],
                  "--until", "2099-12-31")
    assert granted.exit_code == 0, granted.output
    assert "until the end of 2099-12-31" in granted.stdout
    posters = json.loads(cli("channels", "posters", "--json").stdout)
    assert [p["email"] for p in posters if p["channel"] == "@CliChannel on x"] == [cast.emails["poster"]]
    assert cli("channels", "revoke", "CliChannel", cast.emails["poster"], "--as", cast.emails["owner"]).exit_code == 0

    with session_scope(cast.engine) as session:
        channel = queries.get_channel_by_handle(session, "x", "CliChannel")
        assert not service.can_post(session, cast.user(session, "poster"), channel)
        events = audit_queries.list_events(session, subject=f"channel:{channel.id}")
    assert [(e.actor, e.action) for e in events][:3] == [
        (cast.emails["owner"], "channel.poster_revoked"),
        (cast.emails["owner"], "channel.poster_authorised"),
        (cast.emails["nema_cm"], "channel.status_changed"),
    ]


def test_list_json_export_and_ambiguous_handles(cli, cast):
    _request(cli, cast, "CliTwice", platform="x")
    _request(cli, cast, "CliTwice", platform="facebook")
    listed = json.loads(cli("channels", "list", "--json", "--search", "clitwice").stdout)
    assert sorted((c["platform"], c["status"]) for c in listed) == [("facebook", "proposed"), ("x", "proposed")]
    ambiguous = cli("channels", "set-owner", "CliTwice", cast.emails["staff"], "--reason", "r",
                    "--as", cast.emails["comms"])
    assert ambiguous.exit_code == 2
    assert ambiguous.stderr.strip() == "Error: @CliTwice is on facebook and x; add --platform."
    moved = cli("channels", "set-owner", "CliTwice", cast.emails["staff"], "--reason", "Restructure",
                "--platform", "x", "--as", cast.emails["comms"])
    assert moved.exit_code == 0 and cast.emails["staff"] in moved.stdout
    exported = cli("channels", "export", "--format", "csv").stdout
    assert exported.splitlines()[0].startswith("id,platform,handle,url")
    duplicate = _request(cli, cast, "clitwice")
    assert duplicate.exit_code == 2 and "@CliTwice on x is already in the register" in duplicate.stderr


def test_decline_withdraw_and_open_requests(cli, cast):
    first = int(_request(cli, cast, "CliDecline").stdout.split()[1])
    second = int(_request(cli, cast, "CliWithdraw").stdout.split()[1])
    opened = json.loads(cli("channels", "requests", "--json").stdout)
    assert {first, second} <= {r["id"] for r in opened}
    assert cli("channels", "decline", str(first), "--reason", "Not needed.",
               "--as", cast.emails["nema_ce"]).stdout.strip() == f"Request {first} is declined."
    assert cli("channels", "withdraw", str(second), "--as", cast.emails["comms"]).exit_code == 0
    declined = cli("channels", "approve", str(first), "--as", cast.emails["nema_cm"])
    assert declined.stderr.strip().startswith(
        "Error: This request is declined; it can no longer be approved. Rangi Chief declined it ")
