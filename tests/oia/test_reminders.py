"""OIA due reminders with a fixed clock: five working days before, on the due day and once
overdue, each once, to the records officers."""

from __future__ import annotations

from datetime import UTC, datetime

from kaitiaki.common.reminding import ReminderRun
from kaitiaki.notify import inapp
from kaitiaki.oia import service
from kaitiaki.oia.reminders import send_oia_reminders
from kaitiaki.oia.service import RequestDraft
from tests.oia.conftest import TODAY

# 08:00 New Zealand daylight time (UTC+13). The request below is due on Monday 30 November 2026.
FRIDAY_20_NOV = datetime(2026, 11, 19, 19, 0, tzinfo=UTC)
MONDAY_23_NOV = datetime(2026, 11, 22, 19, 0, tzinfo=UTC)
MONDAY_30_NOV = datetime(2026, 11, 29, 19, 0, tzinfo=UTC)
TUESDAY_1_DEC = datetime(2026, 11, 30, 19, 0, tzinfo=UTC)


def test_an_oia_request_is_reminded_before_on_and_after_its_due_day(db, officer, cast_settings):
    found = service.log_request(db, user=officer, today=TODAY, draft=RequestDraft(
        received_on="2026-11-02", summary="All complaints in 2026.", requester_name="Tui",
        requester_email="tui@example.org"))
    ref = found.reference
    steps = [(FRIDAY_20_NOV, None), (MONDAY_23_NOV, f"OIA request {ref} is due on 30 November 2026"),
             (MONDAY_30_NOV, f"OIA request {ref} is due today"),
             (TUESDAY_1_DEC, f"OIA request {ref} is overdue")]
    for moment, expected in steps:
        run = ReminderRun.at(cast_settings, lambda moment=moment: moment)
        assert send_oia_reminders(db, run) == (1 if expected else 0)
        assert send_oia_reminders(db, run) == 0
        if expected:
            assert inapp.notifications_for(db, officer)[0].text == expected
