"""Readers for the labelled data the models are trained on (the shared data folder).

Each reader returns plain lists so the training code stays independent of file formats. Nothing
here is imported at inference time.
"""

from __future__ import annotations

import csv
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

DATA_DIR_ENV = "KAITIAKI_DATA_DIR"


@dataclass
class Labelled:
    texts: list[str] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)  # release id, video name ... for grouped splits

    def add(self, text: str, label: int, group: str = "") -> None:
        self.texts.append(text)
        self.labels.append(label)
        self.groups.append(group)

    def __len__(self) -> int:
        return len(self.texts)


def default_data_dir() -> Path:
    """The shared data folder: $KAITIAKI_DATA_DIR, else ../shared/data beside the repository."""
    if os.environ.get(DATA_DIR_ENV):
        return Path(os.environ[DATA_DIR_ENV])
    repo_root = Path(__file__).resolve().parents[4]
    return repo_root.parent / "shared" / "data"


def _require(path: Path) -> Path:
    if not path.exists():
        raise FileNotFoundError(f"training data not found: {path} (pass --data-dir)")
    return path


def tweeteval(data_dir: Path, task: str, split: str) -> Labelled:
    folder = _require(data_dir / "tweeteval" / task)
    texts = (folder / f"{split}_text.txt").read_text(encoding="utf-8").split("\n")
    labels = (folder / f"{split}_labels.txt").read_text(encoding="utf-8").split()
    texts = texts[: len(labels)]
    data = Labelled()
    for text, label in zip(texts, labels):
        data.add(text, int(label))
    return data


def davidson(data_dir: Path) -> Labelled:
    """Davidson et al.: class 0 hate and 1 offensive are positives, 2 neither is negative."""
    data = Labelled()
    with _require(data_dir / "davidson" / "labeled_data.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            data.add(row["tweet"], 0 if row["class"] == "2" else 1)
    return data


def toxic_spans(data_dir: Path, split: str) -> Labelled:
    """SemEval-2021 toxic spans: every comment was rated toxic by most raters (label 1)."""
    data = Labelled()
    path = _require(data_dir / "toxic_spans" / f"tsd_{split}.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            data.add(row["text"], 1)
    return data


def youtube_spam(data_dir: Path) -> Labelled:
    """YouTube spam collection; group = the video's file name (for leave-one-video-out)."""
    data = Labelled()
    folder = _require(data_dir / "youtube_spam")
    for path in sorted(folder.glob("Youtube*.csv")):
        video = path.stem.split("-", 1)[-1]
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                label = row.get("CLASS", row.get("label"))
                data.add(row["CONTENT"], int(label), video)
    return data


@dataclass(frozen=True, slots=True)
class Release:
    author: str
    date: str
    body: str
    release_id: str


_HEADER_LINE_RE = re.compile(
    r"^\s*(?:\*\*.*\*\*\s*$|=+\s*$|-+\s*$|Press Release:.*$|\[?Scoop.*$)", re.IGNORECASE
)


def release_body(text: str, title: str) -> str:
    """Strip the title, its underline, the Scoop date line and the "Press Release: ..." header."""
    lines = text.split("\n")
    kept = []
    for index, line in enumerate(lines):
        if index < 8 and (line.strip() == title.strip() or _HEADER_LINE_RE.match(line)):
            continue
        kept.append(line)
    return "\n".join(kept).strip()


def press_releases(data_dir: Path, kind: str) -> list[Release]:
    """kind is "party" or "university"."""
    folder = _require(data_dir / "nz_press_releases")
    paths = sorted(folder.glob(f"nz_{kind}_press_releases*.jsonl"))
    if not paths:
        raise FileNotFoundError(f"no {kind} press releases in {folder}")
    releases = []
    for path in paths:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                body = release_body(record["text"], record.get("title", ""))
                releases.append(Release(record["author"], record["date"], body, record["file"]))
    return releases
