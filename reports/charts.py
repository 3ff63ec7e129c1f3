"""Small inline SVG charts for the PDF reports: progress against target, and a cumulative plan by quarter.

Plain SVG text, so WeasyPrint draws it with the document's own embedded Sarabun font and the output is
the same bytes every time.
"""

from decimal import Decimal
from xml.sax.saxutils import escape  # nosec B406 # escapes our SVG output, parses nothing

WIDTH = 700
LABEL_WIDTH = 250
BAR_HEIGHT = 16
GAP = 8
FONT = 'font-family="Sarabun" font-size="11"'
BAND_COLOURS = {"on_track": "#067647", "at_risk": "#9a6700", "off_track": "#b42318", None: "#98a2b3"}
MAX_LABEL = 42
# Bars per drawing: a drawing cannot break across pages, so a long list is drawn in several.
BARS_PER_CHART = 16


def _label(text: str) -> str:
    text = " ".join(str(text).split())
    return escape(text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…")


def progress_bars(
    items: list[tuple[str, Decimal | None, str | None]], *, title: str, language: str = "th"
) -> list[str]:
    """Draw one horizontal bar per item (its progress in percent, the target of 100 % marked), 16 bars a drawing."""
    chunks = [items[i : i + BARS_PER_CHART] for i in range(0, len(items), BARS_PER_CHART)]
    return [_progress_chart(chunk, title=title if n == 0 else "") for n, chunk in enumerate(chunks)]


def _progress_chart(items: list[tuple[str, Decimal | None, str | None]], *, title: str) -> str:
    top = 28
    scale_max = Decimal(150)
    for _label_text, value, _band in items:
        if value is not None and value > scale_max:
            scale_max = min(Decimal(300), ((value // 50) + 1) * 50)
    plot = WIDTH - LABEL_WIDTH - 70
    height = top + len(items) * (BAR_HEIGHT + GAP) + 24

    def x(value: Decimal) -> float:
        return LABEL_WIDTH + float(min(value, scale_max) / scale_max) * plot

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}">',
        f'<text x="0" y="16" {FONT} font-weight="700">{escape(title)}</text>',
    ]
    for step in range(0, int(scale_max) + 1, 50):
        gx = x(Decimal(step))
        parts.append(f'<line x1="{gx:.1f}" y1="{top - 4}" x2="{gx:.1f}" y2="{height - 20}" stroke="#e4e7ec"/>')
        parts.append(f'<text x="{gx:.1f}" y="{height - 6}" {FONT} text-anchor="middle">{step}%</text>')
    for i, (label, value, band) in enumerate(items):
        y = top + i * (BAR_HEIGHT + GAP)
        parts.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + 12}" {FONT} text-anchor="end">{_label(label)}</text>')
        if value is None:
            parts.append(f'<text x="{LABEL_WIDTH + 4}" y="{y + 12}" {FONT} fill="#667085">–</text>')
            continue
        end = x(max(value, Decimal(0)))
        colour = BAND_COLOURS.get(band, BAND_COLOURS[None])
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{end - LABEL_WIDTH:.1f}" height="{BAR_HEIGHT}" fill="{colour}"/>'
        )
        parts.append(f'<text x="{end + 4:.1f}" y="{y + 12}" {FONT}>{value:,.1f}%</text>')
    target_x = x(Decimal(100))
    parts.append(
        f'<line x1="{target_x:.1f}" y1="{top - 6}" x2="{target_x:.1f}" y2="{height - 20}" '
        'stroke="#1d2733" stroke-width="1.5" stroke-dasharray="4 3"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def quarter_bars(items: list[tuple[str, Decimal]], *, ceiling: Decimal, title: str, language: str = "th") -> list[str]:
    """Draw the cumulative plan of each quarter as a column, with the approved amount as a line."""
    top, bottom, left = 28, 40, 90
    plot_h = 160
    height = top + plot_h + bottom
    biggest = max([ceiling, *[v for _l, v in items]], default=Decimal(0)) or Decimal(1)
    column_w = (WIDTH - left - 20) / max(len(items), 1)

    def y(value: Decimal) -> float:
        return top + plot_h - float(value / biggest) * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}">',
        f'<text x="0" y="16" {FONT} font-weight="700">{escape(title)}</text>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{WIDTH - 10}" y2="{top + plot_h}" stroke="#98a2b3"/>',
    ]
    for i, (label, value) in enumerate(items):
        cx = left + i * column_w + column_w * 0.2
        cw = column_w * 0.6
        vy = y(value)
        parts.append(
            f'<rect x="{cx:.1f}" y="{vy:.1f}" width="{cw:.1f}" height="{top + plot_h - vy:.1f}" fill="#0d6b5e"/>'
        )
        parts.append(f'<text x="{cx + cw / 2:.1f}" y="{vy - 4:.1f}" {FONT} text-anchor="middle">{value:,.2f}</text>')
        parts.append(
            f'<text x="{cx + cw / 2:.1f}" y="{top + plot_h + 16}" {FONT} text-anchor="middle">{_label(label)}</text>'
        )
    if ceiling:
        cy = y(ceiling)
        parts.append(
            f'<line x1="{left}" y1="{cy:.1f}" x2="{WIDTH - 10}" y2="{cy:.1f}" stroke="#c45a12" '
            'stroke-width="1.5" stroke-dasharray="6 3"/>'
        )
        parts.append(f'<text x="{left - 4}" y="{cy + 4:.1f}" {FONT} text-anchor="end">{ceiling:,.0f}</text>')
    parts.append("</svg>")
    return ["".join(parts)]


def lorenz_curve(points: list[tuple[Decimal, Decimal]], *, title: str, x_label: str, y_label: str) -> list[str]:
    """Draw a Lorenz curve: (cumulative share of population, cumulative share of budget) from 0 to 1, with the
    diagonal of an equal amount per head (budgets/fairness.py computes the points)."""
    if len(points) < 2:
        return []
    left, top, size = 70, 28, 260
    height = top + size + 40

    def px(x) -> float:
        return left + float(x) * size

    def py(y) -> float:
        return top + size - float(y) * size

    curve = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in points)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}">',
        f'<text x="0" y="16" {FONT} font-weight="700">{escape(title)}</text>',
        f'<rect x="{left}" y="{top}" width="{size}" height="{size}" fill="none" stroke="#98a2b3"/>',
        f'<line x1="{left}" y1="{top + size}" x2="{left + size}" y2="{top}" stroke="#667085" stroke-dasharray="4 3"/>',
        f'<polyline points="{curve}" fill="none" stroke="#0d6b5e" stroke-width="2"/>',
        f'<text x="{left}" y="{top + size + 16}" {FONT}>0%</text>',
        f'<text x="{left + size}" y="{top + size + 16}" {FONT} text-anchor="end">100%</text>',
        f'<text x="{left + size / 2:.0f}" y="{top + size + 32}" {FONT} text-anchor="middle">{_label(x_label)}</text>',
        f'<text x="{left - 6}" y="{top + 10}" {FONT} text-anchor="end">100%</text>',
        f'<text x="{left - 6}" y="{top + size}" {FONT} text-anchor="end">0%</text>',
        f'<text x="{left + size + 16}" y="{top + size / 2:.0f}" {FONT}>{_label(y_label)}</text>',
        "</svg>",
    ]
    return ["".join(parts)]
