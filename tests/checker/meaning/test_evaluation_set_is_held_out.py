"""The held-out evaluation set (tests/cases/meaning_eval.jsonl) and the development sets
(training/dev/*.jsonl) share no text with anything the meaning model is trained on: the written
corpus (training/corpus/**/*.jsonl) and the other case files. Texts are compared case-folded with
runs of spaces collapsed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kaitiaki.checker.meaning.corpus import DEV_DIR, EVAL_FILE, case_files, held_out_texts

ROOT = Path(__file__).resolve().parents[3]
EVAL = ROOT / "tests" / "cases" / EVAL_FILE
CORPUS = ROOT / "training" / "corpus"
DEV_FILES = sorted(ROOT.joinpath(*DEV_DIR).glob("*.jsonl"))


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


def test_no_development_text_is_in_the_training_data() -> None:
    if not DEV_FILES:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs the development sets in {ROOT.joinpath(*DEV_DIR)}")
        pytest.skip("no development set in this checkout")
    for dev in DEV_FILES:
        written = texts(dev)
        assert written, f"{dev} is empty"
        overlaps = {path.relative_to(ROOT): sorted(written & texts(path)) for path in case_files(ROOT)}
        overlaps = {path: shared for path, shared in overlaps.items() if shared}
        assert not overlaps, "\n".join(f"{path}: {shared[:3]}" for path, shared in overlaps.items())


def test_the_build_drops_development_and_evaluation_texts() -> None:
    dropped = held_out_texts(ROOT)
    for path in [*DEV_FILES, EVAL]:
        if path.exists():
            assert texts(path) <= dropped
