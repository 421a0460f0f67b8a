"""Email through a real SMTP server on loopback: sent when configured, off when not, and a server
that is down is logged, not raised."""

from __future__ import annotations

import logging

from kaitiaki.config import Settings
from kaitiaki.notify.email import Email, send_all, send_email
from tests.fixtures.mail import SMTP_PASSWORD, SMTP_USER, MailSink
from tests.fixtures.servers import free_port

MESSAGE = Email(to=("approver@dpmc.example.govt.nz",), subject="Channel request waiting for you",
                body="Please decide request 7.\n")


def _settings(tmp_path, **smtp) -> Settings:
    return Settings(env="test", var_dir=tmp_path, smtp_from="kaitiaki@dpmc.example.govt.nz", **smtp)


def test_a_message_reaches_the_server_as_plain_text(tmp_path, mail_sink: MailSink):
    settings = _settings(tmp_path, smtp_host="127.0.0.1", smtp_port=mail_sink.port)
    assert send_email(settings, MESSAGE) is True
    [received] = mail_sink.received
    assert received.sender == "kaitiaki@dpmc.example.govt.nz"
    assert received.recipients == ["approver@dpmc.example.govt.nz"]
    assert received.message["Subject"] == "Channel request waiting for you"
    assert received.message.get_content_type() == "text/plain"
    assert received.message.get_payload(decode=True).decode().splitlines() == ["Please decide request 7."]


def test_login_when_a_user_name_is_configured(tmp_path, mail_sink: MailSink):
    settings = _settings(tmp_path, smtp_host="127.0.0.1", smtp_port=mail_sink.port,
                         smtp_username=SMTP_USER, smtp_password=SMTP_PASSWORD)
    assert send_all(settings, [MESSAGE, MESSAGE]) == 2
    assert mail_sink.logins == [SMTP_USER, SMTP_USER]
    assert len(mail_sink.received) == 2


def test_a_refused_login_is_logged_and_reported_as_not_sent(tmp_path, mail_sink: MailSink, caplog):
    settings = _settings(tmp_path, smtp_host="127.0.0.1", smtp_port=mail_sink.port,
                         smtp_username=SMTP_USER, smtp_password="wrong")
    with caplog.at_level(logging.ERROR, logger="kaitiaki.notify.email"):
        assert send_email(settings, MESSAGE) is False
    assert mail_sink.received == []
    assert "was not sent" in caplog.text


def test_email_is_off_without_a_host(tmp_path, mail_sink: MailSink):
    assert send_email(_settings(tmp_path), MESSAGE) is False
    assert mail_sink.received == []


def test_an_unreachable_server_is_logged_not_raised(tmp_path, caplog):
    # A free port that nothing listens on: the connection is refused.
    settings = _settings(tmp_path, smtp_host="127.0.0.1", smtp_port=free_port())
    with caplog.at_level(logging.ERROR, logger="kaitiaki.notify.email"):
        assert send_email(settings, MESSAGE) is False
    assert "Channel request waiting for you" in caplog.text
