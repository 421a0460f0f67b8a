"""The shipped abusive model keeps its published-benchmark quality (reads ../shared/data)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from kaitiaki.checker.models import load_model
from kaitiaki.checker.models.datasets import tweeteval
from kaitiaki.checker.models.metrics import macro_f1

DATA_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "data"

needs_data = pytest.mark.skipif(
    not (DATA_DIR / "tweeteval").is_dir() and not os.environ.get("CI"),
    reason="shared data folder not present",
)


@needs_data
def test_abusive_macro_f1_on_tweeteval_offensive_test():
    model = load_model("abusive")
    test = tweeteval(DATA_DIR, "offensive", "test")
    predicted = (model.score_many(test.texts) >= model.threshold).astype(int)
    assert macro_f1(np.asarray(test.labels), predicted) >= 0.75


@needs_data
def test_recorded_test_figure_matches_the_shipped_weights():
    model = load_model("abusive")
    test = tweeteval(DATA_DIR, "offensive", "test")
    predicted = (model.score_many(test.texts) >= model.threshold).astype(int)
    recorded = model.meta["test"]["tweeteval offensive/test"]["macro_f1"]
    assert macro_f1(np.asarray(test.labels), predicted) == pytest.approx(recorded, abs=1e-4)
