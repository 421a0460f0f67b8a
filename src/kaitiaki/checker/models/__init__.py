"""Small trained text classifiers (abusive, hate, spam, political) with numpy inference.

Weights ship in `weights/` as `<name>.npz` + `<name>.json`; `python -m
kaitiaki.checker.models.train NAME` rebuilds them from the shared data folder.
"""

from __future__ import annotations

import functools
import threading
from pathlib import Path

from kaitiaki.checker.models.model import ModelError, TextModel

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
MODEL_NAMES = ("abusive", "hate", "spam", "political")

_loaded: dict[str, TextModel] = {}
_lock = threading.Lock()


def available_models() -> list[str]:
    """Names of the models whose weight files are shipped."""
    return list(_shipped())


# Looked up once per process: the checker asks for every item, and eight file-system look-ups per
# check were a tenth of the check API's time.
@functools.cache
def _shipped() -> tuple[str, ...]:
    return tuple(
        name
        for name in MODEL_NAMES
        if (WEIGHTS_DIR / f"{name}.npz").exists() and (WEIGHTS_DIR / f"{name}.json").exists()
    )


def load_model(name: str) -> TextModel:
    """The shipped model `name`, loaded once per process."""
    model = _loaded.get(name)
    if model is not None:
        return model
    if name not in MODEL_NAMES:
        raise ModelError(f"unknown model {name!r}; known models: {', '.join(MODEL_NAMES)}")
    with _lock:
        if name not in _loaded:
            _loaded[name] = TextModel.from_files(name, WEIGHTS_DIR)
        return _loaded[name]


__all__ = ["MODEL_NAMES", "ModelError", "TextModel", "WEIGHTS_DIR", "available_models", "load_model"]
