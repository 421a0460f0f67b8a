"""`spam`: comment spam (self-promotion, "check out my channel", links to offers).

YouTube Spam Collection. One video is held out as the test set. The other videos pick the
hyper-parameters and threshold by leave-one-video-out: each is scored by a model trained on the
rest, and the pooled out-of-video scores choose; the shipped model is then trained on all of them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from kaitiaki.checker.models import datasets as ds
from kaitiaki.checker.models import training as tr
from kaitiaki.checker.models.model import TextModel
from kaitiaki.checker.models.recipes import SEED, Candidate, binary_scores, package_model, source

VERSION = "1"
TEST_VIDEO = "Eminem"
CANDIDATES = [
    Candidate(c=1.0, nb_scaling=True),
    Candidate(c=4.0, nb_scaling=True),
    Candidate(c=4.0, nb_scaling=False),
    Candidate(c=16.0, nb_scaling=False),
]


def _fit(rows: list[tr.Counts], labels: np.ndarray, candidate: Candidate) -> tuple[tr.LinearFit, dict[str, int]]:
    vocabulary = tr.build_vocabulary(rows)
    fit = tr.fit_linear(
        tr.to_matrix(rows, vocabulary), labels, c=candidate.c, nb_scaling=candidate.nb_scaling, seed=SEED
    )
    return fit, vocabulary


def build(data_dir: Path) -> TextModel:
    data = ds.youtube_spam(data_dir)
    rows = tr.featurize(data.texts)
    labels = np.asarray(data.labels)
    groups = np.asarray(data.groups)
    if TEST_VIDEO not in set(data.groups):
        raise FileNotFoundError(f"the held-out video {TEST_VIDEO!r} is missing from {data_dir / 'youtube_spam'}")
    development = [video for video in sorted(set(data.groups)) if video != TEST_VIDEO]
    print(f"spam: leave-one-video-out selection over {', '.join(development)}; test video {TEST_VIDEO}")

    table = []
    best = None
    for candidate in CANDIDATES:
        pooled_scores, pooled_labels = [], []
        for video in development:
            train_idx = [i for i, g in enumerate(groups) if g in development and g != video]
            held_idx = [i for i, g in enumerate(groups) if g == video]
            fit, vocabulary = _fit([rows[i] for i in train_idx], labels[train_idx], candidate)
            pooled_scores.append(fit.probability(tr.to_matrix([rows[i] for i in held_idx], vocabulary)))
            pooled_labels.append(labels[held_idx])
        scores, y = np.concatenate(pooled_scores), np.concatenate(pooled_labels)
        threshold, value = tr.best_threshold(scores, y, "f1")
        table.append({"candidate": candidate.label(), "f1": round(value, 4), "threshold": threshold})
        print(f"  {candidate.label()}: leave-one-video-out F1 {value:.4f} at threshold {threshold}")
        if best is None or value > best[0]:
            best = (value, candidate, threshold, scores, y)
    assert best is not None
    _, candidate, threshold, oof_scores, oof_labels = best

    dev_idx = [i for i, g in enumerate(groups) if g != TEST_VIDEO]
    test_idx = [i for i, g in enumerate(groups) if g == TEST_VIDEO]
    fit, vocabulary = _fit([rows[i] for i in dev_idx], labels[dev_idx], candidate)
    test_scores = fit.probability(tr.to_matrix([rows[i] for i in test_idx], vocabulary))
    meta = {
        "version": VERSION,
        "description": "Comment spam: self-promotion, channel plugs, links to offers.",
        "model": f"logistic regression on word 1-2-grams + char 2-5-grams ({candidate.label()})",
        "training_data": [
            source(data_dir, "youtube_spam", ", ".join(f"Youtube*-{v}.csv" for v in development), len(dev_idx),
                   "training; leave-one-video-out selection and threshold"),
            source(data_dir, "youtube_spam", f"Youtube*-{TEST_VIDEO}.csv", len(test_idx), "test report only"),
        ],
        "selection": table,
        "validation": {"leave-one-video-out": binary_scores(oof_labels, oof_scores, threshold)},
        "test": {f"youtube {TEST_VIDEO}": binary_scores(labels[test_idx], test_scores, threshold)},
    }
    return package_model("spam", fit, vocabulary, threshold, meta)

