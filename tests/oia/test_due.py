"""Due dates under the Official Information Act, worked out by hand (day counts in comments)."""

from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from kaitiaki.cli import app
from kaitiaki.errors import BadInput
from kaitiaki.oia.due import due_date, parse_received, why_not_working, working_days_left

CASES = [
    # Thu 10 Dec 2026: 11, 14-18, 21-24 Dec are days 1-10; closed 25 Dec-15 Jan; 16-17 Jan is a
    # weekend; 18-22 and 25-29 Jan are days 11-20.
    ("2026-12-10", "2027-01-29"),
    # Received inside the summer closure: the first working day is Mon 18 Jan 2027; Waitangi Day
    # (Sat 6 Feb) is Mondayised to 8 Feb, so day 20 is Mon 15 Feb.
    ("2026-12-28", "2027-02-15"),
    # Wed 20 Jan 2027: days 1-11 to Thu 4 Feb, Fri 5 Feb day 12, Mon 8 Feb (Waitangi observed)
    # skipped, 9-12 and 15-18 Feb are days 13-20.
    ("2027-01-20", "2027-02-18"),
    # Matariki 2025 is Fri 20 June. Received on King's Birthday (Mon 2 June 2025), which is day
    # zero whatever it is: 3-19 June days 1-13, 23-27 and 30 June days 14-19, 1 July day 20.
    ("2025-06-02", "2025-07-01"),
    # Matariki 2026 is Fri 10 July. From Fri 26 June 2026: 29 June-9 July days 1-9, 13-17 July
    # days 10-14, 20-24 July 15-19, Mon 27 July day 20 (it would be 24 July without Matariki).
    ("2026-06-26", "2026-07-27"),
    # Matariki 2027 is Fri 25 June. From Mon 14 June 2027: 15-24 June days 1-8, 28 June-13 July
    # days 9-20.
    ("2027-06-14", "2027-07-13"),
    # Anzac Day 2026 is a Saturday, Mondayised to 27 April. From Wed 1 April 2026 (Good Friday
    # 3 April, Easter Monday 6 April): 2, 7-10, 13-17, 20-24 April days 1-15, 28-30 April and
    # 1 May days 16-19, Mon 4 May day 20.
    ("2026-04-01", "2026-05-04"),
]


@pytest.mark.parametrize(("received", "due"), CASES)
def test_twenty_working_days_after_the_day_received(received: str, due: str):
    assert due_date(date.fromisoformat(received)) == date.fromisoformat(due)


def test_a_shorter_count_for_a_transfer():
    # Section 14: a transfer within 10 working days. From Thu 10 Dec 2026: 11, 14-18, 21-24 Dec.
    assert due_date(date(2026, 12, 10), 10) == date(2026, 12, 24)


def test_why_a_day_does_not_count():
    assert why_not_working(date(2026, 7, 10)) == "Matariki"
    assert "summer closure" in why_not_working(date(2027, 1, 14))
    assert why_not_working(date(2027, 2, 8)) == "Waitangi Day (observed)"
    assert why_not_working(date(2026, 12, 12)) == "Saturday"
    assert why_not_working(date(2026, 12, 11)) is None


def test_working_days_left_counts_down_and_goes_negative():
    assert working_days_left(date(2027, 1, 29), date(2027, 1, 27)) == 2
    assert working_days_left(date(2027, 1, 29), date(2027, 1, 29)) == 0
    assert working_days_left(date(2027, 1, 29), date(2027, 2, 2)) == -2


@pytest.mark.parametrize("typed", ["2026-13-01", "10/12/2026", "yesterday", ""])
def test_a_malformed_received_date_is_refused_clearly(typed: str):
    with pytest.raises(BadInput, match="YYYY-MM-DD"):
        parse_received(typed, date(2026, 11, 20))


def test_a_received_date_in_the_future_is_refused():
    with pytest.raises(BadInput, match="in the future"):
        parse_received("2026-11-21", date(2026, 11, 20))


def test_kaitiaki_oia_due_prints_the_date():
    runner = CliRunner()
    result = runner.invoke(app, ["oia", "due", "2025-12-10"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "2026-01-29"  # the same shape as the 2026 case above
    shorter = runner.invoke(app, ["oia", "due", "2025-12-10", "--days", "10"])
    assert shorter.stdout.strip() == "2025-12-24"


def test_kaitiaki_oia_due_refuses_bad_dates():
    runner = CliRunner()
    malformed = runner.invoke(app, ["oia", "due", "2025-02-30"])
    assert malformed.exit_code == 2
    assert "YYYY-MM-DD" in malformed.output


def test_kaitiaki_oia_due_plans_ahead_for_a_date_still_to_come():
    result = CliRunner().invoke(app, ["oia", "due", "2099-12-10"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "2100-01-29"
    assert "still to come" in result.stderr
