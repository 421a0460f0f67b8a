"""Demo comments on @NZCivilDefence (x), so the moderation queue shows something after `make run`.
Loaded through the real import path (checked, stored, audited); safe to run again."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from kaitiaki.checker import load_pack
from kaitiaki.moderation import permissions, service
from kaitiaki.moderation.formats import CommentIn
from kaitiaki.moderation.ingest import import_comments
from kaitiaki.people import queries as people_queries
from kaitiaki.register import queries as register_queries
from kaitiaki.timeutil import utcnow

DEMO_PACK = "dpmc"
DEMO_CHANNEL = ("x", "NZCivilDefence")
DEMO_DELEGATE = "comms@dpmc.example.govt.nz"

DEMO_COMMENTS: tuple[tuple[str, str, str], ...] = (
    ("@kiwi_prepared", "Kiwi Prepared", "Thanks for the tsunami map update, really clear. Is there one for Napier too?"),
    ("@angry_ratepayer", "Angry Ratepayer", "The alert came through 40 minutes late. The government's emergency planning is a shambles and someone should answer for it."),
    ("@throwaway_9931", "", "I know where your staff park. Post another alert like that and I will burn the building down."),
    ("@cheap_deals_nz", "Cheap Deals", "Earn $5000 a week from home!!! Click bit.ly/fr33-cash now, limited offer"),
    ("@cheap_deals_nz", "Cheap Deals", "Crypto giveaway! Send 1 BTC and get 2 back, DM me now"),
    ("@road_user", "Road User", "Is SH2 open north of Masterton yet? My family is trying to get home."),
    ("@grumpy_gus", "Gus", "You lot are useless idiots, the whole pack of you."),
    ("@te_awa_whanau", "Te Awa Whānau", "Ngā mihi for the marae evacuation advice, our kaumātua are safe."),
    ("@misinfo_watch", "", "Don't bother evacuating, the siren test is fake and the water never comes this far."),
    ("@concerned_parent", "Concerned Parent", "Why did the page go quiet during the storm? I'd like to make a complaint about how this account was run that night."),
)


def load_demo_comments(session: Session) -> int:
    """Import the demo comments (skipping those stored) and a demo delegate; returns how many
    comments were stored."""
    channel = register_queries.get_channel_by_handle(session, *DEMO_CHANNEL)
    if channel is None:
        return 0
    now = utcnow()
    records = [
        CommentIn(number=i, external_id=f"demo-{i}", text=text, author_handle=handle,
                  author_name=name, posted_at=now - timedelta(hours=len(DEMO_COMMENTS) - i),
                  url=f"https://x.com/{handle.lstrip('@')}/status/demo{i}")
        for i, (handle, name, text) in enumerate(DEMO_COMMENTS, start=1)
    ]
    report = import_comments(session, channel=channel, pack=load_pack(DEMO_PACK), records=records,
                             actor="demo", source="demo")
    delegate = people_queries.get_user_by_email(session, DEMO_DELEGATE)
    if delegate is not None and not permissions.can_moderate(session, delegate, channel):
        service.delegate(session, owner=channel.business_owner, channel=channel,
                         person_email=DEMO_DELEGATE, reason="Demo: covers moderation after hours.")
    return report.stored


__all__ = ["DEMO_COMMENTS", "load_demo_comments"]
