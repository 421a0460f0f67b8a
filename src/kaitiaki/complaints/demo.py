"""Demo complaints, put through the real workflow on the demo channels: a privacy breach
escalated to the ELT member and overdue for acknowledgement, one responded to, one closed with
its resolution, and one naming no channel for communications staff to triage.

Idempotent: a demo complaint already recorded (same description) is left as it is. Needs the
demo people and channels, which load first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaitiaki.common.work import UnitOfWork
from kaitiaki.complaints import service
from kaitiaki.complaints.schemas import ComplaintDraft
from kaitiaki.config import Settings
from kaitiaki.models import Complaint
from kaitiaki.people import queries as people_queries

# The demo's own configuration, whatever this installation's: the default pack (DPMC), New
# Zealand time, links to a local server, and no email (the demo people are not real). Built from
# the defaults alone, without reading the environment.
DEMO_SETTINGS = Settings.model_construct()


@dataclass(frozen=True)
class DemoComplaint:
    draft: ComplaintDraft
    days_ago: int
    steps: tuple[tuple[str, str, str], ...] = ()  # (who, action, note)


DEMO_COMPLAINTS: tuple[DemoComplaint, ...] = (
    DemoComplaint(ComplaintDraft(
        category="privacy_breach", url="https://x.com/DPMC_NZ/status/1861234567890",
        description="Demo: the photo in this post shows a visitor's name badge and phone number.",
        name="Demo Complainant", email="complainant@example.co.nz"), days_ago=4),
    DemoComplaint(ComplaintDraft(
        category="offensive_content", url="https://www.facebook.com/NZCivilDefence/posts/10123",
        description="Demo: the reply to my question about the tsunami sirens was sarcastic."),
        days_ago=2, steps=(("nema.comms@nema.example.govt.nz", "triage", ""),
                           ("nema.comms@nema.example.govt.nz", "respond",
                            "Apologised publicly under the reply and answered the question."))),
    DemoComplaint(ComplaintDraft(
        category="accessibility", url="https://www.facebook.com/GovernmentHouseNZ/posts/555",
        description="Demo: the investiture video has no captions."),
        days_ago=12, steps=(("elt.gh@dpmc.example.govt.nz", "triage", ""),
                            ("elt.gh@dpmc.example.govt.nz", "close",
                             "Captions added to the video; captioning added to the checklist."))),
    DemoComplaint(ComplaintDraft(
        category="other", url="https://www.instagram.com/p/DemoPost123/",
        description="Demo: a post says the office is open on Matariki, but it is closed."),
        days_ago=1),
)


def load_demo_complaints(session: Session) -> int:
    """Record the demo complaints not yet recorded; returns how many were added."""
    work = UnitOfWork(session, DEMO_SETTINGS)
    added = 0
    for demo in DEMO_COMPLAINTS:
        exists = session.scalar(select(Complaint.id).where(
            Complaint.description == demo.draft.description))
        if exists is not None:
            continue
        complaint = service.submit(work, draft=demo.draft,
                                   now=work.now() - timedelta(days=demo.days_ago))
        for email, action, note in demo.steps:
            person = people_queries.get_user_by_email(session, email)
            if person is None:
                raise LookupError(f"demo user {email} is missing; load the demo people first")
            service.act(work, complaint=complaint, user=person, action=action, note=note)
        added += 1
    return added


__all__ = ["DEMO_COMPLAINTS", "load_demo_complaints"]
