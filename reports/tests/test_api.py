import pytest
from rest_framework.test import APIClient

from accounts.tests.factories import api_client_user, central_staff, provincial_coordinator
from reports import services
from reports.models import Report, ReportKind, ReportStatus
from reports.scopes import COUNTRY, parse_scope

from .factories import FISCAL_YEAR, sample_year

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/"


def client_for(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def data(reference_data):
    return sample_year()


def test_anonymous_clients_get_no_reports(data):
    response = client_for().get(URL)
    assert response.status_code == 401
    assert "error" in response.json()


def test_asking_twice_over_the_api_gives_one_report(data, django_capture_on_commit_callbacks):
    client = client_for(central_staff())
    body = {"kind": "progress", "scope_level": "province", "scope_code": "50", "fiscal_year": FISCAL_YEAR, "quarter": 2}

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(URL, body, format="json")
    second = client.post(URL, body, format="json")

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert second.json()["status"] == ReportStatus.DONE
    assert second.json()["files"]["pdf"].endswith(f"/api/v1/reports/{first.json()['id']}/files/pdf/")


def test_bad_input_is_a_400_with_the_field(data):
    response = client_for(central_staff()).post(URL, {"kind": "progress", "fiscal_year": FISCAL_YEAR}, format="json")
    assert response.status_code == 400
    assert "quarter" in response.json()["error"]["fields"]


def test_an_unknown_area_is_a_400(data):
    body = {"kind": "plan", "scope_level": "province", "scope_code": "99", "fiscal_year": FISCAL_YEAR}
    assert client_for(central_staff()).post(URL, body, format="json").status_code == 400


def test_a_scope_outside_the_users_area_is_a_403(data):
    body = {"kind": "plan", "scope_level": "province", "scope_code": "51", "fiscal_year": FISCAL_YEAR}
    assert client_for(provincial_coordinator("50")).post(URL, body, format="json").status_code == 403


def test_a_token_client_downloads_the_files(data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report, _ = services.request_report(
            kind=ReportKind.PLAN, scope=COUNTRY, fiscal_year=FISCAL_YEAR, by=central_staff()
        )
    client = client_for(api_client_user())

    response = client.get(f"{URL}{report.pk}/files/xlsx/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"


def test_a_report_the_user_may_not_see_is_a_404(data):
    report, _ = services.request_report(
        kind=ReportKind.PLAN, scope=COUNTRY, fiscal_year=FISCAL_YEAR, by=central_staff()
    )
    client = client_for(provincial_coordinator("50"))
    assert client.get(f"{URL}{report.pk}/").status_code == 404
    assert client.get(f"{URL}{report.pk}/files/pdf/").status_code == 404


def test_the_list_filters_and_runs_the_same_queries_for_few_and_many_reports(data, django_assert_max_num_queries):
    staff = central_staff()
    client = client_for(staff)

    def queries():
        with django_assert_max_num_queries(40) as captured:  # a ceiling; what matters is that it does not grow
            response = client.get(URL, {"kind": "plan"})
        assert response.status_code == 200
        return len(captured.captured_queries), response.json()["count"]

    services.request_report(kind=ReportKind.PLAN, scope=COUNTRY, fiscal_year=FISCAL_YEAR, by=staff)
    few, one = queries()
    for code in ("50", "51", "10"):
        services.request_report(
            kind=ReportKind.PLAN, scope=parse_scope("province", code), fiscal_year=FISCAL_YEAR, by=staff
        )
    services.request_report(kind=ReportKind.PROGRESS, scope=COUNTRY, fiscal_year=FISCAL_YEAR, quarter=1, by=staff)
    many, four = queries()

    assert (one, four) == (1, 4)
    assert few == many
    assert Report.objects.count() == 5


def test_a_read_only_client_reads_reports_but_cannot_ask_for_one(data):
    body = {"kind": "plan", "scope_level": "country", "fiscal_year": FISCAL_YEAR}
    response = client_for(api_client_user()).post(URL, body, format="json")
    assert response.status_code == 403
    assert not Report.objects.exists()
