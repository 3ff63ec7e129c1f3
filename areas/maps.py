"""A map of Thailand's 77 provinces, drawn as SVG on the server and shaded by a figure (a choropleth).

The boundaries are geoBoundaries' simplified ADM1 file (``areas/data/thailand-provinces.topojson``, ODbL-1.0,
"© OpenStreetMap contributors, geoBoundaries"; see ``areas/data/thailand-provinces.SOURCE.md``). The file is decoded
once per process into one SVG path per province (:func:`geometry`), so a page only classes the values, picks colours
and joins strings. Provinces are matched by their DOPA code: the feature ``TH-50`` is the province ``50``.

``province_map(values, title=..., unit=...)`` returns a :class:`ProvinceMap`; the template
``areas/includes/province_map.html`` draws it with its legend, the attribution and a table of the same figures.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django import urls
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from .models import Province

TOPOJSON_FILE = Path(__file__).parent / "data" / "thailand-provinces.topojson"
ATTRIBUTION = "© OpenStreetMap contributors, geoBoundaries"
LICENCE_NAME = "ODbL 1.0"
LICENCE_URL = "https://opendatacommons.org/licenses/odbl/1-0/"
# The drawing's height in SVG units; the width follows from the country's shape (about 381).
VIEW_HEIGHT = 700
MARGIN = 4
# Simplification tolerance in SVG units: well under a screen pixel when the map is drawn 400 to 600 pixels tall.
TOLERANCE = 0.35

# ColorBrewer's YlGnBu, sequential and safe for the common kinds of colour blindness, light (low) to dark (high).
# Light shades are set apart from the white page by the dark outline every province and legend swatch has.
PALETTES = {
    1: ["#41b6c4"],
    2: ["#a1dab4", "#225ea8"],
    3: ["#edf8b1", "#7fcdbb", "#2c7fb8"],
    4: ["#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"],
    5: ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"],
    6: ["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"],
    7: ["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"],
}
MAX_BINS = max(PALETTES)
OUTSIDE_FILL = "#eceff3"  # outside the person's area: not shaded at all


@dataclass(frozen=True)
class Geometry:
    """Every province's outline in the map's own coordinates (``0 0 width height``)."""

    width: int
    height: int
    paths: dict[str, str]  # DOPA code → SVG path data
    names_en: dict[str, str]  # DOPA code → the file's English name (a fallback only)

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Undo the quantisation and the delta encoding: every arc as a list of (longitude, latitude)."""
    (scale_x, scale_y), (shift_x, shift_y) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def _simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas–Peucker: keep the ends, and any point farther than ``tolerance`` from the line through its kept
    neighbours. Arcs are simplified before rings are joined, so a border two provinces share stays the same line."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        farthest, distance = None, tolerance
        for i in range(first + 1, last):
            px, py = points[i]
            d = abs(dy * (px - x1) - dx * (py - y1)) / length if length else math.hypot(px - x1, py - y1)
            if d > distance:
                farthest, distance = i, d
        if farthest is not None:
            keep[farthest] = True
            stack.extend(((first, farthest), (farthest, last)))
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def _ring(arcs, indexes: Sequence[int]) -> list[tuple[float, float]]:
    """Join a ring's arcs; a negative index ~i is arc i backwards; each arc starts where the last one ended."""
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def _path(rings) -> str:
    """An SVG path: absolute start, then relative steps rounded to 0.1; repeated points after rounding dropped."""
    parts = []
    for ring in rings:
        # Round each point once, then write the differences, so rounding errors never add up along a ring.
        rounded = []
        for x, y in ring:
            point = (round(x * 10), round(y * 10))
            if not rounded or rounded[-1] != point:
                rounded.append(point)
        if rounded[-1] == rounded[0]:
            rounded.pop()
        if len(rounded) < 3:
            continue  # an islet smaller than a tenth of a unit: invisible at this scale
        (x0, y0), steps = rounded[0], []
        previous = rounded[0]
        for point in rounded[1:]:
            steps.append(f"{_tenths(point[0] - previous[0])} {_tenths(point[1] - previous[1])}")
            previous = point
        parts.append(f"M{_tenths(x0)} {_tenths(y0)}l" + " ".join(steps) + "z")
    return "".join(parts)


def _tenths(value: int) -> str:
    """Write a number of tenths briefly: 12 → '1.2', -3 → '-.3', 20 → '2'."""
    whole, tenth = divmod(abs(value), 10)
    sign = "-" if value < 0 else ""
    if not tenth:
        return f"{sign}{whole}"
    return f"{sign}{whole or ''}.{tenth}"


@functools.cache
def geometry() -> Geometry:
    """Decode the boundary file once: an equirectangular projection with x scaled by cos(mean latitude), y down."""
    topology = json.loads(TOPOJSON_FILE.read_text(encoding="ascii"))
    arcs = _decode_arcs(topology)
    (collection,) = topology["objects"].values()
    lons = [lon for arc in arcs for lon, _ in arc]
    lats = [lat for arc in arcs for _, lat in arc]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    x_factor = math.cos(math.radians((south + north) / 2))
    scale = (VIEW_HEIGHT - 2 * MARGIN) / (north - south)
    width = math.ceil((east - west) * x_factor * scale + 2 * MARGIN)

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (MARGIN + (lon - west) * x_factor * scale, MARGIN + (north - lat) * scale)

    # Project, then simplify each shared arc once (a closed arc, an island, is split in two so its ends stay put).
    arcs = [_simplify_arc([project(lon, lat) for lon, lat in arc]) for arc in arcs]
    paths, names = {}, {}
    for feature in collection["geometries"]:
        code = feature["properties"]["shapeISO"].removeprefix("TH-")
        polygons = feature["arcs"] if feature["type"] == "MultiPolygon" else [feature["arcs"]]
        rings = [_ring(arcs, ring) for polygon in polygons for ring in polygon]
        paths[code] = _path(rings)
        names[code] = feature["properties"]["shapeName"].removesuffix(" Province")
    return Geometry(width=width, height=VIEW_HEIGHT, paths=paths, names_en=names)


def _simplify_arc(points):
    if len(points) > 3 and points[0] == points[-1]:
        middle = len(points) // 2
        return _simplify(points[: middle + 1], TOLERANCE)[:-1] + _simplify(points[middle:], TOLERANCE)
    return _simplify(points, TOLERANCE)


# Classing -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bin:
    low: float  # the bin holds low <= value < high (the last one also holds high)
    high: float
    colour: str
    label: str
    count: int = 0


def quantile_breaks(values: Sequence[float], bins: int) -> list[float]:
    """Inner class breaks so each bin holds about as many provinces: the value at rank floor(i·n/bins), i = 1..bins-1.

    A value equal to a break goes to the upper bin. Many equal values (say 70 provinces at 0 baht) would merge
    bins; then the breaks are taken over the distinct values instead, so the few different ones still stand apart.
    """
    ordered = sorted(values)
    distinct = sorted(set(ordered))
    breaks = _ranked_breaks(ordered, bins)
    wanted = min(bins, len(distinct)) - 1
    if len(breaks) < wanted:
        breaks = _ranked_breaks(distinct, wanted + 1)
    return breaks


def _ranked_breaks(ordered: Sequence[float], bins: int) -> list[float]:
    n = len(ordered)
    breaks: list[float] = []
    for i in range(1, bins):
        value = ordered[(i * n) // bins]
        if value > ordered[0] and (not breaks or value > breaks[-1]):
            breaks.append(value)
    return breaks


def bin_index(value: float, breaks: Sequence[float]) -> int:
    """Which bin a value falls in: the number of inner breaks at or below it."""
    return sum(1 for b in breaks if value >= b)


# Provinces and the map ------------------------------------------------------------------------------------------

NO_DATA = "no-data"
OUTSIDE = "outside"


@dataclass(frozen=True)
class MapProvince:
    code: str
    name: str
    path: str
    url: str
    value: float | None
    text: str  # the value as shown, or "no data" / "outside your area"
    state: str  # "value", NO_DATA or OUTSIDE
    bin: int | None  # index into ProvinceMap.legend when state == "value"
    fill: str  # a colour, or url(#…-nodata)

    @property
    def label(self) -> str:
        """The link's accessible name and the tooltip: "เชียงใหม่: 42.5 %"."""
        return f"{self.name}: {self.text}"


@dataclass(frozen=True)
class ProvinceMap:
    title: str
    unit: str
    description: str
    view_box: str
    provinces: list[MapProvince]  # by DOPA code
    legend: list[Bin]
    no_data_count: int
    outside_count: int
    id: str = "map"  # prefix of the SVG ids, unique on the page
    no_data_fill: str = field(init=False, default="")
    attribution: str = ATTRIBUTION
    licence_name: str = LICENCE_NAME
    licence_url: str = LICENCE_URL

    def __post_init__(self):
        object.__setattr__(self, "no_data_fill", f"url(#{self.id}-nodata)")

    @property
    def rows(self) -> list[MapProvince]:
        """The table beside the map: the same provinces and figures, in the order of their codes."""
        return self.provinces

    @property
    def shaded(self) -> list[MapProvince]:
        return [p for p in self.provinces if p.state == "value"]


def default_format(value) -> str:
    """A figure with thousands separators and at most one decimal (in the page language's number format)."""
    return floatformat(value, "-1g")


def province_map(
    values: Mapping[str, float | Decimal | int | None],
    *,
    title: str,
    unit: str = "",
    description: str = "",
    value_format: Callable[[float], str] = default_format,
    link: Callable[[str], str] | None = None,
    bins: int = 5,
    breaks: Sequence[float] | None = None,
    reverse: bool = False,
    outside: frozenset[str] | set[str] = frozenset(),
    map_id: str = "map",
    names: Mapping[str, str] | None = None,
    notes: Mapping[str, str] | None = None,
) -> ProvinceMap:
    """Shade the 77 provinces by ``values`` (DOPA code → figure; a missing code or None means "no data").

    Bins are quantiles of the values shown (``bins`` of them, at most 7), or fixed inner ``breaks`` (e.g.
    ``[25, 50, 75, 100]`` for progress in %). ``reverse`` makes the darkest shade the lowest value. Provinces in
    ``outside`` are outside the person's area: neither shaded nor counted. ``names`` (code → name) saves the query
    for the provinces' names in the page language; ``notes`` (code → text) says why a province has no figure
    ("No target") instead of "no data".
    """
    shapes = geometry()
    if names is None:
        names = {p.code: p.name for p in Province.objects.only("code", "name_th", "name_en")}
    link = link or (lambda code: urls.reverse("areas:province", args=[code]))
    shown = {
        code: float(value)
        for code, value in values.items()
        if value is not None and code in shapes.paths and code not in outside
    }
    if breaks is not None:
        inner = sorted(float(b) for b in breaks)
    else:
        inner = quantile_breaks(list(shown.values()), max(1, min(bins, MAX_BINS))) if shown else []
    count = len(inner) + 1
    if count > MAX_BINS:
        raise ValueError(f"at most {MAX_BINS} bins")
    palette = PALETTES[count][::-1] if reverse else PALETTES[count]
    members: list[list[float]] = [[] for _ in range(count)]
    provinces = []
    no_data = outside_count = 0
    no_data_fill = f"url(#{map_id}-nodata)"
    for code in sorted(shapes.paths):
        name = names.get(code) or shapes.names_en[code]
        if code in outside:
            state, text, index, fill = OUTSIDE, _("outside your area"), None, OUTSIDE_FILL
            outside_count += 1
        elif code in shown:
            value = shown[code]
            index = bin_index(value, inner)
            members[index].append(value)
            state, fill = "value", palette[index]
            text = value_format(value) + (f" {unit}" if unit else "")
        else:
            state, index, fill = NO_DATA, None, no_data_fill
            text = (notes or {}).get(code) or _("no data")
            no_data += 1
        provinces.append(
            MapProvince(
                code=code,
                name=name,
                path=shapes.paths[code],
                url=link(code),
                value=shown.get(code),
                text=text,
                state=state,
                bin=index,
                fill=fill,
            )
        )
    legend = _legend(inner, members, palette, value_format, fixed=breaks is not None) if shown or breaks else []
    return ProvinceMap(
        title=title,
        unit=unit,
        description=description,
        view_box=shapes.view_box,
        provinces=provinces,
        legend=legend,
        no_data_count=no_data,
        outside_count=outside_count,
        id=map_id,
    )


def _legend(inner, members, palette, value_format, *, fixed: bool) -> list[Bin]:
    """One legend entry per bin: fixed bins by their bounds ("< 25", "25 – < 50", "≥ 100"); quantile bins by the
    lowest and highest value they hold ("12.5 – 18"), so entries never overlap."""
    entries = []
    for index, held in enumerate(members):
        low = inner[index - 1] if index else (min(held) if held else 0.0)
        high = inner[index] if index < len(inner) else (max(held) if held else low)
        if fixed:
            if index == 0:
                label = f"< {value_format(high)}" if inner else _("all values")
            elif index == len(inner):
                label = f"≥ {value_format(low)}"
            else:
                label = f"{value_format(low)} – < {value_format(high)}"
        elif not held:  # cannot happen: every quantile break is a value shown
            label = "–"
        else:
            low, high = min(held), max(held)
            label = value_format(low) if low == high else f"{value_format(low)} – {value_format(high)}"
        entries.append(Bin(low=low, high=high, colour=palette[index], label=label, count=len(held)))
    return entries
