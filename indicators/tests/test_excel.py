import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from accounts.tests.factories import api_client_user, community_rep, provincial_coordinator
from indicators import services
from indicators.excel import template_workbook
from indicators.models import AreaLevel, Measure, Result, ResultStatus

from .factories import IndicatorFactory, ResultFactory

pytestmark = pytest.mark.django_db

HEADER = ["indicator_code", "area_code", "fiscal_year", "quarter", "value", "note"]


def xlsx(rows, header=HEADER, name="results.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


@pytest.fixture
def indicator(reference_data):
    return IndicatorFactory(code="UPLOAD-TEST")


def test_dry_run_lists_every_error_by_row_and_column_and_saves_nothing(indicator):
    coordinator = provincial_coordinator("50")
    IndicatorFactory(code="YES-NO", measure=Measure.YES_NO)
    upload = xlsx(
        [
            ["UPLOAD-TEST", "500105", 2565, 2, 12, "ok"],
            ["NOPE", "500105", 2565, 2, 1, ""],
            ["UPLOAD-TEST", "999999", 2565, 2, 1, ""],
            ["UPLOAD-TEST", "570101", 2565, 2, 1, "Chiang Rai: not this coordinator's"],
            ["UPLOAD-TEST", "500106", 65, 5, "many", ""],
            ["YES-NO", "500107", 2565, 2, 3, ""],
            ["UPLOAD-TEST", "500105", 2565, 2, 4, "the same as row 2"],
        ]
    )
    report = services.import_results(upload=upload, by=coordinator, dry_run=True)
    assert not report.ok and report.rows == 7
    assert [(e.row, e.column) for e in report.errors] == [
        (3, "indicator_code"),
        (4, "area_code"),
        (5, "area_code"),
        (6, "fiscal_year"),
        (6, "quarter"),
        (6, "value"),
        (7, "value"),
        (8, "area_code"),
    ]
    assert "999999" in report.errors[1].message
    assert not Result.objects.exists()


def test_saving_is_all_or_nothing(indicator):
    coordinator = provincial_coordinator("50")
    bad = xlsx([["UPLOAD-TEST", "500105", 2565, 2, 12, ""], ["UPLOAD-TEST", "500106", 2565, 2, "x", ""]])
    report = services.import_results(upload=bad, by=coordinator, dry_run=False)
    assert not report.ok
    assert not Result.objects.exists()
    good = xlsx([["UPLOAD-TEST", "500105", 2565, 2, 12, "แปลงผัก"], ["UPLOAD-TEST", "500106", 2565, 2, 7, None]])
    checked = services.import_results(upload=good, by=coordinator, dry_run=True)
    assert checked.ok and (checked.created, checked.updated) == (2, 0) and not Result.objects.exists()
    saved = services.import_results(upload=good, by=coordinator, dry_run=False)
    assert saved.ok and not saved.dry_run and saved.created == 2
    rows = {r.tambon.code: r for r in Result.objects.select_related("tambon")}
    assert rows["500105"].value == 12 and rows["500105"].note == "แปลงผัก"
    assert {r.status for r in rows.values()} == {ResultStatus.SUBMITTED}
    assert rows["500106"].history.get().history_user == coordinator


def test_upload_updates_results_still_with_the_area_and_refuses_approved_ones(indicator):
    rep = community_rep("500105", "500106")
    ResultFactory(
        indicator=indicator, tambon_code="500105", quarter=2, value=1, status=ResultStatus.RETURNED, status_reason="fix"
    )
    ResultFactory(indicator=indicator, tambon_code="500106", quarter=2, value=1, status=ResultStatus.APPROVED)
    upload = xlsx([["UPLOAD-TEST", "500105", 2565, 2, 5, ""], ["UPLOAD-TEST", "500106", 2565, 2, 6, ""]])
    report = services.import_results(upload=upload, by=rep, dry_run=False)
    assert [(e.row, e.column) for e in report.errors] == [(3, "area_code")]
    assert "Approved" in report.errors[0].message
    only_returned = xlsx([["UPLOAD-TEST", "500105", 2565, 2, 5, ""]])
    report = services.import_results(upload=only_returned, by=rep, dry_run=False)
    assert report.ok and report.updated == 1
    result = Result.objects.get(tambon__code="500105")
    assert result.value == 5 and result.status == ResultStatus.SUBMITTED


def test_thai_headers_and_template_columns_are_accepted(indicator):
    content = template_workbook([("500105", "ช้างคลาน")], ["UPLOAD-TEST"], 2565, 2)
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    sheet["E2"] = 9
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("template.xlsx", buffer.getvalue())
    assert services.import_results(upload=upload, by=community_rep("500105"), dry_run=True).ok
    thai = xlsx([["UPLOAD-TEST", "500105", 2565, 2, 9]], header=["รหัสตัวชี้วัด", "รหัสตำบล", "ปีงบประมาณ", "ไตรมาส", "ค่า"])
    assert services.import_results(upload=thai, by=community_rep("500105"), dry_run=True).ok


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (["indicator_code", "area_code", "fiscal_year", "quarter"], "missing columns: value"),
        (HEADER + ["budget"], "unknown columns: budget"),
        (HEADER + ["value"], "repeated columns: value"),
    ],
)
def test_wrong_columns_refuse_the_file(indicator, header, message):
    with pytest.raises(ValidationError, match=message):
        services.import_results(upload=xlsx([], header=header), by=community_rep("500105"))


def test_files_that_are_not_xlsx_are_refused(indicator):
    rep = community_rep("500105")
    cases = [
        SimpleUploadedFile("results.txt", b"indicator_code,area_code\n"),
        SimpleUploadedFile("results.xlsx", b"indicator_code,area_code\n"),
        SimpleUploadedFile("results.xlsx", b"%PDF-1.4 not a workbook"),
        SimpleUploadedFile("results.xlsx", _zip({"hello.txt": b"hi"})),
    ]
    for upload in cases:
        with pytest.raises(ValidationError, match="xlsx"):
            services.import_results(upload=upload, by=rep)


def test_zip_bomb_is_refused_before_it_is_inflated(indicator):
    bomb = _zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"\0" * (20 * 1024 * 1024)})
    assert len(bomb) < 100_000
    with pytest.raises(ValidationError, match="compressed suspiciously"):
        services.import_results(upload=SimpleUploadedFile("bomb.xlsx", bomb), by=community_rep("500105"))


def test_too_big_and_empty_files_are_refused(indicator, settings):
    with pytest.raises(ValidationError, match="no data rows"):
        services.import_results(upload=xlsx([]), by=community_rep("500105"))
    settings.UPLOAD_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="larger than"):
        services.import_results(
            upload=xlsx([["UPLOAD-TEST", "500105", 2565, 2, 1, ""]] * 50), by=community_rep("500105")
        )


def test_read_only_accounts_cannot_upload(indicator):
    with pytest.raises(PermissionDenied, match="This account is read-only"):
        services.import_results(upload=xlsx([["UPLOAD-TEST", "500105", 2565, 2, 1, ""]]), by=api_client_user())


def test_province_reported_indicator_takes_province_codes(reference_data):
    IndicatorFactory(code="PROV-IND", reporting_level=AreaLevel.PROVINCE)
    upload = xlsx([["PROV-IND", "50", 2565, 1, 1, ""], ["PROV-IND", "500105", 2565, 1, 1, ""]])
    report = services.import_results(upload=upload, by=provincial_coordinator("50"), dry_run=True)
    assert [(e.row, e.column) for e in report.errors] == [(3, "area_code")]


def _zip(members: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_workbook_with_xml_entities_is_refused(indicator):
    """openpyxl parses through defusedxml (pinned in requirements), so an entity expansion never runs."""
    good = xlsx([["UPLOAD-TEST", "500105", 2565, 2, 1, ""]]).read()
    source = zipfile.ZipFile(io.BytesIO(good))
    members = {name: source.read(name) for name in source.namelist()}
    sheet = members["xl/worksheets/sheet1.xml"].decode()
    laughs = '<!DOCTYPE x [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    members["xl/worksheets/sheet1.xml"] = (laughs + sheet).encode()
    with pytest.raises(ValidationError, match="cannot be read"):
        services.import_results(upload=SimpleUploadedFile("laughs.xlsx", _zip(members)), by=community_rep("500105"))


def test_template_rows_with_nothing_reported_are_skipped_not_errors(indicator):
    rep = community_rep("500105", "500106")
    upload = xlsx(
        [
            ["UPLOAD-TEST", "500105", 2565, 2, 12, ""],
            ["UPLOAD-TEST", "500106", 2565, 2, None, None],  # the template's row for an area with nothing yet
            ["UPLOAD-TEST", "500107", 2565, 2, None, None],
        ]
    )
    report = services.import_results(upload=upload, by=rep, dry_run=False)
    assert report.ok and report.rows == 1 and report.created == 1
    assert list(Result.objects.values_list("tambon__code", flat=True)) == ["500105"]


def test_a_formula_without_a_saved_result_and_a_control_character_are_reported_as_such(indicator):
    rep = community_rep("500105", "500106")
    upload = xlsx([["UPLOAD-TEST", "500105", 2565, 2, "=SUM(1,2)", ""]])
    report = services.import_results(upload=upload, by=rep, dry_run=True)
    assert [(e.row, e.column) for e in report.errors] == [(2, "value")] and "formula" in report.errors[0].message
    text = "indicator_code,area_code,fiscal_year,quarter,value,note\r\nUPLOAD-TEST,500106,2565,2,3,a\x01b\r\n"
    report = services.import_results(upload=SimpleUploadedFile("r.csv", text.encode()), by=rep, dry_run=False)
    assert [(e.row, e.column) for e in report.errors] == [(2, "note")] and "U+0001" in report.errors[0].message
    assert not Result.objects.exists()
