"""`abusive`: offensive or abusive language in comments.

Trained on TweetEval `offensive` (OLID) train. Adding TweetEval `hate` train, Davidson and the
SemEval toxic-spans train set (weight 0.3) lowered the `offensive` validation macro-F1 (0.73 against
0.75), so they are not used. Hyper-parameters and the threshold are chosen on the validation split;
`offensive/test` and the toxic-spans trial set are scored once, after selection.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from kaitiaki.checker.models import datasets as ds
from kaitiaki.checker.models import training as tr
from kaitiaki.checker.models.model import TextModel
from kaitiaki.checker.models.recipes import Candidate, binary_scores, package_model, select, source

VERSION = "1"
CANDIDATES = [
    Candidate(c=1.0, nb_scaling=True),
    Candidate(c=4.0, nb_scaling=True),
    Candidate(c=4.0, nb_scaling=False),
]


def build(data_dir: Path) -> TextModel:
    train = ds.tweeteval(data_dir, "offensive", "train")
    val = ds.tweeteval(data_dir, "offensive", "val")
    test = ds.tweeteval(data_dir, "offensive", "test")
    trial = ds.toxic_spans(data_dir, "trial")
    train_rows = tr.featurize(train.texts)
    train_labels = np.asarray(train.labels)

    print("abusive: model selection on TweetEval offensive/val")
    chosen = select(
        CANDIDATES, lambda _: (train_rows, train_labels, None), tr.featurize(val.texts), val.labels, "macro_f1"
    )
    threshold = chosen.threshold

    def scores_on(texts: list[str]) -> np.ndarray:
        return chosen.fit.probability(tr.to_matrix(tr.featurize(texts), chosen.vocabulary))

    validation = binary_scores(val.labels, scores_on(val.texts), threshold)
    test_scores = binary_scores(test.labels, scores_on(test.texts), threshold)
    trial_scores = scores_on(trial.texts)
    meta = {
        "version": VERSION,
        "description": "Offensive or abusive language in a comment (insults, profanity, threats, slurs).",
        "model": f"logistic regression on word 1-2-grams + char 2-5-grams ({chosen.candidate.label()})",
        "training_data": [
            source(data_dir, "tweeteval", "offensive/train_*", len(train), "training"),
            source(data_dir, "tweeteval", "offensive/val_*", len(val), "model selection and threshold"),
            source(data_dir, "tweeteval", "offensive/test_*", len(test), "test report only"),
            source(data_dir, "toxic_spans", "tsd_trial.csv", len(trial), "test report only (all toxic)"),
        ],
        "selection": chosen.table,
        "validation": {"tweeteval offensive/val": validation},
        "test": {
            "tweeteval offensive/test": test_scores,
            "toxic_spans tsd_trial (all toxic)": {
                "recall": round(float(np.mean(trial_scores >= threshold)), 4),
                "rows": len(trial),
            },
        },
    }
    return package_model("abusive", chosen.fit, chosen.vocabulary, threshold, meta)
