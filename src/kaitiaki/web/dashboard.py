"""The dashboard: what needs this person's attention, as a list of panels.

Each feature registers its panels in app.py (`Dashboard([...])`). A panel says who may see it and
how to gather its items from the database; it shows its own empty-state sentence when it has
nothing. The dashboard never shows made-up figures: with no panels for a person it says so.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from kaitiaki.models import User

Gatherer = Callable[[Session, User], Sequence[Any]]


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    template: str  # renders `panel` and `items`
    empty_text: str
    gather: Gatherer
    roles: frozenset[str] = frozenset()  # empty: every signed-in person
    # For panels that follow from what a person does rather than a role they hold (a poster's
    # drafts, a business owner's decisions): shown only when they have items.
    hide_when_empty: bool = False

    def visible_to(self, roles: Collection[str]) -> bool:
        return not self.roles or bool(self.roles.intersection(roles))


@dataclass(frozen=True)
class PanelView:
    panel: Panel
    items: Sequence[Any]


class Dashboard:
    def __init__(self, panels: Iterable[Panel]) -> None:
        self.panels: tuple[Panel, ...] = tuple(panels)
        keys = [panel.key for panel in self.panels]
        duplicates = sorted({key for key in keys if keys.count(key) > 1})
        if duplicates:
            raise ValueError(f"Dashboard panel keys must be unique; repeated: {', '.join(duplicates)}")

    def views_for(self, session: Session, user: User, roles: Collection[str]) -> list[PanelView]:
        views = [
            PanelView(panel=panel, items=list(panel.gather(session, user)))
            for panel in self.panels
            if panel.visible_to(roles)
        ]
        return [view for view in views if view.items or not view.panel.hide_when_empty]


__all__ = ["Dashboard", "Gatherer", "Panel", "PanelView"]
