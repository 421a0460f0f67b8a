"""Dated periods: the same words pass before a period and block inside it, and the finding names
the period; a warning in a tightened category blocks inside it; a pack that names an unknown
period or clause does not lint."""

from __future__ import annotations

import shutil

import pytest

from kaitiaki.checker import check, load_pack
from kaitiaki.check_service.packtest import run_examples
from kaitiaki.policy.loader import BUNDLED_PACKS, PackLintError, read_pack

GOVERNMENT_RECORD = "Thanks to the Government's record investment, 40 new Civil Defence centres are now open."
PARTY_NAMED = "The Green Party of Aotearoa New Zealand has released its response."
BEFORE = "2023-05-02T10:00:00+12:00"
INSIDE = "2023-09-12T10:00:00+12:00"
LAST_DAY = "2023-10-14T23:30:00+13:00"
DAY_AFTER = "2023-10-15T00:30:00+13:00"


@pytest.fixture(scope="module")
def pack():
    return load_pack("dpmc")


def _post(text: str, at: str) -> dict:
    return {"kind": "post", "text": text, "platform": "facebook", "published_at": at}


def test_crediting_the_government_passes_before_the_period_and_blocks_inside_it(pack):
    before = check(_post(GOVERNMENT_RECORD, BEFORE), pack)
    assert "dpmc.election.government-record" not in {f.rule for f in before.findings}
    inside = check(_post(GOVERNMENT_RECORD, INSIDE), pack)
    assert inside.decision == "block"
    finding = next(f for f in inside.findings if f.rule == "dpmc.election.government-record")
    assert "pre-election period for the 2023 general election, 14 July 2023 to 14 October 2023" in finding.message


@pytest.mark.parametrize("at, in_force", [(LAST_DAY, True), (DAY_AFTER, False)])
def test_the_period_covers_its_last_new_zealand_day(pack, at, in_force):
    rules = {f.rule for f in check(_post(GOVERNMENT_RECORD, at), pack).findings}
    assert ("dpmc.election.government-record" in rules) is in_force


def test_a_political_warning_blocks_inside_the_period(pack):
    before = check(_post(PARTY_NAMED, BEFORE), pack)
    assert before.decision == "warn"
    inside = check(_post(PARTY_NAMED, INSIDE), pack)
    assert inside.decision == "block"
    tightened = [f for f in inside.findings if f.category == "political_neutrality" and f.severity == "block"]
    assert tightened and "During the pre-election period for the 2023 general election" in tightened[0].message


def test_the_period_rules_examples_pass_in_pack_test(pack):
    outcomes = [o for o in run_examples(pack) if o.rule.startswith("dpmc.election.")]
    assert len(outcomes) >= 7 and all(o.passed for o in outcomes)


def _pack_with(folder, period_clause: str, rule_period: str):
    shutil.copytree(BUNDLED_PACKS / "dpmc", folder)
    meta = folder / "pack.yaml"
    meta.write_text(meta.read_text().replace("clause: dpmc-1.2/guidelines/political-neutrality\n    tighten",
                                             f"clause: {period_clause}\n    tighten"))
    rules = folder / "rules" / "election.yaml"
    rules.write_text(rules.read_text().replace("during: general-election-2023", f"during: {rule_period}", 1))
    return folder


def test_unknown_period_or_clause_does_not_lint(tmp_path):
    unknown_period = _pack_with(tmp_path / "a", "dpmc-1.2/guidelines/political-neutrality", "election-2099")
    with pytest.raises(PackLintError, match="applies during period 'election-2099', which pack.yaml does not declare"):
        read_pack(unknown_period)
    unknown_clause = _pack_with(tmp_path / "b", "dpmc-1.2/nowhere", "general-election-2023")
    with pytest.raises(PackLintError, match="period general-election-2023 cites clause dpmc-1.2/nowhere"):
        read_pack(unknown_clause)
