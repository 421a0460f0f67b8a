"""`kaitiaki pack eval`: how well the packs decide labelled cases.

A case file has one JSON object per line:
`{"item": {...}, "expect": {"decision": "pass|warn|block", "categories": [...]}, "note": "..."}`.
Reported: decision accuracy, precision and recall per category (a finding counts towards its
category when it warns or blocks), the false-block rate on cases expected to pass, and per kind how
many problem cases were flagged (warned or blocked: what the staff self-check shows) and how many
cases expected to pass were flagged or blocked. Several files are scored as one report, with a
line for each file.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kaitiaki.checker.items import Result
from kaitiaki.check_service.routing import PackSet
from kaitiaki.errors import BadInput

DECISIONS = ("pass", "warn", "block")


@dataclass(frozen=True)
class Case:
    line: int
    item: dict[str, Any]
    decision: str
    categories: frozenset[str]
    note: str = ""
    file: str = ""


def read_cases(path: Path) -> list[Case]:
    """Cases from a JSON Lines file; a malformed line is an error naming the file and line."""
    cases: list[Case] = []
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            where = f"{path}:{number}"
            try:
                data = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise BadInput(f"{where}: not a JSON line ({exc})") from None
            expect = data.get("expect") if isinstance(data, dict) else None
            if not isinstance(expect, dict) or expect.get("decision") not in DECISIONS \
                    or not isinstance(data.get("item"), dict):
                raise BadInput(f'{where}: a case is {{"item": {{...}}, "expect": {{"decision": '
                               f'"pass|warn|block", "categories": [...]}}, "note": "..."}}')
            cases.append(Case(number, data["item"], expect["decision"],
                              frozenset(expect.get("categories") or ()), str(data.get("note", "")), str(path)))
    return cases


@dataclass
class CategoryScore:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float | None:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else None

    @property
    def recall(self) -> float | None:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else None


@dataclass
class GroupScore:
    """One group's cases (a kind, a file): decisions right, and flags (a warning or a block) on
    problem cases and on cases expected to pass."""

    cases: int = 0
    correct: int = 0
    problems: int = 0
    problems_flagged: int = 0
    passes: int = 0
    passes_flagged: int = 0
    passes_blocked: int = 0

    def count(self, expected: str, got: str) -> None:
        self.cases += 1
        self.correct += got == expected
        if expected == "pass":
            self.passes += 1
            self.passes_flagged += got != "pass"
            self.passes_blocked += got == "block"
        else:
            self.problems += 1
            self.problems_flagged += got != "pass"


@dataclass
class Mistake:
    file: str
    line: int
    id: str | None
    expected: str
    got: str
    expected_categories: list[str]
    got_categories: list[str]
    note: str


@dataclass
class EvalReport:
    total: int = 0
    correct: int = 0
    expected_pass: int = 0
    false_blocks: int = 0
    expected_block: int = 0
    blocks_found: int = 0
    kinds: dict[str, GroupScore] = field(default_factory=lambda: defaultdict(GroupScore))
    files: dict[str, GroupScore] = field(default_factory=lambda: defaultdict(GroupScore))
    categories: dict[str, CategoryScore] = field(default_factory=lambda: defaultdict(CategoryScore))
    mistakes: list[Mistake] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def false_block_rate(self) -> float:
        return self.false_blocks / self.expected_pass if self.expected_pass else 0.0

    @property
    def block_recall(self) -> float | None:
        """Of the cases that should be blocked, the share that were."""
        return self.blocks_found / self.expected_block if self.expected_block else None

    @property
    def category_recall(self) -> float | None:
        """Of every expected category of every case, the share that was flagged (micro average)."""
        found = sum(score.true_positives for score in self.categories.values())
        expected = found + sum(score.false_negatives for score in self.categories.values())
        return found / expected if expected else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "correct": self.correct,
            "accuracy": round(self.accuracy, 4),
            "expected_pass": self.expected_pass,
            "false_blocks": self.false_blocks,
            "false_block_rate": round(self.false_block_rate, 4),
            "block_recall": _round(self.block_recall),
            "category_recall": _round(self.category_recall),
            "kinds": {kind: {"accuracy": round(score.correct / score.cases, 4), **asdict(score)}
                      for kind, score in sorted(self.kinds.items())},
            "files": {name: {"cases": score.cases, "correct": score.correct, "expected_pass": score.passes,
                             "false_blocks": score.passes_blocked} for name, score in self.files.items()},
            "categories": {
                name: {"precision": _round(score.precision), "recall": _round(score.recall), **asdict(score)}
                for name, score in sorted(self.categories.items())
            },
            "mistakes": [asdict(mistake) for mistake in self.mistakes],
            "errors": self.errors,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def flagged_categories(result: Result) -> set[str]:
    return {finding.category for finding in result.findings if finding.severity != "advise"}


def evaluate(cases: list[Case], packs: PackSet) -> EvalReport:
    report = EvalReport()
    for case in cases:
        report.total += 1
        if case.decision == "pass":
            report.expected_pass += 1
        try:
            result = packs.check(case.item)
        except BadInput as exc:
            report.errors.append(f"{case.file}:{case.line}: {exc.detail}")
            continue
        got = flagged_categories(result)
        report.kinds[str(case.item.get("kind"))].count(case.decision, result.decision)
        report.files[case.file].count(case.decision, result.decision)
        if case.decision == "block":
            report.expected_block += 1
            report.blocks_found += result.decision == "block"
        if result.decision == case.decision:
            report.correct += 1
        else:
            report.mistakes.append(Mistake(case.file, case.line, result.id, case.decision, result.decision,
                                           sorted(case.categories), sorted(got), case.note))
        if case.decision == "pass" and result.decision == "block":
            report.false_blocks += 1
        for category in got | case.categories:
            score = report.categories[category]
            if category in got and category in case.categories:
                score.true_positives += 1
            elif category in got:
                score.false_positives += 1
            else:
                score.false_negatives += 1
    return report
