"""The register as CSV and JSON, with each channel's flags; requests with their approvals."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from sqlalchemy.orm import Session

from kaitiaki.models import Channel, ChannelRequest
from kaitiaki.register import queries
from kaitiaki.register.schemas import (
    CHECKLIST_ITEMS,
    ApprovalOut,
    ChannelOut,
    RequestOut,
)

CSV_COLUMNS = (
    "id", "platform", "handle", "url", "display_name", "unit", "purposes", "business_owner",
    "business_owner_name", "status", "monitoring_hours", "cadence_days", "last_post_on",
    *CHECKLIST_ITEMS, "checklist_checked_by", "checklist_checked_at", "flags",
)
# A cell starting with one of these is a formula to a spreadsheet; a leading ' keeps it text.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def rows_out(rows: Sequence[tuple[Channel, list[str]]]) -> list[ChannelOut]:
    return [ChannelOut.of(channel, flags) for channel, flags in rows]


def to_json(rows: Sequence[tuple[Channel, list[str]]]) -> str:
    return json.dumps([row.model_dump(mode="json") for row in rows_out(rows)], indent=2,
                      ensure_ascii=False)


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_PREFIXES) else text


def to_csv(rows: Sequence[tuple[Channel, list[str]]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for row in rows_out(rows):
        data = row.model_dump(mode="json")
        data.update(data.pop("checklist"))
        data["flags"] = " ".join(row.flags)
        writer.writerow([_cell(data[column]) for column in CSV_COLUMNS])
    return buffer.getvalue()


def request_out(session: Session, request: ChannelRequest) -> RequestOut:
    approvals = [
        ApprovalOut(approver=a.approver.email, requirement=a.requirement, approved_at=a.approved_at)
        for a in queries.approvals_of(session, request)
    ]
    return RequestOut.of(request, approvals)


__all__ = ["CSV_COLUMNS", "request_out", "to_csv", "to_json"]
