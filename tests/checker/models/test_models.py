"""The shipped classifiers load from their own weight files and score plain examples sensibly."""

from __future__ import annotations

import json
import math
import zipfile

import numpy as np
import pytest

from kaitiaki.checker.models import WEIGHTS_DIR, ModelError, available_models, load_model

SHIPPED = available_models()

OBVIOUS = {
    "abusive": (
        ["you are a disgusting idiot", "shut up you stupid b1tch", "What a pathetic loser, go to hell"],
        ["Thanks for the update on the road closures", "When does the consultation on the bus routes close?"],
    ),
    "spam": (
        ["check out my channel and subscribe!! http://bit.ly/abc", "Make money from home, click here www.example.com"],
        ["I love this song, it brings back memories", "The chorus at the end is beautiful"],
    ),
    "political": (
        ["The Government has failed families and we will repeal its tax on farmers when we are elected",
         "Labour's reckless spending is driving up the cost of living; National will fix the economy"],
        ["The university's researchers have discovered a new species of beetle in Canterbury",
         "Students can enrol in the summer school programme from next week"],
    ),
    "hate": (
        ["send all those filthy immigrants back, they are vermin"],
        ["The community welcomed the new families to the town this weekend"],
    ),
}


def test_abusive_and_spam_are_shipped():
    assert {"abusive", "spam"} <= set(SHIPPED)


@pytest.mark.parametrize("name", SHIPPED)
def test_metadata_has_threshold_version_and_scores(name):
    model = load_model(name)
    assert 0.0 < model.threshold < 1.0
    assert model.version
    assert model.meta["training_data"], "the training data must be recorded"
    assert model.meta["test"], "test figures must be recorded"
    assert load_model(name) is model


@pytest.mark.parametrize("name", SHIPPED)
def test_weight_files_hold_no_pickles(name):
    with np.load(WEIGHTS_DIR / f"{name}.npz", allow_pickle=False) as arrays:
        for key in arrays.files:
            assert arrays[key].dtype != object
    with zipfile.ZipFile(WEIGHTS_DIR / f"{name}.npz") as archive:
        assert all(entry.endswith(".npy") for entry in archive.namelist())
    json.loads((WEIGHTS_DIR / f"{name}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", SHIPPED)
def test_obvious_examples_fall_on_the_right_side(name):
    model = load_model(name)
    positives, negatives = OBVIOUS[name]
    for text in positives:
        assert model.score(text) >= model.threshold, text
    for text in negatives:
        assert model.score(text) < model.threshold, text


@pytest.mark.parametrize("name", SHIPPED)
def test_scores_are_probabilities(name):
    model = load_model(name)
    texts = ["", "   ", "!!!", "ok", "a" * 5000, "Kia ora 👋 #VoteGreen @someone https://example.nz", "ĀĒĪŌŪ ﬁnancial"]
    scores = model.score_many(texts)
    assert scores.shape == (len(texts),)
    assert np.all((scores >= 0.0) & (scores <= 1.0))
    assert [model.score(text) for text in texts] == pytest.approx(list(scores))


@pytest.mark.parametrize("name", SHIPPED)
def test_contributions_add_up_to_the_score(name):
    model = load_model(name)
    text = "Honestly, this is the WORST idea ever!!! Check   my channel http://x.co #StopTheMadness"
    total = model.bias + sum(value for _, _, value in model.contributions(text))
    assert model.logit(text) == pytest.approx(total, abs=1e-9)
    assert model.score(text) == pytest.approx(1 / (1 + math.exp(-total)))


def test_explain_points_at_the_abusive_words():
    model = load_model("abusive")
    text = "Thanks for nothing, you disgusting idiot."
    spans = model.explain(text, k=2)
    assert len(spans) == 2
    assert {text[start:end] for start, end, _ in spans} == {"disgusting", "idiot"}
    assert spans[0][2] >= spans[1][2] > 0


def test_explain_spans_stay_on_the_original_text():
    model = load_model("abusive")
    text = "Ｔｈａｔ is ｓｔｕｐｉｄ, you ıdiot 🙄 #YouAreAnIdiot"
    for start, end, _ in model.explain(text, k=5):
        assert text[start:end].strip() == text[start:end] != ""


def test_unknown_model_name_is_refused():
    with pytest.raises(ModelError, match="unknown model"):
        load_model("sentiment")
