"""Static token vectors distilled from all-MiniLM-L6-v2 (model2vec-style), read with numpy only.

Distillation (`distill`, build time): every WordPiece token of MiniLM's vocabulary is run through
the full encoder on its own ([CLS] token [SEP], mean-pooled), the 384-wide outputs are reduced by
PCA to `DIMENSIONS` and stored as int8 with one scale per token in `static_minilm.npz`. At check
time a text's vector is the mean of its tokens' vectors: a table look-up, so thousands of texts a
second, and each token's share of a linear head's score is exact (the explanations use it).

The tokenizer is a small WordPiece over the shipped vocabulary, applied to text that
kaitiaki.checker.normalize has already folded (lower case, no accents, leetspeak undone).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

DIMENSIONS = 128
STATIC_FILE = "static_minilm.npz"
_MAX_WORD = 60
_PIECES = re.compile(r"[^\W_]+|[^\w\s]", re.UNICODE)


class StaticEmbedder:
    """Token ids and vectors for folded text; every word's pieces are cached."""

    def __init__(self, vocabulary: list[str], vectors: np.ndarray) -> None:
        self.vocabulary = vocabulary
        self.index = {token: i for i, token in enumerate(vocabulary)}
        self.vectors = vectors.astype(np.float32)
        self.unknown = self.index.get("[UNK]", 0)
        self._cache: dict[str, tuple[int, ...]] = {}

    @classmethod
    def load(cls, path: Path) -> StaticEmbedder:
        with np.load(path, allow_pickle=False) as arrays:
            vocabulary = arrays["vocabulary"].tobytes().decode("utf-8").split("\n")
            vectors = arrays["vectors"].astype(np.float32) * arrays["scales"].astype(np.float32)[:, None]
        return cls(vocabulary, vectors)

    def word_ids(self, word: str) -> tuple[int, ...]:
        known = self._cache.get(word)
        if known is not None:
            return known
        ids: list[int] = []
        if len(word) > _MAX_WORD:
            ids = [self.unknown]
        else:
            start = 0
            while start < len(word):
                end = len(word)
                found = None
                while end > start:
                    piece = word[start:end] if start == 0 else "##" + word[start:end]
                    found = self.index.get(piece)
                    if found is not None:
                        break
                    end -= 1
                if found is None:
                    ids = [self.unknown]
                    break
                ids.append(found)
                start = end
        result = tuple(ids)
        if len(self._cache) > 200_000:
            self._cache.clear()
        self._cache[word] = result
        return result

    def tokens(self, folded: str) -> list[tuple[str, tuple[int, ...]]]:
        """(word, its token ids) for each word or punctuation mark of an already folded text."""
        return [(word, self.word_ids(word)) for word in _PIECES.findall(folded)]

    def ids(self, folded: str) -> list[int]:
        return [token for _, ids in self.tokens(folded) for token in ids]

    def mean(self, ids: list[int]) -> np.ndarray:
        if not ids:
            return np.zeros(self.vectors.shape[1], dtype=np.float32)
        return self.vectors[ids].mean(axis=0)


def distill(encoder, out_path: Path, dimensions: int = DIMENSIONS, batch_size: int = 512) -> dict:  # noqa: ANN001
    """Embed every vocabulary token alone with the full encoder, PCA to `dimensions`, save int8."""
    vocab = encoder.tokenizer.get_vocab()
    vocabulary = [token for token, _ in sorted(vocab.items(), key=lambda pair: pair[1])]
    keep = [i for i, token in enumerate(vocabulary) if not token.startswith("[unused")]
    cls_id, sep_id = vocab["[CLS]"], vocab["[SEP]"]
    outputs = np.zeros((len(keep), 384), dtype=np.float32)
    for start in range(0, len(keep), batch_size):
        rows = keep[start:start + batch_size]
        ids = np.array([[cls_id, token, sep_id] for token in rows])
        outputs[start:start + len(rows)] = encoder.encode_ids(ids, np.ones(ids.shape, np.float32))
    centred = outputs - outputs.mean(axis=0)
    _, singular, components = np.linalg.svd(centred, full_matrices=False)
    reduced = centred @ components[:dimensions].T
    explained = float((singular[:dimensions] ** 2).sum() / (singular ** 2).sum())
    scales = np.abs(reduced).max(axis=1) / 127.0
    scales[scales == 0] = 1.0
    quantised = np.round(reduced / scales[:, None]).astype(np.int8)
    kept_vocabulary = [vocabulary[i] for i in keep]
    np.savez_compressed(
        out_path,
        vocabulary=np.frombuffer("\n".join(kept_vocabulary).encode("utf-8"), dtype=np.uint8),
        vectors=quantised,
        scales=scales.astype(np.float16),
    )
    return {"tokens": len(kept_vocabulary), "dimensions": dimensions, "pca_variance_kept": round(explained, 4)}
