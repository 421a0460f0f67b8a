"""The demo organisation: people first, then each feature's demo data on top of them, in the order
they build on each other. Every loader is idempotent, so loading twice changes nothing.

This sits at the top with the application and the command line: it is the one place that knows
every feature.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from kaitiaki.complaints.demo import load_demo_complaints
from kaitiaki.moderation.demo import load_demo_comments
from kaitiaki.people.demo import DEMO_PASSWORD, load_demo_people
from kaitiaki.publishing.demo import load_demo_drafts
from kaitiaki.register.demo import load_demo_channels


def load_demo(session: Session) -> list[tuple[str, str]]:
    """Create the demo organisation, users, channels, drafts, comments and complaints; return the
    (email, roles) sign-ins."""
    sign_ins = load_demo_people(session)
    load_demo_channels(session)
    load_demo_drafts(session)
    load_demo_comments(session)
    load_demo_complaints(session)
    return sign_ins


__all__ = ["DEMO_PASSWORD", "load_demo"]
