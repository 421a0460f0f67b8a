"""Reports for managers (administrators, communications staff and senior leaders): the register,
moderation and complaints, each a page of bar charts with their numbers in tables, and each table
as CSV."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from kaitiaki.checker import load_pack
from kaitiaki.complaints.policy import complaint_policy
from kaitiaki.complaints.queries import local_today
from kaitiaki.errors import NotFound, NotPermitted
from kaitiaki.models import User
from kaitiaki.common.roles import ADMIN, COMMS_STAFF
from kaitiaki.people.service import has_role
from kaitiaki.common.access import require_active
from kaitiaki.common.forms import DAY_RANGE_MESSAGE, day_in_range
from kaitiaki.reports.csvfile import csv_text
from kaitiaki.reports.queries import (
    Period,
    ReportTable,
    complaints_report,
    moderation_report,
    register_report,
)
from kaitiaki.reports.svg import bar_chart
from kaitiaki.transparency.statement import twelve_months_to
from kaitiaki.web.deps import DbSession, RequiredUser
from kaitiaki.web.templating import render

router = APIRouter(prefix="/reports", include_in_schema=False)

REPORT_ROLES = frozenset({ADMIN, COMMS_STAFF, "director_strategic_comms", "elt_member",
                          "nema_chief_executive", "nema_comms_manager"})
TITLES = {"register": "The register", "moderation": "Moderation", "complaints": "Complaints"}


def require_manager(session: Session, user: User) -> None:
    require_active(user)
    if not any(has_role(session, user, role) for role in REPORT_ROLES):
        raise NotPermitted("Reports are for communications staff, administrators and senior "
                           "leaders.")


def _period(first: str, last: str, today: date) -> tuple[Period, str]:
    """The dates asked for, or the last twelve months with a note saying why."""
    try:
        end = date.fromisoformat(last) if last else today
        start = date.fromisoformat(first) if first else twelve_months_to(end)
    except ValueError:
        return Period(twelve_months_to(today), today), "Those were not dates (YYYY-MM-DD); showing the last twelve months."
    if not (day_in_range(start) and day_in_range(end)):
        return Period(twelve_months_to(today), today), f"{DAY_RANGE_MESSAGE} Showing the last twelve months."
    if start > end:
        return Period(twelve_months_to(today), today), "The first day was after the last; showing the last twelve months."
    return Period(start, end), ""


def _tables(request: Request, session: Session, report: str, period: Period) -> list[ReportTable]:
    settings = request.app.state.settings
    today = local_today(settings.zone)
    builders: dict[str, Callable[[], list[ReportTable]]] = {
        "register": lambda: register_report(session, today),
        "moderation": lambda: moderation_report(session, load_pack(settings.policy_pack).meta,
                                                period, settings.zone),
        "complaints": lambda: complaints_report(session, complaint_policy(settings.policy_pack),
                                                period, settings.zone, today),
    }
    if report not in builders:
        raise NotFound(f"There is no report called {report[:40]!r}.")
    return builders[report]()


@router.get("")
def index(request: Request, session: DbSession, user: RequiredUser) -> Response:
    require_manager(session, user)
    return render(request, "reports/index.html", {"titles": TITLES})


@router.get("/{report}.csv")
def report_csv(request: Request, session: DbSession, user: RequiredUser, report: str,
               table: str = "", first: str = "", last: str = "") -> Response:
    require_manager(session, user)
    period, _note = _period(first[:10], last[:10], local_today(request.app.state.settings.zone))
    tables = {t.key: t for t in _tables(request, session, report, period)}
    chosen = tables.get(table) or next(iter(tables.values()))
    return Response(csv_text(chosen.columns, chosen.rows), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition":
                             f'attachment; filename="{report}-{chosen.key}.csv"'})


@router.get("/{report}")
def report_page(request: Request, session: DbSession, user: RequiredUser, report: str,
                first: str = "", last: str = "") -> Response:
    require_manager(session, user)
    period, note = _period(first[:10], last[:10], local_today(request.app.state.settings.zone))
    tables = _tables(request, session, report, period)
    charts = {t.key: bar_chart(t.title, t.chart_rows()) for t in tables if t.chart}
    query = f"first={period.first.isoformat()}&last={period.last.isoformat()}"
    return render(request, "reports/report.html", {
        "report": report, "title": TITLES[report], "tables": tables, "charts": charts,
        "period": period, "note": note, "query": query, "dated": report != "register",
    })


__all__ = ["REPORT_ROLES", "require_manager", "router"]
