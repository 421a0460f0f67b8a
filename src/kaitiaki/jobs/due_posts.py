"""Scheduled posts whose time has come go out: every minute, each due draft is claimed once
(kaitiaki.publishing.scheduling, committed before anything is sent, so two workers running this
at once never send the same post) and handed to the send step (kaitiaki.publishing.sending),
which checks it again with the pack in force, verifies its author is still authorised, publishes
it or tells the author it is due by hand, and audits whatever happened. It also tells the author
of any send whose answer was lost (a worker stopped while the platform answered) to look on the
platform, once per send."""

from __future__ import annotations

import logging
from collections import Counter

from sqlalchemy import Engine

from kaitiaki.config import Settings
from kaitiaki.db import session_scope
from kaitiaki.publishing import scheduling
from kaitiaki.publishing.sending import send_draft, tell_lost_sends
from kaitiaki.timeutil import Clock, utcnow

log = logging.getLogger(__name__)


def send_due_posts(engine: Engine, settings: Settings, clock: Clock = utcnow) -> str:
    now = clock()
    with session_scope(engine, write=False) as session:
        due = scheduling.due_draft_ids(session, now)
    outcomes: Counter[str] = Counter()
    for draft_id in due:
        with session_scope(engine) as session:
            claimed = scheduling.claim_for_sending(session, draft_id, now)
        if not claimed:
            outcomes["taken by another worker"] += 1
            continue
        # Its own unit of work: one post's failure neither undoes nor holds up the others.
        try:
            with session_scope(engine) as session:
                outcome = send_draft(session, settings, draft_id, actor_id=None, now=now)
        except Exception:
            log.exception("Sending scheduled draft %s failed; it stays claimed, its author can "
                          "choose a new time", draft_id)
            outcomes["error"] += 1
            continue
        outcomes[outcome.result] += 1
    with session_scope(engine) as session:
        lost = tell_lost_sends(session, settings, now)
    if lost:
        outcomes["sends whose answer was lost"] = lost
    if not outcomes:
        return "no posts due"
    return ", ".join(f"{count} {what.replace('_', ' ')}" for what, count in sorted(outcomes.items()))


__all__ = ["send_due_posts"]
