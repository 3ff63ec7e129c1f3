import pytest
from django.urls import reverse

from accounts.tests.factories import budget_viewer, central_staff, provincial_coordinator
from reports.models import Report, ReportKind, ReportStatus

from .factories import FISCAL_YEAR, sample_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(reference_data):
    return sample_year()


def ask_through_the_form(client, django_capture_on_commit_callbacks, **fields):
    form = {"kind": ReportKind.PROGRESS, "scope": "country", "fiscal_year": FISCAL_YEAR, "quarter": 2, "language": "th"}
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("reports:list"), form | fields)


def test_the_reports_page_needs_a_login(client):
    response = client.get(reverse("reports:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_asking_through_the_form_builds_the_report_and_shows_its_page(client, data, django_capture_on_commit_callbacks):
    client.force_login(central_staff())
    response = ask_through_the_form(client, django_capture_on_commit_callbacks)

    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:detail", args=[report.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert reverse("reports:download", args=[report.pk, "pdf"]) in page.text
    assert report.data_fingerprint in page.text
    assert "js/reports.js" in page.text


def test_asking_again_shows_the_same_report(client, data, django_capture_on_commit_callbacks):
    client.force_login(central_staff())
    first = ask_through_the_form(client, django_capture_on_commit_callbacks)
    second = ask_through_the_form(client, django_capture_on_commit_callbacks)
    assert first["Location"] == second["Location"] and Report.objects.count() == 1


def test_the_form_says_what_is_missing(client, data):
    client.force_login(central_staff())
    response = client.post(
        reverse("reports:list"),
        {"kind": ReportKind.PROGRESS, "scope": "country", "fiscal_year": FISCAL_YEAR, "language": "th"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["quarter"]
    assert not Report.objects.exists()


def test_a_coordinator_is_offered_only_scopes_in_their_area(client, data):
    client.force_login(provincial_coordinator("50"))
    choices = dict(client.get(reverse("reports:list")).context["form"].fields["scope"].choices)
    flat = {key for group in choices.values() if isinstance(group, list) for key, _label in group}
    assert "province:50" in flat and "province:51" not in flat and "region:north" in flat


def test_the_status_endpoint_follows_the_build(client, data, django_capture_on_commit_callbacks):
    client.force_login(central_staff())
    ask_through_the_form(client, django_capture_on_commit_callbacks)
    report = Report.objects.get()

    status = client.get(reverse("reports:status", args=[report.pk])).json()

    assert status["status"] == ReportStatus.DONE and status["progress"] == 100 and status["finished"]
    assert status["files"]["xlsx"] == reverse("reports:download", args=[report.pk, "xlsx"])


def test_a_queued_report_has_no_files_yet(client, data):
    from reports import services
    from reports.scopes import COUNTRY

    staff = central_staff()
    report, _ = services.request_report(kind=ReportKind.PLAN, scope=COUNTRY, fiscal_year=FISCAL_YEAR, by=staff)
    client.force_login(staff)

    status = client.get(reverse("reports:status", args=[report.pk])).json()
    assert status["status"] == ReportStatus.QUEUED and status["files"] == {} and not status["finished"]
    assert client.get(reverse("reports:download", args=[report.pk, "pdf"])).status_code == 404


def test_the_files_download_with_their_names(client, data, django_capture_on_commit_callbacks):
    client.force_login(central_staff())
    ask_through_the_form(client, django_capture_on_commit_callbacks)
    report = Report.objects.get()

    pdf = client.get(reverse("reports:download", args=[report.pk, "pdf"]))
    xlsx = client.get(reverse("reports:download", args=[report.pk, "xlsx"]))

    assert pdf["Content-Type"] == "application/pdf"
    assert f'filename="codi-302-{FISCAL_YEAR}-q2-country.pdf"' in pdf["Content-Disposition"]
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_report_the_user_may_not_see_is_a_404(client, data, django_capture_on_commit_callbacks):
    client.force_login(central_staff())
    ask_through_the_form(client, django_capture_on_commit_callbacks)
    report = Report.objects.get()
    client.force_login(provincial_coordinator("50"))

    for name, args in (("detail", [report.pk]), ("status", [report.pk]), ("download", [report.pk, "pdf"])):
        assert client.get(reverse(f"reports:{name}", args=args)).status_code == 404
    assert report.pk not in [r.pk for r in client.get(reverse("reports:list")).context["page"].object_list]


def test_a_budget_bureau_viewer_reads_the_national_reports(client, data, django_capture_on_commit_callbacks):
    client.force_login(central_staff())
    ask_through_the_form(client, django_capture_on_commit_callbacks)
    report = Report.objects.get()
    client.force_login(budget_viewer())

    assert client.get(reverse("reports:download", args=[report.pk, "pdf"])).status_code == 200


def test_a_budget_bureau_viewer_reads_reports_but_does_not_ask_for_them(client, data):
    client.force_login(budget_viewer())
    page = client.get(reverse("reports:list"))
    assert page.status_code == 200 and page.context["form"] is None

    response = client.post(reverse("reports:list"), {"kind": ReportKind.PLAN, "scope": "country"})
    assert response.status_code == 403
    assert not Report.objects.exists()
