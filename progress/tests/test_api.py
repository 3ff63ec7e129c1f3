"""The progress API: filters, cursor pagination, CSV, the workflow actions and their permissions, query counts."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.tests.factories import budget_viewer, central_staff, community_rep
from areas.models import Subdistrict
from workstreams.tests.factories import ProjectFactory, ProjectIndicatorFactory

from ..models import ProgressStatus, ProjectProgress
from ..selectors import current_period
from .conftest import jpeg_bytes
from .factories import AcceptedPlanFactory, IndicatorActualFactory, ProgressSpendingFactory, ProjectProgressFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/progress-reports/"


def session(user):
    client = APIClient()
    client.force_login(user)
    return client


def _body(project, **extra):
    year, quarter = current_period()
    members = project.indicators.order_by("id").first()
    return {
        "project": project.pk,
        "fiscal_year": str(year),
        "quarter": quarter,
        "activity_status": "under_way",
        "note": "ประชุม",
        "actuals": [{"indicator": members.pk, "value": "๘๐"}],
        "spending": [{"source": "codi", "amount": "1,500"}],
        **extra,
    }


def test_rep_creates_submits_and_coordinator_returns_then_approves(progress_plan, rep, coordinator):
    project = progress_plan.projects.get(number=1)
    response = session(rep).post(URL, _body(project), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "draft" and data["actuals"][0]["value"] == "80.00"
    assert data["spending"] == [{"source": "codi", "amount": "1500.00"}]
    # the same quarter again is refused
    assert session(rep).post(URL, _body(project), format="json").status_code == 400
    pk = data["id"]
    response = session(rep).post(f"{URL}{pk}/submit/", {"revision": data["revision"]}, format="json")
    assert response.json()["status"] == "submitted"
    # the rep cannot approve; the coordinator must give a reason to return
    assert session(rep).post(f"{URL}{pk}/approve/", {}, format="json").status_code == 403
    assert session(coordinator).post(f"{URL}{pk}/return/", {"reason": ""}, format="json").status_code == 400
    response = session(coordinator).post(f"{URL}{pk}/return/", {"reason": "ขอหลักฐาน"}, format="json")
    assert response.json()["status"] == "returned"
    revision = response.json()["revision"]
    # the rep attaches a photo and resubmits with a PATCH
    photo = io.BytesIO(jpeg_bytes())
    photo.name = "a.jpg"
    response = session(rep).post(f"{URL}{pk}/evidence/", {"file": photo}, format="multipart")
    assert response.status_code == 201 and response.json()[0]["kind"] == "photo"
    revision += 1
    stale = session(rep).patch(
        f"{URL}{pk}/", {**_body(project), "revision": revision - 1, "submit": True}, format="json"
    )
    assert stale.status_code == 409
    response = session(rep).patch(
        f"{URL}{pk}/", {**_body(project), "revision": revision, "submit": True}, format="json"
    )
    assert response.json()["status"] == "resubmitted", response.json()
    response = session(coordinator).post(f"{URL}{pk}/approve/", {}, format="json")
    assert response.json()["status"] == "approved"
    # frozen: a PATCH is refused, an amendment needs a reason
    approved = response.json()
    assert session(rep).patch(
        f"{URL}{pk}/", {**_body(project), "revision": approved["revision"]}, format="json"
    ).status_code in (400, 403)
    amend = {**_body(project), "revision": approved["revision"], "reason": ""}
    assert session(coordinator).post(f"{URL}{pk}/amend/", amend, format="json").status_code == 400
    amend["reason"] = "แก้ตัวเลข"
    amend["actuals"] = [{"indicator": project.indicators.order_by("id").first().pk, "value": 90}]
    response = session(coordinator).post(f"{URL}{pk}/amend/", amend, format="json")
    assert response.status_code == 200 and response.json()["actuals"][0]["value"] == "90.00"


def test_nobody_approves_their_own_report_through_the_api(progress_plan, coordinator):
    project = progress_plan.projects.get(number=2)
    body = {**_body(progress_plan.projects.get(number=1)), "project": project.pk, "actuals": [], "submit": True}
    pk = session(coordinator).post(URL, body, format="json").json()["id"]
    response = session(coordinator).post(f"{URL}{pk}/approve/", {}, format="json")
    assert response.status_code == 403
    assert ProjectProgress.objects.get().status == ProgressStatus.SUBMITTED


def test_read_only_and_other_tambon_reps_cannot_write(progress_plan):
    body = _body(progress_plan.projects.get(number=1))
    assert session(budget_viewer()).post(URL, body, format="json").status_code == 403
    assert session(community_rep("100101")).post(URL, body, format="json").status_code == 404
    assert not ProjectProgress.objects.exists()


@pytest.fixture
def many_reports(reference_data):
    """Approved reports in Chiang Mai (tambon 500105) for 2564 Q1 and Q2, and one in Bangkok."""
    plan = AcceptedPlanFactory()
    reports = []
    for n in range(1, 6):
        project = ProjectFactory(plan=plan, number=n)
        indicator = ProjectIndicatorFactory(project=project)
        for quarter in (1, 2):
            report = ProjectProgressFactory(project=project, quarter=quarter)
            IndicatorActualFactory(report=report, indicator=indicator, value=Decimal(quarter * 10))
            ProgressSpendingFactory(report=report, amount=Decimal(100 * n))
            reports.append(report)
    other = AcceptedPlanFactory(tambon=Subdistrict.objects.get(code="100101"))
    ProjectProgressFactory(project=ProjectFactory(plan=other, number=1), quarter=2, status=ProgressStatus.SUBMITTED)
    return reports


def test_filters_cursor_and_csv(many_reports, coordinator):
    client = session(central_staff())
    assert len(client.get(URL).json()["results"]) == 11
    data = client.get(URL, {"province": "50", "quarter": 2, "fiscal_year": 2564}).json()
    assert len(data["results"]) == 5 and {r["quarter"] for r in data["results"]} == {2}
    assert len(client.get(URL, {"status": "submitted"}).json()["results"]) == 1
    assert len(client.get(URL, {"tambon": "100101"}).json()["results"]) == 1
    assert len(client.get(URL, {"workstream": "WS-ECONOMY", "programme": "WS-ECONOMY-G1-P1"}).json()["results"]) == 11
    assert len(client.get(URL, {"project": many_reports[0].project_id}).json()["results"]) == 2
    assert client.get(URL, {"quarter": 7}).status_code == 400
    # cursor pagination walks every row once
    first = client.get(URL, {"page_size": 4}).json()
    seen = [r["id"] for r in first["results"]]
    next_url = first["next"]
    while next_url:
        page = client.get(next_url).json()
        seen += [r["id"] for r in page["results"]]
        next_url = page["next"]
    assert len(seen) == len(set(seen)) == 11
    # CSV
    response = client.get(URL, {"format": "csv", "province": "50"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 10 and rows[0]["province"] == "50"
    # a coordinator of Chiang Mai sees only Chiang Mai
    assert len(session(coordinator).get(URL).json()["results"]) == 10


def test_list_query_count_is_constant(many_reports):
    client = session(central_staff())
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"page_size": 2})
    with CaptureQueriesContext(connection) as many:
        client.get(URL, {"page_size": 11})
    assert len(few) == len(many)
