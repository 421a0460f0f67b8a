"""Register reminders, run by a periodic job:

- a posting authorisation that ends within GRANT_WARNING_DAYS: the person and the channel's
  business owner are told once before it ends, and once when it has ended;
- a channel in use that has not posted within its cadence: its business owner is told once per
  last post (a new post starts the count again).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaitiaki.common.reminding import ReminderRun, ending_around, remind
from kaitiaki.models import ChannelAuthorisation
from kaitiaki.register.queries import list_channels
from kaitiaki.register.service import channel_path
from kaitiaki.timeutil import last_covered_day

GRANT_WARNING_DAYS = 7


def send_grant_reminders(session: Session, run: ReminderRun) -> int:
    if not run.may_send:
        return 0
    told = 0
    ending = session.scalars(select(ChannelAuthorisation).where(
        ChannelAuthorisation.revoked_at.is_(None),
        *ending_around(ChannelAuthorisation.expires_at, run, GRANT_WARNING_DAYS),
    ).order_by(ChannelAuthorisation.expires_at, ChannelAuthorisation.id))
    for grant in ending:
        channel = grant.channel
        last_day = last_covered_day(grant.expires_at, run.settings.zone)
        ended = grant.expires_at <= run.now
        step = "ended" if ended else "ending"
        subject = (f"{grant.user.name}'s authorisation to post on @{channel.handle} has ended"
                   if ended else
                   f"{grant.user.name}'s authorisation to post on @{channel.handle} ends on "
                   f"{last_day:%-d %B %Y}")
        told += len(remind(
            session, run, [grant.user, channel.business_owner],
            key=f"grant:{grant.id}:{step}:{last_day.isoformat()}", subject=subject,
            body=f"{subject}. The business owner can authorise the person again on the channel's page.",
            link=channel_path(channel)))
    return told


def send_stale_channel_reminders(session: Session, run: ReminderRun) -> int:
    if not run.may_send:
        return 0
    told = 0
    for channel, flags in list_channels(session, today=run.today):
        if "no_recent_post" not in flags:
            continue
        last = channel.last_post_on.isoformat() if channel.last_post_on else "never"
        told += len(remind(
            session, run, [channel.business_owner], key=f"channel:{channel.id}:stale:{last}",
            subject=f"@{channel.handle} has not posted within {channel.cadence_days} days",
            body=f"@{channel.handle} on {channel.platform} should post at least every "
                 f"{channel.cadence_days} days; its last recorded post was "
                 f"{channel.last_post_on:%-d %B %Y}." if channel.last_post_on else
                 f"@{channel.handle} on {channel.platform} has no recorded post yet.",
            link=channel_path(channel)))
    return told


__all__ = ["GRANT_WARNING_DAYS", "send_grant_reminders", "send_stale_channel_reminders"]
