"""The meaning model's build splits its corpus by a hash of each text: a fifth for validation, and
four cross-validation folds whose out-of-fold scores choose the heads' thresholds. A text keeps its
split and fold however the corpus grows, and the folds are of about equal size within each split."""

from __future__ import annotations

from collections import Counter

from kaitiaki.checker.meaning.corpus import fold_of, is_validation, text_key

KEYS = [text_key({"kind": "comment", "text": f"written item number {i}"}) for i in range(4000)]


def test_a_text_keeps_its_fold_and_split() -> None:
    key = text_key({"kind": "reply", "text": "Kia ora, the centre opens at 4pm.", "target": {"text": "When?"}})
    assert [fold_of(key, 4) for _ in range(3)] == [fold_of(key, 4)] * 3
    assert fold_of(key, 4) == fold_of(text_key({"kind": "reply", "text": "kia ORA,  the centre opens at 4pm.",
                                                "target": {"text": "When?"}}), 4)


def test_the_folds_are_even_and_independent_of_the_split() -> None:
    for in_validation in (True, False):
        folds = Counter(fold_of(key, 4) for key in KEYS if is_validation(key) == in_validation)
        total = sum(folds.values())
        assert sorted(folds) == [0, 1, 2, 3]
        assert all(0.2 < count / total < 0.3 for count in folds.values()), folds
