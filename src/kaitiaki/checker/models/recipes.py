"""How each shipped model is built: data, splits, model selection on validation, test report.

Every recipe returns the fitted TextModel with its metadata (training data with commit ids and
licences, the seed, validation and test scores). Thresholds and hyper-parameters are chosen on
validation data only; test figures are computed once, after selection.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from kaitiaki.checker.models import datasets as ds
from kaitiaki.checker.models import training as tr
from kaitiaki.checker.models.features import FEATURES_VERSION
from kaitiaki.checker.models.model import TextModel

SEED = 13
# Weights smaller than this change no score visibly; dropping them keeps the files small.
PRUNE_BELOW = 1e-3

LICENCES = {
    "tweeteval": "research use; no licence file (TweetEval README), tweets under X/Twitter terms",
    "davidson": "MIT (repository); tweets under X/Twitter terms",
    "toxic_spans": "CC0 1.0 (Civil Comments)",
    "youtube_spam": "YouTube Spam Collection (UCI, CC BY 4.0 per UCI; copy without licence file)",
    "nz_press_releases": "no licence; internal training only, text not redistributed",
}


def provenance_commit(data_dir: Path, dataset: str) -> str:
    """The source commit recorded in the data set's PROVENANCE.md."""
    path = data_dir / dataset / "PROVENANCE.md"
    if not path.exists():
        return "unknown"
    match = re.search(r"Commit[^\n]*?\b([0-9a-f]{40})\b", path.read_text(encoding="utf-8"))
    return match.group(1) if match else "unknown"


def source(data_dir: Path, dataset: str, files: str, rows: int, use: str) -> dict[str, Any]:
    return {
        "dataset": dataset,
        "files": files,
        "commit": provenance_commit(data_dir, dataset),
        "licence": LICENCES[dataset],
        "rows": rows,
        "use": use,
    }


def package_model(
    name: str,
    fit: tr.LinearFit,
    vocabulary: dict[str, int],
    threshold: float,
    meta: dict[str, Any],
) -> TextModel:
    keys = list(vocabulary)
    weights = {
        key: float(fit.weights[index])
        for key, index in zip(keys, vocabulary.values())
        if abs(fit.weights[index]) >= PRUNE_BELOW
    }
    full_meta = {
        "name": name,
        "version": meta.pop("version"),
        "features_version": FEATURES_VERSION,
        "threshold": threshold,
        "seed": SEED,
        "trained": dt.date.today().isoformat(),
        "features": len(weights),
        **meta,
    }
    return TextModel(name, weights, fit.bias, full_meta)


@dataclass(frozen=True)
class Candidate:
    c: float
    nb_scaling: bool  # naive-Bayes log-count-ratio scaling (NBSVM-style)

    def label(self) -> str:
        return f"C={self.c}, nb={self.nb_scaling}"


@dataclass
class Selected:
    candidate: Candidate
    fit: tr.LinearFit
    vocabulary: dict[str, int]
    threshold: float
    validation: float
    table: list[dict[str, Any]]


def select(
    candidates: Sequence[Candidate],
    training: Callable[[Candidate], tuple[list[tr.Counts], np.ndarray, np.ndarray | None]],
    validation_rows: list[tr.Counts],
    validation_labels: Sequence[int],
    metric: str,
    log: Callable[[str], None] = print,
) -> Selected:
    """Fit every candidate, keep the one with the best validation metric at its best threshold."""
    y_val = np.asarray(validation_labels)
    best: Selected | None = None
    table: list[dict[str, Any]] = []
    cached_vocabulary: dict[int, dict[str, int]] = {}
    for candidate in candidates:
        rows, labels, weights = training(candidate)
        key = id(rows)  # recipes hand back the same list when the data do not change
        if key not in cached_vocabulary:
            cached_vocabulary[key] = tr.build_vocabulary(rows)
        vocabulary = cached_vocabulary[key]
        matrix = tr.to_matrix(rows, vocabulary)
        fit = tr.fit_linear(
            matrix, labels, c=candidate.c, sample_weight=weights, nb_scaling=candidate.nb_scaling, seed=SEED
        )
        scores = fit.probability(tr.to_matrix(validation_rows, vocabulary))
        threshold, value = tr.best_threshold(scores, y_val, metric)
        table.append({"candidate": candidate.label(), metric: round(value, 4), "threshold": threshold})
        log(f"  {candidate.label()}: validation {metric} {value:.4f} at threshold {threshold}")
        if best is None or value > best.validation:
            best = Selected(candidate, fit, vocabulary, threshold, value, table)
    assert best is not None, "no candidates"
    return best


def rounded(values: dict[str, float]) -> dict[str, float]:
    return {key: round(float(value), 4) for key, value in values.items()}


def binary_scores(labels: Sequence[int], scores: np.ndarray, threshold: float) -> dict[str, float]:
    y = np.asarray(labels)
    predicted = (scores >= threshold).astype(int)
    precision, recall = tr.precision_recall(y, predicted)
    scores = rounded(
        {
            "macro_f1": tr.macro_f1(y, predicted),
            "f1": tr.f1(y, predicted),
            "precision": precision,
            "recall": recall,
        }
    )
    return {**scores, "rows": len(y)}
