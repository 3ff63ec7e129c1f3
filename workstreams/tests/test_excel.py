"""The Excel round trip: real .xlsx files built with openpyxl, uploaded through workstreams.excel."""

import base64
import datetime as dt
import io
import os
import time
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from accounts.tests import factories as users
from areas.models import Subdistrict
from codi_plans.concurrency import EditConflict
from strategies.models import PlanNode
from workstreams import excel, selectors, services
from workstreams.models import PlanStatus, Project, TambonPlan
from workstreams.services import BudgetLineInput, IndicatorInput

pytestmark = pytest.mark.django_db

TRICKY_TEXT = "บ้านน้ำใส\r\nหมู่ที่ ๑๒ “ชุมชนเข้มแข็ง”\tผู้ใหญ่บ้าน ณ ที่นี้ _x000D_ ไม่ใช่การขึ้นบรรทัด 🌾"


def node(code):
    return PlanNode.objects.get(code=code)


@pytest.fixture
def rep(reference_data):
    return users.community_rep("500105")


@pytest.fixture
def plan(rep):
    return services.create_tambon_plan(
        tambon=Subdistrict.objects.get(code="500105"), period_start_be=2563, period_end_be=2565, by=rep
    )


def reload(plan):
    return TambonPlan.objects.get(pk=plan.pk)


def fill(plan, by, projects=8):
    """Write a whole plan through the services, as people would in the browser."""
    services.update_tambon_plan(
        plan=plan,
        by=by,
        expected_revision=reload(plan).revision,
        households=1234,
        population=4321,
        main_occupations="ทำนา ทำสวนลำไย",
        average_household_income=Decimal("152000.50"),
        average_household_debt=Decimal("98000.00"),
        basic_needs="ผ่านเกณฑ์ จปฐ. ร้อยละ 92",
        capital_people="ปราชญ์ชาวบ้าน 12 คน",
        capital_resources="ป่าชุมชน ๓๐๐ ไร่",
        capital_groups="กลุ่มออมทรัพย์ 5 กลุ่ม",
        capital_organizations="กองทุนสวัสดิการชุมชนตำบล",
        vision=TRICKY_TEXT,
    )
    services.set_problems(
        plan=plan,
        by=by,
        expected_revision=reload(plan).revision,
        problems=[{"title": "หนี้สินครัวเรือน", "description": "หนี้นอกระบบ"}, {"title": "=ขาดแหล่งน้ำ"}],
    )
    for n in range(1, projects + 1):
        services.save_project(
            plan=plan,
            by=by,
            expected_revision=reload(plan).revision,
            data={
                "workstream": node("WS-ECONOMY"),
                "goal": node("WS-ECONOMY-G1"),
                "programme": node("WS-ECONOMY-G1-P1"),
                "project_class": ["self", "joint", "support"][n % 3],
                "name": f"โครงการที่ {n} ตลาดสีเขียวชุมชน",
                "rationale": TRICKY_TEXT,
                "objectives": "1. เพิ่มรายได้\n2. ลดรายจ่าย",
                "targets": "ครัวเรือน 50 ครัวเรือน",
                "method": "ประชุม วางแผน ลงมือทำ",
                "start_date": dt.date(2019, 10, 1),
                "end_date": dt.date(2022, 9, 30),
                "responsible_body": "สภาองค์กรชุมชนตำบลช้างคลาน",
                "supporting_agencies": "อบต., พอช.",
                "evaluation": "ติดตามทุกไตรมาส",
                "expected_results": "ชุมชนพึ่งตนเองได้",
            },
            budget_lines=[
                BudgetLineInput(2563, "codi", Decimal("50000.50") + n),
                BudgetLineInput(2564, "local_government", Decimal("1234567.89")),
                BudgetLineInput(2565, "community", Decimal("0.01")),
            ],
            indicators=[
                IndicatorInput("ครัวเรือนที่เข้าร่วม", "ครัวเรือน", Decimal("100"), 2565, baseline=Decimal("12.5")),
                IndicatorInput("รายได้เพิ่มขึ้น", "ร้อยละ", Decimal("10.25"), 2564),
            ],
        )
    return reload(plan)


def upload(content: bytes, name="plan.xlsx"):
    return SimpleUploadedFile(
        name, content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def workbook(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def saved(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def located(result):
    return [(e.sheet, e.row, e.column) for e in result.errors]


def without_revision(snapshot):
    return {k: v for k, v in snapshot.items() if k != "revision"}


def test_export_has_thai_sheets_headers_numbers_dates_and_helpers(plan, rep):
    plan = fill(plan, rep, projects=2)
    wb = workbook(excel.export_plan(plan))
    assert wb.sheetnames == ["แผนตำบล", "ปัญหา", "โครงการ", "งบประมาณ", "ตัวชี้วัด", "รายการอ้างอิง"]
    projects = wb["โครงการ"]
    assert [c.value for c in projects[1]][:6] == ["ลำดับ", "ประเด็นงาน", "เป้าหมาย", "แผนงาน", "ประเภท", "ชื่อโครงการ"]
    assert projects.freeze_panes == "B2" and wb["งบประมาณ"].freeze_panes == "A2"
    assert projects.column_dimensions["F"].width == 40
    assert projects["B2"].value == "WS-ECONOMY" and projects["E2"].value in {"ทำเอง", "ทำร่วม", "ขอสนับสนุน"}
    assert isinstance(projects["K2"].value, dt.datetime) and projects["K2"].is_date
    budget = wb["งบประมาณ"]
    assert [c.value for c in budget[1]] == ["ลำดับโครงการ", "ปีงบประมาณ (พ.ศ.)", "แหล่งงบประมาณ", "จำนวนเงิน (บาท)"]
    assert budget["B2"].value == 2563 and budget["D2"].value == pytest.approx(50001.50)
    assert budget["D2"].number_format == "#,##0.00" and budget["C2"].value == "พอช."
    profile = {row[0].value: row[1].value for row in wb["แผนตำบล"].iter_rows(min_row=2)}
    assert profile["รหัสตำบล"] == "500105" and profile["ช่วงแผน"] == "2563–2565"
    assert profile["ฉบับที่ (revision)"] == plan.revision and profile["จำนวนครัวเรือน"] == 1234
    reference = wb["รายการอ้างอิง"]
    codes = {row[0].value: row[1].value for row in reference.iter_rows(min_row=2) if row[0].value}
    assert codes["WS-ECONOMY"] == "เศรษฐกิจฐานราก" and "WS-HOUSING-G10-P1" in codes
    formulas = [dv.formula1 for dv in projects.data_validations.dataValidation]
    assert any("รายการอ้างอิง" in f for f in formulas)
    # A problem written "=ขาดแหล่งน้ำ" stays text: Excel must never run it as a formula.
    assert wb["ปัญหา"]["B3"].value == "=ขาดแหล่งน้ำ" and wb["ปัญหา"]["B3"].data_type == "s"


def test_export_then_import_changes_nothing(plan, rep):
    plan = fill(plan, rep, projects=8)
    before = selectors.plan_snapshot(plan)
    project_ids = sorted(plan.projects.values_list("id", flat=True))
    history_rows = Project.history.count()

    result = excel.import_plan(file=upload(excel.export_plan(plan)), plan=plan, by=rep, dry_run=False)

    assert result.errors == [] and result.saved
    after = selectors.plan_snapshot(reload(plan))
    assert without_revision(after) == without_revision(before)
    assert after["revision"] == before["revision"] + 1
    assert after["profile"]["vision"] == TRICKY_TEXT and after["projects"][0]["rationale"] == TRICKY_TEXT
    # Unchanged projects keep their rows and gain no history.
    assert sorted(reload(plan).projects.values_list("id", flat=True)) == project_ids
    assert Project.history.count() == history_rows


def test_export_and_import_of_eight_projects_is_quick(plan, rep):
    plan = fill(plan, rep, projects=8)
    started = time.perf_counter()
    content = excel.export_plan(plan)
    exported = time.perf_counter()
    result = excel.import_plan(file=upload(content), plan=plan, by=rep, dry_run=False)
    done = time.perf_counter()
    assert result.saved and result.summary["projects"] == 8 and result.summary["budget_lines"] == 24
    print(f"\nexcel round trip, 8 projects: export {exported - started:.3f} s, import {done - exported:.3f} s")
    assert done - started < 5


def test_empty_template_imports_into_an_empty_draft_with_zero_errors(plan, rep):
    content = excel.export_plan(None)
    dry = excel.import_plan(file=upload(content), plan=plan, by=rep, dry_run=True)
    assert dry.errors == [] and not dry.saved and reload(plan).revision == 1
    result = excel.import_plan(file=upload(content), plan=plan, by=rep, dry_run=False)
    assert result.errors == [] and result.saved and reload(plan).revision == 2
    assert result.summary["projects"] == 0


def test_a_blank_template_cannot_overwrite_a_plan_with_content(plan, rep):
    plan = fill(plan, rep, projects=1)
    result = excel.import_plan(file=upload(excel.export_plan(None)), plan=plan, by=rep, dry_run=False)
    assert located(result) == [("แผนตำบล", 5, "ข้อมูล")] and result.errors[0].code == "template_over_content"
    assert not result.saved and reload(plan).projects.count() == 1


def fill_template(wb, *, projects, budget, indicators, problems=(), profile=None):
    sheet = wb["แผนตำบล"]
    rows = {row[0].value: row[0].row for row in sheet.iter_rows(min_row=2)}
    for label, value in (profile or {}).items():
        sheet.cell(row=rows[label], column=2, value=value)
    for name, rows_ in (("ปัญหา", problems), ("โครงการ", projects), ("งบประมาณ", budget), ("ตัวชี้วัด", indicators)):
        for row in rows_:
            wb[name].append(list(row))
    return wb


CLEAN_PROJECTS = [
    [1, "WS-ECONOMY", "WS-ECONOMY-G1", "WS-ECONOMY-G1-P1", "ทำเอง", "ตลาดนัดชุมชน", "เหตุผล", "วัตถุประสงค์"]
    + ["เป้าหมาย", "วิธีการ", dt.date(2019, 10, 1), dt.date(2020, 9, 30), "สภาองค์กรชุมชน", "อบต.", "ประเมิน", "ผล"],
    [2, "WS-WELFARE", "WS-WELFARE-G1", "WS-WELFARE-G1-P1", "ขอสนับสนุน", "กองทุนสวัสดิการ"],
]
CLEAN_BUDGET = [[1, 2563, "พอช.", 50000], [1, 2564, "ชุมชน", 12500.75], [2, 2565, "องค์กรปกครองส่วนท้องถิ่น", "1,000"]]
CLEAN_INDICATORS = [[1, "จำนวนผู้ค้า", "ราย", 10, 30, 2565], [2, "สมาชิกกองทุน", "คน", None, 500, 2565]]


def clean_file():
    wb = fill_template(
        workbook(excel.export_plan(None)),
        profile={"รหัสตำบล": "500105", "ช่วงแผน": "2563-2565", "จำนวนครัวเรือน": 800, "วิสัยทัศน์": "ตำบลน่าอยู่"},
        problems=[[2, "ขาดน้ำ"], [1, "หนี้สิน", "หนี้นอกระบบ"]],
        projects=CLEAN_PROJECTS,
        budget=CLEAN_BUDGET,
        indicators=CLEAN_INDICATORS,
    )
    return saved(wb)


def test_a_clean_file_is_checked_first_then_saved_all_at_once(plan, rep):
    content = clean_file()
    dry = excel.import_plan(file=upload(content), plan=plan, by=rep, dry_run=True)
    assert dry.errors == [] and not dry.saved
    assert dry.summary["projects"] == 2 and dry.summary["budget_total"] == Decimal("63500.75")
    assert reload(plan).revision == 1 and not reload(plan).projects.exists()

    result = excel.import_plan(file=upload(content), plan=plan, by=rep, dry_run=False)

    assert result.saved and result.summary["revision"] == 2
    plan = reload(plan)
    assert plan.revision == 2 and plan.households == 800 and plan.vision == "ตำบลน่าอยู่"
    assert list(plan.problems.values_list("rank", "title")) == [(1, "หนี้สิน"), (2, "ขาดน้ำ")]
    first, second = plan.projects.order_by("number")
    assert first.start_date == dt.date(2019, 10, 1) and first.project_class == "self"
    assert second.project_class == "support" and second.programme.code == "WS-WELFARE-G1-P1"
    assert sorted(first.budget_lines.values_list("fiscal_year", "source", "amount")) == [
        (2563, "codi", Decimal("50000.00")),
        (2564, "community", Decimal("12500.75")),
    ]
    assert second.indicators.get().baseline is None
    assert plan.history.count() == 2 and plan.history.latest().history_user == rep
    assert first.history.latest().history_user == rep and plan.updated_by == rep


def test_an_upload_with_three_errors_lists_exactly_three_and_saves_nothing(plan, rep):
    plan = fill(plan, rep, projects=1)
    before = selectors.plan_snapshot(plan)
    wb = workbook(excel.export_plan(plan))
    wb["โครงการ"].append([2, "WS-NOPE", None, None, "ทำเอง", "โครงการใหม่"])
    wb["โครงการ"]["B3"].value = "WS-NOPE"
    wb["โครงการ"]["C3"].value = "WS-ECONOMY-G1"  # filled: only the workstream is wrong
    wb["โครงการ"]["D3"].value = "WS-ECONOMY-G1-P1"
    budget = wb["งบประมาณ"]
    budget.cell(row=budget.max_row + 2, column=1, value=1)  # a blank row first: numbering must follow Excel
    budget.cell(row=budget.max_row, column=2, value=2564)
    budget.cell(row=budget.max_row, column=3, value="พอช.")
    budget.cell(row=budget.max_row, column=4, value=-5)
    negative_row = budget.max_row
    indicators = wb["ตัวชี้วัด"]
    indicators.append([9, "ตัวชี้วัดลอย", "ราย", None, 1, 2565])
    indicators.append([2, "ผู้ค้า", "ราย", None, 1, 2565])

    with translation.override("en"):
        result = excel.import_plan(file=upload(saved(wb)), plan=plan, by=rep, dry_run=False)

    assert located(result) == [
        ("โครงการ", 3, "ประเด็นงาน"),
        ("งบประมาณ", negative_row, "จำนวนเงิน (บาท)"),
        ("ตัวชี้วัด", indicators.max_row - 1, "ลำดับโครงการ"),
    ]
    assert negative_row == 6  # header + 3 exported lines + one blank row
    messages = [e.message for e in result.errors]
    assert "“WS-NOPE” is not a workstream code" in messages[0]
    assert "cannot be negative" in messages[1]
    assert "no project number 9" in messages[2]
    assert not result.saved
    assert selectors.plan_snapshot(reload(plan)) == before


PROJECT_1 = [1, "WS-ECONOMY", "WS-ECONOMY-G1", "WS-ECONOMY-G1-P1", "ทำเอง", "ก"]


@pytest.mark.parametrize(
    ("sheet", "row", "column", "code"),
    [
        ("โครงการ", ["x", *PROJECT_1[1:]], "ลำดับ", "not_a_number"),
        ("โครงการ", PROJECT_1, "ลำดับ", "duplicate"),
        ("โครงการ", [1, "WS-ECONOMY", "WS-WELFARE-G1", "WS-ECONOMY-G1-P1"], "เป้าหมาย", "goal_not_in_workstream"),
        ("โครงการ", [1, "WS-ECONOMY", "WS-ECONOMY-G1", "WS-COUNCIL-P01"], "แผนงาน", "programme_not_in_workstream"),
        ("โครงการ", [1, "WS-ECONOMY", "WS-ECONOMY-G9"], "เป้าหมาย", "unknown_code"),
        ("โครงการ", [1, "WS-ECONOMY", "WS-ECONOMY-G1", "WS-X-P1"], "แผนงาน", "unknown_code"),
        ("โครงการ", [1, "WS-ECONOMY", "WS-ECONOMY-G1", "WS-ECONOMY-G1-P1", "ทำบ้าง"], "ประเภท", "bad_class"),
        ("โครงการ", [*PROJECT_1[:5], None], "ชื่อโครงการ", "required"),
        ("งบประมาณ", [1, 2563, "พอช.", "ห้าพัน"], "จำนวนเงิน (บาท)", "not_a_number"),
        ("งบประมาณ", [1, 2563, "พอช.", 10.005], "จำนวนเงิน (บาท)", "too_many_decimals"),
        ("งบประมาณ", [1, 2570, "ชุมชน", 100], "ปีงบประมาณ (พ.ศ.)", "year_outside_period"),
        ("งบประมาณ", [1, 2020, "ชุมชน", 100], "ปีงบประมาณ (พ.ศ.)", "year_not_be"),
        ("งบประมาณ", [1, 2563, "ธนาคาร", 100], "แหล่งงบประมาณ", "bad_source"),
        ("งบประมาณ", [1, 2563, "พอช.", 1], "แหล่งงบประมาณ", "duplicate"),
        ("งบประมาณ", [None, 2564, "พอช.", 1], "ลำดับโครงการ", "required"),
        ("ตัวชี้วัด", [1, "ก", "ราย", None, 5, 2022], "ปีเป้าหมาย", "year_not_be"),
        ("ตัวชี้วัด", [1, "ก", None, None, 5, 2565], "หน่วยนับ", "required"),
        ("ตัวชี้วัด", [1, "ก" * 301, "ราย", None, 5, 2565], "ตัวชี้วัด", "too_long"),
        ("ปัญหา", [1, "ปัญหาซ้ำลำดับ"], "ลำดับ", "duplicate"),
    ],
)
def test_each_kind_of_row_error_is_reported_where_it_is(plan, rep, sheet, row, column, code):
    plan = fill(plan, rep, projects=1)
    wb = workbook(excel.export_plan(plan))
    ws = wb[sheet]
    if sheet == "โครงการ" and code not in {"not_a_number", "duplicate"}:
        for index, value in enumerate(row, start=1):  # change project 1 in place
            ws.cell(row=2, column=index).value = value
        at = 2
    else:
        ws.append(row)
        at = ws.max_row
    result = excel.import_plan(file=upload(saved(wb)), plan=plan, by=rep, dry_run=False)
    assert located(result) == [(sheet, at, column)], result.errors
    assert result.errors[0].code == code
    assert not result.saved and reload(plan).revision == plan.revision


def test_a_project_without_indicators_and_reversed_dates_are_reported(plan, rep):
    wb = workbook(clean_file())
    wb["โครงการ"].append([3, "WS-HOUSING", "WS-HOUSING-G1", "WS-HOUSING-G1-P1", "ทำร่วม", "บ้านมั่นคง"])
    wb["โครงการ"]["K3"].value = dt.date(2020, 10, 1)
    wb["โครงการ"]["L3"].value = dt.date(2020, 1, 1)
    result = excel.import_plan(file=upload(saved(wb)), plan=plan, by=rep, dry_run=True)
    assert [(e.row, e.column, e.code) for e in result.errors] == [
        (3, "วันสิ้นสุด", "bad_dates"),
        (4, "ลำดับ", "no_indicator"),
    ]


def test_dates_typed_as_text_in_buddhist_years_are_read(plan, rep):
    wb = workbook(clean_file())
    wb["โครงการ"]["K2"].value = "1/10/2563"
    wb["โครงการ"]["L2"].value = "๓๐/๙/๒๕๖๔"
    result = excel.import_plan(file=upload(saved(wb)), plan=plan, by=rep, dry_run=False)
    assert result.errors == []
    project = reload(plan).projects.get(number=1)
    assert (project.start_date, project.end_date) == (dt.date(2020, 10, 1), dt.date(2021, 9, 30))


def test_an_unknown_tambon_code_is_refused(plan, rep):
    wb = fill_template(
        workbook(excel.export_plan(None)), profile={"รหัสตำบล": "999999"}, projects=[], budget=[], indicators=[]
    )
    with translation.override("en"):
        result = excel.import_plan(file=upload(saved(wb)), plan=plan, by=rep, dry_run=False)
    assert located(result) == [("แผนตำบล", 2, "ข้อมูล")]
    assert result.errors[0].message == "“999999” is not a known tambon code."
    assert not result.saved and reload(plan).revision == 1


def test_another_tambons_file_and_another_period_are_refused(plan, rep):
    wb = fill_template(
        workbook(excel.export_plan(None)),
        profile={"รหัสตำบล": "500106", "ช่วงแผน": "2566–2568"},
        projects=[],
        budget=[],
        indicators=[],
    )
    result = excel.import_plan(file=upload(saved(wb)), plan=plan, by=rep, dry_run=True)
    assert [e.code for e in result.errors] == ["other_tambon", "other_period"]


def assert_refused(content, plan, by, code, *words, name="plan.xlsx"):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        excel.import_plan(file=upload(content, name), plan=plan, by=by, dry_run=True)
    assert code in {e.code for e in refused.value.error_list}
    message = " ".join(refused.value.messages)
    for word in words:
        assert word in message
    return message


def test_a_text_file_renamed_xlsx_is_refused(plan, rep):
    assert_refused("แผนตำบล,ปัญหา\n1,2\n".encode(), plan, rep, "not_xlsx", "not an Excel workbook")


def test_a_zip_that_is_not_a_workbook_is_refused(plan, rep):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "สวัสดี")
    assert_refused(out.getvalue(), plan, rep, "not_xlsx", "not an Excel workbook")


def test_an_old_xls_file_is_refused_with_advice(plan, rep):
    assert_refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), plan, rep, "not_xlsx", ".xlsx")


def test_a_file_over_the_size_limit_is_refused(plan, rep):
    wb = workbook(excel.export_plan(None))
    noise = wb["ปัญหา"]
    for row in range(2, 2 + 300):  # 300 × 30,000 characters of base64 noise barely compress
        noise.cell(row=row, column=3, value=base64.b64encode(os.urandom(22500)).decode())
    content = saved(wb)
    assert len(content) > settings.UPLOAD_MAX_BYTES
    assert_refused(content, plan, rep, "too_large", "larger than 5 MB")
    # A plain file-like object (no .size) is measured by reading.
    with pytest.raises(ValidationError, match="ไฟล์มีขนาดเกิน"):
        excel.import_plan(file=io.BytesIO(content), plan=plan, by=rep, dry_run=True)


def zip_with_extra_member(content: bytes, name: str, size: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(member, source.read(member))
        with target.open(name, "w", force_zip64=True) as stream:
            chunk = bytes(1024 * 1024)
            for _ in range(size // len(chunk)):
                stream.write(chunk)
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_parsed(plan, rep):
    bomb = zip_with_extra_member(excel.export_plan(None), "xl/worksheets/sheet9.xml", 60 * 1024 * 1024)
    assert len(bomb) < settings.UPLOAD_MAX_BYTES
    assert_refused(bomb, plan, rep, "zip_bomb", "zip bomb")


def test_a_highly_compressed_member_is_refused(plan, rep):
    bomb = zip_with_extra_member(excel.export_plan(None), "xl/media/image1.png", 4 * 1024 * 1024)
    assert_refused(bomb, plan, rep, "zip_bomb")


def test_xml_with_a_dtd_is_refused(plan, rep):
    content = excel.export_plan(None)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/workbook.xml":
                data = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>' + data
            target.writestr(member, data)
    assert_refused(out.getvalue(), plan, rep, "not_xlsx")


def test_a_wrong_column_header_is_refused_naming_it(plan, rep):
    wb = workbook(excel.export_plan(None))
    wb["โครงการ"]["F1"].value = "ชื่อ"
    message = assert_refused(saved(wb), plan, rep, "structure", "โครงการ", "“ชื่อโครงการ”", "“ชื่อ”")
    assert "missing columns" in message and "unexpected columns" in message


def test_a_missing_sheet_and_a_missing_profile_row_are_refused_naming_them(plan, rep):
    wb = workbook(excel.export_plan(None))
    del wb["ตัวชี้วัด"]
    wb["แผนตำบล"]["A17"].value = "วิสัย"
    assert_refused(saved(wb), plan, rep, "structure", "“ตัวชี้วัด”", "“วิสัยทัศน์”")


def test_reordered_columns_are_read_by_their_headers(plan, rep):
    wb = workbook(clean_file())
    budget = wb["งบประมาณ"]
    budget.move_range("A1:A20", cols=5)
    budget.move_range("B1:F20", cols=-1)
    result = excel.import_plan(file=upload(saved(wb)), plan=plan, by=rep, dry_run=True)
    assert result.errors == [] and result.summary["budget_lines"] == 3


def test_a_rep_of_another_tambon_cannot_import(plan, rep):
    other = users.community_rep("500106")
    for dry_run in (True, False):
        with pytest.raises(PermissionDenied, match="คุณไม่มีสิทธิ์แก้ไขแผนของตำบลนี้"):
            excel.import_plan(file=upload(clean_file()), plan=plan, by=other, dry_run=dry_run)
    assert reload(plan).revision == 1


def test_a_submitted_plan_cannot_be_imported_into(plan, rep):
    plan = fill(plan, rep, projects=1)
    content = excel.export_plan(plan)
    services.submit_tambon_plan(plan=plan, by=rep)
    revision = reload(plan).revision
    for dry_run in (True, False):
        with pytest.raises(ValidationError, match="แผนที่อยู่ในสถานะ ส่งแล้ว แก้ไขไม่ได้") as refused:
            excel.import_plan(file=upload(content), plan=plan, by=rep, dry_run=dry_run)
        assert refused.value.code == "read_only"
    assert reload(plan).status == PlanStatus.SUBMITTED and reload(plan).revision == revision


def test_a_file_exported_before_someone_elses_edit_is_refused_with_the_conflict(plan, rep):
    plan = fill(plan, rep, projects=1)
    content = excel.export_plan(plan)
    other = users.community_rep("500105")
    services.update_tambon_plan(plan=plan, by=other, expected_revision=reload(plan).revision, vision="ของอีกคน")
    with pytest.raises(EditConflict) as conflict:
        excel.import_plan(file=upload(content), plan=plan, by=rep, dry_run=False)
    assert conflict.value.changed_by == other
    assert reload(plan).vision == "ของอีกคน"


def test_numbers_written_as_text_with_commas_and_thai_digits_are_read(plan, rep):
    wb = workbook(clean_file())
    wb["งบประมาณ"]["D2"].value = "๕๐,๐๐๐.๕๐"
    result = excel.import_plan(file=upload(saved(wb)), plan=plan, by=rep, dry_run=False)
    assert result.errors == []
    assert reload(plan).projects.get(number=1).budget_lines.get(fiscal_year=2563).amount == Decimal("50000.50")


# Cells the exporter never writes: escapes of NUL, uncalculated formulas, and rows a template numbered in advance.


def test_an_escape_of_a_nul_character_is_refused_with_a_message_not_turned_into_one(plan, rep):
    plan = fill(plan, rep, projects=1)
    wb = workbook(excel.export_plan(plan))
    wb["โครงการ"]["F2"].value = "โครงการ_x0000_แอบแฝง"
    wb["โครงการ"]["G2"].value = "ข้อความ _x0041_ ธรรมดา"  # not an escape the exporter writes: kept as typed
    result = excel.import_plan(file=upload(saved(wb)), plan=plan, by=rep, dry_run=True)
    assert [(e.sheet, e.row, e.column, e.code) for e in result.errors] == [
        ("โครงการ", 2, "ชื่อโครงการ", "illegal_character")
    ]
    assert "U+0000" in result.errors[0].message
    wb["โครงการ"]["F2"].value = "โครงการที่ 1"
    result = excel.import_plan(file=upload(saved(wb)), plan=plan, by=rep, dry_run=False)
    assert result.saved and Project.objects.get(plan=plan).rationale == "ข้อความ _x0041_ ธรรมดา"


def test_a_formula_without_a_saved_result_is_named_as_such_not_as_missing(plan, rep):
    plan = fill(plan, rep, projects=1)
    wb = workbook(excel.export_plan(plan))
    wb["งบประมาณ"]["D2"].value = "=D3+D4"  # openpyxl, like some other programs, saves no result for it
    result = excel.import_plan(file=upload(saved(wb)), plan=plan, by=rep, dry_run=True)
    assert [(e.sheet, e.row, e.column, e.code) for e in result.errors] == [
        ("งบประมาณ", 2, "จำนวนเงิน (บาท)", "formula_without_value")
    ]


def test_template_rows_numbered_in_advance_but_left_blank_are_skipped(plan, rep):
    plan = fill(plan, rep, projects=1)
    before = without_revision(selectors.plan_snapshot(reload(plan)))
    wb = workbook(excel.export_plan(plan))
    for number in range(5, 15):  # someone numbered the rows of each sheet before handing the file out
        wb["ปัญหา"].append([number])
        wb["โครงการ"].append([number])
        wb["งบประมาณ"].append([1])
        wb["ตัวชี้วัด"].append([1])
    result = excel.import_plan(file=upload(saved(wb)), plan=plan, by=rep, dry_run=False)
    assert result.saved, result.errors
    assert without_revision(selectors.plan_snapshot(reload(plan))) == before
