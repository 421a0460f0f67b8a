"""Shared plumbing for the scripts that build lexicon files from /work/shared/data.

The generated files are data that an agency reviews and edits like the hand-written lexicons, so
they are written in the same compact, stable layout (one entry per block, lists in flow style) and
validated against the pack schema before anything is written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kaitiaki.errors import PackError
from kaitiaki.policy.schema import Lexicon

REPO_ROOT = Path(__file__).resolve().parents[3]
DPMC_LEXICONS = Path(__file__).resolve().parent / "packs" / "dpmc" / "lexicons"
ENTRY_KEYS = ("name", "type", "aliases", "case_sensitive", "needs_context", "context", "handles", "domains",
              "attributes", "source", "as_of")


def default_data_dir() -> Path:
    """`KAITIAKI_DATA_DIR`, else `../shared/data` next to the repository."""
    configured = os.environ.get("KAITIAKI_DATA_DIR")
    return Path(configured) if configured else REPO_ROOT.parent / "shared" / "data"


def fold(text: str) -> str:
    """Case- and diacritic-insensitive key, for de-duplicating names the way the matcher sees them."""
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return json.dumps(str(value), ensure_ascii=False)


def _flow(value: Any) -> str:
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{key}: {_flow(item)}" for key, item in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_flow(item) for item in value) + "]"
    return _scalar(value)


def render_lexicon(header: Mapping[str, Any], entries: Iterable[Mapping[str, Any]], comment: str = "") -> str:
    """The YAML text of a lexicon, validated against the pack schema first."""
    entries = list(entries)
    document = {**header, "entries": entries}
    try:
        Lexicon.model_validate(document)
    except ValidationError as error:
        raise PackError(f"generated lexicon {header.get('name')!r} is invalid: {error}") from error
    lines = [f"# {line}".rstrip() for line in comment.strip().splitlines()] if comment else []
    lines.append(f"name: {header['name']}")
    lines.append(f"title: {_scalar(header['title'])}")
    lines.append(f"version: {_scalar(str(header['version']))}")
    if header.get("description"):
        lines.append(f"description: {_scalar(header['description'])}")
    lines.append(f"exclude: {_flow(list(header.get('exclude', [])))}")
    lines.append("entries:")
    for entry in entries:
        first = True
        for key in ENTRY_KEYS:
            value = entry.get(key)
            if value in (None, [], {}):
                continue
            lines.append(f"{'  - ' if first else '    '}{key}: {_flow(value)}")
            first = False
    return "\n".join(lines) + "\n"


def write_if_changed(path: Path, text: str) -> bool:
    """Write `text` to `path` unless it already holds exactly that; True when written."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def run_builder(argv: list[str] | None, *, description: str, module: str, output: Path,
                build: Callable[[Path], str]) -> int:
    """The command line every lexicon builder shares: build from the data folder, then write the
    lexicon, or with `--check` exit 1 when the committed file is out of date."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--data-dir", type=Path, default=default_data_dir())
    parser.add_argument("--output", type=Path, default=output)
    parser.add_argument("--check", action="store_true", help="exit 1 if the output file is out of date")
    args = parser.parse_args(argv)
    try:
        text = build(args.data_dir)
    except PackError as error:
        print(f"error: {error.detail}", file=sys.stderr)
        return 2
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date; run python -m {module}")
            return 1
        return 0
    changed = write_if_changed(args.output, text)
    print(f"{'wrote' if changed else 'unchanged'} {args.output} ({text.count(chr(10) + '  - name:')} entries)")
    return 0
