"""`kaitiaki pack test`: every rule's own examples, run through the engine like any item."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from kaitiaki.checker.engine import CompiledPack, check_item, example_item
from kaitiaki.errors import BadInput


@dataclass(frozen=True)
class ExampleOutcome:
    rule: str
    expect: str  # "hit" or "miss"
    example: str
    passed: bool
    detail: str


def describe(example: str | dict[str, Any]) -> str:
    return example if isinstance(example, str) else json.dumps(example, ensure_ascii=False)


def run_examples(pack: CompiledPack) -> list[ExampleOutcome]:
    outcomes: list[ExampleOutcome] = []
    for compiled in pack.rules:
        rule = compiled.rule
        for expect in ("hit", "miss"):
            for example in getattr(rule.examples, expect):
                outcomes.append(_run(pack, rule, expect, example))
    return outcomes


def _run(pack: CompiledPack, rule: Any, expect: str, example: str | dict[str, Any]) -> ExampleOutcome:
    try:
        result = check_item(example_item(rule, example), pack)
    except BadInput as exc:
        return ExampleOutcome(rule.id, expect, describe(example), False, f"not checkable: {exc.detail}")
    mine = [finding for finding in result.findings if finding.rule == rule.id]
    if expect == "hit":
        if mine:
            found = ", ".join(repr(e.text) for e in mine[0].evidence) or "no evidence spans"
            return ExampleOutcome(rule.id, expect, describe(example), True, f"found {found}")
        others = ", ".join(sorted({f.rule for f in result.findings})) or "nothing"
        return ExampleOutcome(rule.id, expect, describe(example), False, f"rule did not fire (found: {others})")
    if mine:
        found = ", ".join(repr(e.text) for e in mine[0].evidence)
        return ExampleOutcome(rule.id, expect, describe(example), False, f"rule fired on {found}")
    return ExampleOutcome(rule.id, expect, describe(example), True, "no finding")
