"""Rendering results: text for people, JSON/JSONL, SARIF 2.1.0, and masking for storage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kaitiaki.checker import check, load_pack
from kaitiaki.checker.engine import CompiledPack
from kaitiaki.checker.items import Result
from kaitiaki.checker.render import (
    PERSONAL_MASK,
    ItemError,
    mask_for_storage,
    render_json,
    render_jsonl,
    render_sarif,
    render_text,
)

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "packs" / "mini"


@pytest.fixture(scope="module")
def pack() -> CompiledPack:
    return load_pack(MINI)


@pytest.fixture(scope="module")
def blocked(pack: CompiledPack) -> Result:
    return check({"id": "a1", "kind": "post", "text": "Vote Green Party! Email jane@example.com"}, pack)


def test_text_names_decision_rule_evidence_clause_and_suggestion(blocked: Result) -> None:
    text = render_text(blocked)
    assert text.startswith("BLOCK item a1 (mini@1.0+")
    assert "mini.political.vote-party" in text
    assert "found: \u201cGreen Party\u201d in text 5-16" in text
    assert "policy: \u201cStaff must remain politically neutral.\u201d (exa-1.0/guidelines/political-neutrality)" in text
    assert "instead: State the facts neutrally." in text
    assert "\x1b[" not in text


def test_text_is_coloured_only_when_asked(blocked: Result) -> None:
    assert "\x1b[1;31mBLOCK\x1b[0m" in render_text(blocked, color=True)


def test_text_of_a_pass_and_of_an_error(pack: CompiledPack) -> None:
    assert "PASS" in render_text(check({"kind": "post", "text": "Hello"}, pack))
    assert "No findings." in render_text(check({"kind": "post", "text": "Hello"}, pack))
    assert render_text(ItemError("line 3 is not JSON", line=3)) == "ERROR: line 3 is not JSON\n"
    assert render_text(ItemError("line 4: nothing to check", id="x", line=4)) == "ERROR item x: line 4: nothing to check\n"


def test_json_round_trips_to_the_contract(blocked: Result) -> None:
    data = json.loads(render_json(blocked))
    assert Result.model_validate(data) == Result.model_validate(blocked.model_dump())
    assert set(data) == {"id", "decision", "pack", "findings"}
    assert set(data["findings"][0]) == {"rule", "category", "severity", "clause", "quote", "message",
                                        "suggestion", "evidence", "confidence", "detector"}


def test_jsonl_has_one_line_per_outcome_in_order(blocked: Result) -> None:
    lines = render_jsonl([blocked, ItemError("bad", line=2)]).splitlines()
    assert len(lines) == 2
    assert json.loads(lines[0])["id"] == "a1"
    assert json.loads(lines[1]) == {"id": None, "line": 2, "error": "bad"}


def test_sarif_lists_rules_with_clause_quotes_and_results_with_regions(pack: CompiledPack, blocked: Result) -> None:
    document = json.loads(render_sarif([blocked, ItemError("not JSON", line=2)], [pack], source="in.jsonl"))
    assert document["version"] == "2.1.0"
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [c.rule.id for c in pack.rules]
    vote = next(r for r in rules if r["id"] == "mini.political.vote-party")
    assert "Staff must remain politically neutral." in vote["help"]["text"]
    assert vote["defaultConfiguration"]["level"] == "error"
    result = next(r for r in run["results"] if r["ruleId"] == "mini.political.vote-party")
    assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "in.jsonl#a1"
    assert location["region"] == {"charOffset": 0, "charLength": 4, "snippet": {"text": "Vote"}}
    notification = run["invocations"][0]["toolExecutionNotifications"][0]
    assert notification["message"]["text"] == "not JSON"


def test_mask_for_storage_hides_personal_information_only(blocked: Result) -> None:
    masked = mask_for_storage(blocked)
    by_rule = {f.rule: f for f in masked.findings}
    assert [e.text for e in by_rule["mini.privacy.identifiers"].evidence] == [PERSONAL_MASK]
    assert by_rule["mini.privacy.identifiers"].evidence[0].start == 24
    assert [e.text for e in by_rule["mini.political.vote-party"].evidence] == ["Vote", "Green Party"]
    # the original result, shown to the person checking their own text, is untouched
    original = {f.rule: f for f in blocked.findings}
    assert original["mini.privacy.identifiers"].evidence[0].text == "jane@example.com"
