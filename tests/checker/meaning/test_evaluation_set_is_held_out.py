"""The held-out evaluation set (tests/cases/meaning_eval.jsonl) shares no text with anything the
meaning model is trained on: the written corpus (training/corpus/**/*.jsonl) and the other case
files. Texts are compared case-folded with runs of spaces collapsed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kaitiaki.checker.meaning.corpus import EVAL_FILE, case_files

ROOT = Path(__file__).resolve().parents[3]
EVAL = ROOT / "tests" / "cases" / EVAL_FILE
CORPUS = ROOT / "training" / "corpus"


def texts(path: Path) -> set[str]:
    found = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        text = (json.loads(line).get("item") or {}).get("text") or ""
        if text.strip():
            found.add(" ".join(text.split()).casefold())
    return found


def test_no_evaluation_text_is_in_the_training_data() -> None:
    if not (EVAL.exists() and CORPUS.is_dir()):
        if os.environ.get("CI"):
            pytest.fail(f"CI needs both {EVAL} and {CORPUS}")
        pytest.skip("the evaluation set or the training corpus is not in this checkout")
    held_out = texts(EVAL)
    assert held_out, "the evaluation set is empty"
    overlaps = {path.relative_to(ROOT): sorted(held_out & texts(path)) for path in case_files(ROOT)}
    overlaps = {path: shared for path, shared in overlaps.items() if shared}
    assert not overlaps, "\n".join(f"{path}: {shared[:3]}" for path, shared in overlaps.items())


def test_the_build_never_reads_the_evaluation_set() -> None:
    assert all(path.name != EVAL_FILE for path in case_files(ROOT))
