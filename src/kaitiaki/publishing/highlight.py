"""Findings shown beside the text: the text cut at the evidence offsets so that each flagged span
can be wrapped in <mark> by the template (which escapes every segment)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Segment:
    text: str
    findings: tuple[int, ...] = ()  # 1-based numbers of the findings that flag this span

    @property
    def marked(self) -> bool:
        return bool(self.findings)


def _evidence(finding: Mapping[str, Any] | Any) -> Iterable[Mapping[str, Any]]:
    raw = finding.get("evidence", []) if isinstance(finding, Mapping) else finding.evidence
    for item in raw:
        yield item if isinstance(item, Mapping) else item.model_dump()


def segments(text: str, findings: Sequence[Mapping[str, Any] | Any], field: str = "text") -> list[Segment]:
    """`text` in pieces: unflagged runs and flagged spans, each span naming its findings."""
    marks: list[set[int]] = [set() for _ in text]
    for number, finding in enumerate(findings, start=1):
        for evidence in _evidence(finding):
            if evidence.get("field") != field:
                continue
            start = max(0, int(evidence.get("start", 0)))
            end = min(len(text), int(evidence.get("end", 0)))
            for position in range(start, end):
                marks[position].add(number)
    pieces: list[Segment] = []
    start = 0
    for position in range(1, len(text) + 1):
        if position == len(text) or marks[position] != marks[start]:
            pieces.append(Segment(text[start:position], tuple(sorted(marks[start]))))
            start = position
    return pieces


__all__ = ["Segment", "segments"]
