"""Which pack checks which item. An agency's main pack checks its channels' posts, replies,
interactions and comments; a personal post goes to the pack of personal-use guidance. A `PackSet`
holds the main pack and, unless a pack was chosen explicitly, falls back to the bundled packs for
kinds the main pack does not check (loaded only when such an item arrives)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from kaitiaki.checker import CompiledPack, load_pack
from kaitiaki.checker.engine import check_item, coerce_item
from kaitiaki.checker.items import Item, Result
from kaitiaki.errors import BadInput
from kaitiaki.policy import bundled_pack_names


class PackSet:
    def __init__(self, primary: CompiledPack, fallbacks: Sequence[str | Path] = ()) -> None:
        self.primary = primary
        self._fallback_names = [name for name in fallbacks if str(name) != primary.name]
        self._loaded: list[CompiledPack] = [primary]
        self._by_kind: dict[str, CompiledPack | None] = {}

    @classmethod
    def open(cls, name_or_path: str | Path, *, fallbacks: bool = True) -> PackSet:
        """The pack `name_or_path`, with the bundled packs behind it when `fallbacks`."""
        return cls(load_pack(name_or_path), bundled_pack_names() if fallbacks else ())

    @property
    def packs(self) -> list[CompiledPack]:
        """The packs loaded so far (the primary first)."""
        return list(self._loaded)

    def load_all(self) -> list[CompiledPack]:
        for name in self._fallback_names:
            self._load(name)
        return self.packs

    def pack_for(self, kind: str) -> CompiledPack | None:
        if kind not in self._by_kind:
            self._by_kind[kind] = self._find(kind)
        return self._by_kind[kind]

    def _find(self, kind: str) -> CompiledPack | None:
        if kind in self.primary.by_kind:
            return self.primary
        for name in self._fallback_names:
            pack = self._load(name)
            if kind in pack.by_kind:
                return pack
        return None

    def _load(self, name: str | Path) -> CompiledPack:
        pack = load_pack(name)
        if pack not in self._loaded:
            self._loaded.append(pack)
        return pack

    def check(self, raw: Item | Mapping[str, Any]) -> Result:
        item = coerce_item(raw)
        pack = self.pack_for(item.kind)
        if pack is None:
            kinds = sorted({kind for loaded in self.load_all() for kind in loaded.by_kind})
            raise BadInput(f"no loaded policy pack checks {item.kind} items; the packs check {', '.join(kinds)}")
        return check_item(item, pack)
