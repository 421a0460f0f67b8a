"""Dated periods (pack.yaml `periods`, e.g. the months before a general election): which are in
force when an item is published, and how they tighten what the rules found.

Inside a period, the rules that name it with `during:` apply, and a finding of one of its
`tighten` categories that would warn blocks instead. Every finding a period adds or changes says
so in its message, so the person posting knows why the same words passed last month.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from kaitiaki.checker.items import Finding
from kaitiaki.policy.schema import PackMeta, Period


def periods_in_force(meta: PackMeta, at: datetime | None) -> tuple[Period, ...]:
    """The periods whose days (in the pack's time zone, both ends included) hold `at`; now when
    the item gives no publication time."""
    if not meta.periods:
        return ()
    moment = at or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    day = moment.astimezone(ZoneInfo(meta.timezone)).date()
    return tuple(period for period in meta.periods if period.starts <= day <= period.ends)


def period_words(period: Period) -> str:
    return f"{period.name}, {period.starts:%-d %B %Y} to {period.ends:%-d %B %Y}"


def tightened(findings: Iterable[Finding], periods: Sequence[Period],
              period_rules: Mapping[str, Period]) -> list[Finding]:
    """Findings of the period's own rules name it; a warning in a tightened category blocks."""
    result: list[Finding] = []
    for finding in findings:
        own = period_rules.get(finding.rule)
        if own is not None:
            finding = finding.model_copy(update={"message": f"{finding.message} ({period_words(own)}.)"})
        else:
            tightening = next((p for p in periods if finding.category in p.tighten), None)
            if tightening is not None and finding.severity == "warn":
                finding = finding.model_copy(update={
                    "severity": "block",
                    "message": f"{finding.message} During the {period_words(tightening)}, this "
                               "blocks rather than warns.",
                })
        result.append(finding)
    return result


__all__ = ["period_words", "periods_in_force", "tightened"]
