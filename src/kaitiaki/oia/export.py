"""The export that answers an Official Information Act request: a ZIP of CSV files, one per kind
of record, an HTML summary, and the schedule of withholdings (withholdings.csv), in which
personal information is replaced by "[withheld under s9(2)(a)]".

The schedule says where each withholding is (file, record, field), what kind of information it
was and the ground; it never repeats what was withheld. An export with nothing in scope is still
an export: its summary says that no records were found.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaitiaki.audit import service as audit
from kaitiaki.models import Channel, OiaRequest, User
from kaitiaki.oia import permissions
from kaitiaki.oia.people import known_people, senior_role_ids, staff_directory
from kaitiaki.oia.records import COLLECTORS, Context, Table
from kaitiaki.oia.redaction import GROUND, WITHHELD, Redactor
from kaitiaki.oia.scope import RECORD_KINDS, ExportScope
from kaitiaki.oia.service import slug_of, subject_of
from kaitiaki.policy.schema import PackMeta
from kaitiaki.reports.csvfile import csv_text
from kaitiaki.timeutil import to_local, utcnow
from kaitiaki.web.templating import templates

SUMMARY_FILE = "summary.html"
SCHEDULE_FILE = "withholdings.csv"
SCHEDULE_HEADER = ("number", "file", "record", "field", "withheld", "ground")
# Called after each kind of record is collected: (kind label, kinds done, kinds in all).
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class ExportResult:
    filename: str
    content: bytes
    counts: dict[str, int]  # file -> rows
    withheld: int

    @property
    def empty(self) -> bool:
        return not any(self.counts.values())


def _filename(request: OiaRequest) -> str:
    return slug_of(request.reference) + "-export.zip"


def _channel_labels(session: Session, scope: ExportScope) -> list[str]:
    if scope.channel_ids is None:
        return []
    return [c.label for c in session.scalars(
        select(Channel).where(Channel.id.in_(scope.channel_ids)).order_by(Channel.platform, Channel.handle))]


def _summary(request: OiaRequest, scope: ExportScope, tables: list[Table], withheld: int,
             session: Session, agency: str, generated: datetime) -> str:
    template = templates.env.get_template("oia/export_summary.html")
    return template.render(
        request=request, scope=scope, tables=tables, withheld=withheld, agency=agency,
        kinds=RECORD_KINDS, channels=_channel_labels(session, scope), generated=generated,
        ground=GROUND, marker=WITHHELD, schedule_file=SCHEDULE_FILE,
        empty=not any(table.rows for table in tables),
    )


def build_export(session: Session, *, user: User, request: OiaRequest, scope: ExportScope,
                 meta: PackMeta, zone: ZoneInfo, progress: Progress | None = None) -> ExportResult:
    """Collect the records in scope, withhold personal information, and zip them. Records an
    audit event (what was exported, never the content)."""
    permissions.require_records_officer(session, user)
    staff = staff_directory(session, senior_role_ids(meta.roles))
    redactor = Redactor(known_people(session, staff))
    context = Context(session=session, scope=scope, zone=zone, staff=staff, redactor=redactor)
    tables: list[Table] = []
    for done, kind in enumerate(scope.kinds, start=1):
        tables.append(COLLECTORS[kind](context))
        if progress is not None:
            progress(RECORD_KINDS[kind], done, len(scope.kinds))
    generated = to_local(utcnow(), zone)
    schedule = [(n, w.file, w.record, w.field, w.kind, w.ground)
                for n, w in enumerate(redactor.withholdings, start=1)]
    agency = meta.agency.name if meta.agency else "the agency"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(SUMMARY_FILE, _summary(request, scope, tables, len(schedule), session,
                                                agency, generated))
        archive.writestr(SCHEDULE_FILE, csv_text(SCHEDULE_HEADER, schedule))
        for table in tables:
            archive.writestr(table.file, csv_text(table.header, table.rows))
    counts = {table.file: len(table.rows) for table in tables}
    audit.record(session, actor=user.email, action="oia_request.exported", subject=subject_of(request),
                 details={"reference": request.reference, "first": scope.first.isoformat(),
                          "last": scope.last.isoformat(), "kinds": list(scope.kinds),
                          "channels": list(scope.channel_ids or []), "rows": counts,
                          "withheld": len(schedule)})
    return ExportResult(filename=_filename(request), content=buffer.getvalue(), counts=counts,
                        withheld=len(schedule))


__all__ = ["ExportResult", "SCHEDULE_FILE", "SUMMARY_FILE", "build_export"]
