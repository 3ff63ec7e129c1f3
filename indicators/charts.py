"""Bar charts drawn on the server as small inline SVGs: no chart library, nothing to download."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass
class Bar:
    label: str
    url: str | None
    value: Decimal | None
    width: float  # percent of the chart's width
    marker: float | None  # where the expected value sits, percent of the width
    goal: float | None  # where the target sits, percent of the width
    band: str | None
    caption: str
    note: str = ""  # why there is no band: no target for the year, or no results yet


def _pct(value, scale) -> float | None:
    if value is None or not scale:
        return None
    return round(min(float(value) / float(scale), 1.0) * 100, 2)


def figure_bars(items, *, label, url, caption) -> list[Bar]:
    """Bars of actual value against expected value and target, on one scale for all rows."""
    items = list(items)
    scale = max(
        [float(v) for item in items for v in (item[1].actual, item[1].target, item[1].expected) if v is not None] or [0]
    )
    return [
        Bar(
            label=label(item),
            url=url(item),
            value=figure.actual,
            width=_pct(figure.actual, scale) or 0,
            marker=_pct(figure.expected, scale),
            goal=_pct(figure.target, scale),
            band=figure.band,
            caption=caption(item),
            note=figure.short_note,
        )
        for item in items
        for figure in [item[1]]
    ]


def progress_bars(items, *, label, url, caption, ceiling: int = 150) -> list[Bar]:
    """Bars of progress in percent of the expected value; the marker shows 100 percent."""
    return [
        Bar(
            label=label(item),
            url=url(item),
            value=item[1].progress,
            width=_pct(item[1].progress, ceiling) or 0,
            marker=_pct(100, ceiling),
            goal=None,
            band=item[1].band,
            caption=caption(item),
            note=item[1].short_note,
        )
        for item in items
    ]
