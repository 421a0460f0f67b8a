"""The policy's review-date reminder: the DPMC pack's review date (1 July 2022) has passed, so
the ELT member of Strategy, Governance and Engagement is told once; nobody else is."""

from __future__ import annotations

from datetime import UTC, datetime

from kaitiaki.common.reminding import ReminderRun
from kaitiaki.jobs.pack_review import send_pack_review_reminders
from kaitiaki.notify import inapp
from tests.register.conftest import Cast, cast, cast_settings, db  # noqa: F401 (fixtures)

# 08:00 New Zealand daylight time on Monday 7 December 2026; 09:00 standard time on Thursday 2 June 2022.
MONDAY_0800 = datetime(2026, 12, 6, 19, 0, tzinfo=UTC)
A_MONTH_BEFORE = datetime(2022, 6, 1, 21, 0, tzinfo=UTC)
TWO_MONTHS_BEFORE = datetime(2022, 5, 1, 21, 0, tzinfo=UTC)


def test_the_approver_is_reminded_before_and_once_the_review_date_has_come(db, cast: Cast, cast_settings):
    def run(moment):
        return ReminderRun.at(cast_settings, lambda: moment)

    assert send_pack_review_reminders(db, run(TWO_MONTHS_BEFORE)) == 0
    assert send_pack_review_reminders(db, run(A_MONTH_BEFORE)) == 1
    assert send_pack_review_reminders(db, run(MONDAY_0800)) == 1
    assert send_pack_review_reminders(db, run(MONDAY_0800)) == 0
    assert [n.text for n in inapp.notifications_for(db, cast.user(db, "elt_sge"))] == [
        "The DPMC / NEMA Social Media Policy was due for review on 1 July 2022",
        "The DPMC / NEMA Social Media Policy is due for review on 1 July 2022"]
    assert inapp.notifications_for(db, cast.user(db, "elt_gh")) == []
