"""The periodic jobs and how often each runs. Every job is safe to run twice, or on two workers at
once: delivery claims its rows, reminders write each message under a key that is written once, and
retention only touches what is still due. Each takes a clock so tests can fix the time."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from kaitiaki.auth.password_resets import purge_reset_tokens
from kaitiaki.common.reminding import ReminderRun
from kaitiaki.common.sign_in_sessions import SessionTimeouts, purge
from kaitiaki.common.work import Clock, UnitOfWork
from kaitiaki.complaints.reminders import send_complaint_reminders
from kaitiaki.audit.service import SYSTEM_ACTOR
from kaitiaki.config import Settings
from kaitiaki.db import session_scope
from kaitiaki.jobs.due_posts import send_due_posts
from kaitiaki.jobs.pack_review import send_pack_review_reminders
from kaitiaki.models import Channel
from kaitiaki.publishing.connectors import PublishFailed
from kaitiaki.publishing.platform_replies import connected_channels, pull_replies
from kaitiaki.moderation.retention import dispose
from kaitiaki.notify.delivery import deliver_due
from kaitiaki.oia.reminders import send_oia_reminders
from kaitiaki.publishing.reminders import send_exception_reminders
from kaitiaki.register.reminders import send_grant_reminders, send_stale_channel_reminders
from kaitiaki.timeutil import utcnow
from kaitiaki.transparency.kept import refresh_figures


# Each reminder runs in its own unit of work, so one failing does not hold back the others.
REMINDERS: tuple[tuple[str, Callable[[Session, ReminderRun], int]], ...] = (
    ("complaints", send_complaint_reminders),
    ("oia", send_oia_reminders),
    ("grants", send_grant_reminders),
    ("stale channels", send_stale_channel_reminders),
    ("policy review", send_pack_review_reminders),
    ("exceptions", send_exception_reminders),
)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every_minutes: int
    run: Callable[[Engine, Settings, Clock], str]


def deliver_outbox(engine: Engine, settings: Settings, clock: Clock = utcnow) -> str:
    report = deliver_due(engine, settings, clock=clock)
    return f"{report.sent} sent, {report.failed} to retry, {report.dead} dead"


@contextmanager
def job_work(engine: Engine, settings: Settings, clock: Clock) -> Iterator[UnitOfWork]:
    """A job step's unit of work (kaitiaki.common.work), committed when the step succeeds."""
    with session_scope(engine) as session:
        yield UnitOfWork(session, settings, clock=clock)


def send_reminders(engine: Engine, settings: Settings, clock: Clock = utcnow) -> str:
    run = ReminderRun.at(settings, clock)
    told = []
    for name, reminder in REMINDERS:
        with job_work(engine, settings, clock) as work:
            told.append(f"{name}: {reminder(work.session, run)}")
    deliver_due(engine, settings, clock=clock)
    return "people told: " + ", ".join(told)


def apply_retention(engine: Engine, settings: Settings, clock: Clock = utcnow) -> str:
    with job_work(engine, settings, clock) as work:
        report = dispose(work.session, now=work.now(), dry_run=False)
    return f"{report.count} comments disposed of"


def count_transparency_figures(engine: Engine, settings: Settings, clock: Clock = utcnow) -> str:
    with job_work(engine, settings, clock) as work:
        figures = refresh_figures(work.session, pack=work.pack, zone=settings.zone,
                                  now=work.now())
    return f"{figures.comments_hidden} hidden, {figures.comments_deleted} deleted, " \
           f"{figures.complaints_received} complaints received"


def pull_platform_replies(engine: Engine, settings: Settings, clock: Clock = utcnow) -> str:
    """Replies to the recent posts of every connected channel, into its moderation queue. Each
    channel in its own unit of work: one platform failing (its error shown on the channel) does
    not hold back the others."""
    with job_work(engine, settings, clock) as work:
        channel_ids = [channel.id for channel in connected_channels(work.session)]
    stored, failed = 0, 0
    for channel_id in channel_ids:
        with job_work(engine, settings, clock) as work:
            channel = work.session.get(Channel, channel_id)
            try:
                report = pull_replies(work.session, settings, channel, pack=work.pack,
                                      actor=SYSTEM_ACTOR, now=work.now())
            except PublishFailed:
                failed += 1  # recorded on the connection, committed with this unit of work
                continue
            stored += report.stored if report else 0
    return f"{stored} replies stored from {len(channel_ids)} channels, {failed} failed"


def purge_sessions(engine: Engine, settings: Settings, clock: Clock = utcnow) -> str:
    """Delete sign-in sessions that can no longer be used and reset links that can no longer be
    followed: they only ever matter while they work."""
    with job_work(engine, settings, clock) as work:
        sessions = purge(work.session, timeouts=SessionTimeouts.from_settings(settings),
                         now=work.now())
        links = purge_reset_tokens(work.session, now=work.now())
    return f"{sessions} ended or expired sessions and {links} used or expired reset links deleted"


PERIODIC_JOBS: tuple[PeriodicJob, ...] = (
    PeriodicJob("deliver-outbox", 1, deliver_outbox),
    PeriodicJob("send-due-posts", 1, send_due_posts),
    PeriodicJob("reminders", 15, send_reminders),
    PeriodicJob("retention", 60, apply_retention),
    PeriodicJob("transparency-figures", 15, count_transparency_figures),
    PeriodicJob("platform-replies", 10, pull_platform_replies),
    PeriodicJob("expired-sessions", 60, purge_sessions),
)


def run_all_once(engine: Engine, settings: Settings, clock: Clock = utcnow) -> dict[str, str]:
    """Run every periodic job once, now, in this process (`kaitiaki worker --once`)."""
    return {job.name: job.run(engine, settings, clock) for job in PERIODIC_JOBS}


__all__ = ["PERIODIC_JOBS", "PeriodicJob", "REMINDERS", "apply_retention", "count_transparency_figures",
           "deliver_outbox", "pull_platform_replies", "purge_sessions",
           "run_all_once", "send_reminders"]
