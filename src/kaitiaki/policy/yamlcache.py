"""A cache of parsed pack files, so a command or a server start does not re-parse a megabyte of
lexicon YAML every time.

An entry is the parsed data of one file as JSON, named by the SHA-256 of the file's bytes (and of
this cache's format), so an edited file is simply a miss. Only files of `MIN_BYTES` or more that
parsed without a problem are stored; files with problems are always parsed, so their errors keep
their lines. Dates are tagged in the JSON; data of any other type outside JSON (times, binary,
sets, non-string keys) is not stored. The cache is an optimisation only: an unreadable, corrupt or
unwritable cache is ignored.

Location: the settings' cache folder (`KAITIAKI_CACHE_DIR`, default `<var_dir>/cache`; an empty
value turns the cache off), read from the environment at each use; entries go in its `packs/`
folder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from kaitiaki.folders import cache_folder_from_environment

CACHE_ENV = "KAITIAKI_CACHE_DIR"
MIN_BYTES = 2 * 1024
# Part of every entry's name: change it when the parsed form or its encoding changes.
FORMAT = b"kaitiaki-yaml-cache-1\0"
_DATE = "\0date"


class _NotJson(Exception):
    pass


def cache_folder() -> Path | None:
    base = cache_folder_from_environment()
    return base / "packs" if base is not None else None


def entry_name(raw: bytes) -> str:
    return hashlib.sha256(FORMAT + raw).hexdigest() + ".json"


def load(raw: bytes) -> tuple[bool, Any]:
    """(True, data) when the file with these bytes is in the cache, else (False, None)."""
    folder = cache_folder()
    if folder is None or len(raw) < MIN_BYTES:
        return False, None
    try:
        text = (folder / entry_name(raw)).read_text(encoding="utf-8")
        return True, json.loads(text, object_hook=_decode_object)
    except (OSError, ValueError):
        return False, None


def store(raw: bytes, data: Any) -> None:
    """Keep `data` as the parsed form of the file with these bytes, where it can be encoded."""
    folder = cache_folder()
    if folder is None or len(raw) < MIN_BYTES:
        return
    try:
        text = json.dumps(_encode(data), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (_NotJson, ValueError):
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # written whole, then renamed: a reader never sees half an entry
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, suffix=".tmp", delete=False) as handle:
            handle.write(text)
        os.replace(handle.name, folder / entry_name(raw))
    except OSError:
        return


def _encode(value: Any) -> Any:
    kind = type(value)
    if value is None or kind in (str, int, float, bool):
        return value
    if kind is dt.date:
        return {_DATE: value.isoformat()}
    if kind is list:
        return [_encode(item) for item in value]
    if kind is dict:
        if _DATE in value or any(type(key) is not str for key in value):
            raise _NotJson("key")
        return {key: _encode(item) for key, item in value.items()}
    raise _NotJson(kind.__name__)


def _decode_object(mapping: dict[str, Any]) -> Any:
    if len(mapping) == 1 and _DATE in mapping:
        return dt.date.fromisoformat(mapping[_DATE])
    return mapping
