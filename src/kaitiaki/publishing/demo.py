"""Demo drafts for the demo poster on @NZCivilDefence (X), put through the real workflow: one
published, one blocked for a brand endorsement with an exception waiting for the business owner,
and one with a warning still to acknowledge. Idempotent: nothing is added once the poster has any
draft. Needs the demo people and channels (kaitiaki.people.demo, kaitiaki.register.demo)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from kaitiaki.checker import load_pack
from kaitiaki.people import queries as people_queries
from kaitiaki.publishing import queries, service
from kaitiaki.publishing.connectors import ManualRecordConnector
from kaitiaki.publishing.schemas import DraftInput
from kaitiaki.register import queries as register_queries

DEMO_PACK = "dpmc"
DEMO_ZONE = ZoneInfo("Pacific/Auckland")
POSTER = "poster@dpmc.example.govt.nz"

PUBLISHED = ("Civil Defence sirens across Wellington are tested at 9am on Sunday. No action is "
             "needed. Find out more at https://getready.govt.nz")
BRAND = ("Huge thanks to Countdown for donating bottled water to the Napier evacuation centres. "
         "Countdown is the best supermarket in town, go and shop there this week! #Countdown")
BRAND_JUSTIFICATION = ("The donation was arranged with the local controller; thanking donors "
                       "publicly is part of the response plan.")
OPINION = "In my view the new tsunami siren schedule is great."


def load_demo_drafts(session: Session) -> int:
    """Add the demo drafts unless the poster has drafts already; returns how many were added."""
    poster = people_queries.get_user_by_email(session, POSTER)
    channel = register_queries.get_channel_by_handle(session, "x", "NZCivilDefence")
    if poster is None or channel is None or queries.drafts_by(session, poster, open_only=False, limit=1):
        return 0
    pack = load_pack(DEMO_PACK)

    def drafted(text: str):
        draft = service.create_draft(session, user=poster, pack=pack, channel_id=channel.id,
                                     data=DraftInput(kind="post", text=text))
        service.check_draft(session, user=poster, draft=draft, pack=pack)
        return draft

    published = drafted(PUBLISHED)
    service.submit(session, user=poster, draft=published)
    service.record_publication(session, user=poster, draft=published,
                               connector=ManualRecordConnector(),
                               url="https://x.com/NZCivilDefence/status/1859000000000000001",
                               zone=DEMO_ZONE)
    blocked = drafted(BRAND)
    if blocked.state == "checked" and service.current_version(session, blocked).decision == "block":
        service.request_exception(session, user=poster, draft=blocked,
                                  justification=BRAND_JUSTIFICATION)
    drafted(OPINION)
    return 3


__all__ = ["load_demo_drafts"]
