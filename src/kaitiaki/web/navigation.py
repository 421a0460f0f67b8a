"""Navigation by role. app.py lists the items explicitly; each feature adds its own lines there."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    label: str
    path: str
    # Empty: every signed-in person sees the item; otherwise anyone holding one of these roles.
    roles: frozenset[str] = frozenset()

    def visible_to(self, roles: Collection[str]) -> bool:
        return not self.roles or bool(self.roles.intersection(roles))

    def is_current(self, path: str) -> bool:
        if self.path == "/":
            return path == "/"
        return path == self.path or path.startswith(self.path.rstrip("/") + "/")


def items_for(items: Iterable[NavItem], roles: Collection[str]) -> list[NavItem]:
    return [item for item in items if item.visible_to(roles)]


__all__ = ["NavItem", "items_for"]
