"""The dashboard: what needs this person's attention, as a list of panels.

Each feature registers its panels in app.py (`Dashboard([...])`). A panel says who may see it and
how to gather its items from the database; it shows its own empty-state sentence when it has
nothing. A panel that needs the configuration (the time zone, the pack) sets `with_settings` and
is given the app's settings, never reading the environment itself. The dashboard never shows made-up figures: with no panels for a person it says so.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from kaitiaki.config import Settings
from kaitiaki.models import User

Gatherer = Callable[[Session, User], Sequence[Any]]
SettingsGatherer = Callable[[Session, User, Settings], Sequence[Any]]


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    template: str  # renders `panel` and `items`
    empty_text: str
    gather: Gatherer | SettingsGatherer
    roles: frozenset[str] = frozenset()  # empty: every signed-in person
    # For panels that follow from what a person does rather than a role they hold (a poster's
    # drafts, a business owner's decisions): shown only when they have items.
    hide_when_empty: bool = False
    # The gatherer takes the app's settings as a third argument.
    with_settings: bool = False
    # Where the whole list lives (the count on the dashboard links there).
    link: str = ""

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

    def views_for(self, session: Session, user: User, roles: Collection[str],
                  settings: Settings | None = None) -> list[PanelView]:
        views = [
            PanelView(panel=panel, items=list(self._gather(panel, session, user, settings)))
            for panel in self.panels
            if panel.visible_to(roles)
        ]
        return [view for view in views if view.items or not view.panel.hide_when_empty]

    @staticmethod
    def _gather(panel: Panel, session: Session, user: User, settings: Settings | None) -> Sequence[Any]:
        if not panel.with_settings:
            return panel.gather(session, user)
        if settings is None:
            raise ValueError(f"The {panel.key} panel needs the app's settings.")
        return panel.gather(session, user, settings)


__all__ = ["Dashboard", "Gatherer", "Panel", "PanelView", "SettingsGatherer"]
