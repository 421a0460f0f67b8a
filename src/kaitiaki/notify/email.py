"""Plain-text email through SMTP, sent only after the change it reports has been committed.

A service that wants people told returns `Email` values; whoever owns the unit of work sends them
once the transaction has committed (the web through a background task, which runs after the
request's session has committed; the CLI after its `command_session` block). So an email never
announces a change that was rolled back, and a mail server that is down never loses a change: the
failure is logged and the change stays recorded (the dashboard shows the same thing). The cost of
this choice over an outbox table is that a process dying between the commit and the send loses
that email; the dashboard remains the reliable place to see pending work.

With no `KAITIAKI_SMTP_HOST` email is off and `send_email` returns False without doing anything.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from kaitiaki.config import Settings

log = logging.getLogger(__name__)

SMTP_TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class Email:
    to: tuple[str, ...]
    subject: str
    body: str


def is_configured(settings: Settings) -> bool:
    return bool(settings.smtp_host)


def build_message(settings: Settings, email: Email) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = ", ".join(email.to)
    message["Subject"] = email.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=settings.smtp_from.partition("@")[2] or None)
    message.set_content(email.body)
    return message


def send_email(settings: Settings, email: Email) -> bool:
    """Send one email. True when the server accepted it; False when email is off, there is no
    recipient, or sending failed (logged; never raised, so the recorded change stands)."""
    if not is_configured(settings) or not email.to:
        return False
    message = build_message(settings, email)
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_username and settings.smtp_password:
                smtp.login(settings.smtp_username, settings.smtp_password)
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        log.error("Email %r to %s was not sent: %s", email.subject, ", ".join(email.to), exc)
        return False
    return True


def send_all(settings: Settings, emails: Iterable[Email]) -> int:
    """Send each email (after the commit); returns how many the server accepted."""
    return sum(1 for email in emails if send_email(settings, email))


__all__ = ["Email", "build_message", "is_configured", "send_all", "send_email"]
