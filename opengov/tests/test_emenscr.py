"""The eMENSCR export: rows against hand-computed values, column order and Thai headers, the validation list, the
Celery build (eager, idempotent, bad arguments change nothing), scope limits and the pages."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from accounts.tests.factories import (
    budget_viewer,
    central_staff,
    community_rep,
    provincial_coordinator,
    regional_staff,
)
from areas.models import Province, Region
from progress.selectors import project_progress
from reports.scopes import COUNTRY, Scope
from workstreams.models import Project

from .. import emenscr, services
from ..models import EmenscrExport, ExportStatus
from ..tasks import build_emenscr_export
from .conftest import YEAR

pytestmark = pytest.mark.django_db

EXPECTED_HEADERS = [
    "ลำดับ",
    "รหัสโครงการ (พอช.)",
    "ชื่อโครงการ",
    "ปีงบประมาณ",
    "หน่วยงานเจ้าของโครงการ",
    "ผู้รับผิดชอบในพื้นที่",
    "ตำบล",
    "อำเภอ",
    "จังหวัด",
    "รหัสตำบล (กรมการปกครอง)",
    "วันเริ่มต้นโครงการ",
    "วันสิ้นสุดโครงการ",
    "งบประมาณ: ชุมชน (บาท)",
    "งบประมาณ: องค์กรปกครองส่วนท้องถิ่น (บาท)",
    "งบประมาณ: พอช. (บาท)",
    "งบประมาณ: หน่วยงานรัฐอื่น (บาท)",
    "งบประมาณ: ภาคเอกชน (บาท)",
    "งบประมาณ: อื่น ๆ (บาท)",
    "งบประมาณรวม (บาท)",
    "ผลการใช้จ่าย (บาท)",
    "รหัสเป้าหมายแผนย่อย (Y1)",
    "เป้าหมายแผนย่อย (Y1)",
    "รหัสแผนย่อย",
    "แผนย่อย",
    "แผนแม่บทภายใต้ยุทธศาสตร์ชาติ",
    "รหัสเป้าหมายแผนแม่บท (Y2)",
    "เป้าหมายแผนแม่บท (Y2)",
    "รหัสเป้าหมายยุทธศาสตร์ชาติ (Z)",
    "เป้าหมายยุทธศาสตร์ชาติ (Z)",
    "ยุทธศาสตร์ชาติ",
    "เป้าหมายแผนย่อยรอง (Y1)",
    "ตัวชี้วัดโครงการ",
    "หน่วยนับ",
    "ค่าเป้าหมาย",
    "ผลการดำเนินงาน",
    "ไตรมาส 1: สถานะ",
    "ไตรมาส 1: ร้อยละความก้าวหน้า",
    "ไตรมาส 2: สถานะ",
    "ไตรมาส 2: ร้อยละความก้าวหน้า",
    "ไตรมาส 3: สถานะ",
    "ไตรมาส 3: ร้อยละความก้าวหน้า",
    "ไตรมาส 4: สถานะ",
    "ไตรมาส 4: ร้อยละความก้าวหน้า",
    "ร้อยละความก้าวหน้าล่าสุด",
]


def expected_row_a(world) -> list:
    """Project A by hand: budgets of 2569 only, Q1 (30/100 + 10/40)/2 = 27.50 %, Q2 (60/100 + 10/40)/2 = 42.50 %;
    the submitted Q3 does not count."""
    return [
        1,
        "CODI-500101-2568-1",
        "=HYPERLINK(กลุ่มออมทรัพย์)",
        YEAR,
        "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)",
        "สภาองค์กรชุมชนตำบลสันพระเนตร",
        "ตำบลศรีภูมิ",
        "อำเภอเมืองเชียงใหม่",
        "เชียงใหม่",
        "500101",
        "01/10/2568",
        "30/09/2569",
        Decimal("10000"),
        Decimal("0"),
        Decimal("50000"),
        Decimal("0"),
        Decimal("0"),
        Decimal("0"),
        Decimal("60000"),
        Decimal("1000"),
        "160101",
        "ผู้ประกอบการฐานรากมีรายได้เพิ่มขึ้น",
        "1601",
        "ผู้ประกอบการฐานราก",
        "(16) เศรษฐกิจฐานราก",
        "160001",
        "รายได้ครัวเรือนฐานรากเพิ่มขึ้น",
        "0401",
        "คนไทยมีโอกาส",
        world["strategy_name"],
        "160102",
        "ครัวเรือนมีรายได้เพิ่ม\nกลุ่มอาชีพ",
        "ครัวเรือน\nกลุ่ม",
        "100.00\n40.00",
        "60.00\n10.00",
        "อยู่ระหว่างดำเนินการ",
        Decimal("27.50"),
        "อยู่ระหว่างดำเนินการ",
        Decimal("42.50"),
        "",
        None,
        "",
        None,
        Decimal("42.50"),
    ]


@pytest.fixture
def known(world, chain):
    return {**world, "strategy_name": chain["strategy"].name_th}


def _rows(user, scope, year=YEAR):
    projects = list(
        emenscr.candidate_projects(user=user, scope=scope, fiscal_year=year).select_related(
            "plan__tambon__district", "plan__tambon__province"
        )
    )
    with translation.override("th"):
        return emenscr.build_rows(projects, year)


def test_headers_are_thai_in_the_documented_order():
    assert emenscr.HEADERS == EXPECTED_HEADERS
    assert len({c.key for c in emenscr.COLUMNS}) == len(emenscr.COLUMNS)


def test_rows_and_problems_are_the_hand_computed_ones(known):
    rows, problems = _rows(central_staff(), COUNTRY)
    assert [r["name"] for r in rows] == ["โครงการกรุงเทพ", "=HYPERLINK(กลุ่มออมทรัพย์)"]  # Bangkok (10) sorts first
    a = next(r for r in rows if r["ref"] == "CODI-500101-2568-1")
    a["row"] = 1
    assert [a[c.key] for c in emenscr.COLUMNS] == expected_row_a(known)
    # The draft plan's project and the project of another year are not considered; B and C cannot be exported.
    with translation.override("th"):
        assert [(p["ref"], p["reasons"]) for p in problems] == [
            ("CODI-500101-2568-2", [gettext("no sub-plan target (Y1) linked")]),
            ("CODI-500101-2568-3", [gettext("no indicator"), gettext("no start or end date")]),
        ]


def test_latest_quarter_percent_is_the_progress_apps_figure(known):
    rows, _problems = _rows(central_staff(), COUNTRY)
    figures = project_progress(Project.objects.filter(pk=known["a"].pk), YEAR)
    a = next(r for r in rows if r["ref"] == "CODI-500101-2568-1")
    assert a["q2_percent"] == figures[known["a"].pk].percent == a["percent"]


def test_a_chain_without_y2_is_a_problem(known, chain):
    chain["y2"].delete()
    rows, problems = _rows(central_staff(), Scope("province", Province.objects.get(code="50")))
    assert rows == []
    with translation.override("th"):
        assert gettext("the master plan has no issue target (Y2) yet") in problems[0]["reasons"]


def test_scope_keeps_to_the_area(known):
    north = Region.objects.get(key="north")
    rows, problems = _rows(regional_staff(), Scope("region", north))
    assert [r["ref"] for r in rows] == ["CODI-500101-2568-1"]
    # Even asked for the whole country, a regional user's rows stay in the region.
    rows, _problems = _rows(regional_staff(), COUNTRY)
    assert [r["ref"] for r in rows] == ["CODI-500101-2568-1"]


def test_export_builds_files_through_celery_once(known, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    staff = central_staff()
    with django_capture_on_commit_callbacks(execute=True):
        export, created = services.request_emenscr_export(scope=COUNTRY, fiscal_year=YEAR, by=staff)
    export.refresh_from_db()
    assert created and export.status == ExportStatus.DONE and export.progress == 100
    assert (export.candidates, export.row_count, export.problem_count) == (4, 2, 2)
    assert [p["ref"] for p in export.problems] == ["CODI-500101-2568-2", "CODI-500101-2568-3"]

    book = load_workbook(export.xlsx_file.path)
    assert book.sheetnames == ["eMENSCR", "ส่งออกไม่ได้", "คำอธิบายคอลัมน์"]
    sheet = list(book["eMENSCR"].iter_rows(values_only=True))
    assert list(sheet[0]) == EXPECTED_HEADERS
    a_row = list(sheet[2])
    assert a_row[2] == "=HYPERLINK(กลุ่มออมทรัพย์)"  # text, never a formula
    assert book["eMENSCR"].cell(row=3, column=3).data_type == "s"
    assert a_row[1] == "CODI-500101-2568-1" and a_row[18] == 60000 and a_row[36] == 27.5
    assert len(list(book["ส่งออกไม่ได้"].iter_rows())) == 3

    raw = export.csv_file.open("rb").read()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert lines[0] == EXPECTED_HEADERS
    assert lines[2][2] == "'=HYPERLINK(กลุ่มออมทรัพย์)"  # neutralised for spreadsheets
    assert lines[2][10:12] == ["01/10/2568", "30/09/2569"]
    assert lines[2][34] == "60.00\n10.00"

    sha = export.xlsx_sha256
    assert build_emenscr_export.delay(export.pk).get() == "nothing to do"
    export.refresh_from_db()
    assert export.xlsx_sha256 == sha and export.attempts == 1


@pytest.mark.parametrize("argument", [None, "", "abc", -1, 0, "1e5", 10**30])
def test_bad_task_arguments_change_nothing(known, argument):
    before = list(EmenscrExport.objects.values_list("pk", "status"))
    assert build_emenscr_export.delay(argument).get() == "refused"
    assert list(EmenscrExport.objects.values_list("pk", "status")) == before


def test_asking_twice_while_it_runs_gives_the_same_export(known, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    staff = central_staff()
    first, created = services.request_emenscr_export(scope=COUNTRY, fiscal_year=YEAR, by=staff)  # not committed yet
    second, again = services.request_emenscr_export(scope=COUNTRY, fiscal_year="๒๕๖๙", by=staff)
    assert created and not again and first.pk == second.pk


def test_scope_and_role_limits(known):
    cm = Scope("province", Province.objects.get(code="50"))
    bangkok = Scope("province", Province.objects.get(code="10"))
    coordinator = provincial_coordinator()
    services.request_emenscr_export(scope=cm, fiscal_year=YEAR, by=coordinator)
    for scope in (bangkok, COUNTRY, Scope("region", Region.objects.get(key="north"))):
        with pytest.raises(PermissionDenied):
            services.request_emenscr_export(scope=scope, fiscal_year=YEAR, by=coordinator)
    for user in (community_rep("500101"), budget_viewer()):
        with pytest.raises(PermissionDenied):
            services.request_emenscr_export(scope=cm, fiscal_year=YEAR, by=user)
    with pytest.raises(ValidationError):
        services.request_emenscr_export(scope=cm, fiscal_year=2026, by=coordinator)  # a C.E. year
    with pytest.raises(ValidationError):
        services.request_emenscr_export(scope=cm, fiscal_year=2500, by=coordinator)
    assert EmenscrExport.objects.count() == 1


def test_pages_follow_and_show_the_validation_list(
    known, client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    coordinator = provincial_coordinator()
    client.force_login(coordinator)
    page = client.get(reverse("opengov:emenscr"))
    assert page.status_code == 200
    assert "ภาคเหนือ" not in [label for label, _c in page.context["form"].fields["scope"].choices]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("opengov:emenscr"), {"scope": "province:50", "fiscal_year": YEAR})
    response = client.get(reverse("opengov:emenscr-detail", args=[EmenscrExport.objects.get().pk]))
    export = EmenscrExport.objects.get()
    assert export.scope_key == "province:50" and export.requested_by == coordinator
    body = response.content.decode()
    assert "โครงการไม่มีเป้าหมาย" in body and "CODI-500101-2568-3" in body
    status = client.get(reverse("opengov:emenscr-status", args=[export.pk])).json()
    assert status["status"] == "done" and status["rows"] == 1 and status["problems"] == 2
    download = client.get(status["files"]["csv"])
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"\xef\xbb\xbf")
    # Another province's coordinator sees nothing of it.
    client.force_login(provincial_coordinator(province_code="10"))
    assert client.get(reverse("opengov:emenscr-detail", args=[export.pk])).status_code == 404
    client.force_login(community_rep("500101"))
    assert client.get(reverse("opengov:emenscr")).status_code == 403
