"""The transparency figures, counted by a periodic job and kept, so that the public statement (read
by anyone, without signing in) does not count every moderation action and complaint of the last
twelve months on each request.

The page uses the kept figures while they cover the twelve months to today; on a new day, or
before the job has run once, it counts them itself (and does not store them: a page read never
writes). The job counts again every quarter of an hour.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from kaitiaki.checker import CompiledPack
from kaitiaki.models import KeptFigures
from kaitiaki.timeutil import to_local
from kaitiaki.transparency.statement import Figures, count_figures

FIGURES_NAME = "transparency"


def refresh_figures(session: Session, *, pack: CompiledPack, zone: ZoneInfo, now: datetime) -> Figures:
    """Count the figures now and keep them (not committed)."""
    figures = count_figures(session, pack, zone, now)
    kept = session.get(KeptFigures, FIGURES_NAME)
    if kept is None:
        kept = KeptFigures(name=FIGURES_NAME)
        session.add(kept)
    kept.data, kept.counted_at = figures.model_dump(mode="json"), now
    session.flush()
    return figures


def kept_figures(session: Session, today: date) -> Figures | None:
    """The kept figures when they were counted for `today`; None when there are none yet."""
    kept = session.get(KeptFigures, FIGURES_NAME)
    if kept is None:
        return None
    figures = Figures.model_validate(kept.data)
    return figures if figures.last == today else None


def current_figures(session: Session, *, pack: CompiledPack, zone: ZoneInfo, now: datetime) -> Figures:
    return kept_figures(session, to_local(now, zone).date()) or count_figures(session, pack, zone, now)


__all__ = ["FIGURES_NAME", "current_figures", "kept_figures", "refresh_figures"]
