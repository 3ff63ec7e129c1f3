"""Every way a number or a date gets in (a form, the API, an Excel workbook, a CSV file) reads it the Thai way and
refuses hostile input with a message, saving nothing.

Accepted: Thai digits (๑,๕๐๐.๒๕), separators, B.E. dates (๐๑/๑๐/๒๕๖๙). Refused with nothing saved: 1e20, forty
digits, "1,5" and the year 3112.
"""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.tests import factories as users
from indicators import services as indicator_services
from indicators.models import Result
from indicators.tests.factories import IndicatorFactory
from workstreams import excel
from workstreams.models import Project, ProjectBudget, TambonPlan
from workstreams.tests.factories import ProjectFactory, TambonPlanFactory
from workstreams.tests.test_api import project_body as api_project_body
from workstreams.tests.test_views import project_post

pytestmark = pytest.mark.django_db

THAI_AMOUNT, AMOUNT = "๑,๕๐๐.๒๕", Decimal("1500.25")
THAI_DATE, DATE = "๐๑/๑๐/๒๕๖๙", dt.date(2026, 10, 1)
HOSTILE_AMOUNTS = ["1e20", "1" * 40, "1,5"]
FAR_DATE = "01/10/3112"


@pytest.fixture
def rep(reference_data):
    return users.community_rep("500105")


@pytest.fixture
def plan(rep):
    return TambonPlanFactory(period_start_be=2569, period_end_be=2571, created_by=rep, updated_by=rep)


def project_form(plan, *, amount=THAI_AMOUNT, start=THAI_DATE):
    """The project page's form as a person fills it in: Thai digits, day/month/B.E. dates."""
    return project_post(
        plan,
        budget=[{"fiscal_year": "2570", "source": "codi", "amount": amount}],
        indicators=[{"name": "สมาชิกกองทุน", "unit": "คน", "target_value": "๓๐๐", "target_year_be": "2571"}],
        start_date=start,
        end_date="30/09/2570",
    )


# --- forms ---------------------------------------------------------------------------------------------------


def test_the_project_form_reads_thai_digits_and_a_be_date(rep, plan):
    client = Client()
    client.force_login(rep)
    response = client.post(reverse("workstreams:project_new", args=[plan.pk]), project_form(plan))
    assert response.status_code == 302, response.context and response.context["form"].errors
    project = plan.projects.get()
    assert (project.start_date, project.end_date) == (DATE, dt.date(2027, 9, 30))
    assert project.budget_lines.get().amount == AMOUNT
    assert project.indicators.get().target_value == Decimal("300.00")


@pytest.mark.parametrize(
    ("amount", "start", "where"),
    [*((a, THAI_DATE, "budget") for a in HOSTILE_AMOUNTS), (THAI_AMOUNT, FAR_DATE, "start_date")],
)
def test_the_project_form_refuses_hostile_numbers_and_far_years_and_saves_nothing(rep, plan, amount, start, where):
    client = Client()
    client.force_login(rep)
    response = client.post(
        reverse("workstreams:project_new", args=[plan.pk]), project_form(plan, amount=amount, start=start)
    )
    assert response.status_code == 200
    if where == "budget":
        errors = [e for e in response.context["budget"].errors if e]
        assert list(errors[0]) == ["amount"]
    else:
        assert "3112" in response.context["form"].errors["start_date"][0]
    assert not Project.objects.exists()
    plan.refresh_from_db()
    assert plan.revision == 1


def test_thai_digits_typed_into_households_are_kept_not_dropped(rep, plan):
    client = Client()
    client.force_login(rep)
    data = {"revision": plan.revision, "households": "๑,๒๐๐", "population": "๔๑๐๐", "average_household_income": ""}
    response = client.post(reverse("workstreams:edit", args=[plan.pk]), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    plan.refresh_from_db()
    assert (plan.households, plan.population) == (1200, 4100)
    page = client.get(reverse("workstreams:edit", args=[plan.pk])).content.decode()
    assert 'name="households"' in page and 'inputmode="numeric"' in page and 'type="number"' not in page


# --- API -----------------------------------------------------------------------------------------------------


def project_body(plan, *, amount=THAI_AMOUNT, start=THAI_DATE):
    return api_project_body(
        plan,
        start_date=start,
        end_date="2027-09-30",
        budget_lines=[{"fiscal_year": "๒๕๗๐", "source": "codi", "amount": amount}],
        indicators=[{"name": "สมาชิก", "unit": "คน", "target_value": "๓๐๐", "target_year_be": 2571}],
    )


def test_the_api_reads_thai_digits_and_a_be_date(rep, plan):
    client = APIClient()
    client.force_authenticate(rep)
    response = client.post("/api/v1/projects/", project_body(plan), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["start_date"] == "2026-10-01"
    assert ProjectBudget.objects.get().amount == AMOUNT


@pytest.mark.parametrize(
    ("amount", "start", "field"),
    [
        *((a, THAI_DATE, "budget_lines") for a in HOSTILE_AMOUNTS),
        (1e20, THAI_DATE, "budget_lines"),  # a JSON number, not text
        (THAI_AMOUNT, FAR_DATE, "start_date"),
    ],
)
def test_the_api_refuses_hostile_numbers_and_far_years_with_a_400(rep, plan, amount, start, field):
    client = APIClient()
    client.force_authenticate(rep)
    response = client.post("/api/v1/projects/", project_body(plan, amount=amount, start=start), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    assert not Project.objects.exists()


def test_budget_amounts_too_large_for_the_books_are_a_400_not_a_500(reference_data):
    from budgets.tests.factories import DevelopmentIssueFactory, accepted_projects, forwarded_request

    coordinator = users.provincial_coordinator("50")
    request = forwarded_request(coordinator, accepted_projects("500105"), DevelopmentIssueFactory())
    client = APIClient()
    client.force_authenticate(users.central_staff())
    for amount in ("1e30", "9" * 29, "1" * 40, 1e30, "1,5", "NaN"):
        response = client.post(f"/api/v1/budget-requests/{request.pk}/approve/", {"amount": amount}, format="json")
        assert response.status_code == 400, (amount, response.content)
        assert "amount" in response.json()["error"]["fields"]
    request.refresh_from_db()
    assert request.approved_amount is None


# --- Excel -------------------------------------------------------------------------------------------------------


def workbook_with(plan, *, amount, start):
    wb = openpyxl.load_workbook(io.BytesIO(excel.export_plan(plan)))
    wb["โครงการ"]["K2"].value = start
    wb["งบประมาณ"]["D2"].value = amount
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("plan.xlsx", out.getvalue())


@pytest.fixture
def plan_with_project(plan):
    project = ProjectFactory(plan=plan, number=1, start_date=None, end_date=None)
    project.budget_lines.create(fiscal_year=2570, source="codi", amount=Decimal("10.00"))
    project.indicators.create(name="สมาชิก", unit="คน", target_value=Decimal("300"), target_year_be=2571)
    return plan


def test_a_workbook_with_thai_digits_and_a_be_date_is_read(rep, plan_with_project):
    result = excel.import_plan(
        file=workbook_with(plan_with_project, amount=THAI_AMOUNT, start=THAI_DATE),
        plan=plan_with_project,
        by=rep,
        dry_run=False,
    )
    assert result.saved, result.errors
    project = plan_with_project.projects.get()
    assert project.start_date == DATE and project.budget_lines.get().amount == AMOUNT


@pytest.mark.parametrize(
    ("amount", "start", "column"),
    [
        *((a, THAI_DATE, "จำนวนเงิน (บาท)") for a in HOSTILE_AMOUNTS),
        (1e20, THAI_DATE, "จำนวนเงิน (บาท)"),  # a number cell, not text
        (THAI_AMOUNT, FAR_DATE, "วันเริ่ม"),
    ],
)
def test_a_workbook_with_hostile_numbers_or_far_years_is_refused_and_saves_nothing(
    rep, plan_with_project, amount, start, column
):
    before = plan_with_project.revision
    for dry_run in (True, False):  # "check only" and "save" reach the same verdict
        result = excel.import_plan(
            file=workbook_with(plan_with_project, amount=amount, start=start),
            plan=plan_with_project,
            by=rep,
            dry_run=dry_run,
        )
        assert not result.saved and [(e.row, e.column) for e in result.errors] == [(2, column)], result.errors
    assert TambonPlan.objects.get(pk=plan_with_project.pk).revision == before
    assert ProjectBudget.objects.get().amount == Decimal("10.00")


# --- CSV -----------------------------------------------------------------------------------------------------------


def csv_upload(*rows, encoding="utf-8-sig"):
    lines = ["indicator_code,area_code,fiscal_year,quarter,value,note", *rows]
    return SimpleUploadedFile("results.csv", ("\r\n".join(lines) + "\r\n").encode(encoding))


def test_a_csv_with_thai_digits_and_a_be_year_is_read(reference_data):
    IndicatorFactory(code="CSV-TEST")
    rep = users.community_rep("500105")
    report = indicator_services.import_results(
        upload=csv_upload('CSV-TEST,๕๐๐๑๐๕,๒๕๖๙,๑,"๑,๒๐๐",ทำได้ตามแผน'), by=rep, dry_run=False
    )
    assert report.ok and report.created == 1, report.errors
    result = Result.objects.get()
    assert (result.fiscal_year, result.quarter, result.value, result.note) == (
        2569,
        1,
        Decimal("1200.00"),
        "ทำได้ตามแผน",
    )


def test_a_thai_windows_csv_is_read(reference_data):
    IndicatorFactory(code="CSV-TEST")
    upload = csv_upload("CSV-TEST,500105,2569,1,12,บันทึกจาก Excel ภาษาไทย", encoding="cp874")
    report = indicator_services.import_results(upload=upload, by=users.community_rep("500105"), dry_run=False)
    assert report.ok and Result.objects.get().note == "บันทึกจาก Excel ภาษาไทย"


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("CSV-TEST,500105,2569,1,1e20,", "value"),
        (f"CSV-TEST,500105,2569,1,{'1' * 40},", "value"),
        ('CSV-TEST,500105,2569,1,"1,5",', "value"),
        ("CSV-TEST,500105,3112,1,12,", "fiscal_year"),
    ],
)
def test_a_csv_with_hostile_values_is_refused_and_saves_nothing(reference_data, row, column):
    IndicatorFactory(code="CSV-TEST")
    rep = users.community_rep("500105", "500106")
    good = "CSV-TEST,500106,2569,1,5,"
    for dry_run in (True, False):
        report = indicator_services.import_results(upload=csv_upload(good, row), by=rep, dry_run=dry_run)
        assert [(e.row, e.column) for e in report.errors] == [(3, column)]
    assert not Result.objects.exists()
