"""The self-check takes a second look: a staff post the meaning model scores below a rule's own
threshold but above the head's own cut for personal posts is flagged, and only warns;
a block still needs the rule's threshold (policy pack psc-personal, `second_look`). A post no
category's head is sure of, but which the any-concern head reads as a problem, is warned under the
category nearest its cut (`concern`)."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError
from sklearn.linear_model import LogisticRegression

from kaitiaki.check_service import meaning_build as mb
from kaitiaki.checker import check
from kaitiaki.checker.engine import coerce_item, compile_pack
from kaitiaki.checker.items import Result
from kaitiaki.checker.meaning.features import dense_names, kind_key
from kaitiaki.checker.meaning.model import CONCERN_HEADS, WEIGHTS_DIR, WEIGHTS_ENV
from kaitiaki.checker.meaning.static import STATIC_FILE
from kaitiaki.policy.loader import read_pack, resolve_pack_path
from kaitiaki.policy.schema import MeaningRule

HEAD = "confidential_information"
HINT = "watch this space, some of us are very happy today"
CONCERN_HEAD = CONCERN_HEADS["personal_post"]


def _model(folder, threshold: float, kind_cut: float | None, *, scores: dict[str, float] | None = None,  # noqa: ANN001
           cuts: dict[str, float] | None = None, concern: bool = True) -> None:
    """Every head of the personal pack silent, but the confidential head scores the hint 0.5 (or
    each head in `scores` scores the hint so)."""
    width = len(dense_names())
    vocabulary = [kind_key("personal_post", "watch")]
    scores = scores if scores is not None else {HEAD: 0.5}
    fitted = {}
    for name, _, _ in mb.heads():
        if name in CONCERN_HEADS.values() and not concern:
            continue
        head = LogisticRegression()
        head.coef_ = np.zeros((1, width + len(vocabulary)))
        head.intercept_ = np.array([-6.0])
        if name in scores:
            head.coef_[0, width] = 6.0 + np.log(scores[name] / (1 - scores[name]))
        fitted[name] = head
    thresholds = {name: 0.5 for name in fitted} | {HEAD: threshold}
    cuts = cuts if cuts is not None else ({HEAD: kind_cut} if kind_cut is not None else {})
    mb.save(folder, fitted, thresholds, {"personal_post": cuts} if cuts else {}, vocabulary, np.zeros(width),
            np.ones(width), width, {"stage": "test"})
    (folder / STATIC_FILE).write_bytes((WEIGHTS_DIR / STATIC_FILE).read_bytes())


def self_check(folder, monkeypatch, text: str) -> Result:  # noqa: ANN001
    monkeypatch.setenv(WEIGHTS_ENV, str(folder))
    pack = compile_pack(read_pack(resolve_pack_path("psc-personal")))
    return check(coerce_item({"kind": "personal_post", "text": text, "author": {"employer_listed": True}}), pack)


def confidential(result: Result) -> list[tuple[str, str]]:
    return [(f.severity, f.detector) for f in result.findings if f.category == HEAD]


def test_a_score_between_the_cut_and_the_threshold_warns_as_a_second_look(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    _model(tmp_path, threshold=0.8, kind_cut=0.3)
    result = self_check(tmp_path, monkeypatch, HINT)
    assert result.decision == "warn"
    [(severity, detector)] = confidential(result)
    assert severity == "warn" and detector.endswith("second look") and "watch" in detector


def test_the_rules_own_threshold_still_blocks(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    _model(tmp_path, threshold=0.45, kind_cut=0.3)
    result = self_check(tmp_path, monkeypatch, HINT)
    assert result.decision == "block"
    assert [severity for severity, _ in confidential(result)] == ["block"]


@pytest.mark.parametrize("cut", [0.6, None], ids=["cut-above-the-score", "model-without-cuts"])
def test_below_the_cut_nothing_is_flagged(tmp_path, monkeypatch, cut) -> None:  # noqa: ANN001
    _model(tmp_path, threshold=0.8, kind_cut=cut)
    assert self_check(tmp_path, monkeypatch, HINT).decision == "pass"
    assert self_check(tmp_path, monkeypatch, "lovely walk on the beach today").decision == "pass"


def findings(result: Result) -> list[tuple[str, str, str]]:
    return [(f.category, f.severity, f.detector) for f in result.findings]


def test_a_post_the_concern_head_flags_warns_under_the_category_nearest_its_cut(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    # confidential scores higher (0.5 of a 0.9 cut), but the grievance head is nearer its cut (0.3 of 0.35)
    _model(tmp_path, threshold=0.95, kind_cut=None, scores={HEAD: 0.5, "workplace_grievance": 0.3, CONCERN_HEAD: 0.9},
           cuts={HEAD: 0.9, "workplace_grievance": 0.35})
    result = self_check(tmp_path, monkeypatch, HINT)
    assert result.decision == "warn"
    [(category, severity, detector)] = findings(result)
    assert (category, severity) == ("workplace_grievance", "warn")
    assert f"{CONCERN_HEAD}=0.90" in detector and detector.endswith("second look") and "watch" in detector


def test_the_concern_head_never_blocks(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    _model(tmp_path, threshold=0.95, kind_cut=None, scores={HEAD: 0.5, CONCERN_HEAD: 0.99}, cuts={HEAD: 0.9})
    assert self_check(tmp_path, monkeypatch, HINT).decision == "warn"


@pytest.mark.parametrize("concern", [0.4, None], ids=["concern-below-its-threshold", "model-without-a-concern-head"])
def test_without_the_concern_head_flagging_nothing_is_flagged(tmp_path, monkeypatch, concern) -> None:  # noqa: ANN001
    scores = {HEAD: 0.5} | ({CONCERN_HEAD: concern} if concern else {})
    _model(tmp_path, threshold=0.95, kind_cut=None, scores=scores, cuts={HEAD: 0.9}, concern=concern is not None)
    assert self_check(tmp_path, monkeypatch, HINT).decision == "pass"



@pytest.mark.parametrize("extra", [{"threshold": 0.5}, {"head": "block"}], ids=["own-threshold", "block-head"])
@pytest.mark.parametrize("option", ["second_look", "concern"])
def test_a_second_look_reads_the_flag_heads_own_cuts(option, extra) -> None:  # noqa: ANN001
    rule = {"id": "exa.meaning.hint", "category": HEAD, "severity": "warn", "applies_to": ["personal_post"],
            "clause": "exa/hints", "check": "meaning", "message": "A hint.", "suggestion": "Leave it out.",
            "examples": {"hit": [HINT]}, option: True, **extra}
    with pytest.raises(ValidationError, match=f"{option} reads the flag head's own cuts"):
        MeaningRule.model_validate(rule)
