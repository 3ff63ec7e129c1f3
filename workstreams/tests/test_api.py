from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from accounts.tests import factories as users
from areas.models import Province, Subdistrict
from workstreams.models import PlanStatus, Project, ProjectBudget, ProvincePlan, TambonPlan
from workstreams.tests.factories import (
    ProblemFactory,
    ProjectBudgetFactory,
    ProjectFactory,
    ProjectIndicatorFactory,
    ProvincePlanFactory,
    TambonPlanFactory,
)

pytestmark = pytest.mark.django_db


def client_for(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def tambon(code):
    return Subdistrict.objects.get(code=code)


def make_plan(code="500105", status=PlanStatus.DRAFT, amount="50000.00", workstream="WS-ECONOMY", **kwargs):
    """A plan with one project, one budget line and one indicator, as the factories build them."""
    plan = TambonPlanFactory(tambon=tambon(code), status=status, **kwargs)
    ProblemFactory(plan=plan, rank=1)
    project = ProjectFactory(plan=plan, number=1)
    if workstream != "WS-ECONOMY":
        from strategies.models import PlanNode

        project.workstream = PlanNode.objects.get(code=workstream)
        project.goal = PlanNode.objects.get(code=f"{workstream}-G1")
        project.programme = PlanNode.objects.get(code=f"{workstream}-G1-P1")
        project.save()
    ProjectBudgetFactory(project=project, amount=Decimal(amount))
    ProjectIndicatorFactory(project=project)
    return plan


def project_body(plan, **overrides):
    body = {
        "plan": plan.pk,
        "revision": plan.revision,
        "workstream": "WS-WELFARE",
        "goal": "WS-WELFARE-G1",
        "programme": "WS-WELFARE-G1-P1",
        "project_class": "joint",
        "name": "กองทุนสวัสดิการชุมชนตำบล",
        "responsible_body": "คณะกรรมการกองทุน",
        "start_date": "2019-10-01",
        "end_date": "2022-09-30",
        "budget_lines": [
            {"fiscal_year": 2563, "source": "codi", "amount": "120000.00"},
            {"fiscal_year": 2564, "source": "local_government", "amount": "30000.50"},
        ],
        "indicators": [{"name": "สมาชิกกองทุน", "unit": "คน", "target_value": "500", "target_year_be": 2565}],
    }
    return body | overrides


@pytest.fixture
def rep(reference_data):
    return users.community_rep("500105")


@pytest.fixture
def own_plan(rep):
    return make_plan("500105")


@pytest.fixture
def other_plan(reference_data):
    """A plan of the next tambon in the same district: same province, not the rep's."""
    return make_plan("500106", status=PlanStatus.SUBMITTED)


# Anonymous and read-only


@pytest.mark.parametrize("url", ["/api/v1/tambon-plans/", "/api/v1/projects/", "/api/v1/province-plans/"])
def test_anonymous_clients_are_refused(reference_data, url):
    response = client_for().get(url)
    assert response.status_code == 401
    assert set(response.json()["error"]) == {"status", "code", "message", "fields"}
    assert client_for().post(url, {}, format="json").status_code == 401


@pytest.mark.parametrize("make_user", [users.budget_viewer, users.api_client_user])
def test_read_only_roles_read_everything_but_get_403_on_every_write(reference_data, make_user, own_plan):
    client = client_for(make_user())
    project = own_plan.projects.get()
    province_plan = ProvincePlanFactory()
    assert client.get("/api/v1/tambon-plans/").json()["count"] == 1
    assert client.get(f"/api/v1/projects/{project.pk}/").status_code == 200
    assert client.get(f"/api/v1/province-plans/{province_plan.pk}/").status_code == 200
    writes = [
        ("post", "/api/v1/tambon-plans/", {"tambon": "500107", "period_start_be": 2563, "period_end_be": 2565}),
        ("patch", f"/api/v1/tambon-plans/{own_plan.pk}/", {"revision": 1, "vision": "x"}),
        ("put", f"/api/v1/tambon-plans/{own_plan.pk}/problems/", {"revision": 1, "problems": []}),
        ("post", f"/api/v1/tambon-plans/{own_plan.pk}/submit/", {}),
        ("post", f"/api/v1/tambon-plans/{own_plan.pk}/return/", {"reason": "x"}),
        ("post", f"/api/v1/tambon-plans/{own_plan.pk}/accept/", {}),
        ("post", f"/api/v1/tambon-plans/{own_plan.pk}/endorse/", {}),
        ("post", "/api/v1/projects/", project_body(own_plan)),
        ("put", f"/api/v1/projects/{project.pk}/", project_body(own_plan)),
        ("patch", f"/api/v1/projects/{project.pk}/", {"revision": 1, "name": "x"}),
        ("delete", f"/api/v1/projects/{project.pk}/?revision=1", None),
        ("patch", f"/api/v1/province-plans/{province_plan.pk}/", {"revision": 1, "narrative": "x"}),
    ]
    for method, url, body in writes:
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == 403, (method, url, response.content)
        assert response.json()["error"]["status"] == 403
    own_plan.refresh_from_db()
    assert own_plan.revision == 1 and own_plan.status == PlanStatus.DRAFT
    assert TambonPlan.objects.count() == 1 and Project.objects.count() == 1


# Visibility: another tambon's plan is a 404 through every endpoint and method


def test_rep_cannot_see_or_change_another_tambons_plan_through_any_endpoint(rep, own_plan, other_plan):
    client = client_for(rep)
    other_project = other_plan.projects.get()
    listed = client.get("/api/v1/tambon-plans/").json()
    assert [p["tambon"]["code"] for p in listed["results"]] == ["500105"]
    assert [p["tambon"] for p in client.get("/api/v1/projects/").json()["results"]] == ["500105"]
    assert client.get("/api/v1/tambon-plans/", {"tambon": "500106"}).json()["count"] == 0
    attempts = [
        ("get", f"/api/v1/tambon-plans/{other_plan.pk}/", None),
        ("patch", f"/api/v1/tambon-plans/{other_plan.pk}/", {"revision": other_plan.revision, "vision": "x"}),
        ("put", f"/api/v1/tambon-plans/{other_plan.pk}/problems/", {"revision": 1, "problems": [{"title": "x"}]}),
        ("post", f"/api/v1/tambon-plans/{other_plan.pk}/submit/", {}),
        ("post", f"/api/v1/tambon-plans/{other_plan.pk}/return/", {"reason": "x"}),
        ("post", f"/api/v1/tambon-plans/{other_plan.pk}/accept/", {}),
        ("post", f"/api/v1/tambon-plans/{other_plan.pk}/endorse/", {}),
        ("get", f"/api/v1/projects/{other_project.pk}/", None),
        ("post", "/api/v1/projects/", project_body(other_plan)),
        ("put", f"/api/v1/projects/{other_project.pk}/", project_body(other_plan)),
        ("patch", f"/api/v1/projects/{other_project.pk}/", {"revision": other_plan.revision, "name": "x"}),
        ("delete", f"/api/v1/projects/{other_project.pk}/?revision={other_plan.revision}", None),
    ]
    for method, url, body in attempts:
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == 404, (method, url, response.content)
        assert response.json()["error"]["status"] == 404
    before = TambonPlan.objects.get(pk=other_plan.pk)
    assert (before.revision, before.status, before.vision) == (
        other_plan.revision,
        PlanStatus.SUBMITTED,
        "ตำบลน่าอยู่ ชุมชนพึ่งตนเอง",
    )
    assert Project.objects.filter(plan=other_plan).count() == 1


def test_rep_cannot_start_a_plan_for_another_tambon(rep):
    response = client_for(rep).post(
        "/api/v1/tambon-plans/", {"tambon": "500106", "period_start_be": 2563, "period_end_be": 2565}, format="json"
    )
    assert response.status_code == 403
    assert not TambonPlan.objects.exists()


def test_rep_cannot_review_their_own_plan(rep, own_plan):
    client = client_for(rep)
    own_plan.status = PlanStatus.SUBMITTED
    own_plan.save()
    assert client.post(f"/api/v1/tambon-plans/{own_plan.pk}/accept/", {}, format="json").status_code == 403
    assert client.post(f"/api/v1/tambon-plans/{own_plan.pk}/return/", {"reason": "x"}, format="json").status_code == 403


def test_coordinator_sees_only_their_province(reference_data):
    in_province = make_plan("500105", status=PlanStatus.SUBMITTED)
    elsewhere = make_plan("570101", status=PlanStatus.SUBMITTED)
    ProvincePlanFactory(province=Province.objects.get(code="50"))
    other_province_plan = ProvincePlanFactory(province=Province.objects.get(code="57"))
    client = client_for(users.provincial_coordinator("50"))
    assert [p["id"] for p in client.get("/api/v1/tambon-plans/").json()["results"]] == [in_province.pk]
    assert [p["plan"] for p in client.get("/api/v1/projects/").json()["results"]] == [in_province.pk]
    assert [p["province"]["code"] for p in client.get("/api/v1/province-plans/").json()["results"]] == ["50"]
    assert client.get(f"/api/v1/tambon-plans/{elsewhere.pk}/").status_code == 404
    assert client.post(f"/api/v1/tambon-plans/{elsewhere.pk}/accept/", {}, format="json").status_code == 404
    assert client.get(f"/api/v1/projects/{elsewhere.projects.get().pk}/").status_code == 404
    assert client.get(f"/api/v1/province-plans/{other_province_plan.pk}/").status_code == 404
    response = client.patch(
        f"/api/v1/province-plans/{other_province_plan.pk}/", {"revision": 1, "narrative": "x"}, format="json"
    )
    assert response.status_code == 404
    assert TambonPlan.objects.get(pk=elsewhere.pk).status == PlanStatus.SUBMITTED


# Happy paths


def test_the_whole_loop_through_the_api(reference_data):
    rep = users.community_rep("500105")
    coordinator = users.provincial_coordinator("50")
    regional = users.regional_staff("north")
    writer, reviewer = client_for(rep), client_for(coordinator)

    response = writer.post(
        "/api/v1/tambon-plans/",
        {"tambon": "500105", "period_start_be": 2563, "period_end_be": 2565, "households": 1200},
        format="json",
    )
    assert response.status_code == 201, response.content
    plan = response.json()
    assert plan["status"] == "draft" and plan["revision"] == 1 and plan["households"] == 1200
    assert plan["tambon"]["code"] == "500105" and plan["province"]["code"] == "50"
    url = f"/api/v1/tambon-plans/{plan['id']}/"

    response = writer.patch(
        url, {"revision": 1, "vision": "ตำบลเข้มแข็ง", "average_household_income": "85000.50"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["vision"] == "ตำบลเข้มแข็ง" and response.json()["revision"] == 2

    response = writer.put(
        f"{url}problems/", {"revision": 2, "problems": [{"title": "หนี้สิน"}, {"title": "ที่ดินทำกิน"}]}, format="json"
    )
    assert [p["rank"] for p in response.json()["problems"]] == [1, 2]

    db_plan = TambonPlan.objects.get(pk=plan["id"])
    response = writer.post("/api/v1/projects/", project_body(db_plan), format="json")
    assert response.status_code == 201, response.content
    project = response.json()
    assert project["number"] == 1 and project["revision"] == 4
    assert project["budget_total"] == "150000.50"
    assert [n["code"] for n in project["chain"]] == ["WS-WELFARE-G1-P1", "WS-WELFARE-G1", "WS-WELFARE", "CODI-AP"]
    second = writer.post("/api/v1/projects/", project_body(db_plan, revision=4, name="ตลาดชุมชน"), format="json")
    assert second.status_code == 201 and second.json()["number"] == 2

    response = writer.patch(
        f"/api/v1/projects/{project['id']}/", {"revision": 5, "name": "กองทุนสวัสดิการ (ปรับ)"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "กองทุนสวัสดิการ (ปรับ)"
    assert len(response.json()["budget_lines"]) == 2 and len(response.json()["indicators"]) == 1

    body = project_body(db_plan, revision=6, budget_lines=[{"fiscal_year": 2565, "source": "codi", "amount": "1000"}])
    response = writer.put(f"/api/v1/projects/{project['id']}/", body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["budget_lines"] == [{"fiscal_year": 2565, "source": "codi", "amount": "1000.00"}]

    assert writer.delete(f"/api/v1/projects/{second.json()['id']}/?revision=7").status_code == 204
    assert Project.objects.filter(plan_id=plan["id"]).count() == 1

    response = writer.post(f"{url}submit/", {"comment": "ส่งแผน"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    assert writer.patch(url, {"revision": 9, "vision": "x"}, format="json").status_code == 400

    assert reviewer.get("/api/v1/tambon-plans/", {"awaiting_review": "true"}).json()["count"] == 1
    response = reviewer.post(f"{url}return/", {"reason": "ขอเพิ่มตัวชี้วัด"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "returned"
    assert writer.post(f"{url}submit/", {}, format="json").json()["status"] == "resubmitted"

    province_plan = ProvincePlanFactory(province=Province.objects.get(code="50"))
    totals = reviewer.get(f"/api/v1/province-plans/{province_plan.pk}/").json()["totals"]
    assert totals["total"] == "0.00" and totals["tambon_plans"] == 0

    response = reviewer.post(f"{url}accept/", {"comment": "ผ่าน"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    totals = reviewer.get(f"/api/v1/province-plans/{province_plan.pk}/").json()["totals"]
    assert totals["tambon_plans"] == 1 and totals["total"] == "1000.00"
    assert totals["by_workstream"] == [
        {"key": "WS-WELFARE", "label": totals["by_workstream"][0]["label"], "total": "1000.00"}
    ]
    assert [(r["key"], r["total"]) for r in totals["by_class"]] == [("joint", "1000.00")]
    assert [(r["key"], r["total"]) for r in totals["by_fiscal_year"]] == [("2565", "1000.00")]
    assert [(r["key"], r["total"]) for r in totals["by_source"]] == [("codi", "1000.00")]

    response = client_for(regional).post(f"{url}endorse/", {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "endorsed"
    transitions = TambonPlan.objects.get(pk=plan["id"]).transitions.values_list("to_status", "by")
    assert list(transitions) == [
        ("submitted", rep.pk),
        ("returned", coordinator.pk),
        ("resubmitted", rep.pk),
        ("accepted", coordinator.pk),
        ("endorsed", regional.pk),
    ]


def test_coordinator_updates_the_province_narrative(reference_data):
    province_plan = ProvincePlanFactory(province=Province.objects.get(code="50"))
    client = client_for(users.provincial_coordinator("50"))
    response = client.patch(
        f"/api/v1/province-plans/{province_plan.pk}/", {"revision": 1, "priorities": "1. ที่อยู่อาศัย"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["priorities"] == "1. ที่อยู่อาศัย" and response.json()["revision"] == 2
    response = client.put(
        f"/api/v1/province-plans/{province_plan.pk}/",
        {"revision": 2, "narrative": "ขบวนจังหวัด", "priorities": "1. สวัสดิการ"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["narrative"] == "ขบวนจังหวัด"


def test_province_totals_count_only_accepted_plans_of_that_province_and_period(reference_data):
    make_plan("500105", status=PlanStatus.ACCEPTED, amount="100.00")
    make_plan("500106", status=PlanStatus.ENDORSED, amount="20.00", workstream="WS-HOUSING")
    make_plan("500107", status=PlanStatus.SUBMITTED, amount="5000.00")
    make_plan("570101", status=PlanStatus.ACCEPTED, amount="7.00")
    make_plan("500108", status=PlanStatus.ACCEPTED, amount="9.00", period_start_be=2566, period_end_be=2568)
    chiang_mai = ProvincePlanFactory(province=Province.objects.get(code="50"))
    chiang_rai = ProvincePlanFactory(province=Province.objects.get(code="57"))
    data = client_for(users.central_staff()).get("/api/v1/province-plans/").json()["results"]
    totals = {p["id"]: p["totals"] for p in data}
    assert totals[chiang_mai.pk]["total"] == "120.00" and totals[chiang_mai.pk]["tambon_plans"] == 2
    assert {r["key"]: r["total"] for r in totals[chiang_mai.pk]["by_workstream"]} == {
        "WS-ECONOMY": "100.00",
        "WS-HOUSING": "20.00",
    }
    assert totals[chiang_rai.pk]["total"] == "7.00"


# Conflicts and bad input


def test_a_stale_plan_revision_gets_409_with_the_conflict_body(rep, own_plan):
    client = client_for(rep)
    other_writer = users.community_rep("500105", first_name="Somchai", last_name="")
    client_for(other_writer).patch(
        f"/api/v1/tambon-plans/{own_plan.pk}/", {"revision": 1, "vision": "ของสมชาย"}, format="json"
    )
    response = client.patch(f"/api/v1/tambon-plans/{own_plan.pk}/", {"revision": 1, "vision": "ของฉัน"}, format="json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "conflict" and error["status"] == 409
    assert error["current_revision"] == 2 and error["changed_by"] == "Somchai"
    assert any(c["new"] == "ของสมชาย" for c in error["changes"])
    assert TambonPlan.objects.get(pk=own_plan.pk).vision == "ของสมชาย"


def test_stale_revisions_on_projects_and_province_plans_get_409(rep, own_plan):
    project = own_plan.projects.get()
    client = client_for(rep)
    assert (
        client.patch(f"/api/v1/projects/{project.pk}/", {"revision": 0, "name": "x"}, format="json").status_code == 409
    )
    assert client.delete(f"/api/v1/projects/{project.pk}/?revision=0").status_code == 409
    assert client.post("/api/v1/projects/", project_body(own_plan, revision=0), format="json").status_code == 409
    assert Project.objects.get(pk=project.pk).name == "กลุ่มออมทรัพย์และแปรรูปผลผลิต"
    province_plan = ProvincePlanFactory(revision=3)
    response = client_for(users.provincial_coordinator("50")).patch(
        f"/api/v1/province-plans/{province_plan.pk}/", {"revision": 2, "narrative": "x"}, format="json"
    )
    assert response.status_code == 409 and response.json()["error"]["current_revision"] == 3


def test_a_missing_revision_is_a_400_on_the_revision_field(rep, own_plan):
    client = client_for(rep)
    project = own_plan.projects.get()
    for method, url in [
        ("patch", f"/api/v1/tambon-plans/{own_plan.pk}/"),
        ("patch", f"/api/v1/projects/{project.pk}/"),
        ("delete", f"/api/v1/projects/{project.pk}/"),
    ]:
        response = getattr(client, method)(url, {"name": "x", "vision": "x"}, format="json")
        assert response.status_code == 400, (method, url, response.content)
        assert "revision" in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"budget_lines": [{"fiscal_year": 2563, "source": "codi", "amount": "-1.00"}]}, "budget_lines"),
        ({"budget_lines": [{"fiscal_year": 2570, "source": "codi", "amount": "10.00"}]}, "budget_lines"),
        ({"indicators": []}, "indicators"),
        ({"programme": "WS-ECONOMY-G1-P1"}, "programme"),
        ({"workstream": "WS-NOPE"}, "workstream"),
        ({"project_class": "alone"}, "project_class"),
    ],
)
def test_bad_project_input_is_a_400_with_field_errors_and_changes_nothing(rep, own_plan, overrides, field):
    client = client_for(rep)
    project = own_plan.projects.get()
    response = client.post("/api/v1/projects/", project_body(own_plan, **overrides), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    response = client.put(f"/api/v1/projects/{project.pk}/", project_body(own_plan, **overrides), format="json")
    assert response.status_code == 400 and field in response.json()["error"]["fields"]
    own_plan.refresh_from_db()
    assert own_plan.revision == 1 and Project.objects.filter(plan=own_plan).count() == 1
    assert list(ProjectBudget.objects.filter(project=project).values_list("amount", flat=True)) == [Decimal("50000.00")]


def test_bad_plan_input_is_a_400_with_field_errors(rep, own_plan):
    client = client_for(rep)
    response = client.patch(
        f"/api/v1/tambon-plans/{own_plan.pk}/", {"revision": 1, "average_household_debt": "-5"}, format="json"
    )
    assert response.status_code == 400 and "average_household_debt" in response.json()["error"]["fields"]
    response = client.post(
        "/api/v1/tambon-plans/", {"tambon": "999999", "period_start_be": 2563, "period_end_be": 2565}, format="json"
    )
    assert response.status_code == 400 and "tambon" in response.json()["error"]["fields"]
    own_plan.refresh_from_db()
    assert own_plan.revision == 1 and own_plan.average_household_debt is None


def test_return_without_a_reason_is_a_400_and_the_plan_stays_submitted(reference_data, other_plan):
    client = client_for(users.provincial_coordinator("50"))
    for body in ({}, {"reason": "   "}):
        response = client.post(f"/api/v1/tambon-plans/{other_plan.pk}/return/", body, format="json")
        assert response.status_code == 400, response.content
        assert "reason" in response.json()["error"]["fields"]
    other_plan.refresh_from_db()
    assert other_plan.status == PlanStatus.SUBMITTED and not other_plan.transitions.exists()


def test_a_workflow_move_from_the_wrong_status_is_a_400(reference_data, own_plan):
    client = client_for(users.central_staff())
    response = client.post(f"/api/v1/tambon-plans/{own_plan.pk}/endorse/", {}, format="json")
    assert response.status_code == 400 and response.json()["error"]["fields"]["non_field_errors"]
    assert TambonPlan.objects.get(pk=own_plan.pk).status == PlanStatus.DRAFT


# Filters


def test_filters_narrow_the_plan_list(reference_data):
    economy = make_plan("500105", status=PlanStatus.SUBMITTED)
    housing = make_plan(
        "500201" if Subdistrict.objects.filter(code="500201").exists() else "500203",
        status=PlanStatus.RESUBMITTED,
        workstream="WS-HOUSING",
    )
    later = make_plan("570101", status=PlanStatus.DRAFT, period_start_be=2566, period_end_be=2568)
    client = client_for(users.central_staff())

    def ids(**params):
        response = client.get("/api/v1/tambon-plans/", params)
        assert response.status_code == 200, response.content
        return sorted(p["id"] for p in response.json()["results"])

    assert ids(province="50") == sorted([economy.pk, housing.pk])
    assert ids(district="5001") == [economy.pk]
    assert ids(tambon="570101") == [later.pk]
    assert ids(status=["submitted", "resubmitted"]) == sorted([economy.pk, housing.pk])
    assert ids(awaiting_review="false") == [later.pk]
    assert ids(workstream="WS-HOUSING") == [housing.pk]
    assert ids(period_start_be=2566) == [later.pk]
    assert ids(updated_since="2999-01-01T00:00:00Z") == []
    assert ids(workstream="WS-ECONOMY", province="57") == [later.pk]
    assert client.get("/api/v1/tambon-plans/", {"status": "lost"}).status_code == 400
    assert [p["plan"] for p in client.get("/api/v1/projects/", {"workstream": "WS-HOUSING"}).json()["results"]] == [
        housing.pk
    ]
    assert client.get("/api/v1/projects/", {"status": "draft"}).json()["count"] == 1
    assert client.get("/api/v1/projects/", {"district": "5001", "period_start_be": 2563}).json()["count"] == 1


# Query counts


MAX_LIST_QUERIES = 40  # a ceiling for one API list page; the tests check the count does not grow with the rows


def _queries(assert_max_num_queries, client, url):
    with assert_max_num_queries(MAX_LIST_QUERIES) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries), response.json()


@pytest.mark.parametrize(
    "make_user", [users.central_staff, lambda: users.provincial_coordinator("50"), lambda: users.community_rep(*CODES)]
)
def test_plan_and_project_lists_run_the_same_queries_for_3_or_30_rows(
    reference_data, make_user, django_assert_num_queries, django_assert_max_num_queries
):
    codes = CODES
    for code in codes[:3]:
        make_plan(code, status=PlanStatus.SUBMITTED)
    client = client_for(make_user())
    counts = {}
    client.get("/api/v1/tambon-plans/")  # a representative's tambon ids are read once per user object
    for url in ("/api/v1/tambon-plans/", "/api/v1/projects/", "/api/v1/tambon-plans/?status=submitted"):
        counts[url], data = _queries(django_assert_max_num_queries, client, url)
        assert data["count"] == 3
    for code in codes[3:30]:
        plan = make_plan(code, status=PlanStatus.SUBMITTED)
        ProblemFactory(plan=plan, rank=2)
        extra = ProjectFactory(plan=plan, number=2)
        ProjectBudgetFactory(project=extra, fiscal_year=2564)
        ProjectIndicatorFactory(project=extra)
    for url, expected in counts.items():
        with django_assert_num_queries(expected):
            response = client.get(url)
        assert len(response.json()["results"]) >= 30


def test_province_plan_list_runs_the_same_queries_for_3_or_30_provinces(
    reference_data, django_assert_num_queries, django_assert_max_num_queries
):
    provinces = list(Province.objects.order_by("code")[:30])
    for province in provinces[:3]:
        ProvincePlanFactory(province=province)
    make_plan("500105", status=PlanStatus.ACCEPTED)
    client = client_for(users.central_staff())
    count, data = _queries(django_assert_max_num_queries, client, "/api/v1/province-plans/")
    assert data["count"] == 3
    for province in provinces[3:]:
        ProvincePlanFactory(province=province)
    with django_assert_num_queries(count):
        response = client.get("/api/v1/province-plans/")
    assert len(response.json()["results"]) == 30
    assert ProvincePlan.objects.count() == 30


CODES = [
    "500101", "500102", "500103", "500104", "500105", "500106", "500107", "500108", "500109", "500110",
    "500111", "500112", "500113", "500114", "500115", "500116", "500203", "500204", "500205", "500206",
    "500207", "500209", "500301", "500302", "500303", "500304", "500305", "500307", "500308", "500401",
]  # fmt: skip
