"""The figures behind the managers' reports. Each report is a list of tables; a table is a title,
its column headings and rows, and a chart drawn from two of its columns. Pages and CSV files are
made from the same tables."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaitiaki.complaints.policy import ComplaintPolicy
from kaitiaki.complaints.queries import complaint_figures, overdue_of
from kaitiaki.complaints.transitions import OPEN_STATES
from kaitiaki.models import Complaint
from kaitiaki.moderation.queries import moderation_figures
from kaitiaki.policy.schema import PackMeta
from kaitiaki.register import queries as register_queries
from kaitiaki.register.queries import FLAG_LABELS


@dataclass
class ReportTable:
    key: str
    title: str
    columns: tuple[str, ...]
    rows: list[tuple] = field(default_factory=list)
    chart: bool = True  # a bar chart of the first column against the last

    def chart_rows(self) -> list[tuple[str, int]]:
        return [(str(row[0]), int(row[-1])) for row in self.rows]


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # included

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        return (datetime.combine(self.first, time.min, tzinfo=zone),
                datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=zone))


def _sorted_counts(counter: Counter) -> list[tuple]:
    return sorted(counter.items(), key=lambda item: (-item[1], str(item[0])))


def register_report(session: Session, today: date) -> list[ReportTable]:
    rows = register_queries.list_channels(session, today=today)
    active = [(channel, flags) for channel, flags in rows if channel.status == "active"]
    by_status = Counter(channel.status for channel, _flags in rows)
    by_platform = Counter(channel.platform for channel, _flags in active)
    by_unit = Counter(channel.unit.name for channel, _flags in active)
    flags = Counter(FLAG_LABELS[flag] for _channel, found in rows for flag in found)
    return [
        ReportTable("status", "Channels by status", ("Status", "Channels"), _sorted_counts(by_status)),
        ReportTable("platform", "Active channels by platform", ("Platform", "Channels"),
                    _sorted_counts(by_platform)),
        ReportTable("unit", "Active channels by business unit", ("Business unit", "Channels"),
                    _sorted_counts(by_unit)),
        ReportTable("flags", "What needs attention", ("Flag", "Channels"), _sorted_counts(flags)),
    ]


def moderation_report(session: Session, meta: PackMeta, period: Period, zone: ZoneInfo
                      ) -> list[ReportTable]:
    since, until = period.bounds(zone)
    figures = moderation_figures(session, since=since, until=until, zone=zone)
    labels = {reason.code: reason.label for reason in meta.moderation_reasons}
    by_month: Counter[str] = Counter()
    by_action: Counter[str] = Counter()
    by_reason: Counter[str] = Counter()
    by_channel: Counter[str] = Counter()
    for row in figures:
        by_month[row.month] += row.count
        by_action[row.action] += row.count
        by_reason[labels.get(row.reason, row.reason)] += row.count
        by_channel[row.channel.label] += row.count
    return [
        ReportTable("month", "Moderation actions by month", ("Month", "Actions"),
                    sorted(by_month.items())),
        ReportTable("action", "Moderation actions by kind", ("Action", "Actions"),
                    _sorted_counts(by_action)),
        ReportTable("reason", "Moderation actions by reason", ("Reason", "Actions"),
                    _sorted_counts(by_reason)),
        ReportTable("channel", "Moderation actions by channel", ("Channel", "Actions"),
                    _sorted_counts(by_channel)),
        ReportTable("detail", "Every count", ("Channel", "Month", "Action", "Reason", "Actions"),
                    [(r.channel.label, r.month, r.action, labels.get(r.reason, r.reason), r.count)
                     for r in figures], chart=False),
    ]


def complaints_report(session: Session, policy: ComplaintPolicy, period: Period, zone: ZoneInfo,
                      today: date) -> list[ReportTable]:
    since, until = period.bounds(zone)
    figures = complaint_figures(session, since, until, zone)
    open_now = list(session.scalars(select(Complaint).where(Complaint.state.in_(OPEN_STATES))))
    overdue = sum(1 for complaint in open_now if overdue_of(complaint, today))
    return [
        ReportTable("totals", "Complaints in the period", ("Measure", "Complaints"), [
            ("Received", figures["received"]), ("Resolved", figures["resolved"]),
            ("Serious", figures["serious"]), ("Open now", len(open_now)), ("Overdue now", overdue),
        ]),
        ReportTable("month", "Complaints received by month", ("Month", "Complaints"),
                    sorted(figures["per_month"].items())),
        ReportTable("category", "Complaints received by category", ("Category", "Complaints"),
                    _sorted_counts(Counter({policy.label(code): n for code, n in
                                            figures["by_category"].items()}))),
    ]


__all__ = ["Period", "ReportTable", "complaints_report", "moderation_report", "register_report"]
