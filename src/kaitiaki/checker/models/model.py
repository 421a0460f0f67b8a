"""A linear text classifier over word and character n-grams, scored in plain Python and numpy.

Weight files: `<name>.npz` holds `vocabulary` (the feature keys, UTF-8, newline-separated, as a
uint8 array), `weights` (float32, one per key) and `bias`; `<name>.json` holds the metadata
(threshold, version, training data, scores). Nothing is pickled.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from kaitiaki.checker.models.features import FEATURES_VERSION, char_ngrams, chunk_tokens, tokenize

# Bounded per-chunk cache of partial sums: chunks (words with their punctuation) repeat across
# comments, so most look-ups hit. Cleared wholesale when full (cheap, and keeps memory flat).
_CHUNK_CACHE_LIMIT = 200_000
_MAX_LOGIT = 35.0


class _ChunkPart(NamedTuple):
    word_sum: float
    char_sum: float
    char_count: int
    tokens: int
    first: str
    last: str


class ModelError(ValueError):
    """A weight file is missing, malformed or was built for other features."""


def _sigmoid(logit: float) -> float:
    logit = max(-_MAX_LOGIT, min(_MAX_LOGIT, logit))
    return 1.0 / (1.0 + math.exp(-logit))


def _encode_vocabulary(keys: Sequence[str]) -> np.ndarray:
    if any("\n" in key for key in keys):
        raise ModelError("feature keys must not contain newlines")
    return np.frombuffer("\n".join(keys).encode("utf-8"), dtype=np.uint8)


def _decode_vocabulary(blob: np.ndarray) -> list[str]:
    if blob.size == 0:
        return []
    return blob.tobytes().decode("utf-8").split("\n")


class TextModel:
    """score(text) -> probability-like value in [0, 1]; positive when score >= threshold."""

    def __init__(self, name: str, weights: dict[str, float], bias: float, meta: dict[str, Any]) -> None:
        if "threshold" not in meta:
            raise ModelError(f"model {name!r} has no threshold in its metadata")
        if meta.get("features_version") != FEATURES_VERSION:
            raise ModelError(
                f"model {name!r} was built for features version {meta.get('features_version')!r}, "
                f"this code extracts version {FEATURES_VERSION!r}: retrain it"
            )
        self.name = name
        self.meta = meta
        self.threshold = float(meta["threshold"])
        self.version = str(meta.get("version", "0"))
        self._weights = weights
        self.bias = bias
        self._chunk_cache: dict[str, _ChunkPart] = {}
        self._word_cache: dict[str, tuple[float, int]] = {}

    # -- loading and saving -------------------------------------------------------------------
    @classmethod
    def from_files(cls, name: str, folder: Path) -> TextModel:
        npz_path, json_path = folder / f"{name}.npz", folder / f"{name}.json"
        if not npz_path.exists() or not json_path.exists():
            raise ModelError(f"model {name!r} not found in {folder}")
        meta = json.loads(json_path.read_text(encoding="utf-8"))
        with np.load(npz_path, allow_pickle=False) as arrays:
            keys = _decode_vocabulary(arrays["vocabulary"])
            values = arrays["weights"].astype(np.float64)
            bias = float(arrays["bias"])
        if len(keys) != len(values):
            raise ModelError(f"model {name!r}: {len(keys)} features but {len(values)} weights")
        return cls(name, dict(zip(keys, values.tolist())), bias, meta)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        keys = sorted(self._weights)
        np.savez_compressed(
            folder / f"{self.name}.npz",
            vocabulary=_encode_vocabulary(keys),
            weights=np.asarray([self._weights[key] for key in keys], dtype=np.float32),
            bias=np.asarray(self.bias, dtype=np.float64),
        )
        (folder / f"{self.name}.json").write_text(
            json.dumps(self.meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )

    # -- scoring ------------------------------------------------------------------------------
    def _char_part(self, word: str) -> tuple[float, int]:
        """(sum of the word's char n-gram weights, their count); cached per word, since words
        repeat across texts far more than chunks do (the n-grams are most of the work)."""
        part = self._word_cache.get(word)
        if part is None:
            grams = char_ngrams(word)
            get = self._weights.get
            part = (sum([get(gram, 0.0) for gram in grams]), len(grams))
            if len(self._word_cache) >= _CHUNK_CACHE_LIMIT:
                self._word_cache.clear()
            self._word_cache[word] = part
        return part

    def _chunk_part(self, chunk: str) -> _ChunkPart:
        """Sums of one whitespace-free chunk: word weights (unigrams and the bigrams inside the
        chunk), char weights and counts, and its first and last token for the bigrams across."""
        tokens, words = chunk_tokens(chunk)
        get = self._weights.get
        word_sum = sum(get(token, 0.0) for token in tokens)
        word_sum += sum(get(f"{a} {b}", 0.0) for a, b in zip(tokens, tokens[1:]))
        char_sum, char_total = 0.0, 0
        for word in words:
            value, count = self._char_part(word)
            char_sum += value
            char_total += count
        part = _ChunkPart(
            word_sum, char_sum, char_total, len(tokens), tokens[0] if tokens else "", tokens[-1] if tokens else ""
        )
        if len(self._chunk_cache) >= _CHUNK_CACHE_LIMIT:
            self._chunk_cache.clear()
        self._chunk_cache[chunk] = part
        return part

    def logit(self, text: str) -> float:
        cache_get = self._chunk_cache.get
        get = self._weights.get
        word_sum = char_sum = 0.0
        char_total = token_total = 0
        previous_last = ""
        for chunk in text.split():
            part = cache_get(chunk) or self._chunk_part(chunk)
            if not part.tokens:
                continue
            if previous_last:
                word_sum += get(f"{previous_last} {part.first}", 0.0)
            previous_last = part.last
            word_sum += part.word_sum
            char_sum += part.char_sum
            char_total += part.char_count
            token_total += part.tokens
        if not token_total:
            return self.bias
        logit = self.bias + word_sum / math.sqrt(2 * token_total - 1)
        if char_total:
            logit += char_sum / math.sqrt(char_total)
        return logit

    def contributions(self, text: str) -> list[tuple[int, int, float]]:
        """(start, end, share of the logit) per token span on `text`; with `bias` they add up to
        logit(text). A bigram's weight is split between its two words."""
        tokens = tokenize(text)
        if not tokens:
            return []
        get = self._weights.get
        words = [token.text for token in tokens]
        word_scale = 1.0 / math.sqrt(2 * len(words) - 1)
        shares = [get(word, 0.0) * word_scale for word in words]
        for i in range(len(words) - 1):
            half = get(f"{words[i]} {words[i + 1]}", 0.0) * word_scale / 2
            shares[i] += half
            shares[i + 1] += half
        char_parts = [self._char_part(t.text) if t.is_word else (0.0, 0) for t in tokens]
        char_total = sum(count for _, count in char_parts)
        if char_total:
            char_scale = 1.0 / math.sqrt(char_total)
            for i, (value, _) in enumerate(char_parts):
                shares[i] += value * char_scale
        by_span: dict[tuple[int, int], float] = {}
        for token, share in zip(tokens, shares):
            span = (token.start, token.end)
            by_span[span] = by_span.get(span, 0.0) + share
        return [(start, end, value) for (start, end), value in by_span.items()]

    def score(self, text: str) -> float:
        return _sigmoid(self.logit(text))

    def score_many(self, texts: Sequence[str]) -> np.ndarray:
        return np.fromiter((self.score(text) for text in texts), dtype=np.float64, count=len(texts))

    def is_positive(self, text: str) -> bool:
        return self.score(text) >= self.threshold

    def explain(self, text: str, k: int = 3) -> list[tuple[int, int, float]]:
        """(start, end, contribution) of the k words (spans on `text`) that push the score up most."""
        positive = [item for item in self.contributions(text) if item[2] > 0]
        positive.sort(key=lambda item: -item[2])
        return positive[: max(0, k)]

    def __repr__(self) -> str:
        return f"TextModel({self.name!r}, version={self.version!r}, threshold={self.threshold})"
