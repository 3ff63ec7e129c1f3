"""Official population figures: the workbook import (all rows or none), the staff page and the command."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from accounts.tests.factories import central_staff, provincial_coordinator
from areas.models import OfficialPopulation
from areas.services import import_official_population
from codi_plans.spreadsheets import as_text

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(rows, header=("province", "tambon", "population", "households", "year", "source")) -> bytes:
    book = Workbook()
    sheet = book.active
    for r, row in enumerate([header, *rows], start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            if isinstance(value, str):
                as_text(cell, value)  # text stays text, even "=…" (a real formula cell is tested below)
            else:
                cell.value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(content: bytes, name="population.xlsx"):
    return SimpleUploadedFile(name, content, content_type=XLSX)


GOOD = [
    ("50", "", "1,779,254", "๗๕๐,๐๐๐", "2567", "กรมการปกครอง ธ.ค. 2567"),  # Thai digits, separators
    ("เชียงใหม่", "500105", 12345, 4000, 2567, "กรมการปกครอง"),  # a province by Thai name, a tambon by code
    ("จังหวัดสงขลา", "ตำบลบ่อยาง", "๒๐๐", None, "๒๕๖๗", "สำนักงานสถิติแห่งชาติ"),  # names with their level word
    ("10", "", 5_494_932, 3_000_000, 2567, '=HYPERLINK("x")'),  # formula-like text is stored as text
]


def test_a_good_workbook_saves_every_row(reference_data):
    staff = central_staff()
    report = import_official_population(upload=upload(workbook(GOOD)), by=staff)
    assert report.ok and (report.rows, report.created, report.updated) == (4, 4, 0)
    cm = OfficialPopulation.objects.get(province__code="50")
    assert (cm.population, cm.households, cm.year_be, cm.imported_by) == (1779254, 750000, 2567, staff)
    assert OfficialPopulation.objects.get(tambon__code="500105").population == 12345
    bo_yang = OfficialPopulation.objects.get(tambon__code="900101")
    assert (bo_yang.population, bo_yang.households, bo_yang.year_be) == (200, None, 2567)
    assert OfficialPopulation.objects.get(province__code="10").source == '=HYPERLINK("x")'
    # Importing again replaces the figures (history keeps the old ones).
    again = import_official_population(upload=upload(workbook([("50", "", 1800000, None, 2568, "ใหม่")])), by=staff)
    assert (again.created, again.updated) == (0, 1)
    cm.refresh_from_db()
    assert (cm.population, cm.year_be) == (1800000, 2568)
    assert cm.history.count() == 2


def test_a_dry_run_checks_and_saves_nothing(reference_data):
    report = import_official_population(upload=upload(workbook(GOOD)), by=central_staff(), dry_run=True)
    assert report.ok and report.created == 4
    assert not OfficialPopulation.objects.exists()


def test_a_bad_row_saves_nothing_and_every_error_is_named_by_row_and_column(reference_data):
    rows = [
        *GOOD,
        ("99", "", 10, None, 2567, "x"),  # row 6: no such province
        ("50", "900101", 10, None, 2567, "x"),  # row 7: tambon in another province
        ("20", "", "สิบ", None, 2567, "x"),  # row 8: not a number
        ("40", "", 10, 20, 2567, "x"),  # row 9: more households than people
        ("40", "", 10, None, 1999, ""),  # row 10: year not B.E., no source; and Khon Kaen twice
        ("ไม่มีจังหวัดนี้", "", 10, None, 2567, "x"),  # row 11: unknown name
    ]
    report = import_official_population(upload=upload(workbook(rows)), by=central_staff())
    assert not report.ok
    found = {(e.row, e.column) for e in report.errors}
    assert found == {
        (6, "province"),
        (7, "tambon"),
        (8, "population"),
        (9, "households"),
        (10, "year"),
        (10, "source"),
        (10, "province"),
        (11, "province"),
    }
    assert not OfficialPopulation.objects.exists()


def test_wrong_columns_or_not_a_workbook_are_refused(reference_data):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError, match="missing columns: population"):
        import_official_population(upload=upload(workbook([], header=("province", "year", "source"))), by=None)
    with pytest.raises(ValidationError):
        import_official_population(upload=upload(b"not a zip at all"), by=None)
    # Thai headers are accepted.
    thai = workbook([("50", "", 100, 50, 2567, "x")], header=("จังหวัด", "ตำบล", "ประชากร", "ครัวเรือน", "ปี", "แหล่งที่มา"))
    assert import_official_population(upload=upload(thai), by=None).ok


def test_a_formula_cell_is_never_run_nor_taken_for_its_text(reference_data):
    book = Workbook()
    sheet = book.active
    sheet.append(["province", "population", "year", "source"])
    sheet.append(["50", "=1+1", 2567, "x"])  # a formula openpyxl saved without a result: the cell reads as empty
    out = io.BytesIO()
    book.save(out)
    report = import_official_population(upload=upload(out.getvalue()), by=None)
    assert [(e.row, e.column) for e in report.errors] == [(2, "population")]


def test_only_central_staff_import(reference_data):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_official_population(upload=upload(workbook(GOOD)), by=provincial_coordinator("50"))
    assert not OfficialPopulation.objects.exists()


def test_the_page_checks_then_saves(client, reference_data):
    client.force_login(central_staff())
    content = workbook(GOOD)
    response = client.post("/areas/population/", {"file": upload(content), "action": "check"})
    assert response.status_code == 200 and not OfficialPopulation.objects.exists()
    response = client.post("/areas/population/", {"file": upload(content), "action": "save"})
    assert response.status_code == 302 and OfficialPopulation.objects.count() == 4
    bad = workbook([("99", "", 10, None, 2567, "x")])
    response = client.post("/areas/population/", {"file": upload(bad), "action": "save"}, HTTP_ACCEPT_LANGUAGE="th")
    assert response.status_code == 200
    assert "nothing was saved" in response.content.decode() or "ไม่ได้บันทึก" in response.content.decode()


def test_the_template_lists_every_province(client, reference_data):
    client.force_login(provincial_coordinator("50"))
    response = client.get("/areas/population/template.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == ["province", "tambon", "population", "households", "year", "source"]
    assert sheet.max_row == 1 + 77


def test_the_command_imports_the_same_file(tmp_path, reference_data):
    path = tmp_path / "population.xlsx"
    path.write_bytes(workbook([("99", "", 10, None, 2567, "x")]))
    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("import_population", str(path))
    path.write_bytes(workbook(GOOD))
    call_command("import_population", str(path), "--dry-run")
    assert not OfficialPopulation.objects.exists()
    call_command("import_population", str(path))
    assert OfficialPopulation.objects.count() == 4
