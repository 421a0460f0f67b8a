"""The records an export holds, one table per kind, with personal information withheld as each
cell is written. Every collector reads the rows in scope and writes them through the Redactor."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaitiaki.models import AuditEvent, Channel, Complaint, Draft, DraftVersion, ModerationAction
from kaitiaki.oia.people import COMMAND_LINE, SYSTEM, StaffDirectory
from kaitiaki.oia.redaction import Redactor
from kaitiaki.oia.scope import ExportScope
from kaitiaki.timeutil import to_local


@dataclass
class Table:
    file: str
    header: tuple[str, ...]
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Context:
    session: Session
    scope: ExportScope
    zone: ZoneInfo
    staff: StaffDirectory
    redactor: Redactor

    def when(self, value) -> str:  # noqa: ANN001 - an aware datetime or None
        return "" if value is None else to_local(value, self.zone).strftime("%Y-%m-%d %H:%M")

    def person(self, email: str | None, *, file: str, record: str, field_name: str) -> str:
        """A member of staff named in a record: a senior leader by name, anyone else withheld."""
        if not email:
            return ""
        if email.startswith("cli"):
            return COMMAND_LINE
        if email in ("system", "public"):
            return SYSTEM if email == "system" else "member of the public"
        if self.staff.is_senior(email):
            return self.staff.names.get(email.lower(), email)
        return self.redactor.withhold(email, file=file, record=record, field_name=field_name,
                                      kind="name")

    def text(self, value: str | None, *, file: str, record: str, field_name: str) -> str:
        return self.redactor.redact(value, file=file, record=record, field_name=field_name)


def _channel_label(channel: Channel | None) -> str:
    return channel.label if channel is not None else ""


MODERATION_FILE = "moderation_decisions.csv"


def moderation(ctx: Context) -> Table:
    table = Table(MODERATION_FILE, ("action_id", "acted_at", "channel", "action", "reason",
                                    "from_state", "to_state", "moderator", "note", "comment_id",
                                    "comment_author", "comment_received_at", "comment_text",
                                    "comment_url", "reply_text", "reply_decision"))
    start, end = ctx.scope.bounds(ctx.zone)
    statement = (select(ModerationAction).where(ModerationAction.acted_at >= start,
                                                ModerationAction.acted_at < end)
                 .order_by(ModerationAction.acted_at, ModerationAction.id))
    for action in ctx.session.scalars(statement):
        if not ctx.scope.includes_channel(action.channel_id):
            continue
        record, comment, f = str(action.id), action.comment, table.file
        author = comment.author_name or comment.author_handle
        table.rows.append([
            record, ctx.when(action.acted_at), _channel_label(comment.channel), action.action,
            action.reason_code, action.from_state, action.to_state,
            ctx.person(action.actor.email, file=f, record=record, field_name="moderator"),
            ctx.text(action.note, file=f, record=record, field_name="note"), str(comment.id),
            ctx.redactor.withhold(author, file=f, record=record, field_name="comment_author",
                                  kind="name"),
            ctx.when(comment.received_at),
            ctx.text(comment.text, file=f, record=record, field_name="comment_text"),
            ctx.text(comment.url, file=f, record=record, field_name="comment_url"),
            ctx.text(action.reply_text, file=f, record=record, field_name="reply_text"),
            action.reply_decision or "",
        ])
    return table


COMPLAINTS_FILE = "complaints.csv"


def complaints(ctx: Context) -> Table:
    table = Table(COMPLAINTS_FILE, ("reference", "received_at", "source", "channel", "category",
                                    "serious", "state", "complainant", "description",
                                    "content_url", "content_text", "response", "resolution",
                                    "closed_at"))
    start, end = ctx.scope.bounds(ctx.zone)
    statement = (select(Complaint).where(Complaint.received_at >= start, Complaint.received_at < end)
                 .order_by(Complaint.received_at, Complaint.id))
    for complaint in ctx.session.scalars(statement):
        if not ctx.scope.includes_channel(complaint.channel_id):
            continue
        record, f = complaint.reference, table.file
        contact = " ".join(filter(None, (complaint.complainant_name, complaint.complainant_email,
                                         complaint.complainant_phone)))
        table.rows.append([
            record, ctx.when(complaint.received_at), complaint.source,
            _channel_label(complaint.channel), complaint.category, "yes" if complaint.serious else "no",
            complaint.state,
            ctx.redactor.withhold(contact, file=f, record=record, field_name="complainant",
                                  kind="name and contact details"),
            ctx.text(complaint.description, file=f, record=record, field_name="description"),
            ctx.text(complaint.content_url, file=f, record=record, field_name="content_url"),
            ctx.text(complaint.content_text, file=f, record=record, field_name="content_text"),
            ctx.text(complaint.response, file=f, record=record, field_name="response"),
            ctx.text(complaint.resolution, file=f, record=record, field_name="resolution"),
            ctx.when(complaint.closed_at),
        ])
    return table


REGISTER_FILE = "register_history.csv"


def register(ctx: Context) -> Table:
    table = Table(REGISTER_FILE, ("event_id", "at", "channel", "action", "by", "details"))
    start, end = ctx.scope.bounds(ctx.zone)
    statement = (select(AuditEvent).where(AuditEvent.subject.startswith("channel:"),
                                          AuditEvent.at >= start, AuditEvent.at < end)
                 .order_by(AuditEvent.id))
    channels = {c.id: c for c in ctx.session.scalars(select(Channel))}
    for event in ctx.session.scalars(statement):
        channel_id = int(event.subject.split(":", 1)[1])
        if not ctx.scope.includes_channel(channel_id):
            continue
        record, f = str(event.id), table.file
        details = json.dumps(event.details, ensure_ascii=False, sort_keys=True)
        table.rows.append([
            record, ctx.when(event.at), _channel_label(channels.get(channel_id)), event.action,
            ctx.person(event.actor, file=f, record=record, field_name="by"),
            ctx.text(details, file=f, record=record, field_name="details"),
        ])
    return table


POSTS_FILE = "posts_and_checks.csv"


def _findings(findings: list[dict] | None) -> str:
    return "; ".join(f"{f.get('severity', '')} {f.get('category', '')} ({f.get('rule', '')})"
                     for f in findings or [])


def posts(ctx: Context) -> Table:
    table = Table(POSTS_FILE, ("draft_id", "version", "channel", "kind", "state", "written_at",
                               "written_by", "text", "action", "target_handle", "target_text",
                               "business_purpose", "decision", "findings", "pack",
                               "published_at", "published_url"))
    start, end = ctx.scope.bounds(ctx.zone)
    statement = (select(DraftVersion, Draft).join(Draft, Draft.id == DraftVersion.draft_id)
                 .where(DraftVersion.created_at >= start, DraftVersion.created_at < end)
                 .order_by(DraftVersion.created_at, DraftVersion.id))
    for version, draft in ctx.session.execute(statement):
        if not ctx.scope.includes_channel(draft.channel_id):
            continue
        record, f = f"{draft.id}.{version.number}", table.file
        table.rows.append([
            str(draft.id), str(version.number), _channel_label(draft.channel), draft.kind,
            draft.state, ctx.when(version.created_at),
            ctx.person(version.created_by.email, file=f, record=record, field_name="written_by"),
            ctx.text(version.text, file=f, record=record, field_name="text"),
            version.action or "",
            ctx.text(version.target_handle, file=f, record=record, field_name="target_handle"),
            ctx.text(version.target_text, file=f, record=record, field_name="target_text"),
            ctx.text(version.business_purpose, file=f, record=record, field_name="business_purpose"),
            version.decision or "", _findings(version.findings), version.pack_id or "",
            ctx.when(draft.published_at),
            ctx.text(draft.published_url, file=f, record=record, field_name="published_url"),
        ])
    return table


COLLECTORS: dict[str, Callable[[Context], Table]] = {
    "moderation": moderation, "complaints": complaints, "register": register, "posts": posts,
}

__all__ = ["COLLECTORS", "Context", "Table"]
