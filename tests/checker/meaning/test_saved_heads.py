"""A head saved by the meaning build scores an item at check time exactly as the fitted head did at
build time, so the thresholds chosen there mean the same here (the build scales and standardises
the dense features before fitting; the saved weights must carry both)."""

from __future__ import annotations

import numpy as np

from kaitiaki.check_service import meaning_build as mb
from kaitiaki.checker.engine import coerce_item
from kaitiaki.checker.meaning.features import Evidence, inputs_for, vocabulary_from
from kaitiaki.checker.meaning.model import WEIGHTS_DIR, MeaningModel
from kaitiaki.checker.meaning.static import STATIC_FILE, StaticEmbedder

THREATS = ["we know which car park you use, see you after work", "your office windows will not last the week",
           "watch your back at the depot tonight", "shame if something happened to the assessor on her walk home",
           "we'll be waiting outside the hall when you lock up", "count the days, the controller won't see many more"]
PASSES = ["thanks for the update, the road is open again", "killing it with these updates team",
          "where is the nearest evacuation centre?", "the hall was warm and the kai was great, ngā mihi",
          "power is back on in our street", "can you post the water outage map again please"]


def test_a_saved_head_scores_items_as_the_fitted_head_did(tmp_path) -> None:  # noqa: ANN001
    static = StaticEmbedder.load(WEIGHTS_DIR / STATIC_FILE)
    rows = [inputs_for(coerce_item({"kind": "comment", "text": text}), Evidence(), static)
            for text in THREATS + PASSES]
    vocabulary = vocabulary_from(row.words for row in rows)
    dense, words = mb.matrices(rows, vocabulary)
    mean, scale = dense.mean(axis=0), dense.std(axis=0) + 1e-3
    x = mb.design(dense, words, mean, scale)
    y = np.array([1] * len(THREATS) + [0] * len(PASSES))
    head = mb.fit(x, y, np.ones(len(y)), 1.0)
    mb.save(tmp_path, {"threat": head}, {"threat": 0.5}, {}, vocabulary, mean, scale, dense.shape[1], {"stage": "test"})
    (tmp_path / STATIC_FILE).write_bytes((WEIGHTS_DIR / STATIC_FILE).read_bytes())

    saved = MeaningModel.from_folder(tmp_path)
    at_check = np.array([scores["threat"] for scores in saved.scores_many(rows)])
    at_build = head.predict_proba(x)[:, 1]
    # the word weights are stored as float16
    np.testing.assert_allclose(at_check, at_build, atol=2e-3)
    assert ((at_check >= 0.5) == (at_build >= 0.5)).all()
