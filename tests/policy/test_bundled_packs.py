"""Every bundled pack lints, passes its own rule examples, and decides the labelled cases in
tests/cases/*.jsonl well: accuracy >= 0.95 and no false blocks."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaitiaki.checker import load_pack
from kaitiaki.check_service.evaluate import evaluate, read_cases
from kaitiaki.check_service.packtest import run_examples
from kaitiaki.check_service.routing import PackSet
from kaitiaki.policy import bundled_pack_names

CASES_DIR = Path(__file__).resolve().parents[1] / "cases"
MIN_ACCURACY = 0.95


def test_the_project_bundles_the_dpmc_and_personal_use_packs() -> None:
    assert {"dpmc", "psc-personal"} <= set(bundled_pack_names())


@pytest.mark.parametrize("name", bundled_pack_names())
def test_every_rule_example_of_a_bundled_pack_passes(name: str) -> None:
    failures = [f"{o.rule} {o.expect}: {o.example} -> {o.detail}" for o in run_examples(load_pack(name)) if not o.passed]
    assert not failures, "\n".join(failures)


# meaning_eval.jsonl is the meaning model's held-out set: reported (docs/models.md), never a floor
@pytest.mark.parametrize("cases_file", sorted(p for p in CASES_DIR.glob("*.jsonl") if p.name != "meaning_eval.jsonl"),
                         ids=lambda path: path.name)
def test_labelled_cases_are_decided_well(cases_file: Path) -> None:
    report = evaluate(read_cases(cases_file), PackSet.open("dpmc"))
    mistakes = "\n".join(
        f"line {m.line} {m.id}: expected {m.expected} {m.expected_categories}, got {m.got} {m.got_categories} ({m.note})"
        for m in report.mistakes
    )
    assert not report.errors, report.errors
    assert report.false_blocks == 0, mistakes
    assert report.accuracy >= MIN_ACCURACY, f"accuracy {report.accuracy:.3f}\n{mistakes}"
