"""The administrators' audit log page: filters, dates in New Zealand time, pagination."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from kaitiaki.audit import service as audit
from kaitiaki.audit.pages import parse_filters
from kaitiaki.timeutil import to_local, utcnow
from tests.fixtures.people import DEFAULT_PASSWORD, make_user
from tests.web.helpers import sign_in

NZ = ZoneInfo("Pacific/Auckland")


@pytest.fixture
def admin_client(client: TestClient, session: Session) -> TestClient:
    make_user(session, email="admin@dpmc.example.govt.nz", roles=["admin"])
    audit.record(session, actor="hemi@dpmc.example.govt.nz", action="channel.requested", subject="channel:7",
                 details={"handle": "@DPMC_NZ"})
    audit.record(session, actor="system", action="channel.approved", subject="channel:7")
    audit.record(session, actor="hemi@dpmc.example.govt.nz", action="complaint.received", subject="complaint:1")
    session.commit()
    sign_in(client, "admin@dpmc.example.govt.nz", DEFAULT_PASSWORD)
    return client


def rows(html: str) -> int:
    return html.count("<tr>") - 1  # minus the header row


def test_lists_every_event_newest_first(admin_client: TestClient):
    page = admin_client.get("/admin/audit")
    assert page.status_code == 200
    assert page.text.index("complaint.received") < page.text.index("channel.requested")
    assert '"handle": "@DPMC_NZ"' in page.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("actor=hemi@dpmc.example.govt.nz", {"channel.requested", "complaint.received"}),
        ("action=channel.", {"channel.requested", "channel.approved"}),
        ("subject=channel:7", {"channel.requested", "channel.approved"}),
        ("actor=system&action=channel.", {"channel.approved"}),
    ],
)
def test_filters(admin_client: TestClient, query: str, expected: set[str]):
    page = admin_client.get(f"/admin/audit?{query}")
    shown = {action for action in ("channel.requested", "channel.approved", "complaint.received") if f"<code>{action}</code>" in page.text}
    assert shown == expected


def test_date_range_in_local_days(admin_client: TestClient):
    today = to_local(utcnow(), NZ).date()
    assert "complaint.received" in admin_client.get(f"/admin/audit?since={today}&until={today}").text
    tomorrow = today + timedelta(days=1)
    page = admin_client.get(f"/admin/audit?since={tomorrow}")
    assert "No events match these filters." in page.text


def test_bad_dates_are_explained(admin_client: TestClient):
    page = admin_client.get("/admin/audit?since=5/3/2026")
    assert page.status_code == 422
    assert "From must be a date like 2026-03-05." in page.text
    backwards = admin_client.get("/admin/audit?since=2026-03-05&until=2026-03-01")
    assert "To must be the same day as From or later." in backwards.text


def test_days_are_new_zealand_days():
    filters = parse_filters(actor="", action="", subject="", since="2026-01-10", until="2026-01-10", zone=NZ)
    # 10 January in New Zealand (daylight time, UTC+13) runs from 11:00 UTC on the 9th.
    assert filters.since_at == datetime(2026, 1, 9, 11, 0, tzinfo=UTC)
    assert filters.until_before == datetime(2026, 1, 10, 11, 0, tzinfo=UTC)
    assert date(2026, 1, 10) == to_local(filters.since_at, NZ).date()


def test_pages_of_fifty(admin_client: TestClient, session: Session):
    for number in range(60):
        audit.record(session, actor="system", action="test.bulk", subject=f"item:{number}")
    session.commit()

    first = admin_client.get("/admin/audit?action=test.")
    assert rows(first.text) == 50
    assert "60 events, page 1 of 2" in first.text
    assert 'href="/admin/audit?action=test.&amp;page=2"' in first.text

    second = admin_client.get("/admin/audit?action=test.&page=2")
    assert rows(second.text) == 10
    assert "item:0<" in second.text
    assert 'rel="prev"' in second.text and 'rel="next"' not in second.text


def test_only_admins_see_the_audit_log(client: TestClient, session: Session):
    make_user(session, email="comms@dpmc.example.govt.nz", roles=["comms_staff"])
    session.commit()
    sign_in(client, "comms@dpmc.example.govt.nz", DEFAULT_PASSWORD)
    assert client.get("/admin/audit").status_code == 403
