"""Small, accessible bar charts drawn on the server as inline SVG: no script, no chart library.

Each chart has a <title> and a <desc> (named by aria-labelledby / aria-describedby) and is
role="img"; the page shows the same numbers in a table next to it, for screen readers and for
anyone who wants the figures.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from markupsafe import Markup, escape

BAR_HEIGHT = 22
GAP = 8
FONT_SIZE = 14
# Wider than the average letter of a sans-serif face at FONT_SIZE, so a label never overruns.
CHAR_WIDTH = 0.62 * FONT_SIZE
LABEL_MAX_CHARS = 48
MIN_LABEL_WIDTH = 120
BAR_AREA = 360
VALUE_WIDTH = 70
BAR_COLOUR = "#1f5f8b"  # 7:1 against white: the bars themselves carry no text
_ids = itertools.count(1)


def bar_chart(title: str, rows: Sequence[tuple[str, int]], *, description: str = "") -> Markup:
    """A horizontal bar chart of (label, value) rows, largest bar full width."""
    number = next(_ids)
    title_id, desc_id = f"chart-{number}-title", f"chart-{number}-desc"
    largest = max((value for _label, value in rows), default=0)
    labels = [_shorten(label) for label, _value in rows]
    label_width = label_column_width(labels)
    width = label_width + BAR_AREA + VALUE_WIDTH
    height = max(1, len(rows)) * (BAR_HEIGHT + GAP) + GAP
    summary = description or ", ".join(f"{label}: {value}" for label, value in rows) or "No data."
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="{title_id}" aria-describedby="{desc_id}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'font-size="{FONT_SIZE}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(summary)}</desc>',
    ]
    if not rows:
        parts.append(f'<text x="0" y="{BAR_HEIGHT}" fill="#333">No data for this period.</text>')
    for index, ((_label, value), label) in enumerate(zip(rows, labels, strict=True)):
        y = GAP + index * (BAR_HEIGHT + GAP)
        bar = 0 if largest == 0 else max(1, round(BAR_AREA * value / largest)) if value else 0
        text_y = y + BAR_HEIGHT * 0.7
        parts.append(f'<text x="{label_width - 8}" y="{text_y:.0f}" text-anchor="end" fill="#222">'
                     f'{escape(label)}</text>')
        parts.append(f'<rect x="{label_width}" y="{y}" width="{bar}" height="{BAR_HEIGHT}" '
                     f'fill="{BAR_COLOUR}"/>')
        parts.append(f'<text x="{label_width + bar + 6}" y="{text_y:.0f}" fill="#222">{value}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def label_column_width(labels: Sequence[str]) -> int:
    """Room for the longest label, so that none is cut off at the chart's left edge."""
    longest = max((len(label) for label in labels), default=0)
    return max(MIN_LABEL_WIDTH, round(longest * CHAR_WIDTH) + 16)


def _shorten(label: str, limit: int = LABEL_MAX_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


__all__ = ["bar_chart", "label_column_width"]
