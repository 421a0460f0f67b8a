"""How the meaning model's verdicts and the rules' findings combine (docs/checker.md)."""

from __future__ import annotations

from kaitiaki.checker.checks.meaning import combine
from kaitiaki.checker.items import Finding, decide


def finding(rule: str, category: str, severity: str) -> Finding:
    return Finding(rule=rule, category=category, severity=severity, clause="c", quote="q", message="m",
                   suggestion="s", detector=rule)


HARD = finding("hard.identifier", "personal_information", "block")
SOFT = finding("soft.lexicon", "political_neutrality", "block")
MODEL_WARN = finding("meaning.political", "political_neutrality", "warn")
MODEL_BLOCK = finding("meaning.political-block", "political_neutrality", "block")
EVIDENCE = {"soft.lexicon"}


def test_a_hard_rule_decides_alone_whatever_the_model_says() -> None:
    out = combine([HARD], [], judged={"personal_information"}, evidence_rules=EVIDENCE)
    assert out == [HARD] and decide(out) == "block"


def test_an_evidence_rule_stands_when_the_model_agrees() -> None:
    out = combine([SOFT], [MODEL_WARN], judged={"political_neutrality"}, evidence_rules=EVIDENCE)
    assert decide(out) == "block"
    assert {f.rule for f in out} == {"soft.lexicon", "meaning.political"}


def test_an_evidence_rule_becomes_advice_when_the_model_disagrees() -> None:
    out = combine([SOFT], [], judged={"political_neutrality"}, evidence_rules=EVIDENCE)
    assert [f.severity for f in out] == ["advise"]
    assert "model:meaning disagrees" in out[0].detector
    assert decide(out) == "pass"


def test_an_evidence_rule_stands_where_no_meaning_rule_judges_its_category() -> None:
    out = combine([SOFT], [], judged=set(), evidence_rules=EVIDENCE)
    assert out == [SOFT]


def test_the_model_alone_raises_a_finding() -> None:
    out = combine([], [MODEL_WARN], judged={"political_neutrality"}, evidence_rules=EVIDENCE)
    assert decide(out) == "warn"


def test_of_the_models_flag_and_block_findings_the_more_severe_is_kept() -> None:
    out = combine([], [MODEL_WARN, MODEL_BLOCK], judged={"political_neutrality"}, evidence_rules=EVIDENCE)
    assert [f.rule for f in out] == ["meaning.political-block"]


def test_the_model_can_raise_a_warning_rule_to_a_block() -> None:
    warn_rule = finding("hard.mention", "political_neutrality", "warn")
    out = combine([warn_rule], [MODEL_BLOCK], judged={"political_neutrality"}, evidence_rules=EVIDENCE)
    assert decide(out) == "block"


def test_a_blocking_evidence_rule_warns_when_the_models_block_head_does_not_block() -> None:
    model_flag = finding("meaning.political", "political_neutrality", "warn")
    out = combine([SOFT], [model_flag], judged={"political_neutrality"}, evidence_rules=EVIDENCE,
                  judged_block={"political_neutrality"})
    assert decide(out) == "warn"
    assert "warns, not blocks" in [f for f in out if f.rule == "soft.lexicon"][0].detector


def test_a_blocking_evidence_rule_blocks_when_the_models_block_head_agrees() -> None:
    out = combine([SOFT], [MODEL_BLOCK], judged={"political_neutrality"}, evidence_rules=EVIDENCE,
                  judged_block={"political_neutrality"})
    assert decide(out) == "block"


def test_a_blocking_evidence_rule_warns_when_the_model_flags_it_only_on_a_second_look() -> None:
    threat_words = finding("soft.threat-words", "threat", "block")
    second_look = finding("meaning.threat", "threat", "warn").model_copy(
        update={"detector": "model:meaning/threat=0.52 (words: tuesday, carpark) second look"})
    out = combine([threat_words], [second_look], judged={"threat"}, evidence_rules={"soft.threat-words"})
    assert decide(out) == "warn"
    assert [f.severity for f in out] == ["warn", "warn"]


WORTH_A_LOOK = finding("meaning.threat-worth-a-look", "threat", "advise")


def test_the_models_advice_backs_no_evidence_rule() -> None:
    threat_words = finding("soft.threat-words", "threat", "block")
    out = combine([threat_words], [WORTH_A_LOOK], judged={"threat"}, evidence_rules={"soft.threat-words"})
    assert decide(out) == "pass"
    assert [(f.rule, f.severity) for f in out] == [("soft.threat-words", "advise"), ("meaning.threat-worth-a-look", "advise")]


def test_the_models_advice_is_shown_alone_and_left_out_beside_a_rules_flag() -> None:
    alone = combine([], [WORTH_A_LOOK], judged={"threat"}, evidence_rules=set())
    assert decide(alone) == "pass" and [f.rule for f in alone] == ["meaning.threat-worth-a-look"]
    blunt = finding("hard.explicit-threat", "threat", "block")
    beside = combine([blunt], [WORTH_A_LOOK], judged={"threat"}, evidence_rules=set())
    assert [f.rule for f in beside] == ["hard.explicit-threat"]
