"""`kaitiaki complaints` on the command line, email through a real SMTP server on loopback, and a
complaint filed from a moderated comment."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from kaitiaki.cli import app
from kaitiaki.common.work import UnitOfWork
from kaitiaki.complaints import service
from kaitiaki.complaints.schemas import ComplaintDraft
from kaitiaki.db import session_scope
from kaitiaki.models import Comment
from kaitiaki.notify.email import send_all
from kaitiaki.timeutil import utcnow
from tests.fixtures.register import make_channel
from tests.fixtures.mail import MailSink, mail_sink  # noqa: F401 (fixture)
from tests.register.conftest import Cast

runner = CliRunner()


@pytest.fixture(scope="module")
def cli_channel(cast: Cast):
    with session_scope(cast.engine) as session:
        user = lambda name: cast.user(session, name)  # noqa: E731
        return make_channel(session, requester=user("comms"),
                            approvers=(user("nema_ce"), user("nema_cm")), owner=user("owner"),
                            unit="NEMA", handle="CliNema")


@pytest.fixture
def cli_env(monkeypatch, cast_settings, cli_channel):
    monkeypatch.setenv("KAITIAKI_DATABASE_URL", cast_settings.database_url)
    monkeypatch.setenv("KAITIAKI_VAR_DIR", str(cast_settings.var_dir))
    monkeypatch.delenv("KAITIAKI_SMTP_HOST", raising=False)


def _invoke(*args: str):
    return runner.invoke(app, ["complaints", *args])


def test_a_complaint_travels_to_closed_on_the_command_line(cast, cli_env, cli_channel):
    recorded = _invoke("record", "--as", cast.emails["comms"], "--category", "privacy_breach",
                       "--description", "Emailed: a post names a child.", "--url",
                       "https://x.com/CliNema/status/5", "--email", "parent@example.co.nz")
    assert recorded.exit_code == 0, recorded.output
    reference = recorded.output.split()[1]
    assert "is escalated, about @CliNema on x" in recorded.output

    listed = json.loads(_invoke("list", "--json").output)
    row = next(r for r in listed if r["reference"] == reference)
    assert row["escalated_to"] == "nema_chief_executive" and row["contact"] is None
    shown = _invoke("show", reference, "--as", cast.emails["nema_ce"])
    assert "parent@example.co.nz" in shown.output and "Escalated to nema_chief_executive" in shown.output
    assert "parent@example.co.nz" not in _invoke("show", reference).output

    refused = _invoke("act", reference, "respond", "--as", cast.emails["staff"], "--note", "x")
    assert refused.exit_code == 2 and "business owner of @CliNema" in refused.output
    for action, note in (("respond", "Post removed; apology sent."), ("close", "Removed and apologised.")):
        moved = _invoke("act", reference, action, "--as", cast.emails["owner"], "--note", note)
        assert moved.exit_code == 0, moved.output
    assert "Resolution: Removed and apologised." in _invoke("show", reference).output
    invalid = _invoke("act", reference, "triage", "--as", cast.emails["owner"])
    assert invalid.exit_code == 2 and "This complaint is closed" in invalid.output
    assert _invoke("show", "DPMC-SM-1999-9999").exit_code == 2


def test_the_elt_member_is_emailed_through_smtp(db, cast, cast_settings, cli_channel, mail_sink: MailSink):
    settings = cast_settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": mail_sink.port})
    work = UnitOfWork(db, settings)
    outbox = work.outbox.queued
    complaint = service.submit(work, draft=ComplaintDraft(
        category="political_neutrality", description="The post endorses a party.",
        url="https://x.com/CliNema/status/9"))
    db.flush()
    assert send_all(settings, outbox) == len(outbox)
    to_elt = [r for r in mail_sink.received if r.recipients == [cast.emails["nema_ce"]]]
    assert len(to_elt) == 1
    message = to_elt[0].message
    assert complaint.reference in message["Subject"] and "escalated to you" in message["Subject"]
    body = message.get_payload(decode=True).decode()
    assert f"/complaints/{complaint.reference}" in body and "NEMA Chief Executive" in body


def test_a_moderated_comment_becomes_a_complaint(db, work, cast, cli_channel, cli_env):
    comment = Comment(channel_id=cli_channel.id, platform="x", external_id="c-1",
                      author_handle="@angry_person", text="Here is my neighbour's address ...",
                      decision="block", severity_rank=3, findings=[], pack_id="dpmc",
                      state="held", received_at=utcnow())
    db.add(comment)
    db.flush()
    complaint = service.file_from_comment(work, comment=comment, actor=cast.user(db, "owner"),
                                          category="privacy_breach", note="Raised from the queue.")
    assert complaint.comment_id == comment.id and complaint.source == "moderation"
    assert complaint.channel_id == cli_channel.id and complaint.state == "escalated"
    assert "@angry_person" in complaint.description and complaint.complainant_name == "From moderation"
