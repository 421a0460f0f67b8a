"""Scores for binary classifiers: plain numpy, so tests and benchmarks can measure a shipped model
without the `train` extra (scikit-learn and scipy) installed."""

from __future__ import annotations

import numpy as np


def f1(labels: np.ndarray, predicted: np.ndarray, positive: int = 1) -> float:
    tp = int(np.sum((predicted == positive) & (labels == positive)))
    fp = int(np.sum((predicted == positive) & (labels != positive)))
    fn = int(np.sum((predicted != positive) & (labels == positive)))
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def macro_f1(labels: np.ndarray, predicted: np.ndarray) -> float:
    return (f1(labels, predicted, 1) + f1(labels, predicted, 0)) / 2


def precision_recall(labels: np.ndarray, predicted: np.ndarray) -> tuple[float, float]:
    tp = int(np.sum((predicted == 1) & (labels == 1)))
    precision = tp / max(1, int(np.sum(predicted == 1)))
    recall = tp / max(1, int(np.sum(labels == 1)))
    return precision, recall


def best_threshold(scores: np.ndarray, labels: np.ndarray, metric: str = "macro_f1") -> tuple[float, float]:
    """The score threshold (predict positive when score >= threshold) that maximises the metric."""
    measure = macro_f1 if metric == "macro_f1" else f1
    best = (0.5, -1.0)
    for threshold in np.round(np.arange(0.05, 0.951, 0.01), 2):
        value = measure(labels, (scores >= threshold).astype(int))
        if value > best[1]:
            best = (float(threshold), value)
    return best


__all__ = ["best_threshold", "f1", "macro_f1", "precision_recall"]
