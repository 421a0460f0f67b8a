"""The policy checker: pure Item -> Result. Imports nothing of the database or the web.

    from kaitiaki.checker import load_pack, check, check_many
    pack = load_pack("dpmc")                      # a bundled pack's name or a pack folder; cached
    result = check({"kind": "post", "text": "Vote National on Saturday!"}, pack)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from kaitiaki.checker.engine import CompiledPack, check_item, check_items, compile_pack
from kaitiaki.checker.items import Item, Result
from kaitiaki.policy.loader import read_pack, resolve_pack_path


def load_pack(name_or_path: str | Path) -> CompiledPack:
    """Load, validate and compile a pack once per process (per folder)."""
    return _load_resolved(resolve_pack_path(name_or_path))


@lru_cache(maxsize=16)
def _load_resolved(path: Path) -> CompiledPack:
    return compile_pack(read_pack(path))


load_pack.cache_clear = _load_resolved.cache_clear  # type: ignore[attr-defined]


def check(item: Item | Mapping[str, Any], pack: CompiledPack | str | Path) -> Result:
    """Check one item. Raises `BadInput` for a missing or unknown kind, a text over the limit, or a
    post with nothing to check."""
    return check_item(item, pack if isinstance(pack, CompiledPack) else load_pack(pack))


def check_many(items: Iterable[Item | Mapping[str, Any]], pack: CompiledPack | str | Path) -> list[Result]:
    """Check items in order; a bad item raises `BadInput` naming its index."""
    return check_items(items, pack if isinstance(pack, CompiledPack) else load_pack(pack))


__all__ = ["CompiledPack", "check", "check_many", "compile_pack", "load_pack"]
