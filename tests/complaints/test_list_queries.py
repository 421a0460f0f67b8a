"""Listing complaints costs the same number of database queries however many complaints there
are (no query per row), on the staff page, the exports, the API and the dashboard panels; and the
overdue rule the lists filter by is the one they highlight with."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, select

from kaitiaki.app import create_app
from kaitiaki.common.work import UnitOfWork
from kaitiaki.complaints import queries
from kaitiaki.complaints.queries import ComplaintFilter
from kaitiaki.complaints.service import submit
from kaitiaki.config import Settings
from kaitiaki.db import session_scope
from kaitiaki.models import Complaint
from tests.complaints.conftest import draft
from tests.fixtures.people import DEFAULT_PASSWORD
from tests.fixtures.register import make_channel
from tests.register.conftest import Cast
from tests.web.helpers import sign_in

LIST_PATHS = ["/complaints", "/complaints?overdue=1", "/complaints/export.json",
              "/complaints/export.csv", "/api/v1/complaints", "/"]


@contextmanager
def counted(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _add_complaints(cast: Cast, settings: Settings, handle: str, count: int) -> None:
    """`count` complaints on a new channel of the cast's owner, half escalated (serious)."""
    with session_scope(cast.engine) as session:
        user = lambda name: cast.user(session, name)  # noqa: E731
        channel = make_channel(session, requester=user("comms"),
                               approvers=(user("director"), user("elt_sge")), owner=user("owner"),
                               unit="DPMC-SCE", handle=handle)
        for number in range(count):
            category = "privacy_breach" if number % 2 else "offensive_content"
            submit(UnitOfWork(session, settings), draft=draft(
                category=category, url=f"https://x.com/{handle}/status/{number}",
                channel_id=str(channel.id)))


def _queries_per_page(client: TestClient, engine: Engine) -> dict[str, int]:
    found = {}
    for path in LIST_PATHS:
        with counted(engine) as statements:
            response = client.get(path)
        assert response.status_code == 200, (path, response.text[:300])
        found[path] = len(statements)
    return found


@pytest.mark.parametrize("viewer", ["comms", "owner", "elt_sge"])
def test_list_pages_make_no_query_per_complaint(cast: Cast, cast_settings, viewer: str) -> None:
    app = create_app(cast_settings)
    with TestClient(app, follow_redirects=False) as client:
        assert sign_in(client, cast.emails[viewer], DEFAULT_PASSWORD).status_code == 303
        _add_complaints(cast, cast_settings, f"Few{viewer.title().replace('_', '')}", 2)
        few = _queries_per_page(client, app.state.engine)
        _add_complaints(cast, cast_settings, f"Many{viewer.title().replace('_', '')}", 12)
        many = _queries_per_page(client, app.state.engine)
    assert many == few


def test_the_overdue_filter_and_the_overdue_flags_are_one_rule(db, channels, work, cast) -> None:
    """Every combination of state, acknowledgement and due dates: the complaints the overdue
    filter returns are exactly those shown with an overdue flag."""
    today = date(2026, 11, 20)
    states = ["received", "triaged", "escalated", "responded", "closed", "reopened"]
    for state in states:
        for acknowledged in (False, True):
            for days in (-1, 0, 1):
                complaint = submit(work, draft=draft(channel_id=str(channels.nema.id)))
                complaint.state = state
                complaint.acknowledged_at = complaint.received_at if acknowledged else None
                complaint.acknowledge_by = today + timedelta(days=days)
                complaint.resolve_by = today + timedelta(days=-days)
    db.flush()
    everything = db.scalars(select(Complaint)).all()
    flagged = {c.id for c in everything if queries.overdue_of(c, today)}
    filtered = {c.id for c in queries.list_complaints(db, ComplaintFilter(overdue=True), today=today)}
    assert filtered == flagged
    assert 0 < len(flagged) < len(everything)
    assert {kind for c in everything for kind in queries.overdue_of(c, today)} == {"acknowledge", "resolve"}
