from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from kaitiaki.cli import app
from kaitiaki.db import head_revisions, session_scope
from kaitiaki.common import sign_in_sessions
from kaitiaki.common.sign_in_sessions import SessionTimeouts
from kaitiaki.models import User, UserSession
from kaitiaki.timeutil import utcnow
from kaitiaki.people import service
from kaitiaki.people.demo import DEMO_PASSWORD, DEMO_USERS


@pytest.fixture
def cli(db_url, tmp_path):
    runner = CliRunner()
    environment = {
        "KAITIAKI_DATABASE_URL": db_url,
        "KAITIAKI_VAR_DIR": str(tmp_path / "var"),
        "KAITIAKI_ENV": "test",
    }

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(app, list(args), input=input, env=environment)

    return invoke


def _user_count(engine) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(User))


def test_users_add_then_list(cli):
    result = cli("users", "add", "Aroha@DPMC.example.govt.nz", "--name", "Aroha Admin",
                 "--role", "admin", "--password-stdin", input="a-long-password-1\n")
    assert result.exit_code == 0, result.output
    assert "Added aroha@dpmc.example.govt.nz (admin)" in result.stdout

    listed = cli("users", "list", "--json")
    assert listed.exit_code == 0
    rows = json.loads(listed.stdout)
    assert [(row["email"], row["name"], row["roles"], row["is_active"]) for row in rows] == [
        ("aroha@dpmc.example.govt.nz", "Aroha Admin", ["admin"], True)
    ]
    table = cli("users", "list")
    assert "aroha@dpmc.example.govt.nz" in table.stdout and "[admin]" in table.stdout


def test_password_stdin_reads_exactly_one_line(cli, engine):
    result = cli("users", "add", "p@dpmc.example.govt.nz", "--name", "P", "--role", "staff",
                 "--password-stdin", input="pass word with spaces \nsecond line\n")
    assert result.exit_code == 0, result.output
    with session_scope(engine) as session:
        assert service.authenticate(session, "p@dpmc.example.govt.nz", "pass word with spaces ")
        assert not service.authenticate(session, "p@dpmc.example.govt.nz", "second line")


def test_users_add_unit_role_needs_a_known_unit(cli):
    cli("demo")
    good = cli("users", "add", "e@dpmc.example.govt.nz", "--name", "E", "--role",
               "elt_member@DPMC-CO", "--password-stdin", input="a-long-password-1\n")
    assert good.exit_code == 0, good.output
    bad = cli("users", "add", "f@dpmc.example.govt.nz", "--name", "F", "--role",
              "elt_member@NOWHERE", "--password-stdin", input="a-long-password-1\n")
    assert bad.exit_code == 2
    assert "Unknown organisation unit 'NOWHERE'" in bad.stderr


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["--role", "wizard"], "a-long-password-1\n", "Unknown role 'wizard'"),
        (["--role", "staff"], "short\n", "at least 12 characters"),
        (["--role", "staff"], "\n", "No password on stdin"),
        (["--role", "staff"], "", "No password on stdin"),
    ],
)
def test_users_add_bad_input_exits_2_and_writes_nothing(cli, engine, args, stdin, message):
    result = cli("users", "add", "x@dpmc.example.govt.nz", "--name", "X", *args,
                 "--password-stdin", input=stdin)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert _user_count(engine) == 0


def test_users_add_taken_email_exits_2_and_writes_nothing(cli, engine):
    cli("users", "add", "t@dpmc.example.govt.nz", "--name", "T", "--role", "staff",
        "--password-stdin", input="a-long-password-1\n")
    again = cli("users", "add", "T@dpmc.example.govt.nz", "--name", "T2", "--role", "admin",
                "--password-stdin", input="a-long-password-2\n")
    assert again.exit_code == 2
    assert "already exists" in again.stderr
    assert _user_count(engine) == 1


def test_password_minimum_follows_the_setting(cli, db_url, tmp_path):
    runner = CliRunner()
    result = runner.invoke(
        app, ["users", "add", "m@dpmc.example.govt.nz", "--name", "M", "--role", "staff",
              "--password-stdin"],
        input="fourteen-chars\n",
        env={"KAITIAKI_DATABASE_URL": db_url, "KAITIAKI_PASSWORD_MIN_LENGTH": "16"},
    )
    assert result.exit_code == 2
    assert "at least 16 characters" in result.stderr


def test_set_role_replaces_roles(cli):
    cli("demo")
    result = cli("users", "set-role", "staff@dpmc.example.govt.nz", "--role", "comms_staff",
                 "--role", "elt_member@DPMC-PAG")
    assert result.exit_code == 0, result.output
    rows = {row["email"]: row for row in json.loads(cli("users", "list", "--json").stdout)}
    assert rows["staff@dpmc.example.govt.nz"]["roles"] == ["comms_staff", "elt_member@DPMC-PAG"]
    missing = cli("users", "set-role", "ghost@dpmc.example.govt.nz", "--role", "staff")
    assert missing.exit_code == 2 and "No user" in missing.stderr


def test_set_password_and_deactivate(cli):
    cli("demo")
    changed = cli("users", "set-password", "staff@dpmc.example.govt.nz", "--password-stdin",
                  input="another-long-password\n")
    assert changed.exit_code == 0, changed.output
    gone = cli("users", "deactivate", "staff@dpmc.example.govt.nz")
    assert gone.exit_code == 0
    rows = {row["email"]: row for row in json.loads(cli("users", "list", "--json").stdout)}
    assert rows["staff@dpmc.example.govt.nz"]["is_active"] is False
    assert rows["staff@dpmc.example.govt.nz"]["left_at"]


def test_sign_out_everywhere_ends_the_persons_sessions(cli, engine):
    cli("demo")
    with session_scope(engine) as session:
        staff = session.scalars(select(User).where(User.email == "staff@dpmc.example.govt.nz")).one()
        for _ in range(2):
            sign_in_sessions.start(session, staff, now=utcnow(), timeouts=SessionTimeouts(
                idle=timedelta(hours=1), absolute=timedelta(hours=8)))
    result = cli("users", "sign-out-everywhere", "Staff@DPMC.example.govt.nz")
    assert result.exit_code == 0, result.output
    assert "2 session(s) ended" in result.stdout
    with session_scope(engine) as session:
        assert session.scalar(select(func.count(UserSession.id))
                              .where(UserSession.ended_at.is_(None))) == 0
    missing = cli("users", "sign-out-everywhere", "ghost@dpmc.example.govt.nz")
    assert missing.exit_code == 2 and "No user" in missing.stderr


def test_demo_prints_a_sign_in_for_every_demo_user_and_is_repeatable(cli):
    first = cli("demo")
    assert first.exit_code == 0, first.output
    assert DEMO_PASSWORD in first.stdout
    for user in DEMO_USERS:
        assert user.email in first.stdout
    assert cli("demo").exit_code == 0
    assert len(json.loads(cli("users", "list", "--json").stdout)) == len(DEMO_USERS)


def test_audit_verify_holds_then_names_the_tampered_event(cli, engine):
    cli("demo")
    holds = cli("audit", "verify")
    assert holds.exit_code == 0
    assert "Audit chain holds" in holds.stdout
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE audit_events SET actor = 'mallory' WHERE id = 5")
    broken = cli("audit", "verify")
    assert broken.exit_code == 1
    assert "broken at event 5" in broken.stderr


def test_audit_verify_with_an_earlier_head_detects_removed_recent_events(cli, engine):
    cli("demo")
    holds = cli("audit", "verify")
    head = holds.stdout.split("head hash ")[1].rstrip(".\n")
    assert cli("audit", "verify", "--expect-head", head).exit_code == 0
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "DELETE FROM audit_events WHERE id = (SELECT MAX(id) FROM audit_events)"
        )
    assert cli("audit", "verify").exit_code == 0  # a shorter chain still holds on its own
    truncated = cli("audit", "verify", "--expect-head", head)
    assert truncated.exit_code == 1
    assert "most recent events were removed" in truncated.stderr


def test_audit_list(cli):
    cli("demo")
    result = cli("audit", "list", "--action", "user.", "--limit", "2", "--json")
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 2
    assert all(line["action"] == "user.created" for line in lines)
    assert lines[0]["id"] > lines[1]["id"]


def test_db_upgrade_and_current(cli, db_url):
    upgraded = cli("db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.output
    [head] = head_revisions()  # the latest migration, whichever feature added it
    assert f"revision {head}" in upgraded.stdout
    assert cli("db", "current").exit_code == 0


def test_commands_refuse_an_unmigrated_database(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["users", "list"],
                           env={"KAITIAKI_DATABASE_URL": f"sqlite:///{tmp_path}/fresh.db"})
    assert result.exit_code == 2
    assert "kaitiaki db upgrade" in result.stderr
    pending = runner.invoke(app, ["db", "current"],
                            env={"KAITIAKI_DATABASE_URL": f"sqlite:///{tmp_path}/fresh.db"})
    assert pending.exit_code == 1
    upgraded = runner.invoke(app, ["db", "upgrade"],
                             env={"KAITIAKI_DATABASE_URL": f"sqlite:///{tmp_path}/fresh.db"})
    assert upgraded.exit_code == 0


def test_unreachable_database_is_one_masked_line_and_exit_2():
    """Run as a real process: this is what an operator sees on a wrong URL."""
    url = "postgresql+psycopg://kaitiaki:hunter2-secret@127.0.0.1:1/kaitiaki"
    completed = subprocess.run(
        [sys.executable, "-c", "from kaitiaki.cli import main; main()", "users", "list"],
        env={"KAITIAKI_DATABASE_URL": url, "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, check=False,
    )
    assert completed.returncode == 2
    assert completed.stdout == ""
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "hunter2-secret" not in completed.stderr
    assert "postgresql+psycopg://kaitiaki:***@127.0.0.1:1/kaitiaki" in lines[0]


def test_invalid_setting_is_reported(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["users", "list"], env={"KAITIAKI_PORT": "not-a-port"})
    assert result.exit_code == 2
    assert "KAITIAKI_PORT" in result.stderr
