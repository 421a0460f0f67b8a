"""The meaning model at check time: logistic heads (one per category, and a second "blocks" head
where a category can warn or block) over the features of kaitiaki.checker.meaning.features.

Weight files (no pickles): `meaning.npz` holds `dense_weights` (heads x dense features),
`dense_mean`/`dense_scale`, `bias`, `vocabulary` (UTF-8, newline-separated) and `word_weights`
(vocabulary x heads, float16); `meaning.json` holds the head names, thresholds, data manifest and
scores; `static_minilm.npz` the distilled token vectors.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from kaitiaki.checker.meaning.features import FEATURES_VERSION, Inputs, _layout, is_emoji, kind_key
from kaitiaki.checker.meaning.static import STATIC_FILE, StaticEmbedder
from kaitiaki.checker.normalize import Normalized

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
#: Another folder of meaning weights (an agency's retrained model, or the build's validation run).
WEIGHTS_ENV = "KAITIAKI_MEANING_WEIGHTS"
MODEL_FILE = "meaning.npz"
META_FILE = "meaning.json"
#: Per kind, the head that reads whether an item has any problem at all, whatever its category:
#: one yes-or-no learns from every problem item of the kind together, where each category's head
#: sees only its own. It never decides alone: a meaning rule with `concern` warns for the category
#: nearest its cut (`likeliest_concern`). Staff posts only: a head for comments, whose finding would
#: hold the comment, was tried and lowered the Gab Hate Corpus F1 (docs/models.md).
CONCERN_HEADS = {"personal_post": "staff_concern"}
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Function words carry weight in the sums but tell a person nothing: never shown as evidence.
FUNCTION_WORDS = frozenset("""a an and are as at be been but by can could do does for from had has have he her his i if in
into is it its me my no not of on or our she so than that the their them then there these they this to
too up us was we were what when which who will with would you your""".split())


class MeaningModelError(ValueError):
    """The weight files are missing or were built for other features."""


@dataclass(frozen=True)
class WordWeight:
    word: str
    weight: float


class MeaningModel:
    def __init__(self, arrays: dict[str, np.ndarray], meta: dict[str, Any], static: StaticEmbedder) -> None:
        if meta.get("features_version") != FEATURES_VERSION:
            raise MeaningModelError(f"the meaning model was built for features {meta.get('features_version')!r}, "
                                    f"this code reads {FEATURES_VERSION!r}: retrain it")
        self.meta = meta
        self.static = static
        self.heads: list[str] = list(meta["heads"])
        self.head_index = {name: i for i, name in enumerate(self.heads)}
        self.thresholds: dict[str, float] = {k: float(v) for k, v in meta["thresholds"].items()}
        # kind -> head -> the head's cut on that kind's own items (a build without them: the thresholds)
        self.kind_thresholds: dict[str, dict[str, float]] = {
            kind: {head: float(v) for head, v in cuts.items()}
            for kind, cuts in meta.get("kind_thresholds", {}).items()}
        scale = arrays["dense_scale"].astype(np.float32)
        # folding the standardisation into the weights makes scoring one matrix-vector product
        self.dense_weights = (arrays["dense_weights"].astype(np.float32) / scale[None, :])
        self.bias = arrays["bias"].astype(np.float64) - self.dense_weights @ arrays["dense_mean"].astype(np.float32)
        vocabulary = arrays["vocabulary"].tobytes().decode("utf-8").split("\n") if arrays["vocabulary"].size else []
        self.vocabulary = {key: i for i, key in enumerate(vocabulary)}
        self.word_weights = arrays["word_weights"].astype(np.float32)
        if self.dense_weights.shape[1] != len(_layout()):
            raise MeaningModelError("the meaning model's dense features do not match this code: retrain it")
        dims = static.vectors.shape[1]
        # per-token share of each head's text-vector term, for exact word explanations
        self.token_weights = static.vectors @ self.dense_weights[:, :dims].T

    @classmethod
    def from_folder(cls, folder: Path) -> MeaningModel:
        model_path, meta_path, static_path = folder / MODEL_FILE, folder / META_FILE, folder / STATIC_FILE
        for path in (model_path, meta_path, static_path):
            if not path.exists():
                raise MeaningModelError(f"meaning model file missing: {path} (build it with "
                                        "`python -m kaitiaki.check_service.meaning_build`)")
        with np.load(model_path, allow_pickle=False) as loaded:
            arrays = {name: loaded[name] for name in loaded.files}
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        return cls(arrays, meta, StaticEmbedder.load(static_path))

    def logits(self, inputs: Inputs) -> np.ndarray:
        return self.logits_many([inputs])[0]

    def logits_many(self, batch: Sequence[Inputs]) -> np.ndarray:
        """Every head's logit for many items (items x heads) in one pass.

        einsum, not `@`: a BLAS product sums in an order that depends on how many rows it is
        given, so an item would score a hair differently alone and in a batch; einsum's loop sums
        each row the same way whatever the batch, and the word weights are summed item by item in
        order, so one item scores the same alone or among thousands."""
        dense = np.stack([inputs.dense for inputs in batch])
        value = self.bias[None, :] + np.einsum("nd,hd->nh", dense, self.dense_weights)
        rows: list[int] = []
        starts: list[int] = []
        owners: list[int] = []
        for owner, inputs in enumerate(batch):
            found = [self.vocabulary[key] for key in inputs.words if key in self.vocabulary]
            if found:
                starts.append(len(rows))
                owners.append(owner)
                rows.extend(found)
        if rows:
            value[owners] += np.add.reduceat(self.word_weights[rows], starts, axis=0)
        return value

    def scores(self, inputs: Inputs) -> dict[str, float]:
        return self.scores_many([inputs])[0]

    def scores_many(self, batch: Sequence[Inputs]) -> list[dict[str, float]]:
        if not batch:
            return []
        probabilities = 1.0 / (1.0 + np.exp(-np.clip(self.logits_many(batch), -35.0, 35.0)))
        return [dict(zip(self.heads, row)) for row in probabilities.tolist()]

    def threshold(self, head: str) -> float:
        return self.thresholds[head]

    def kind_threshold(self, head: str, kind: str) -> float:
        """The head's cut for items of this kind (never above its threshold)."""
        return self.kind_thresholds.get(kind, {}).get(head, self.thresholds[head])

    def likeliest_concern(self, scores: dict[str, float], kind: str) -> str | None:
        """Where the kind's concern head flags the item, the category's flag head nearest its cut
        for that kind (the highest score over cut)."""
        concern = CONCERN_HEADS.get(kind)
        if concern not in self.head_index or scores[concern] < self.thresholds[concern]:
            return None
        cuts = self.kind_thresholds.get(kind, {})
        return max((head for head in cuts if ":" not in head), key=lambda head: scores[head] / cuts[head], default=None)

    def word_weights_for(self, inputs: Inputs, head: str) -> list[WordWeight]:
        """Each word's exact share of the head's logit (its words, pairs and token vectors)."""
        index = self.head_index[head]
        tokens = inputs.text_tokens
        token_count = sum(len(ids) for _, ids in tokens)
        shares: dict[str, float] = {}
        words = [word for word, _ in tokens]
        for word, ids in tokens:
            share = sum(float(self.token_weights[token, index]) for token in ids) / max(1, token_count)
            for key in (f"w:{word}", kind_key(inputs.kind, word)):  # a word's (or an emoji's) keys
                row = self.vocabulary.get(key)
                if row is not None:
                    share += float(self.word_weights[row, index])
            shares[word] = shares.get(word, 0.0) + share
        alnum = [word for word in words if _WORD.fullmatch(word)]
        for a, b in zip(alnum, alnum[1:]):
            row = self.vocabulary.get(f"w:{a} {b}")
            if row is not None:
                half = float(self.word_weights[row, index]) / 2
                shares[a] = shares.get(a, 0.0) + half
                shares[b] = shares.get(b, 0.0) + half
        # punctuation weighs too, but a person is shown words and emoji
        ranked = sorted((WordWeight(word, weight) for word, weight in shares.items()
                         if weight > 0 and (_WORD.fullmatch(word) or is_emoji(word)) and word not in FUNCTION_WORDS),
                        key=lambda ww: -ww.weight)
        return ranked

    @staticmethod
    def locate(norm: Normalized, word: str) -> tuple[int, int] | None:
        """Where a folded word first stands as a whole word in the original text."""
        for match in re.finditer(rf"(?<![^\W_]){re.escape(word)}(?![^\W_])", norm.folded):
            return norm.to_original(match.start(), match.end())
        return None


_loaded: dict[Path, MeaningModel] = {}
_lock = threading.Lock()


def weights_folder() -> Path:
    return Path(os.environ[WEIGHTS_ENV]) if os.environ.get(WEIGHTS_ENV) else WEIGHTS_DIR


def meaning_model_available(folder: Path | None = None) -> bool:
    folder = folder or weights_folder()
    return all((folder / name).exists() for name in (MODEL_FILE, META_FILE, STATIC_FILE))


def load_meaning_model(folder: Path | None = None) -> MeaningModel:
    """The meaning model (the shipped one unless $KAITIAKI_MEANING_WEIGHTS names another), loaded
    once per process."""
    folder = folder or weights_folder()
    model = _loaded.get(folder)
    if model is None:
        with _lock:
            model = _loaded.get(folder)
            if model is None:
                model = _loaded[folder] = MeaningModel.from_folder(folder)
    return model
