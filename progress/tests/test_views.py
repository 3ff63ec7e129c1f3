"""The progress pages: the rep's quarter page, the form (Thai digits, photo), the queue, detail, amendment."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.tests.factories import budget_viewer
from workstreams.tests.factories import ProjectFactory, TambonPlanFactory

from ..models import IndicatorActual, ProgressStatus, ProjectProgress
from ..selectors import current_period
from ..services import ProgressInput, approve_report, save_report
from .conftest import jpeg_bytes

pytestmark = pytest.mark.django_db


def _form_url(project):
    year, quarter = current_period()
    return reverse("progress:report_form", args=[project.pk, year, quarter])


def test_rep_sees_their_projects_due_this_quarter(client, progress_plan, rep):
    draft = TambonPlanFactory(tambon=progress_plan.tambon, period_start_be=2590, period_end_be=2592)
    ProjectFactory(plan=draft, name="โครงการในแผนที่ยังไม่รับ")
    client.force_login(rep)
    response = client.get(reverse("progress:home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "กลุ่มออมทรัพย์ชุมชน" in body and "ตลาดชุมชนสีเขียว" in body
    assert "โครงการในแผนที่ยังไม่รับ" not in body
    assert reverse("progress:home") in body  # in the menu


def test_rep_reports_with_thai_digits_and_a_photo_then_submits(client, progress_plan, rep):
    project = progress_plan.projects.get(number=1)
    members, savings = project.indicators.order_by("id")
    client.force_login(rep)
    assert client.get(_form_url(project)).status_code == 200
    photo = SimpleUploadedFile("activity.jpg", jpeg_bytes(), content_type="image/jpeg")
    response = client.post(
        _form_url(project),
        {
            "activity_status": "under_way",
            f"actual_{members.pk}": "๑๕๐",
            f"actual_{savings.pk}": "12,500",
            "spent_codi": "๒๐,๐๐๐",
            "note": "จัดประชุม",
            "evidence": [photo],
            "action": "submit",
        },
    )
    assert response.status_code == 302
    report = ProjectProgress.objects.get()
    assert report.status == ProgressStatus.SUBMITTED
    assert IndicatorActual.objects.get(indicator=members).value == Decimal(150)
    assert report.spending.get().amount == Decimal(20000)
    assert report.evidence.get().kind == "photo"
    detail = client.get(reverse("progress:report", args=[report.pk]))
    assert detail.status_code == 200
    evidence = client.get(reverse("progress:evidence", args=[report.evidence.get().pk]))
    assert evidence.status_code == 200 and evidence["Content-Type"] == "image/jpeg"


def test_stopped_without_a_reason_shows_the_error_and_saves_nothing(client, progress_plan, rep):
    project = progress_plan.projects.get(number=2)
    client.force_login(rep)
    response = client.post(_form_url(project), {"activity_status": "stopped", "spent_codi": "-5", "action": "save"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "stop_reason" in errors and "spent_codi" in errors
    assert not ProjectProgress.objects.exists()


def test_coordinator_returns_and_approves_from_the_detail_page(client, progress_plan, rep, coordinator):
    year, quarter = current_period()
    reports = [
        save_report(project=p, fiscal_year=year, quarter=quarter, data=ProgressInput("under_way"), by=rep, submit=True)
        for p in progress_plan.projects.order_by("number")
    ]
    client.force_login(coordinator)
    queue = client.get(reverse("progress:queue"))
    assert queue.status_code == 200 and "ตลาดชุมชนสีเขียว" in queue.content.decode()
    client.post(reverse("progress:move", args=[reports[0].pk, "return"]), {"reason": "ขอรูปถ่าย"})
    client.post(reverse("progress:move", args=[reports[1].pk, "approve"]), {"revision": reports[1].revision})
    statuses = dict(ProjectProgress.objects.values_list("pk", "status"))
    assert statuses == {reports[0].pk: "returned", reports[1].pk: "approved"}
    # the rep sees the reason on their page
    client.force_login(rep)
    assert "ขอรูปถ่าย" in client.get(reverse("progress:home")).content.decode()


def test_amendment_page_needs_a_reason(client, progress_plan, rep, coordinator):
    year, quarter = current_period()
    project = progress_plan.projects.get(number=2)
    report = save_report(
        project=project, fiscal_year=year, quarter=quarter, data=ProgressInput("under_way"), by=rep, submit=True
    )
    report = approve_report(report=report, by=coordinator)
    client.force_login(coordinator)
    url = reverse("progress:amend", args=[report.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"activity_status": "done", "revision": report.revision, "reason": ""})
    assert response.status_code == 200
    assert ProjectProgress.objects.get().activity_status == "under_way"
    response = client.post(url, {"activity_status": "done", "revision": report.revision, "reason": "เสร็จแล้วจริง"})
    assert response.status_code == 302
    assert ProjectProgress.objects.get().activity_status == "done"
    # the rep may not open the amendment, nor edit the frozen report
    client.force_login(rep)
    assert client.get(url).status_code == 403
    assert client.get(_form_url(project)).status_code == 302


def test_plan_page_links_to_project_progress(client, progress_plan, rep):
    client.force_login(rep)
    body = client.get(reverse("workstreams:detail", args=[progress_plan.pk])).content.decode()
    assert reverse("progress:project", args=[progress_plan.projects.get(number=1).pk]) in body
    assert client.get(reverse("progress:project", args=[progress_plan.projects.get(number=1).pk])).status_code == 200


def test_read_only_and_outsiders_are_refused(client, progress_plan, other_coordinator):
    client.force_login(budget_viewer())
    assert client.get(reverse("progress:home")).status_code == 403
    assert client.get(reverse("progress:queue")).status_code == 403
    client.force_login(other_coordinator)
    assert client.get(_form_url(progress_plan.projects.get(number=1))).status_code == 404


def test_future_quarter_form_is_not_found(client, progress_plan, rep):
    year, quarter = current_period()
    client.force_login(rep)
    url = reverse("progress:report_form", args=[progress_plan.projects.get(number=1).pk, year + 1, 1])
    assert client.get(url).status_code == 404


def test_pages_query_count_does_not_grow_with_projects(client, progress_plan, rep, coordinator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    year, quarter = current_period()

    def report_all():
        for project in progress_plan.projects.filter(progress_reports__isnull=True):
            save_report(
                project=project, fiscal_year=year, quarter=quarter, data=ProgressInput("done"), by=rep, submit=True
            )

    def counts():
        found = []
        for user, url in ((rep, reverse("progress:home")), (coordinator, reverse("progress:queue"))):
            client.force_login(user)
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    report_all()
    few = counts()
    for n in range(3, 9):
        ProjectFactory(plan=progress_plan, number=n)
    report_all()
    assert counts() == few


def test_budget_viewers_see_approved_reports_only(client, progress_plan, rep, coordinator):
    year, quarter = current_period()
    first, second = progress_plan.projects.order_by("number")
    submitted = save_report(
        project=first, fiscal_year=year, quarter=quarter, data=ProgressInput("under_way"), by=rep, submit=True
    )
    approved = approve_report(
        report=save_report(
            project=second, fiscal_year=year, quarter=quarter, data=ProgressInput("done"), by=rep, submit=True
        ),
        by=coordinator,
    )
    client.force_login(budget_viewer())
    assert client.get(reverse("progress:report", args=[submitted.pk])).status_code == 404
    assert client.get(reverse("progress:report", args=[approved.pk])).status_code == 200
    page = client.get(reverse("progress:project", args=[first.pk])).content.decode()
    assert reverse("progress:report", args=[submitted.pk]) not in page
