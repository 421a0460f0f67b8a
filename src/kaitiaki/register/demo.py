"""Demo channels: DPMC's, NEMA / Civil Defence's and Government House's public accounts, put
through the real workflow (requested, approved by the two approvers the pack names, checked,
posters authorised) so the register, its history and the audit log look as they would in use.

Idempotent: a channel already in the register is left as it is. Needs the demo organisation and
users (kaitiaki.people.demo), which load first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from kaitiaki.models import User
from kaitiaki.people import queries as people_queries
from kaitiaki.register import queries, service
from kaitiaki.register.approval_rules import approval_rules
from kaitiaki.register.schemas import CHECKLIST_ITEMS, ChannelDraft
from kaitiaki.timeutil import utcnow

DEMO_PACK = "dpmc"
DEMO_ZONE = ZoneInfo("Pacific/Auckland")
COMMS = "comms@dpmc.example.govt.nz"
NEMA_COMMS = "nema.comms@nema.example.govt.nz"
POSTER = "poster@dpmc.example.govt.nz"


@dataclass(frozen=True)
class DemoChannel:
    draft: ChannelDraft
    requested_by: str
    approvers: tuple[str, ...]
    days_since_last_post: int | None
    checklist_complete: bool
    posters: tuple[str, ...] = ()


DEMO_CHANNELS: tuple[DemoChannel, ...] = (
    DemoChannel(
        ChannelDraft("x", "NZCivilDefence", "https://x.com/NZCivilDefence", "NZ Civil Defence",
                     "NEMA", "Emergency management messaging: warnings, advice and updates "
                     "before, during and after emergencies.", NEMA_COMMS,
                     "24/7 during emergencies; 7am-9pm otherwise", 7),
        COMMS, ("nema.ce@nema.example.govt.nz", "nema.comms@nema.example.govt.nz"),
        days_since_last_post=1, checklist_complete=True, posters=(POSTER,),
    ),
    DemoChannel(
        ChannelDraft("facebook", "NZCivilDefence", "https://www.facebook.com/NZCivilDefence",
                     "NZ Civil Defence", "NEMA", "Preparedness campaigns and emergency updates "
                     "for the public.", NEMA_COMMS, "24/7 during emergencies; 7am-9pm otherwise", 7),
        COMMS, ("nema.ce@nema.example.govt.nz", "nema.comms@nema.example.govt.nz"),
        days_since_last_post=3, checklist_complete=True,
    ),
    DemoChannel(
        ChannelDraft("x", "DPMC_NZ", "https://x.com/DPMC_NZ",
                     "Department of the Prime Minister and Cabinet", "DPMC-SCE",
                     "News and announcements from DPMC.", COMMS, "Weekdays 8am-6pm", 14),
        COMMS, ("director.comms@dpmc.example.govt.nz", "elt.sge@dpmc.example.govt.nz"),
        days_since_last_post=30, checklist_complete=True, posters=(POSTER,),
    ),
    DemoChannel(
        ChannelDraft("linkedin", "dpmc-nz", "https://www.linkedin.com/company/dpmc-nz",
                     "Department of the Prime Minister and Cabinet", "DPMC-SCE",
                     "Recruitment and professional networking.", COMMS, "Weekdays 8am-6pm", 30),
        COMMS, ("director.comms@dpmc.example.govt.nz", "elt.sge@dpmc.example.govt.nz"),
        days_since_last_post=10, checklist_complete=True,
    ),
    DemoChannel(
        ChannelDraft("facebook", "GovernmentHouseNZ", "https://www.facebook.com/GovernmentHouseNZ",
                     "Government House New Zealand", "DPMC-GH", "The Governor-General's "
                     "engagements, investitures and visits.", "elt.gh@dpmc.example.govt.nz",
                     "Weekdays 8am-6pm; during events", 14),
        COMMS, ("director.comms@dpmc.example.govt.nz", "elt.gh@dpmc.example.govt.nz"),
        days_since_last_post=2, checklist_complete=True, posters=(POSTER,),
    ),
    DemoChannel(
        ChannelDraft("instagram", "governmenthousenz", "https://www.instagram.com/governmenthousenz",
                     "Government House New Zealand", "DPMC-GH", "Photographs of the "
                     "Governor-General's engagements and of Government House.",
                     "elt.gh@dpmc.example.govt.nz", "Weekdays 8am-6pm", 14),
        COMMS, ("director.comms@dpmc.example.govt.nz", "elt.gh@dpmc.example.govt.nz"),
        days_since_last_post=5, checklist_complete=False,
    ),
)


def _user(session: Session, email: str) -> User:
    user = people_queries.get_user_by_email(session, email)
    if user is None:
        raise LookupError(f"demo user {email} is missing; load the demo people first")
    return user


def load_demo_channels(session: Session) -> int:
    """Add the demo channels that are not in the register yet; returns how many were added."""
    rules = approval_rules(DEMO_PACK)
    added = 0
    for demo in DEMO_CHANNELS:
        if queries.get_channel_by_handle(session, demo.draft.platform, demo.draft.handle):
            continue
        request = service.request_channel(
            session, requester=_user(session, demo.requested_by), rules=rules, draft=demo.draft,
            details=f"Demo: {demo.draft.purposes}",
        )
        for email in demo.approvers:
            service.approve(session, request_id=request.id, approver=_user(session, email), rules=rules)
        channel = request.channel
        comms = _user(session, COMMS)
        items = {key: demo.checklist_complete or key != "avatar_banner_follow_guidelines"
                 for key in CHECKLIST_ITEMS}
        service.update_checklist(session, user=comms, channel=channel, items=items)
        if demo.days_since_last_post is not None:
            service.record_last_post(
                session, user=comms, channel=channel,
                on=utcnow().date() - timedelta(days=demo.days_since_last_post),
            )
        for email in demo.posters:
            service.authorise(
                session, user=channel.business_owner, channel=channel, person_email=email,
                until=None, reason="Demo: drafts and publishes the channel's posts.",
                zone=DEMO_ZONE,
            )
        added += 1
    return added


__all__ = ["DEMO_CHANNELS", "load_demo_channels"]
