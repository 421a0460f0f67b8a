"""The administrators' audit log page: filter by actor, action prefix, subject and dates; paginated.

Dates are whole days in the configured time zone: "from 3 March" starts at local midnight and
"to 5 March" includes all of 5 March.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kaitiaki.audit import queries
from kaitiaki.common.access import require_role
from kaitiaki.common.forms import DAY_RANGE_MESSAGE, day_in_range
from kaitiaki.common.roles import ADMIN
from kaitiaki.timeutil import ensure_utc
from kaitiaki.web.deps import AppSettings, DbSession, RequiredUser
from kaitiaki.web.templating import render

router = APIRouter(prefix="/admin/audit", include_in_schema=False)

PAGE_SIZE = 50
MAX_FILTER_LENGTH = 200


@dataclass
class AuditFilters:
    actor: str = ""
    action: str = ""
    subject: str = ""
    since: str = ""
    until: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    since_at: datetime | None = None
    until_before: datetime | None = None

    def query_string(self, page: int) -> str:
        values = {
            "actor": self.actor, "action": self.action, "subject": self.subject,
            "since": self.since, "until": self.until,
        }
        kept = {key: value for key, value in values.items() if value}
        if page > 1:
            kept["page"] = str(page)
        return urlencode(kept)


def _parse_day(raw: str, name: str, label: str, errors: dict[str, str]) -> date | None:
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        errors[name] = f"{label} must be a date like 2026-03-05."
        return None
    if not day_in_range(day):
        errors[name] = DAY_RANGE_MESSAGE
        return None
    return day


def _local_midnight_utc(day: date, zone: ZoneInfo) -> datetime:
    return ensure_utc(datetime.combine(day, time.min, tzinfo=zone))


def parse_filters(
    *, actor: str, action: str, subject: str, since: str, until: str, zone: ZoneInfo
) -> AuditFilters:
    filters = AuditFilters(
        actor=actor.strip()[:MAX_FILTER_LENGTH],
        action=action.strip()[:MAX_FILTER_LENGTH],
        subject=subject.strip()[:MAX_FILTER_LENGTH],
        since=since.strip(),
        until=until.strip(),
    )
    first = _parse_day(filters.since, "since", "From", filters.errors)
    last = _parse_day(filters.until, "until", "To", filters.errors)
    if first and last and last < first:
        filters.errors["until"] = "To must be the same day as From or later."
    if not filters.errors:
        filters.since_at = _local_midnight_utc(first, zone) if first else None
        filters.until_before = _local_midnight_utc(last + timedelta(days=1), zone) if last else None
    return filters


@router.get("")
def audit_log(
    request: Request,
    session: DbSession,
    user: RequiredUser,
    settings: AppSettings,
    actor: str = "",
    action: str = "",
    subject: str = "",
    since: str = "",
    until: str = "",
    page: int = 1,
) -> Response:
    require_role(session, user, ADMIN)
    page = max(1, page)
    filters = parse_filters(
        actor=actor, action=action, subject=subject, since=since, until=until, zone=settings.zone
    )
    events = []
    total = 0
    if not filters.errors:
        criteria = {
            "actor": filters.actor or None,
            "action_prefix": filters.action or None,
            "subject": filters.subject or None,
            "since": filters.since_at,
            "until": filters.until_before,
        }
        total = queries.count_events(session, **criteria)
        events = queries.list_events(
            session, **criteria, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
        )
    pages = max(1, -(-total // PAGE_SIZE))
    context = {
        "filters": filters,
        "events": events,
        "total": total,
        "page": page,
        "pages": pages,
        "previous_query": filters.query_string(page - 1) if page > 1 else None,
        "next_query": filters.query_string(page + 1) if page < pages else None,
    }
    return render(request, "admin/audit.html", context, status_code=422 if filters.errors else 200)


__all__ = ["AuditFilters", "parse_filters", "router"]
