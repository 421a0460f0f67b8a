"""`political`: NZ party-political language.

Positives are passages of NZ party press releases, negatives passages of NZ university press
releases (NZ English, often about public policy, but not party-political). Releases are cut into
post-sized passages (1-3 sentences, 100-400 characters) after the Scoop headers and footers are
stripped. Party names are removed from every passage before training so the model learns the
language of party politics rather than the names (the gazetteer finds names); the test is reported
with and without the names.

Splits are by release date, so no release (and no news cycle) is on both sides: train before
2014, validation 2014-2015 (hyper-parameters and threshold), test 2016-2019.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import numpy as np

from kaitiaki.checker.models import datasets as ds
from kaitiaki.checker.models import training as tr
from kaitiaki.checker.models.model import TextModel
from kaitiaki.checker.models.recipes import SEED, Candidate, binary_scores, package_model, select, source

VERSION = "1"
VALIDATION_FROM, TEST_FROM = "2014-01-01", "2016-01-01"
PASSAGES_PER_RELEASE = 2
MIN_CHARS, MAX_CHARS, MAX_SENTENCES = 100, 400, 3
CANDIDATES = [
    Candidate(c=1.0, nb_scaling=True),
    Candidate(c=4.0, nb_scaling=False),
]

_PARTY_NAMES_RE = re.compile(
    r"\b(?:New Zealand|NZ)\s+First\b|\bTe\s+P[aā]ti\s+M[aā]ori\b|\bM[aā]ori\s+Party\b|\bUnited\s+Future\b"
    r"|\bLabour\b|\bNational\b|\bACT\b|\bGreens?\b|\bAlliance\b|\bProgressives?\b|\bParty\b",
)
_MARKDOWN_LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])[\"”’']?\s+(?=[\"“‘']?[A-Z0-9])")
_BOILERPLATE_RE = re.compile(r"scoop|^ends\b|^\W*$|infopages|^find more from", re.IGNORECASE)


def remove_party_names(text: str) -> str:
    return re.sub(r"\s{2,}", " ", _PARTY_NAMES_RE.sub("", text)).strip()


def passages(body: str) -> list[str]:
    """Post-sized passages: consecutive sentences of one paragraph, 1-3 sentences, 100-400 chars."""
    found = []
    for paragraph in re.split(r"\n\s*\n", body):
        paragraph = _MARKDOWN_LINK_RE.sub(r"\1", paragraph).replace("**", "").replace("\n", " ").strip()
        if len(paragraph) < MIN_CHARS or _BOILERPLATE_RE.search(paragraph):
            continue
        group: list[str] = []
        for sentence in _SENTENCE_END_RE.split(paragraph):
            if group and (len(group) == MAX_SENTENCES or len(" ".join([*group, sentence])) > MAX_CHARS):
                found.append(" ".join(group))
                group = []
            group.append(sentence.strip())
        if group:
            found.append(" ".join(group))
    return [text for text in found if MIN_CHARS <= len(text) <= MAX_CHARS]


def _passage_sets(releases: list[ds.Release], label: int, rng: random.Random) -> dict[str, ds.Labelled]:
    sets = {"train": ds.Labelled(), "val": ds.Labelled(), "test": ds.Labelled()}
    for release in releases:
        split = "test" if release.date >= TEST_FROM else "val" if release.date >= VALIDATION_FROM else "train"
        cut = passages(release.body)
        for text in rng.sample(cut, min(PASSAGES_PER_RELEASE, len(cut))):
            sets[split].add(text, label, release.release_id)
    return sets


def build(data_dir: Path) -> TextModel:
    rng = random.Random(SEED)
    party = _passage_sets(ds.press_releases(data_dir, "party"), 1, rng)
    university = _passage_sets(ds.press_releases(data_dir, "university"), 0, rng)
    data = {}
    for split in ("train", "val", "test"):
        merged = ds.Labelled()
        for part in (party[split], university[split]):
            for text, label, group in zip(part.texts, part.labels, part.groups):
                merged.add(text, label, group)
        data[split] = merged
    masked = {split: [remove_party_names(text) for text in data[split].texts] for split in data}
    print("political: " + ", ".join(f"{split} {len(data[split])} passages" for split in data))

    train_rows = tr.featurize(masked["train"])
    train_labels = np.asarray(data["train"].labels)
    chosen = select(
        CANDIDATES, lambda _: (train_rows, train_labels, None), tr.featurize(masked["val"]), data["val"].labels, "f1"
    )

    def scores_on(texts: list[str]) -> np.ndarray:
        return chosen.fit.probability(tr.to_matrix(tr.featurize(texts), chosen.vocabulary))

    threshold = chosen.threshold
    counts = {split: f"{sum(data[split].labels)} party / {len(data[split]) - sum(data[split].labels)} university"
              for split in data}
    meta = {
        "version": VERSION,
        "description": "NZ party-political language (campaigning, attacking or praising parties and their policies).",
        "model": f"logistic regression on word 1-2-grams + char 2-5-grams ({chosen.candidate.label()})",
        "notes": [
            "Trained on press-release passages, not on social media posts: expect weaker recall on short, informal posts.",
            "Party names are removed before training, so names carry no weight; the gazetteer reports names.",
            f"Passages per split: train {counts['train']}, validation {counts['val']}, test {counts['test']}.",
        ],
        "training_data": [
            source(data_dir, "nz_press_releases", "nz_party_press_releases_*.jsonl, nz_university_press_releases_*.jsonl",
                   len(data["train"]), f"training passages (releases before {VALIDATION_FROM})"),
            source(data_dir, "nz_press_releases", "same files", len(data["val"]),
                   f"validation passages ({VALIDATION_FROM} to {TEST_FROM}): model selection and threshold"),
            source(data_dir, "nz_press_releases", "same files", len(data["test"]),
                   f"test passages (from {TEST_FROM}): test report only"),
        ],
        "selection": chosen.table,
        "validation": {"passages, names removed": binary_scores(data["val"].labels, scores_on(masked["val"]), threshold)},
        "test": {
            "passages, names removed": binary_scores(data["test"].labels, scores_on(masked["test"]), threshold),
            "passages, names kept": binary_scores(data["test"].labels, scores_on(data["test"].texts), threshold),
        },
    }
    return package_model("political", chosen.fit, chosen.vocabulary, threshold, meta)
