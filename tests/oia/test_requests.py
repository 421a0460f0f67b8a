"""Logging, extending and closing OIA requests, with overdue flags and the audit trail."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from kaitiaki.audit import queries as audit_queries
from kaitiaki.errors import BadInput, InvalidTransition, NotPermitted
from kaitiaki.oia import queries, service
from kaitiaki.oia.service import RequestDraft
from tests.oia.conftest import TODAY
from tests.register.conftest import Cast


def draft(received: str = "2026-11-02", **overrides) -> RequestDraft:
    values = {"received_on": received, "summary": "All complaints about @NZCivilDefence in 2026.",
              "requester_name": "Tui Requester", "requester_email": "tui@example.org"}
    values.update(overrides)
    return RequestDraft(**values)


def test_a_logged_request_has_a_reference_and_its_due_date(db: Session, officer):
    first = service.log_request(db, user=officer, draft=draft("2026-11-02"), today=TODAY)
    second = service.log_request(db, user=officer, draft=draft("2026-06-30"), today=TODAY)
    assert first.reference == "OIA-2026/27-0001"
    assert second.reference == "OIA-2025/26-0001"  # 30 June closes the 2025/26 financial year
    # Mon 2 Nov 2026: 3-6 Nov days 1-4, 9-13 days 5-9, 16-20 days 10-14, 23-27 days 15-19, 30 Nov.
    assert first.due_on == first.original_due_on == date(2026, 11, 30)
    events = audit_queries.list_events(db, subject=service.subject_of(first))
    assert events[0].action == "oia_request.logged"
    assert "tui@example.org" not in str(events[0].details)


def test_bad_input_is_refused_with_field_errors(db: Session, officer):
    with pytest.raises(BadInput) as future:
        service.log_request(db, user=officer, draft=draft("2026-12-01"), today=TODAY)
    assert "in the future" in future.value.detail
    with pytest.raises(BadInput) as malformed:
        service.log_request(db, user=officer, draft=draft("02/11/2026", summary=""), today=TODAY)
    assert {str(f.loc[-1]) for f in malformed.value.fields} == {"received_on", "summary"}
    with pytest.raises(BadInput, match="email or a postal address"):
        service.log_request(db, user=officer, draft=draft(requester_email=""), today=TODAY)


def test_only_records_officers_log_requests(db: Session, cast: Cast):
    with pytest.raises(NotPermitted):
        service.log_request(db, user=cast.user(db, "comms"), draft=draft(), today=TODAY)


def test_one_extension_within_the_original_limit(db: Session, officer):
    request = service.log_request(db, user=officer, draft=draft("2026-11-02"), today=TODAY)
    with pytest.raises(BadInput) as missing:
        service.extend(db, user=officer, reference=request.reference, reason="bored", note="",
                       today=TODAY)
    assert {str(f.loc[-1]) for f in missing.value.fields} == {"reason", "note", "new_due_on"}
    service.extend(db, user=officer, reference=service.slug_of(request.reference),
                   reason="consultation", note="Two agencies to consult.", extra_days=10,
                   today=TODAY)
    # Ten working days after Mon 30 Nov 2026: 1-4 Dec, 7-11 Dec, 14 Dec.
    assert (request.state, request.due_on) == ("extended", date(2026, 12, 14))
    assert request.original_due_on == date(2026, 11, 30)
    with pytest.raises(InvalidTransition, match="cannot be extended"):
        service.extend(db, user=officer, reference=request.reference, reason="consultation",
                       note="Again.", new_due_on="2027-02-01", today=TODAY)


def test_an_extension_after_the_original_limit_is_refused(db: Session, officer):
    request = service.log_request(db, user=officer, draft=draft("2026-10-01"), today=TODAY)
    # Thu 1 Oct 2026: 2 Oct day 1, 5-23 Oct days 2-16, Labour Day (Mon 26 Oct) skipped, 27-30 Oct.
    assert request.due_on == date(2026, 10, 30)
    with pytest.raises(BadInput, match="within it"):
        service.extend(db, user=officer, reference=request.reference, reason="large_quantity",
                       note="Many records.", new_due_on="2026-12-18", today=TODAY)


def test_overdue_until_responded(db: Session, officer):
    request = service.log_request(db, user=officer, draft=draft("2026-10-01"), today=TODAY)
    assert queries.is_overdue(request, TODAY)
    assert [r.reference for r in queries.list_requests(db, overdue_only=True, today=TODAY)] == [
        request.reference]
    service.close(db, user=officer, reference=request.reference, action="respond",
                  note="Released in part.", today=TODAY)
    assert request.state == "responded"
    assert not queries.is_overdue(request, TODAY)
    events = audit_queries.list_events(db, subject=service.subject_of(request))
    assert events[0].details["late"] is True
    with pytest.raises(InvalidTransition):
        service.close(db, user=officer, reference=request.reference, action="withdraw", note="",
                      today=TODAY)
