"""The transparency statement as one data structure, built from the policy pack and the live
register, moderation and complaint records. The public page, /transparency.json and
`kaitiaki transparency render` all render this one structure, so what is published and what is
enforced cannot drift apart.

The policy: "DPMC will publish a transparency statement on its website that outlines how we use
social media and for what purpose, how we will moderate comments and considerations for deletion
of comments, how we will manage and respond to concerns or complaints and how those can be
raised." Headings are in te reo Māori and English, as the Public Service Commission's guidance
writes its own.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlalchemy.orm import Session

from kaitiaki.checker import CompiledPack
from kaitiaki.complaints.queries import complaint_figures
from kaitiaki.moderation.queries import moderation_figures
from kaitiaki.register import queries as register_queries
from kaitiaki.register.queries import RegisterFilter
from kaitiaki.timeutil import to_local, utcnow

# (te reo Māori, English), in the order the statement shows them.
HEADINGS: dict[str, tuple[str, str]] = {
    "title": ("Tauākī pūataata pāpāho pāpori", "Social media transparency statement"),
    "introduction": ("Kupu whakataki", "Introduction"),
    "use": ("Tā mātou whakamahi i ngā pāpāho pāpori", "How we use social media"),
    "channels": ("Ā mātou hongere", "Our channels"),
    "monitoring": ("Ngā hāora aroturuki", "When we monitor our channels"),
    "moderation": ("Te whakahaere i ngā kōrero", "How we moderate comments"),
    "endorsement": ("Te whai me te tautoko", "Following and endorsement"),
    "records": ("Ngā mauhanga", "Records we keep"),
    "concerns": ("Ngā amuamu", "Concerns and complaints"),
    "periods": ("Ngā wā motuhake", "Periods with stricter rules"),
    "figures": ("Ngā tatauranga", "Figures for the last twelve months"),
    "about": ("Mō tēnei tauākī", "About this statement"),
}
REMOVING_ACTIONS = ("hide", "delete")
ENDORSEMENT = ("Following, liking or sharing another account's content, or linking to it, is not "
               "an endorsement of that account, its views, or any business or brand. We do it only "
               "where there is a clear business purpose linked to our roles and functions. We do "
               "not like, share or follow party-political accounts.")


class Heading(BaseModel):
    mi: str
    en: str


class ChannelEntry(BaseModel):
    platform: str
    handle: str
    url: str
    name: str
    unit: str
    purposes: str
    monitoring_hours: str


class UnitUse(BaseModel):
    unit: str
    purposes: list[str]


class Reason(BaseModel):
    code: str
    label: str
    public: str


class ReasonFigure(BaseModel):
    code: str
    label: str
    hidden: int
    deleted: int


class Figures(BaseModel):
    first: date
    last: date
    comments_hidden: int
    comments_deleted: int
    by_reason: list[ReasonFigure]
    complaints_received: int
    complaints_resolved: int


class PeriodEntry(BaseModel):
    name: str
    starts: date
    ends: date
    note: str


class Contact(BaseModel):
    complaint_form: str
    email: str | None


class Statement(BaseModel):
    agency: str
    website: str | None
    headings: dict[str, Heading]
    policy_quote: str
    units: list[UnitUse]
    channels: list[ChannelEntry]
    removed_for: list[Reason]
    left_up: list[Reason]
    endorsement: str
    periods: list[PeriodEntry]
    retention_years: int | None
    contact: Contact
    figures: Figures
    generated_at: datetime
    pack: str
    pack_version: str

    def heading(self, key: str) -> Heading:
        return self.headings[key]


def twelve_months_to(today: date) -> date:
    """The first day of the twelve months ending on `today`."""
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        year_ago = today.replace(year=today.year - 1, day=28)
    return year_ago + timedelta(days=1)


def count_figures(session: Session, pack: CompiledPack, zone: ZoneInfo, now: datetime) -> Figures:
    """Count the last twelve months' figures from the records."""
    last = to_local(now, zone).date()
    first = twelve_months_to(last)
    since = datetime.combine(first, time.min, tzinfo=zone)
    removed: Counter[tuple[str, str]] = Counter()
    for row in moderation_figures(session, since=since, until=now, zone=zone):
        if row.action in REMOVING_ACTIONS:
            removed[(row.reason, row.action)] += row.count
    labels = {reason.code: reason.label for reason in pack.meta.moderation_reasons}
    codes = [code for code in labels if any(removed[(code, a)] for a in REMOVING_ACTIONS)]
    codes += sorted({code for code, _action in removed if code not in labels})
    complaints = complaint_figures(session, since, now, zone)
    return Figures(
        first=first, last=last,
        comments_hidden=sum(n for (_code, action), n in removed.items() if action == "hide"),
        comments_deleted=sum(n for (_code, action), n in removed.items() if action == "delete"),
        by_reason=[ReasonFigure(code=code, label=labels.get(code, code),
                                hidden=removed[(code, "hide")], deleted=removed[(code, "delete")])
                   for code in codes],
        complaints_received=complaints["received"], complaints_resolved=complaints["resolved"],
    )


def _periods(pack: CompiledPack, *, first_day: date) -> list[PeriodEntry]:
    """The pack's dated periods in the statement's twelve months or still to come."""
    return [PeriodEntry(name=p.name, starts=p.starts, ends=p.ends, note=p.note)
            for p in pack.meta.periods if p.ends >= first_day]


def _policy_quote(pack: CompiledPack) -> str:
    for clause in pack.pack.clauses:
        if clause.id.endswith("/transparency/statement"):
            return clause.quote
    return ""


def build_statement(session: Session, *, pack: CompiledPack, base_url: str, zone: ZoneInfo,
                    now: datetime | None = None, figures: Figures | None = None) -> Statement:
    """The statement; `figures` when they were counted already (kaitiaki.transparency.kept)."""
    now = now or utcnow()
    meta = pack.meta
    active = [channel for channel, _flags in
              register_queries.list_channels(session, RegisterFilter(status="active"))]
    by_unit: dict[str, list[str]] = defaultdict(list)
    for channel in active:
        if channel.purposes.strip() and channel.purposes.strip() not in by_unit[channel.unit.name]:
            by_unit[channel.unit.name].append(channel.purposes.strip())
    reasons = meta.moderation_reasons
    return Statement(
        agency=meta.agency.name if meta.agency else meta.title,
        website=meta.agency.website if meta.agency else None,
        headings={key: Heading(mi=mi, en=en) for key, (mi, en) in HEADINGS.items()},
        policy_quote=_policy_quote(pack),
        units=[UnitUse(unit=unit, purposes=purposes) for unit, purposes in sorted(by_unit.items())],
        channels=[ChannelEntry(platform=c.platform, handle=c.handle, url=c.url, name=c.display_name,
                               unit=c.unit.name, purposes=c.purposes,
                               monitoring_hours=c.monitoring_hours or "Not stated")
                  for c in active],
        removed_for=[Reason(code=r.code, label=r.label, public=r.public) for r in reasons
                     if set(r.actions) & set(REMOVING_ACTIONS)],
        left_up=[Reason(code=r.code, label=r.label, public=r.public) for r in reasons
                 if not set(r.actions) & set(REMOVING_ACTIONS)],
        endorsement=ENDORSEMENT,
        periods=_periods(pack, first_day=twelve_months_to(to_local(now, zone).date())),
        retention_years=meta.retention.moderation_records_years if meta.retention else None,
        contact=Contact(complaint_form=base_url.rstrip("/") + "/complaints/new",
                        email=meta.agency.contact_email if meta.agency else None),
        figures=figures or count_figures(session, pack, zone, now),
        generated_at=to_local(now, zone),
        pack=pack.id,
        pack_version=meta.version,
    )


__all__ = ["HEADINGS", "Figures", "Statement", "build_statement", "count_figures", "twelve_months_to"]
