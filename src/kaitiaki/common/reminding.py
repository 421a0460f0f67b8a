"""What every periodic reminder shares: when today's reminders may go (a working day in the
configured zone, from `reminder_hour`), and telling a person once per key (an in-app notice and,
when email is on, an email, both through the outbox).

A reminder's key names its subject and the step of its timer, e.g. `complaint:42:overdue:2026-12-08`:
a rerun, a second worker, or the job running every quarter of an hour all find the key taken and
send nothing again. A step that changes (a new due date) makes a new key, so the new step is told.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement

from sqlalchemy.orm import Session

from kaitiaki.common.work import Clock
from kaitiaki.config import Settings
from kaitiaki.models import User
from kaitiaki.notify import outbox
from kaitiaki.notify.email import Email
from kaitiaki.timeutil import to_local, utcnow
from kaitiaki.workingdays import is_working_day


@dataclass(frozen=True)
class ReminderRun:
    """One run of the reminders: the moment it runs and the settings it sends with."""

    settings: Settings
    now: datetime

    @classmethod
    def at(cls, settings: Settings, clock: Clock = utcnow) -> ReminderRun:
        return cls(settings=settings, now=clock())

    @property
    def local(self) -> datetime:
        return to_local(self.now, self.settings.zone)

    @property
    def today(self) -> date:
        return self.local.date()

    @property
    def may_send(self) -> bool:
        """Reminders go on working days from reminder_hour, never at night or at the weekend."""
        return is_working_day(self.today) and self.local.hour >= self.settings.reminder_hour

    def link(self, path: str) -> str:
        return f"{self.settings.base_url.rstrip('/')}{path}"


def ending_around(ends: ColumnElement[datetime], run: ReminderRun,
                  days: int) -> tuple[ColumnElement[bool], ...]:
    """Conditions for a timer that ends within `days` before now or after it: told once ahead
    ("ending"), and once after ("ended") while a late run can still catch it."""
    window = timedelta(days=days)
    return ends.is_not(None), ends <= run.now + window, ends > run.now - window


def remind(session: Session, run: ReminderRun, people: Iterable[User], *, key: str, subject: str,
           body: str, link: str) -> list[User]:
    """Tell each active person once for this key; returns those told now (not before)."""
    told = []
    for person in {p.id: p for p in people}.values():
        if not person.is_active or person.left_at is not None:
            continue
        person_key = f"{key}:user:{person.id}"
        if outbox.was_written(session, person_key):
            continue
        outbox.add_notice(session, [person], subject, link=link, key=key, now=run.now)
        outbox.add_email(session, run.settings, Email(
            to=(person.email,), subject=subject,
            body=f"Kia ora {person.name},\n\n{body}\n\nOpen it in Kaitiaki: {run.link(link)}\n"),
            key=f"{key}:email:{person.id}", now=run.now)
        told.append(person)
    return told


__all__ = ["Clock", "ReminderRun", "ending_around", "remind"]
