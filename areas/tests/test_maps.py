"""The province map: the boundary file decodes into 77 provinces matched by code, and figures are classed, coloured
and tabled as computed by hand."""

import hashlib
import re
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from areas.maps import (
    NO_DATA,
    OUTSIDE,
    OUTSIDE_FILL,
    PALETTES,
    TOPOJSON_FILE,
    bin_index,
    geometry,
    province_map,
    quantile_breaks,
)
from areas.models import Province

REFERENCE_SHA256 = "50a3229a04777aa568fa81445cf58dcf31e7308b14ece371c11fc3bc042016df"


def points_of(path: str) -> list[tuple[float, float]]:
    """Absolute points of a path written as M x y l dx dy … z (several rings)."""
    points = []
    for ring in re.findall(r"M([^l]+)l([^z]*)z", path):
        x, y = (float(n) for n in ring[0].split())
        points.append((x, y))
        steps = [float(n) for n in ring[1].split()]
        for dx, dy in zip(steps[::2], steps[1::2], strict=True):
            x, y = x + dx, y + dy
            points.append((x, y))
    return points


def test_the_boundary_file_is_the_reference_file_byte_for_byte():
    data = TOPOJSON_FILE.read_bytes()
    assert len(data) == 239_491
    assert hashlib.sha256(data).hexdigest() == REFERENCE_SHA256
    note = (Path(TOPOJSON_FILE).parent / "thailand-provinces.SOURCE.md").read_text()
    assert "© OpenStreetMap contributors, geoBoundaries" in note and "ODbL" in note


def test_decoding_gives_77_non_empty_provinces_inside_the_view_box():
    shapes = geometry()
    assert len(shapes.paths) == 77
    assert shapes.height == 700 and 370 <= shapes.width <= 400
    for code, path in shapes.paths.items():
        assert re.fullmatch(r"[0-9]{2}", code)
        points = points_of(path)
        assert len(points) >= 3, code
        assert all(-0.05 <= x <= shapes.width + 0.05 and -0.05 <= y <= shapes.height + 0.05 for x, y in points), code
    # Geography as a reader knows it: Chiang Rai at the top, Yala (Betong) at the bottom, Bangkok between, Ubon east.
    top = {code: min(y for _, y in points_of(path)) for code, path in shapes.paths.items()}
    bottom = {code: max(y for _, y in points_of(path)) for code, path in shapes.paths.items()}
    east = {code: max(x for x, _ in points_of(path)) for code, path in shapes.paths.items()}
    assert min(top, key=top.get) == "57"
    assert max(bottom, key=bottom.get) == "95"
    assert max(east, key=east.get) == "34"
    bangkok = points_of(shapes.paths["10"])
    assert all(135 < x < 170 and 300 < y < 335 for x, y in bangkok)
    # Islands stay: Phuket is a MultiPolygon of several rings.
    assert shapes.paths["83"].count("M") >= 2


def test_decoding_is_done_once():
    assert geometry() is geometry()


@pytest.mark.django_db
def test_every_province_matches_a_feature_by_its_code(reference_data):
    codes = set(Province.objects.values_list("code", flat=True))
    assert len(codes) == 77
    assert codes == set(geometry().paths)
    assert {"10", "38"} <= codes  # Bangkok and Bueng Kan (the newest province, 2554)


def test_quantile_breaks_by_hand():
    assert quantile_breaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5) == [3, 5, 7, 9]
    # Ties: ranks 2 and 4 of [0,0,0,0,5,10] are 0 and 5, one break for three bins; so the breaks come from the
    # distinct values [0, 5, 10] instead: ranks 1 and 2, that is 5 and 10.
    assert quantile_breaks([0, 0, 0, 0, 5, 10], 3) == [5, 10]
    # 75 provinces at 0 and two others: three bins (0 | 251 | 392), not one.
    assert quantile_breaks([0] * 75 + [251, 392], 5) == [251, 392]
    assert quantile_breaks([1, 1, 2, 2], 2) == [2]
    assert quantile_breaks([7, 7, 7], 5) == []
    assert [bin_index(v, [3, 5, 7, 9]) for v in (1, 2.99, 3, 4, 9, 10)] == [0, 0, 1, 1, 4, 4]


def names():
    return {code: f"P{code}" for code in geometry().paths}


def link(code):
    return f"/areas/province/{code}/"


def test_quantile_map_legend_and_no_data_by_hand():
    values = {"10": 1, "11": 2, "12": 3, "13": 4, "14": 5, "15": 6, "16": 7, "17": 8, "18": 9, "19": 10, "20": None}
    m = province_map(values, title="T", unit="%", names=names(), link=link)
    assert [(b.label, b.count, b.colour) for b in m.legend] == [
        ("1 – 2", 2, "#ffffcc"),
        ("3 – 4", 2, "#a1dab4"),
        ("5 – 6", 2, "#41b6c4"),
        ("7 – 8", 2, "#2c7fb8"),
        ("9 – 10", 2, "#253494"),
    ]
    by_code = {p.code: p for p in m.provinces}
    assert by_code["13"].bin == 1 and by_code["13"].fill == "#a1dab4" and by_code["13"].text == "4 %"
    assert by_code["19"].fill == "#253494" and by_code["19"].label == "P19: 10 %"
    # None and missing codes are "no data": hatched, counted, not in any bin.
    assert by_code["20"].state == NO_DATA and by_code["20"].fill == "url(#map-nodata)" and by_code["20"].bin is None
    assert by_code["50"].state == NO_DATA
    assert m.no_data_count == 67 and m.outside_count == 0 and len(m.shaded) == 10
    assert [p.code for p in m.rows] == sorted(geometry().paths)
    assert by_code["50"].url == "/areas/province/50/"


def test_fixed_breaks_reverse_and_outside():
    values = {"10": 0, "11": 24.9, "12": 25, "13": 60, "14": 100, "15": 130, "50": 80}
    m = province_map(
        values, title="T", breaks=[25, 50, 75, 100], reverse=True, outside={"50", "57"}, names=names(), link=link
    )
    assert [(b.label, b.count) for b in m.legend] == [
        ("< 25", 2),
        ("25 – < 50", 1),
        ("50 – < 75", 1),
        ("75 – < 100", 0),
        ("≥ 100", 2),
    ]
    # Reversed: the lowest bin gets the darkest shade.
    assert [b.colour for b in m.legend] == PALETTES[5][::-1]
    by_code = {p.code: p for p in m.provinces}
    assert by_code["10"].fill == "#253494" and by_code["15"].fill == "#ffffcc"
    assert by_code["50"].state == OUTSIDE and by_code["50"].fill == OUTSIDE_FILL and by_code["50"].value is None
    assert by_code["57"].state == OUTSIDE
    assert m.outside_count == 2 and m.no_data_count == 77 - 6 - 2


def test_no_figures_at_all_gives_an_all_hatched_map_and_no_bins():
    m = province_map({}, title="T", names=names(), link=link)
    assert m.legend == [] and m.no_data_count == 77 and not m.shaded


def test_more_bins_than_the_palette_is_refused():
    with pytest.raises(ValueError):
        province_map({"10": 1}, title="T", breaks=list(range(10)), names=names(), link=link)


def rendered(m) -> str:
    with translation.override("en"):
        return render_to_string("areas/includes/province_map.html", {"map": m})


def test_the_drawing_and_the_table_say_the_same(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    values = {"10": 1, "11": 2, "12": 3, "13": 4, "14": 5, "15": 6, "16": 7, "17": 8, "18": 9, "19": 10}
    with translation.override("en"):
        m = province_map(values, title="Progress", unit="%", names=names(), link=link, outside={"50"})
    body = rendered(m)
    assert 'role="group"' in body and "<title" in body and "<desc" in body
    assert "style=" not in body and "<script" not in body
    assert 'href="https://opendatacommons.org/licenses/odbl/1-0/"' in body
    assert "© OpenStreetMap contributors, geoBoundaries" in body
    shapes = dict(
        re.findall(
            r'aria-label="([^"]+)" class="map-province[^"]*"><title>[^<]*</title><path d="[^"]+" fill="([^"]+)"',
            body,
        )
    )
    assert len(shapes) == 77
    rows = re.findall(
        r'<th scope="row"><a href="[^"]+">([^<]+)</a></th><td class="num">(?:<span class="muted">)?([^<]+)<', body
    )
    assert len(rows) == 77
    for name, text in rows:
        assert f"{name}: {text}" in shapes
    assert shapes["P13: 4 %"] == "#a1dab4"
    assert shapes["P50: outside your area"] == OUTSIDE_FILL
    assert shapes["P20: no data"] == "url(#map-nodata)"
