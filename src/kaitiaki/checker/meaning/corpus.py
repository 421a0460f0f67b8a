"""The meaning model's training corpus: labelled items from the project's own files, recorded
public sources, and augmented copies; each source counted in the manifest written with the weights.

* `written`: training/corpus/**/*.jsonl (the case format; items written and labelled for the
  project), and tests/cases/*.jsonl except the held-out meaning_eval.jsonl.
* `examples`: the packs' rule examples (a hit is its rule's category; a miss is a plain item).
* public comment sets from the shared data folder (never copied into the repository):
  Davidson (MIT), Latent Hatred / implicit_hate (CC BY 4.0), toxic_spans (CC0), YouTube spam.
  The Gab Hate Corpus (no licence) and HateCheck (reported on) are never trained on.
* augmentation: upper/lower case, typos, leetspeak, styled Unicode letters, emoji, name swaps.

The validation split is by a hash of the text (fixed), so an item keeps its split as the corpus
grows, and an augmented copy always lands in its original's split.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kaitiaki.checker.models.datasets import davidson, toxic_spans, youtube_spam

EVAL_FILE = "meaning_eval.jsonl"
#: Development sets (training/dev/*.jsonl): written to guide choices while the held-out set stays
#: unread; kept out of training like the held-out set.
DEV_DIR = ("training", "dev")
VALIDATION_SHARE = 0.2
SEED = 20261207

#: The kinds on which each category can be raised (labelling conventions).
CATEGORY_KINDS: dict[str, tuple[str, ...]] = {
    "political_neutrality": ("post", "reply", "interaction", "personal_post"),
    "ministerial_advice": ("post", "reply", "personal_post"),
    "confidential_information": ("post", "reply", "personal_post"),
    "personal_information": ("post", "reply", "comment", "personal_post"),
    "criticism_of_ministerial_policy": ("post", "reply", "personal_post"),
    "personal_view_as_agency": ("post", "reply", "personal_post"),
    "commercial_endorsement": ("post", "reply", "interaction"),
    "interaction_without_business_purpose": ("interaction",),
    "disrespectful_tone": ("post", "reply", "personal_post"),
    "work_disclosure": ("personal_post",),
    "workplace_grievance": ("personal_post",),
    "offensive": ("comment",),
    "threat": ("comment",),
    "hate_or_discrimination": ("comment",),
    "spam": ("comment",),
}
#: Categories that can warn or block on the same kinds: they get a second, "blocks" head.
BLOCK_HEADS: dict[str, tuple[str, ...]] = {
    "political_neutrality": ("post", "reply", "interaction"),
    "commercial_endorsement": ("post", "reply"),
    "disrespectful_tone": ("post", "reply"),
    "offensive": ("comment",),
    "spam": ("comment",),
}


@dataclass
class Record:
    item: dict[str, Any]
    categories: frozenset[str]
    blocked: frozenset[str]  # categories raised at the blocking end
    decision: str
    source: str
    weight: float = 1.0
    group: str = ""
    validation: bool = False
    augmented: str = ""


@dataclass
class Manifest:
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)

    def count(self, source: str, **facts: Any) -> None:
        entry = self.sources.setdefault(source, {"items": 0})
        entry["items"] += 1
        entry.update(facts)


def text_key(item: dict[str, Any]) -> str:
    text = " ".join(str(item.get("text") or "").split()).casefold()
    target = item.get("target") or {}
    return f"{item.get('kind')}|{text}|{' '.join(str(target.get('text') or '').split()).casefold()}"


def plain(text: object) -> str:
    return " ".join(str(text or "").split()).casefold()


def held_out_texts(root: Path) -> set[str]:
    """The held-out and development sets' texts (compared only, to keep them out of training)."""
    paths = [root / "tests" / "cases" / EVAL_FILE, *sorted(root.joinpath(*DEV_DIR).glob("*.jsonl"))]
    texts = set()
    for path in paths:
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                text = plain((json.loads(line).get("item") or {}).get("text"))
            except (json.JSONDecodeError, AttributeError):
                continue
            if text:
                texts.add(text)
    return texts


def _digest(key: str) -> bytes:
    return hashlib.sha256(key.encode("utf-8")).digest()


def is_validation(key: str) -> bool:
    return _digest(key)[0] / 256 < VALIDATION_SHARE


def fold_of(key: str, folds: int) -> int:
    """The cross-validation fold of a text (another byte of the same hash as the split)."""
    return _digest(key)[1] % folds


def blocked_of(categories: Iterable[str], decision: str, item: dict[str, Any]) -> frozenset[str]:
    """Which flagged categories are at the blocking end: the item's decision says so when the
    category can block on its kind (labels carry one decision per item, not per category)."""
    if decision != "block":
        return frozenset()
    kind = item.get("kind")
    out = set()
    for category in categories:
        if category in BLOCK_HEADS and kind in BLOCK_HEADS[category]:
            out.add(category)
    return frozenset(out)


def case_files(root: Path) -> list[Path]:
    corpus = sorted((root / "training" / "corpus").glob("**/*.jsonl"))
    cases = sorted(path for path in (root / "tests" / "cases").glob("*.jsonl") if path.name != EVAL_FILE)
    return corpus + cases


def read_case_file(path: Path, source: str, manifest: Manifest) -> list[Record]:
    records = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                item, expect = data["item"], data["expect"]
                categories = frozenset(expect.get("categories") or ())
                decision = expect["decision"]
            except (json.JSONDecodeError, KeyError, TypeError):
                continue  # a half-written line of a file still being written
            if not isinstance(item, dict) or item.get("kind") not in (
                    "post", "reply", "interaction", "personal_post", "comment"):
                continue
            if item.get("kind") == "interaction" and not str(item.get("business_purpose") or "").strip():
                # the labelling convention (training/corpus/personal/README.md): an interaction with no
                # business purpose has that category whatever else it raises; many items written for
                # another category left it out, which taught the head that a missing purpose is fine
                categories = categories | {"interaction_without_business_purpose"}
            records.append(Record(item, categories, blocked_of(categories, decision, item), decision, source))
            if source == "cases":
                manifest.count("cases", files="tests/cases/*.jsonl except meaning_eval.jsonl")
            else:
                manifest.count(f"written:{path.parent.name}", files=f"training/corpus/{path.parent.name}/*.jsonl")
    return records


def rule_example_records(packs: Iterable[Any], manifest: Manifest) -> list[Record]:
    """Rule examples as items: hits raise the rule's category, misses are plain items."""
    records = []
    for pack in packs:
        for rule in pack.rules:
            if rule.check == "meaning":
                continue
            for group in ("hit", "miss"):
                for example in getattr(rule.examples, group):
                    item = {"kind": rule.applies_to[0], "text": example, "platform": "other"} \
                        if isinstance(example, str) else {"kind": rule.applies_to[0], **example}
                    if group == "hit" and rule.severity != "advise":
                        categories = frozenset({rule.category})
                        blocked = frozenset({rule.category}) if rule.severity == "block" else frozenset()
                        decision = rule.severity
                    else:
                        categories, blocked, decision = frozenset(), frozenset(), "pass"
                    records.append(Record(item, categories, blocked, decision, "examples", weight=0.5))
                    manifest.count("examples", what="rule examples of the bundled packs")
    return records


def _comment(text: str, categories: Iterable[str], source: str, weight: float) -> Record:
    cats = frozenset(categories)
    blocked = frozenset(c for c in cats if c in ("offensive", "threat", "hate_or_discrimination", "spam"))
    return Record({"kind": "comment", "text": text, "platform": "other"}, cats, blocked,
                  "block" if cats else "pass", source, weight=weight)


def public_records(data_dir: Path, manifest: Manifest, per_class: int = 800) -> list[Record]:
    """Sampled public comments (fixed seed); each source down-weighted, being tweets, not NZ."""
    rng = random.Random(SEED)
    records: list[Record] = []

    def take(rows: list[tuple[str, tuple[str, ...]]], source: str, weight: float, licence: str) -> None:
        rng.shuffle(rows)
        by_label: dict[tuple[str, ...], int] = {}
        for text, categories in rows:
            if by_label.get(categories, 0) >= per_class or not text.strip():
                continue
            by_label[categories] = by_label.get(categories, 0) + 1
            records.append(_comment(text, categories, source, weight))
            manifest.count(source, licence=licence, per_label_cap=per_class)

    folder = data_dir / "davidson" / "labeled_data.csv"
    if folder.exists():
        rows = []
        with folder.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                label = {"0": ("hate_or_discrimination",), "1": ("offensive",), "2": ()}[row["class"]]
                rows.append((row["tweet"], label))
        take(rows, "davidson", 0.3, "MIT")
    stage = data_dir / "implicit_hate" / "implicit_hate_v1_stg1_posts.tsv"
    if stage.exists():
        threatening = set()
        stage2 = data_dir / "implicit_hate" / "implicit_hate_v1_stg2_posts.tsv"
        with stage2.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                if row["implicit_class"] == "threatening":
                    threatening.add(row["post"])
        rows = []
        with stage.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                if row["class"] == "not_hate":
                    rows.append((row["post"], ()))
                elif row["post"] in threatening:
                    rows.append((row["post"], ("threat", "hate_or_discrimination")))
                else:
                    rows.append((row["post"], ("hate_or_discrimination",)))
        take(rows, "implicit_hate", 0.3, "CC BY 4.0")
    if (data_dir / "toxic_spans").exists():
        take([(t, ("offensive",)) for t in toxic_spans(data_dir, "train").texts], "toxic_spans", 0.3, "CC0 1.0")
    if (data_dir / "youtube_spam").exists():
        spam = youtube_spam(data_dir)
        take([(t, ("spam",) if label else ()) for t, label in zip(spam.texts, spam.labels)],
             "youtube_spam", 0.3, "UCI YouTube Spam Collection (CC BY 4.0 upstream)")
    return records


__all__ = ["BLOCK_HEADS", "CATEGORY_KINDS", "Manifest", "Record", "case_files", "davidson", "fold_of", "is_validation",
           "public_records", "read_case_file", "rule_example_records", "text_key"]
