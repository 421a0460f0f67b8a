"""The meaning model reads each word of the text twice: as itself, shared by every kind, and keyed
by the item's kind, so a word can count for a category in staff posts and not in agency posts
("joke" of a Minister's decision). A finding's shown words include what weighed in that kind."""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression

from kaitiaki.check_service import meaning_build as mb
from kaitiaki.checker.engine import coerce_item
from kaitiaki.checker.meaning.features import Evidence, dense_names, inputs_for, kind_key
from kaitiaki.checker.meaning.model import WEIGHTS_DIR, MeaningModel
from kaitiaki.checker.meaning.static import STATIC_FILE, StaticEmbedder

HEAD = "criticism_of_ministerial_policy"
TEXT = "honestly that alert decision is a joke"


def _model_weighing_joke_in_staff_posts_only(folder) -> MeaningModel:  # noqa: ANN001
    width = len(dense_names())
    vocabulary = ["w:joke", kind_key("personal_post", "joke")]
    head = LogisticRegression()
    head.coef_ = np.zeros((1, width + len(vocabulary)))
    head.coef_[0, width + 1] = 4.0
    head.intercept_ = np.array([-2.0])
    mb.save(folder, {HEAD: head}, {HEAD: 0.5}, {}, vocabulary, np.zeros(width), np.ones(width), width, {"stage": "test"})
    (folder / STATIC_FILE).write_bytes((WEIGHTS_DIR / STATIC_FILE).read_bytes())
    return MeaningModel.from_folder(folder)


def test_a_word_weighs_in_the_kind_it_was_learnt_in(tmp_path) -> None:  # noqa: ANN001
    model = _model_weighing_joke_in_staff_posts_only(tmp_path)
    static = StaticEmbedder.load(WEIGHTS_DIR / STATIC_FILE)
    staff = inputs_for(coerce_item({"kind": "personal_post", "text": TEXT, "author": {"employer_listed": True}}),
                       Evidence(), static)
    agency = inputs_for(coerce_item({"kind": "post", "text": TEXT}), Evidence(), static)

    assert model.scores(staff)[HEAD] > 0.85
    assert model.scores(agency)[HEAD] < 0.15
    assert [weighed.word for weighed in model.word_weights_for(staff, HEAD)] == ["joke"]
    assert model.word_weights_for(agency, HEAD) == []
