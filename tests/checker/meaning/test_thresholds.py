"""How the meaning build chooses a blocking head's threshold: the best F among thresholds that block
at most the head's budget of the items that should pass, so a larger budget (the threat head's)
allows a lower threshold."""

from __future__ import annotations

import numpy as np

from kaitiaki.check_service import meaning_build as mb


def test_a_blocking_head_keeps_within_its_false_block_budget() -> None:
    # 200 items that should pass, 20 positives; a lower threshold finds more but blocks more passes
    y = np.array([1] * 20 + [0] * 200)
    p = np.concatenate([np.linspace(0.55, 0.99, 20), np.linspace(0.0, 0.9, 200)])
    passes = y == 0
    strict, _ = mb.best_threshold(y, p, 1.0, passes, budget=0.01)
    looser, _ = mb.best_threshold(y, p, 1.0, passes, budget=0.05)
    assert ((p >= strict) & passes).sum() <= 2
    assert ((p >= looser) & passes).sum() <= 10
    assert looser < strict


def test_a_kinds_own_cut_finds_more_and_is_never_stricter_than_the_head() -> None:
    # staff posts: positives spread low, so F2 reaches further down than the head's own threshold
    y = np.array([1] * 30 + [0] * 100)
    p = np.concatenate([np.linspace(0.2, 0.95, 30), np.linspace(0.0, 0.5, 100)])
    records = [mb.cp.Record(item={"kind": "personal_post"}, categories=frozenset(), blocked=frozenset(), decision="pass",
                            source="written", group=str(i)) for i in range(len(y))]
    own = np.ones(len(y), dtype=bool)
    cuts = mb._kind_cuts(y, p, own, records, ("personal_post", "post"), threshold=0.6)
    assert set(cuts) == {"personal_post"}  # no posts, no cut for them
    cut = cuts["personal_post"]["threshold"]
    assert cut < 0.6
    assert ((p >= cut) & (y == 1)).sum() > ((p >= 0.6) & (y == 1)).sum()
    assert mb._kind_cuts(y, p, own, records, ("personal_post",), threshold=0.15)["personal_post"]["threshold"] == 0.15
