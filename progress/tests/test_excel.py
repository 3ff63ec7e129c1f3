"""The progress workbook: template for the coordinator's province and quarter, upload all-or-nothing."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from codi_plans.spreadsheets import as_text

from ..excel import import_workbook, template_workbook
from ..models import IndicatorActual, ProgressStatus, ProjectProgress
from ..selectors import current_period

pytestmark = pytest.mark.django_db


def _upload(workbook) -> SimpleUploadedFile:
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("progress.xlsx", out.getvalue())


def _template(user):
    year, quarter = current_period()
    return load_workbook(io.BytesIO(template_workbook(user, year, quarter)))


def _columns(sheet) -> dict:
    return {cell.value: cell.column for cell in sheet[1]}


def test_round_trip_with_thai_digits_saves_and_submits_every_project(progress_plan, coordinator):
    workbook = _template(coordinator)
    projects, indicators = workbook["projects"], workbook["indicators"]
    col = _columns(projects)
    assert projects.max_row == 3  # header + two projects
    year, quarter = current_period()
    assert projects.cell(2, col["fiscal_year"]).value == year
    projects.cell(2, col["activity_status"]).value = "กำลังดำเนินการ"
    projects.cell(2, col["spent_codi"]).value = "๑๒,๓๔๕"
    as_text(projects.cell(2, col["note"]), "=SUM(A1:A2)")
    projects.cell(3, col["activity_status"]).value = "stopped"
    projects.cell(3, col["stop_reason"]).value = "น้ำท่วม"
    projects.cell(3, col["fiscal_year"]).value = "๒" + str(year)[1:].translate(
        str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
    )
    icol = _columns(indicators)
    indicators.cell(2, icol["actual"]).value = "๕๐"
    indicators.cell(3, icol["actual"]).value = 1000
    result = import_workbook(upload=_upload(workbook), by=coordinator)
    assert result.errors == [] and result.saved == 2
    saved = {r.project.number: r for r in ProjectProgress.objects.select_related("project")}
    assert saved[1].status == ProgressStatus.SUBMITTED and saved[1].activity_status == "under_way"
    assert saved[1].spending.get().amount == Decimal(12345)
    assert saved[1].note == "=SUM(A1:A2)"  # text, never a formula
    assert saved[2].activity_status == "stopped" and saved[2].stop_reason == "น้ำท่วม"
    assert sorted(IndicatorActual.objects.values_list("value", flat=True)) == [Decimal(50), Decimal(1000)]
    # the template written now carries what was reported, and the note stays text
    again = _template(coordinator)["projects"]
    cell = again.cell(2, col["note"])
    assert cell.value == "=SUM(A1:A2)" and cell.data_type == "s"


def test_one_bad_row_saves_nothing_and_names_each_row(progress_plan, coordinator):
    workbook = _template(coordinator)
    projects = workbook["projects"]
    col = _columns(projects)
    projects.cell(2, col["activity_status"]).value = "done"
    projects.cell(3, col["activity_status"]).value = "stopped"  # no reason
    projects.cell(3, col["spent_community"]).value = "-10"
    icol = _columns(workbook["indicators"])
    workbook["indicators"].cell(2, icol["indicator_id"]).value = 999999
    workbook["indicators"].cell(2, icol["actual"]).value = 5
    result = import_workbook(upload=_upload(workbook), by=coordinator)
    assert result.saved == 0
    found = {(e.sheet, e.row, e.column) for e in result.errors}
    assert ("projects", 3, "stop_reason") in found
    assert ("projects", 3, "spent_community") in found
    assert ("indicators", 2, "indicator_id") in found
    assert not ProjectProgress.objects.exists()


def test_projects_outside_the_coordinators_province_are_refused(progress_plan, coordinator, other_coordinator):
    workbook = _template(coordinator)
    projects = workbook["projects"]
    projects.cell(2, _columns(projects)["activity_status"]).value = "done"
    result = import_workbook(upload=_upload(workbook), by=other_coordinator)
    assert {e.column for e in result.errors} == {"project_id"}
    assert not ProjectProgress.objects.exists()


def test_approved_reports_are_not_replaced_by_upload(progress_plan, coordinator, rep):
    from ..services import ProgressInput, approve_report, save_report

    year, quarter = current_period()
    project = progress_plan.projects.get(number=2)
    report = save_report(
        project=project, fiscal_year=year, quarter=quarter, data=ProgressInput("done"), by=rep, submit=True
    )
    approve_report(report=report, by=coordinator)
    workbook = _template(coordinator)
    projects = workbook["projects"]
    projects.cell(3, _columns(projects)["activity_status"]).value = "under_way"
    result = import_workbook(upload=_upload(workbook), by=coordinator)
    assert result.saved == 0 and [e.row for e in result.errors] == [3]


def test_the_pages(client, progress_plan, coordinator, rep):
    client.force_login(coordinator)
    year, quarter = current_period()
    response = client.get(reverse("progress:excel_template"), {"fy": year, "q": quarter})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    projects = workbook["projects"]
    projects.cell(2, _columns(projects)["activity_status"]).value = "done"
    response = client.post(reverse("progress:excel_upload"), {"file": _upload(workbook)})
    assert response.status_code == 200
    assert ProjectProgress.objects.count() == 1
    bad = client.post(reverse("progress:excel_upload"), {"file": SimpleUploadedFile("x.xlsx", b"not a zip")})
    assert bad.status_code == 200 and ProjectProgress.objects.count() == 1
    client.force_login(rep)
    assert client.get(reverse("progress:excel_template")).status_code == 403
