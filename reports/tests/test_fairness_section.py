"""The annual (evaluation) report carries the fair-distribution section: the measures and the per-region table."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from areas.models import Province
from budgets.tests.factories import FISCAL_YEAR
from budgets.tests.test_fairness import fair_data  # noqa: F401 - the fixture: known population and budgets
from reports import services, snapshot
from reports.models import ReportKind
from reports.scopes import COUNTRY

from .conftest import pdf_text, thai_key

pytestmark = pytest.mark.django_db
D = Decimal


def test_the_evaluation_snapshot_holds_the_measures_and_the_regions(fair_data):  # noqa: F811
    data, _summary = snapshot.collect(
        kind=ReportKind.EVALUATION, scope=COUNTRY, fiscal_year=FISCAL_YEAR, quarter=None, user=fair_data
    )
    fairness = data["fairness"]
    # The hand computation is in budgets/tests/test_fairness.py (same data set).
    assert fairness["measures"] == {
        "gini_provinces": "0.2525",
        "gini_tambons": "0.3700",
        "decile_ratio": "10.0000",
        "decile_k": 1,
    }
    assert fairness["national_rate"] == "63.75"
    assert [p["key"] for p in fairness["flagged"]] == ["40"]
    north = Province.objects.get(code="50").region.key
    regions = {r["key"]: r for r in fairness["regions"]}
    assert regions[north]["approved"] == "100000.00" and regions[north]["population"] == 1000
    assert regions[north]["approved_per_head"] == "100.00"
    assert fairness["total"]["approved"] == "255000.00"
    # The Lorenz points (cumulative population, cumulative approved): KK, BKK, CM, SK as in test_fairness.
    assert fairness["lorenz"] == [
        ["0.0000", "0.0000"],
        ["0.1250", "0.0196"],
        ["0.6250", "0.4118"],
        ["0.8750", "0.8039"],
        ["1.0000", "1.0000"],
    ]
    # Other kinds of report do not carry it.
    plan, _summary = snapshot.collect(
        kind=ReportKind.PLAN, scope=COUNTRY, fiscal_year=FISCAL_YEAR, quarter=None, user=fair_data
    )
    assert "fairness" not in plan


def test_the_evaluation_workbook_has_the_fairness_sheet(fair_data, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        report, _created = services.request_report(
            kind=ReportKind.EVALUATION, scope=COUNTRY, fiscal_year=FISCAL_YEAR, quarter=None, by=fair_data
        )
    report.refresh_from_db()
    with report.xlsx_file.open("rb") as f:
        book = load_workbook(io.BytesIO(f.read()), read_only=True)
    rows = [tuple(r) for r in book["การกระจายงบประมาณ"].iter_rows(values_only=True)]
    total = next(r for r in rows if "รวมทั้งสิ้น" in r)
    numbers = [v for v in total if isinstance(v, (int, float, Decimal))]
    # population 4,000, households 1,750, requested 335,000, approved 255,000, spent 40,000, 63.75 per head
    assert 4000 in numbers and 1750 in numbers
    assert D("255000") in [D(str(v)) for v in numbers]
    assert D("63.75") in [D(str(v)) for v in numbers]
    text = " ".join(str(c) for r in rows for c in r if c is not None)
    assert "0.2525" in text and "10.0000" in text
    # The PDF has the section too, with the Gini coefficients and the national rate.
    with report.pdf_file.open("rb") as f:
        pdf = thai_key(pdf_text(f.read()))
    assert thai_key("การกระจายงบประมาณอย่างทั่วถึงและเป็นธรรม") in pdf
    assert "0.2525" in pdf and "0.3700" in pdf and "63.75" in pdf
    assert thai_key("เส้นโค้งลอเรนซ์ของงบที่อนุมัติระหว่างจังหวัด") in pdf  # the curve's title, drawn as SVG
