import pytest
from rest_framework.test import APIClient

from accounts.tests import factories as users
from budgets import services
from budgets.models import RequestStatus
from budgets.tests.factories import (
    FISCAL_YEAR,
    DevelopmentIssueFactory,
    accepted_projects,
    draft_request,
    forwarded_request,
)

pytestmark = pytest.mark.django_db


def client_for(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def coordinator(reference_data):
    return users.provincial_coordinator("50")


@pytest.fixture
def issue(reference_data):
    return DevelopmentIssueFactory()


@pytest.fixture
def forwarded(coordinator, issue):
    return forwarded_request(coordinator, accepted_projects("500105", "500106"), issue)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/budget-requests/",
        "/api/v1/development-plans/",
        "/api/v1/budget-ceilings/",
        "/api/v1/budget-consolidation/",
    ],
)
def test_anonymous_clients_are_refused(url, reference_data):
    assert client_for().get(url).status_code == 401


def test_a_request_outside_the_users_area_is_not_found(forwarded):
    response = client_for(users.provincial_coordinator("40")).get(f"/api/v1/budget-requests/{forwarded.pk}/")
    assert response.status_code == 404
    response = client_for(users.provincial_coordinator("40")).post(f"/api/v1/budget-requests/{forwarded.pk}/submit/")
    assert response.status_code == 404


def test_a_coordinator_creates_and_submits_a_request_over_the_api(coordinator, issue):
    projects = accepted_projects("500105", "500106")
    client = client_for(coordinator)
    body = {
        "fiscal_year": FISCAL_YEAR,
        "province": "50",
        "title": "ตลาดชุมชนสองตำบล",
        "requesting_body": "ขบวนองค์กรชุมชนจังหวัดเชียงใหม่",
        "projects": [p.pk for p in projects],
        "development_issue": issue.pk,
        "workstream": "WS-ECONOMY",
        "programme": "WS-ECONOMY-G1-P1",
        "national_target": "MP-2561-16",
        "targets": "ผู้ค้า 60 ราย",
        "expected_benefits": "รายได้เพิ่มขึ้น",
        "indicators": [{"name": "ผู้ค้า", "unit": "ราย", "target_value": "60"}],
        "expense_lines": [{"category": "operating", "amount": "45000.50"}],
    }
    response = client.post("/api/v1/budget-requests/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["requested_amount"] == "45000.50" and len(data["projects"]) == 2
    response = client.post(f"/api/v1/budget-requests/{data['id']}/submit/", {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    assert response.json()["monitoring"][0]["phase"] == "ex_ante"


def test_a_negative_amount_is_a_400_with_the_one_error_body(coordinator, issue):
    response = client_for(coordinator).post(
        "/api/v1/budget-requests/",
        {
            "fiscal_year": FISCAL_YEAR,
            "province": "50",
            "title": "x",
            "requesting_body": "y",
            "expense_lines": [{"category": "operating", "amount": "-1"}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "expense_lines" in response.json()["error"]["fields"]


def test_a_stale_update_is_a_409(coordinator, issue):
    request = draft_request(coordinator, accepted_projects("500105"), issue)
    client = client_for(coordinator)
    body = {"title": "ใหม่", "requesting_body": "ขบวน", "revision": 1, "expense_lines": []}
    assert client.put(f"/api/v1/budget-requests/{request.pk}/", body, format="json").status_code == 200
    response = client.put(f"/api/v1/budget-requests/{request.pk}/", body, format="json")
    assert response.status_code == 409 and response.json()["error"]["current_revision"] == 2


def test_staff_approve_and_the_viewer_cannot(forwarded):
    viewer = client_for(users.budget_viewer())
    assert viewer.get(f"/api/v1/budget-requests/{forwarded.pk}/").status_code == 200
    assert viewer.post(f"/api/v1/budget-requests/{forwarded.pk}/approve/", {"amount": "1"}).status_code == 403
    response = client_for(users.central_staff()).post(
        f"/api/v1/budget-requests/{forwarded.pk}/approve/", {"amount": "100000.01"}
    )
    assert response.status_code == 400
    response = client_for(users.central_staff()).post(
        f"/api/v1/budget-requests/{forwarded.pk}/approve/", {"amount": "80000"}
    )
    assert response.status_code == 200 and response.json()["approved_amount"] == "80000.00"


def test_the_spending_plan_and_actuals_over_the_api(forwarded, coordinator):
    services.approve_budget_request(request=forwarded, by=users.central_staff(), amount="80000")
    client = client_for(coordinator)
    url = f"/api/v1/budget-requests/{forwarded.pk}/"
    revision = client.get(url).json()["revision"]
    plan = {
        "revision": revision,
        "activities": [
            {
                "name": "อบรม",
                "unit": "ครั้ง",
                "category": "operating",
                "periods": [{"quarter": q, "quantity": "1", "amount": "20000"} for q in (1, 2, 3, 4)],
            }
        ],
    }
    assert client.put(url + "spending-plan/", plan, format="json").status_code == 200
    assert client.post(url + "start-execution/", {}, format="json").status_code == 200
    revision = client.get(url).json()["revision"]
    body = {"revision": revision, "quarter": 1, "rows": [{"activity": 1, "quantity": "1", "amount": "25000"}]}
    response = client.post(url + "actuals/", body, format="json")
    assert response.status_code == 400  # over plan without an explanation
    body["rows"][0]["explanation"] = "จัดอบรมเพิ่ม"
    response = client.post(url + "actuals/", body, format="json")
    assert response.status_code == 200
    assert response.json()["spent_amount"] == "25000.00" and response.json()["overspent"] is True


def test_the_list_filters_by_status_and_its_query_count_does_not_grow(
    coordinator, issue, django_assert_max_num_queries, django_assert_num_queries
):
    viewer = client_for(users.budget_viewer())
    forwarded_request(coordinator, accepted_projects("500105"), issue)
    with django_assert_max_num_queries(40) as one:  # a ceiling; what matters is that it does not grow
        assert viewer.get("/api/v1/budget-requests/").json()["count"] == 1
    for code in ("500106", "500107", "500108"):
        forwarded_request(coordinator, accepted_projects(code), issue)
    with django_assert_num_queries(len(one.captured_queries)):
        data = viewer.get("/api/v1/budget-requests/", {"status": "forwarded", "fiscal_year": FISCAL_YEAR}).json()
    assert data["count"] == 4
    assert viewer.get("/api/v1/budget-requests/", {"status": RequestStatus.DRAFT}).json()["count"] == 0


def test_consolidation_over_rest(forwarded):
    services.approve_budget_request(request=forwarded, by=users.central_staff(), amount="80000")
    data = client_for(users.budget_viewer()).get("/api/v1/budget-consolidation/", {"fiscal_year": FISCAL_YEAR}).json()
    assert data["totals"]["requested"] == "100000.00" and data["totals"]["approved"] == "80000.00"
    dims = {d["key"]: d for d in data["dimensions"]}
    assert {"region", "province_group", "province", "workstream", "national_target", "tambon"} <= set(dims)
    assert [r["key"] for r in dims["tambon"]["rows"]] == ["500105", "500106"]
    bad = client_for(users.budget_viewer()).get("/api/v1/budget-consolidation/", {"fiscal_year": "x"})
    assert bad.status_code == 400


def test_development_plans_list_with_issues(issue, coordinator):
    data = client_for(coordinator).get("/api/v1/development-plans/", {"province": "50"}).json()
    assert data["count"] == 1 and data["results"][0]["issues"][0]["title"] == issue.title


def test_ex_post_achievements_keyed_by_anything_but_an_id_are_a_400(forwarded, coordinator):
    from budgets.tests.factories import quarterly_plan

    approved = services.approve_budget_request(request=forwarded, by=users.central_staff(), amount="80000")
    services.save_spending_plan(
        request=approved,
        by=coordinator,
        expected_revision=approved.revision,
        activities=quarterly_plan("20000", "20000", "20000", "20000"),
    )
    services.start_execution(request=forwarded, by=coordinator)
    url = f"/api/v1/budget-requests/{forwarded.pk}/ex-post/"
    for key in ("", "x", "99999999999999999999"):
        response = client_for(coordinator).post(url, {"progress": "ok", "achievements": {key: "1"}}, format="json")
        assert response.status_code == 400, key
        assert "achievements" in response.json()["error"]["fields"]
