"""Dates far outside any real use (year 1 or 9999) in filters and forms get a message, not a 500:
9999-12-31 used to overflow as soon as a day was added to it."""

from __future__ import annotations

from tests.register.conftest import Cast, cast, cast_settings, signed_in  # noqa: F401 (fixtures)

RANGE_MESSAGE = "Enter a date between 1900-01-01 and 2199-12-31."


def test_a_report_period_out_of_range_falls_back_with_a_note(signed_in):  # noqa: F811
    page = signed_in("admin").get("/reports/complaints?first=0001-01-01&last=9999-12-31")
    assert page.status_code == 200
    assert RANGE_MESSAGE in page.text and "Showing the last twelve months." in page.text


def test_an_audit_filter_out_of_range_is_named(signed_in):  # noqa: F811
    page = signed_in("admin").get("/admin/audit?since=1000-01-01&until=9999-12-31")
    assert page.status_code == 422  # the filter form, shown again with its messages
    assert RANGE_MESSAGE in page.text
