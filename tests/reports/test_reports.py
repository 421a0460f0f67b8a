"""Managers' reports: pages with accessible SVG charts and a table of the same numbers, CSV for
each table, and no reports for staff without a manager's role."""

from __future__ import annotations

import csv
import io
import re

from fastapi.testclient import TestClient

from kaitiaki.app import create_app
from kaitiaki.db import session_scope
from kaitiaki.reports.svg import CHAR_WIDTH, bar_chart
from tests.moderation.conftest import new_channel
from tests.register.conftest import Cast, cast, cast_settings  # noqa: F401 (fixtures)
from tests.fixtures.people import DEFAULT_PASSWORD
from tests.web.helpers import sign_in


def test_chart_is_an_image_with_a_title_and_description():
    svg = str(bar_chart("Channels by platform", [("x", 3), ("facebook <b>", 1)]))
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "facebook &lt;b&gt;" in svg and "<b>" not in svg
    assert "No data" in str(bar_chart("Empty", []))


def test_long_labels_fit_inside_the_chart():
    """Each label is right-aligned against the bars; the column is wide enough for the longest,
    so no label starts left of the chart's edge (they were cut off)."""
    labels = ["Offensive or abusive", "Personal information of a member of the public",
              "Spam, scams or advertising"]
    svg = str(bar_chart("Comments hidden by reason", [(label, 5) for label in labels]))
    anchors = [float(x) for x in re.findall(r'<text x="([\d.]+)"[^>]*text-anchor="end"', svg)]
    for label, anchor in zip(labels, anchors, strict=True):
        assert label in svg
        assert anchor - len(label) * CHAR_WIDTH >= 0


def test_reports_for_managers_with_csv(cast_settings, cast: Cast):
    with session_scope(cast.engine) as session:
        new_channel(session, cast, handle="ReportChannel")
    with TestClient(create_app(cast_settings), follow_redirects=False) as client:
        sign_in(client, cast.emails["comms"], DEFAULT_PASSWORD)
        register = client.get("/reports/register")
        assert register.status_code == 200
        assert "<svg" in register.text and "Active channels by platform" in register.text
        moderation = client.get("/reports/moderation?first=2026-01-01&last=2026-12-31")
        assert moderation.status_code == 200 and "1 January 2026" in moderation.text
        complaints = client.get("/reports/complaints?first=nonsense")
        assert "not dates" in complaints.text
        exported = client.get("/reports/register.csv?table=platform")
        assert exported.headers["content-type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(exported.text)))
        assert rows[0] == ["Platform", "Channels"] and ["x", "1"] in rows
        assert client.get("/reports/nothing").status_code == 404


def test_staff_without_a_managers_role_get_no_reports(cast_settings, cast: Cast):
    with TestClient(create_app(cast_settings), follow_redirects=False) as client:
        sign_in(client, cast.emails["staff"], DEFAULT_PASSWORD)
        assert client.get("/reports/register").status_code == 403
        assert "/reports" not in client.get("/").text.split("<main")[0]
