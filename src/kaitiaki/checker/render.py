"""Results as text for people, JSON / JSON Lines for programs, SARIF 2.1.0 for code-review tools,
and `mask_for_storage` for keeping a result without the personal information it points at."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from kaitiaki import __version__
from kaitiaki.checker.engine import CompiledPack
from kaitiaki.checker.items import Evidence, Finding, Result

PERSONAL_MASK = "[personal information]"
FORMATS = ("text", "json", "jsonl", "sarif")
_SARIF_LEVEL = {"block": "error", "warn": "warning", "advise": "note"}
_COLOURS = {"block": "\x1b[1;31m", "warn": "\x1b[1;33m", "advise": "\x1b[36m", "pass": "\x1b[1;32m",
            "dim": "\x1b[2m", "error": "\x1b[1;35m"}
_RESET = "\x1b[0m"


@dataclass(frozen=True)
class ItemError:
    """An input that could not be checked, in place of its result."""

    error: str
    id: str | None = None
    line: int | None = None
    index: int | None = None

    def as_dict(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"id": self.id}
        if self.line is not None:
            entry["line"] = self.line
        if self.index is not None:
            entry["index"] = self.index
        entry["error"] = self.error
        return entry


Outcome = Result | ItemError


def as_dict(outcome: Outcome) -> dict[str, Any]:
    return outcome.as_dict() if isinstance(outcome, ItemError) else outcome.model_dump(mode="json")


def render_json(outcomes: Outcome | Sequence[Outcome]) -> str:
    if isinstance(outcomes, (Result, ItemError)):
        return json.dumps(as_dict(outcomes), ensure_ascii=False, indent=2)
    return json.dumps([as_dict(outcome) for outcome in outcomes], ensure_ascii=False, indent=2)


def render_jsonl_line(outcome: Outcome) -> str:
    return json.dumps(as_dict(outcome), ensure_ascii=False, separators=(",", ":"))


def render_jsonl(outcomes: Iterable[Outcome]) -> str:
    return "".join(render_jsonl_line(outcome) + "\n" for outcome in outcomes)


# -- text -----------------------------------------------------------------------------------


def render_text(outcome: Outcome, *, color: bool = False, label: str | None = None) -> str:
    """A result as a person reads it: the decision, then each finding with its evidence, the
    policy sentence it rests on, and what to do instead."""

    def paint(style: str, text: str) -> str:
        return f"{_COLOURS[style]}{text}{_RESET}" if color else text

    if isinstance(outcome, ItemError):  # the error names its line or index itself
        named = f" item {outcome.id}" if outcome.id else ""
        return f"{paint('error', 'ERROR')}{named}: {outcome.error}\n"
    name = label or (f"item {outcome.id}" if outcome.id else "item")
    lines = [f"{paint(outcome.decision, outcome.decision.upper())} {name} {paint('dim', f'({outcome.pack})')}"]
    if not outcome.findings:
        lines.append("  No findings.")
    for finding in outcome.findings:
        lines.append(
            f"  {paint(finding.severity, finding.severity)} {finding.category}: {finding.message}"
            f" {paint('dim', f'[{finding.rule}, confidence {finding.confidence:.2f}, {finding.detector}]')}"
        )
        for evidence in finding.evidence:
            lines.append(f"    found: {_quote(evidence.text)} in {evidence.field} {evidence.start}-{evidence.end}")
        lines.append(f"    policy: {_quote(finding.quote)} ({finding.clause})")
        lines.append(f"    instead: {finding.suggestion}")
    return "\n".join(lines) + "\n"


def _quote(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    return "\u201c" + (flat if len(flat) <= limit else flat[: limit - 1] + "\u2026") + "\u201d"


# -- SARIF ----------------------------------------------------------------------------------


def render_sarif(outcomes: Sequence[Outcome], packs: Sequence[CompiledPack], *, source: str = "items") -> str:
    """One SARIF 2.1.0 run: the packs' rules (the clause quote as help) and one result per finding,
    located in an artifact per item (`<source>#<id or line>`) with a character region."""
    rules: list[dict[str, Any]] = []
    rule_index: dict[str, int] = {}
    for pack in packs:
        for compiled in pack.rules:
            rule = compiled.rule
            if rule.id in rule_index:
                continue
            rule_index[rule.id] = len(rules)
            rules.append({
                "id": rule.id,
                "shortDescription": {"text": rule.message},
                "fullDescription": {"text": compiled.quote},
                "help": {"text": f"{compiled.quote} ({rule.clause})\n{rule.suggestion}",
                         "markdown": f"> {compiled.quote}\n\n{rule.clause}\n\n{rule.suggestion}"},
                "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
                "properties": {"category": rule.category, "clause": rule.clause, "pack": pack.id,
                               "check": rule.check},
            })
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for position, outcome in enumerate(outcomes, start=1):
        if isinstance(outcome, ItemError):
            notifications.append({"level": "error", "message": {"text": outcome.error},
                                  "locations": [{"physicalLocation": {"artifactLocation": {
                                      "uri": _artifact(source, outcome.id, outcome.line or position)}}}]})
            continue
        for finding in outcome.findings:
            results.append(_sarif_result(finding, rule_index, _artifact(source, outcome.id, position)))
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "kaitiaki", "version": __version__,
                            "informationUri": "https://github.com/kaitiaki/kaitiaki", "rules": rules}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if notifications:
        run["invocations"] = [{"executionSuccessful": True, "toolExecutionNotifications": notifications}]
    document = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [run]}
    return json.dumps(document, ensure_ascii=False, indent=2)


def _artifact(source: str, item_id: str | None, position: int) -> str:
    return f"{source}#{item_id}" if item_id else f"{source}#line={position}"


def _sarif_result(finding: Finding, rule_index: dict[str, int], uri: str) -> dict[str, Any]:
    locations = []
    for evidence in finding.evidence or [Evidence(field="text", start=0, end=0, text="")]:
        locations.append({
            "physicalLocation": {
                "artifactLocation": {"uri": uri},
                "region": {"charOffset": evidence.start, "charLength": evidence.end - evidence.start,
                           "snippet": {"text": evidence.text}},
            },
            "logicalLocations": [{"name": evidence.field, "kind": "member"}],
        })
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": _SARIF_LEVEL[finding.severity],
        "message": {"text": f"{finding.message} {finding.suggestion}"},
        "locations": locations,
        "properties": {"category": finding.category, "clause": finding.clause,
                       "confidence": finding.confidence, "detector": finding.detector},
    }
    if finding.rule in rule_index:
        result["ruleIndex"] = rule_index[finding.rule]
    return result


# -- storage --------------------------------------------------------------------------------


def _is_personal(finding: Finding) -> bool:
    return finding.category == "personal_information" or any(
        part.startswith(("pattern:", "personal:")) for part in finding.detector.split("+")
    )


def mask_for_storage(result: Result) -> Result:
    """A copy of `result` whose personal-information evidence (and identifiers such as IRD or NHI
    numbers) reads "[personal information]"; offsets are kept so a reviewer knows where it was.
    The person checking their own text sees the unmasked result."""
    findings = []
    for finding in result.findings:
        if _is_personal(finding):
            evidence = [e.model_copy(update={"text": PERSONAL_MASK}) for e in finding.evidence]
            finding = finding.model_copy(update={"evidence": evidence})
        findings.append(finding)
    return result.model_copy(update={"findings": findings})
