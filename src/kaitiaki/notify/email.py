"""Plain-text email through SMTP.

A change that wants people told writes its emails into the outbox (kaitiaki.notify.outbox) in its
own transaction; a job delivers them afterwards with `deliver`, retrying with back-off. So an
email never announces a change that was rolled back, and neither a mail server that is down nor a
process that dies after the commit loses one. A retried email keeps its Message-ID (made from the
outbox key), so a mail client shows a rare duplicate delivery once.

With no `KAITIAKI_SMTP_HOST` email is off: nothing is written to the outbox and `send_email`
returns False without doing anything. smtplib is imported by `deliver`, the one function that
talks to a server: a serving worker starts without it (docs/performance.md).
"""

from __future__ import annotations

import logging
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


class EmailNotSent(Exception):
    """The server refused the email or could not be reached; the message says why."""


def build_message(settings: Settings, email: Email, message_id: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = ", ".join(email.to)
    message["Subject"] = email.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id or make_msgid(domain=settings.smtp_from.partition("@")[2] or None)
    message.set_content(email.body)
    return message


def deliver(settings: Settings, email: Email, message_id: str | None = None) -> None:
    """Hand one email to the SMTP server; EmailNotSent (with the reason) when that fails."""
    if not is_configured(settings):
        raise EmailNotSent("email is off: KAITIAKI_SMTP_HOST is not set")
    if not email.to:
        raise EmailNotSent("the email has no recipient")
    import smtplib
    import ssl

    message = build_message(settings, email, message_id)
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_username and settings.smtp_password:
                smtp.login(settings.smtp_username, settings.smtp_password)
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise EmailNotSent(str(exc) or type(exc).__name__) from exc


def send_email(settings: Settings, email: Email) -> bool:
    """Send one email now, outside the outbox. True when the server accepted it; False when email
    is off, there is no recipient, or sending failed (logged; never raised)."""
    if not is_configured(settings) or not email.to:
        return False
    try:
        deliver(settings, email)
    except EmailNotSent as exc:
        log.error("Email %r to %s was not sent: %s", email.subject, ", ".join(email.to), exc)
        return False
    return True


def send_all(settings: Settings, emails: Iterable[Email]) -> int:
    """Send each email now, outside the outbox; returns how many the server accepted."""
    return sum(1 for email in emails if send_email(settings, email))


__all__ = ["Email", "EmailNotSent", "build_message", "deliver", "is_configured", "send_all", "send_email"]
