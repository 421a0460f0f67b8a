"""A process that dies between its commit and the delivery loses no email: after a restart the
worker sends it, exactly once, to a real SMTP server (aiosmtpd) on loopback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

from sqlalchemy import select

from kaitiaki.db import session_scope
from kaitiaki.models import AuditEvent, OutboxMessage
from tests.fixtures.mail import MailSink, mail_sink  # noqa: F401 (a fixture)

# The change and its email in one unit of work; then the process waits to be killed, before any
# delivery could run.
CHANGE_THEN_WAIT = textwrap.dedent("""
    import sys, time
    from kaitiaki.audit import service as audit
    from kaitiaki.config import Settings
    from kaitiaki.db import make_engine, session_scope
    from kaitiaki.notify import outbox
    from kaitiaki.notify.email import Email

    settings = Settings()
    engine = make_engine(settings.database_url)
    with session_scope(engine) as session:
        audit.record(session, actor="test", action="complaint.escalated", subject="complaint:1")
        outbox.add_email(session, settings, Email(to=("elt@example.govt.nz",),
                         subject="Complaint escalated to you", body="Please look."))
    print("committed", flush=True)
    time.sleep(60)
""")


def _env(settings, mail_sink: MailSink) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"KAITIAKI_DATABASE_URL": settings.database_url, "KAITIAKI_VAR_DIR": str(settings.var_dir),
                "KAITIAKI_SECRET_KEY": settings.secret_key, "KAITIAKI_SMTP_HOST": "127.0.0.1",
                "KAITIAKI_SMTP_PORT": str(mail_sink.port), "KAITIAKI_ENV": "test"})
    return env


def test_an_email_committed_before_a_crash_is_sent_once_after_restart(engine, settings,
                                                                        mail_sink: MailSink):
    env = _env(settings, mail_sink)
    process = subprocess.Popen([sys.executable, "-c", CHANGE_THEN_WAIT], env=env,
                               stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().strip() == "committed"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert mail_sink.received == []
    with session_scope(engine) as session:
        assert session.scalar(select(AuditEvent.action)) == "complaint.escalated"
        assert session.scalars(select(OutboxMessage.state)).all() == ["pending"]

    kaitiaki = [sys.executable, "-m", "kaitiaki.cli", "worker", "--once"]
    for _run in range(2):  # the restart, then a second worker run that must send nothing more
        restarted = subprocess.run(kaitiaki, env=env, capture_output=True, text=True, timeout=120)
        assert restarted.returncode == 0, restarted.stderr
    assert [(r.recipients, r.message["Subject"]) for r in mail_sink.received] == [
        (["elt@example.govt.nz"], "Complaint escalated to you")]
    with session_scope(engine) as session:
        assert session.scalars(select(OutboxMessage.state)).all() == ["sent"]
