"""Training helpers: vectorise with the inference features, fit a linear model, pick thresholds.

Uses scikit-learn and scipy (the `train` extra); inference never imports this module.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from kaitiaki.checker.models.features import feature_counts
from kaitiaki.checker.models.metrics import best_threshold, f1, macro_f1, precision_recall

Counts = tuple[dict[str, int], dict[str, int]]


def featurize(texts: Sequence[str]) -> list[Counts]:
    return [feature_counts(text) for text in texts]


def build_vocabulary(rows: Sequence[Counts], min_df: int = 2) -> dict[str, int]:
    document_frequency: dict[str, int] = {}
    for words, chars in rows:
        for key in words:
            document_frequency[key] = document_frequency.get(key, 0) + 1
        for key in chars:
            document_frequency[key] = document_frequency.get(key, 0) + 1
    kept = sorted(key for key, df in document_frequency.items() if df >= min_df)
    return {key: index for index, key in enumerate(kept)}


def to_matrix(rows: Sequence[Counts], vocabulary: dict[str, int]) -> sparse.csr_matrix:
    """Counts scaled per block by 1/sqrt(block total), the same scaling inference applies.

    The block totals include keys outside the vocabulary, as inference counts every token."""
    indptr = [0]
    indices: list[int] = []
    values: list[float] = []
    for words, chars in rows:
        for block in (words, chars):
            total = sum(block.values())
            if not total:
                continue
            scale = 1.0 / math.sqrt(total)
            for key, count in block.items():
                column = vocabulary.get(key)
                if column is not None:
                    indices.append(column)
                    values.append(count * scale)
        indptr.append(len(indices))
    return sparse.csr_matrix(
        (np.asarray(values, dtype=np.float64), np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
        shape=(len(rows), len(vocabulary)),
    )


def log_count_ratio(matrix: sparse.csr_matrix, labels: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """Naive-Bayes log-count ratio of each feature (Wang & Manning 2012, NBSVM)."""
    binary = matrix.copy()
    binary.data[:] = 1.0
    positive = np.asarray(binary[labels == 1].sum(axis=0)).ravel() + alpha
    negative = np.asarray(binary[labels == 0].sum(axis=0)).ravel() + alpha
    return np.log((positive / positive.sum()) / (negative / negative.sum()))


@dataclass
class LinearFit:
    weights: np.ndarray  # one per vocabulary column, in the unscaled feature space
    bias: float

    def decision(self, matrix: sparse.csr_matrix) -> np.ndarray:
        return matrix @ self.weights + self.bias

    def probability(self, matrix: sparse.csr_matrix) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.decision(matrix)))


def fit_linear(
    matrix: sparse.csr_matrix,
    labels: np.ndarray,
    *,
    c: float = 4.0,
    sample_weight: np.ndarray | None = None,
    nb_scaling: bool = False,
    class_weight: str | None = "balanced",
    seed: int = 13,
) -> LinearFit:
    """L2 logistic regression, optionally on NB-scaled features; the scaling folds into the weights."""
    ratio = log_count_ratio(matrix, labels) if nb_scaling else None
    design = matrix @ sparse.diags(ratio) if ratio is not None else matrix
    model = LogisticRegression(
        C=c, class_weight=class_weight, max_iter=3000, solver="liblinear", random_state=seed
    )
    model.fit(design, labels, sample_weight=sample_weight)
    weights = model.coef_.ravel()
    if ratio is not None:
        weights = weights * ratio
    return LinearFit(weights=weights, bias=float(model.intercept_[0]))
