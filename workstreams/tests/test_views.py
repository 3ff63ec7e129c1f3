from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests import factories as users
from areas.models import Subdistrict
from strategies.models import PlanNode
from strategies.selectors import plan_period_in_force
from workstreams import excel, services
from workstreams.models import PlanStatus, PlanTransition, ProvincePlan, TambonPlan
from workstreams.services import BudgetLineInput, IndicatorInput
from workstreams.tests.factories import ProjectBudgetFactory, ProjectFactory, TambonPlanFactory

pytestmark = pytest.mark.django_db

MAX_PAGE_QUERIES = 40  # a ceiling for one list page; the tests below check the count does not grow with the rows


def node(code):
    return PlanNode.objects.get(code=code)


def tambon(code):
    return Subdistrict.objects.get(code=code)


def add_project(plan, by, amount="10000.50", name="ตลาดชุมชน", **overrides):
    plan.refresh_from_db()
    return services.save_project(
        plan=plan,
        by=by,
        expected_revision=plan.revision,
        data={
            "workstream": node("WS-ECONOMY"),
            "goal": node("WS-ECONOMY-G1"),
            "programme": node("WS-ECONOMY-G1-P1"),
            "project_class": "self",
            "name": name,
        }
        | overrides,
        budget_lines=[BudgetLineInput(2563, "codi", Decimal(amount))],
        indicators=[IndicatorInput("จำนวนผู้ค้า", "ราย", Decimal("30"), 2565)],
    )


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def rep(reference_data):
    return users.community_rep("500105", first_name="สมศรี")


@pytest.fixture
def other_rep(reference_data):
    return users.community_rep("500106", first_name="สมชาย")


@pytest.fixture
def coordinator(reference_data):
    return users.provincial_coordinator("50", first_name="ผู้ประสาน")


@pytest.fixture
def plan(rep):
    plan = services.create_tambon_plan(tambon=tambon("500105"), period_start_be=2563, period_end_be=2565, by=rep)
    add_project(plan, rep)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def other_plan(other_rep):
    plan = services.create_tambon_plan(
        tambon=tambon("500106"), period_start_be=2563, period_end_be=2565, by=other_rep, vision="ของตำบลอื่น"
    )
    add_project(plan, other_rep)
    plan.refresh_from_db()
    return plan


def plan_urls(plan):
    pk = plan.pk
    return [
        reverse("workstreams:detail", args=[pk]),
        reverse("workstreams:edit", args=[pk]),
        reverse("workstreams:problems", args=[pk]),
        reverse("workstreams:project_new", args=[pk]),
        reverse("workstreams:project_edit", args=[pk, 1]),
        reverse("workstreams:project_delete", args=[pk, 1]),
        reverse("workstreams:compare", args=[pk]),
        *[reverse("workstreams:transition", args=[pk, a]) for a in ("submit", "return", "accept", "endorse")],
    ]


# --- who may open what -----------------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_the_login_page_from_every_page(client, plan):
    urls = plan_urls(plan) + [
        reverse("workstreams:list"),
        reverse("workstreams:start"),
        reverse("workstreams:review"),
        reverse("workstreams:province", args=["50", 2563]),
    ]
    for url in urls:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("login")), url
    assert TambonPlan.objects.get(pk=plan.pk).revision == plan.revision


def test_rep_cannot_see_or_change_another_tambons_plan_through_any_page(rep, other_plan):
    client = login(rep)
    before = (other_plan.revision, other_plan.status, other_plan.vision)
    posts = {
        "revision": other_plan.revision,
        "vision": "แก้โดยคนอื่น",
        "comment": "x",
        "name": "x",
        "problems-TOTAL_FORMS": "0",
        "problems-INITIAL_FORMS": "0",
    }
    for url in plan_urls(other_plan):
        assert client.get(url).status_code == 404, url
        assert client.post(url, posts).status_code == 404, url
    other_plan.refresh_from_db()
    assert (other_plan.revision, other_plan.status, other_plan.vision) == before
    assert other_plan.projects.count() == 1
    listing = client.get(reverse("workstreams:list"))
    assert other_plan not in listing.context["page"].object_list


def test_coordinator_of_another_province_gets_404_and_sees_none_of_these_plans(plan):
    bangkok = users.provincial_coordinator("10")
    client = login(bangkok)
    for url in plan_urls(plan):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"comment": "x"}).status_code == 404, url
    assert client.get(reverse("workstreams:province", args=["50", 2563])).status_code == 404
    assert list(client.get(reverse("workstreams:list")).context["page"].object_list) == []
    queue = client.get(reverse("workstreams:review"), {"status": "all"})
    assert list(queue.context["page"].object_list) == []


def test_coordinator_sees_only_plans_of_their_province(coordinator, plan, other_plan):
    outside = TambonPlanFactory(tambon=tambon("100101"), status=PlanStatus.SUBMITTED)
    client = login(coordinator)
    listed = set(client.get(reverse("workstreams:list")).context["page"].object_list)
    assert listed == {plan, other_plan}
    queue = client.get(reverse("workstreams:review"), {"status": "all"})
    assert set(queue.context["page"].object_list) == {plan, other_plan}
    assert client.get(reverse("workstreams:detail", args=[outside.pk])).status_code == 404
    provinces = {p.code for p in queue.context["form"].fields["province"].queryset}
    assert provinces == {"50"}


def test_coordinator_may_read_a_plan_but_not_open_its_edit_forms(coordinator, plan):
    client = login(coordinator)
    assert client.get(reverse("workstreams:detail", args=[plan.pk])).status_code == 200
    for name in ("edit", "problems", "project_new"):
        assert client.get(reverse(f"workstreams:{name}", args=[plan.pk])).status_code == 403
    assert client.post(reverse("workstreams:transition", args=[plan.pk, "submit"])).status_code == 403


def test_rep_cannot_open_the_review_queue(rep):
    assert login(rep).get(reverse("workstreams:review")).status_code == 403


# --- list and start ------------------------------------------------------------------------------------------------


def test_rep_sees_where_each_plan_stands_with_the_return_reason(rep, plan, coordinator):
    services.submit_tambon_plan(plan=plan, by=rep)
    services.return_tambon_plan(plan=plan, by=coordinator, reason="งบประมาณปี 2564 ยังไม่ครบ")
    body = login(rep).get(reverse("workstreams:list")).content.decode()
    assert "status-returned" in body
    assert "งบประมาณปี 2564 ยังไม่ครบ" in body
    assert "ผู้ประสาน" in body
    assert "10,000.50" in body


def test_rep_starts_a_plan_for_their_own_tambon_with_the_default_period(reference_data):
    rep = users.community_rep("500105", "500106")
    client = login(rep)
    page = client.get(reverse("workstreams:list"))
    # The default is the period in force now (issue 12), no longer the seed's 2563–2565.
    assert page.context["start_form"]["period_start_be"].value() == plan_period_in_force()[0]
    response = client.post(
        reverse("workstreams:start"),
        {"tambon": tambon("500106").pk, "period_start_be": 2563, "period_end_be": 2565},
    )
    created = TambonPlan.objects.get(tambon__code="500106")
    assert response.status_code == 302 and response["Location"] == reverse("workstreams:edit", args=[created.pk])
    assert (created.period_start_be, created.period_end_be, created.created_by) == (2563, 2565, rep)


def test_rep_cannot_start_a_plan_for_another_tambon(rep):
    response = login(rep).post(
        reverse("workstreams:start"), {"tambon": tambon("100101").pk, "period_start_be": 2563, "period_end_be": 2565}
    )
    assert response.status_code == 200 and response.context["form"].errors["tambon"]
    assert not TambonPlan.objects.exists()


def test_a_second_plan_for_the_same_period_is_refused_on_the_form(rep, plan):
    response = login(rep).post(
        reverse("workstreams:start"), {"tambon": plan.tambon.pk, "period_start_be": 2563, "period_end_be": 2565}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert TambonPlan.objects.count() == 1


def test_coordinator_cannot_start_a_plan(coordinator):
    assert login(coordinator).get(reverse("workstreams:start")).status_code == 403


def test_central_staff_start_a_plan_by_tambon_code(reference_data):
    response = login(users.central_staff()).post(
        reverse("workstreams:start"), {"tambon": "100101", "period_start_be": 2566, "period_end_be": 2570}
    )
    assert response.status_code == 302
    assert TambonPlan.objects.filter(tambon__code="100101", period_start_be=2566).exists()


def test_plan_list_runs_the_same_number_of_queries_for_3_or_30_plans(
    coordinator, rep, django_assert_max_num_queries, django_assert_num_queries
):
    tambons = list(Subdistrict.objects.filter(province__code="50").order_by("code")[:30])

    def make(ts):
        for t in ts:
            p = TambonPlanFactory(tambon=t, status=PlanStatus.SUBMITTED, created_by=rep)
            ProjectBudgetFactory(project=ProjectFactory(plan=p, number=1))
            PlanTransition.objects.create(plan=p, from_status="draft", to_status="submitted", by=rep, comment="ส่ง")

    client = login(coordinator)
    make(tambons[:3])
    with django_assert_max_num_queries(MAX_PAGE_QUERIES) as three:
        assert len(client.get(reverse("workstreams:list")).context["page"].object_list) == 3
    make(tambons[3:])
    with django_assert_num_queries(len(three.captured_queries)):
        assert len(client.get(reverse("workstreams:list")).context["page"].object_list) == 25


# --- plan page -----------------------------------------------------------------------------------------------------


def test_plan_page_shows_the_twelve_parts_budget_indicators_and_the_chain_to_the_national_strategy(rep, plan):
    response = login(rep).get(reverse("workstreams:detail", args=[plan.pk]))
    body = response.content.decode()
    project = response.context["projects"][0]
    codes = [n.code for n in project.chain_up]
    assert codes[:4] == ["WS-ECONOMY-G1-P1", "WS-ECONOMY-G1", "WS-ECONOMY", "CODI-AP"]
    assert codes[-1] == node("NS-4-I4").ancestors()[0].code  # the national strategy itself
    assert "NS-4-I4" in codes
    for code in codes:
        assert f'href="/plans/{code}/"' in body
    assert "10,000.50" in body and "จำนวนผู้ค้า" in body
    assert body.count("<dt>") >= 12
    assert 'id="submit-form"' in body
    assert 'id="accept-form"' not in body


def test_plan_page_query_count_does_not_grow_with_projects(rep, plan, django_assert_max_num_queries):
    for i in range(5):
        add_project(plan, rep, name=f"โครงการ {i}")
    client = login(rep)
    with django_assert_max_num_queries(12):
        client.get(reverse("workstreams:detail", args=[plan.pk]))


# --- editing -------------------------------------------------------------------------------------------------------


def profile_post(plan, **overrides):
    data = {
        "revision": plan.revision,
        "households": "1250",
        "population": "4300",
        "main_occupations": "ทำนา ปลูกลำไย",
        "average_household_income": "185000.75",
        "average_household_debt": "92000.25",
        "basic_needs": "",
        "capital_people": "ปราชญ์ชาวบ้าน 12 คน",
        "capital_resources": "",
        "capital_groups": "",
        "capital_organizations": "",
        "vision": "ตำบลน่าอยู่",
    }
    return data | overrides


def test_rep_edits_the_profile_and_the_save_is_attributed(rep, plan):
    response = login(rep).post(reverse("workstreams:edit", args=[plan.pk]), profile_post(plan))
    assert response.status_code == 302
    saved = TambonPlan.objects.get(pk=plan.pk)
    assert saved.average_household_income == Decimal("185000.75") and saved.households == 1250
    assert saved.revision == plan.revision + 1 and saved.updated_by == rep


def test_a_validation_error_keeps_everything_typed(rep, plan):
    response = login(rep).post(
        reverse("workstreams:edit", args=[plan.pk]),
        profile_post(plan, households="หนึ่งพัน", vision="วิสัยทัศน์ที่พิมพ์ไว้", average_household_debt="-5"),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "วิสัยทัศน์ที่พิมพ์ไว้" in body and "ปราชญ์ชาวบ้าน 12 คน" in body and 'value="หนึ่งพัน"' in body
    assert response.context["form"].errors.keys() >= {"households", "average_household_debt"}
    assert TambonPlan.objects.get(pk=plan.pk).revision == plan.revision


def test_a_stale_save_shows_who_changed_what_and_keeps_the_typed_values(rep, plan):
    colleague = users.community_rep("500105", first_name="เพื่อนร่วมทีม")
    mine, theirs = login(rep), login(colleague)
    url = reverse("workstreams:edit", args=[plan.pk])
    opened_at = mine.get(url).context["revision_form"]["revision"].value()
    theirs_form = theirs.get(url).context["revision_form"]["revision"].value()
    assert theirs.post(url, profile_post(plan, revision=theirs_form, vision="วิสัยทัศน์ของเพื่อน")).status_code == 302
    response = mine.post(url, profile_post(plan, revision=opened_at, vision="วิสัยทัศน์ของฉัน"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="conflict"' in body
    assert "เพื่อนร่วมทีม" in body and "วิสัยทัศน์ของเพื่อน" in body
    assert "วิสัยทัศน์ของฉัน" in body
    saved = TambonPlan.objects.get(pk=plan.pk)
    assert saved.vision == "วิสัยทัศน์ของเพื่อน"
    # The form now carries the saved revision: saving again is a deliberate choice, and it goes through.
    assert response.context["revision_form"]["revision"].value() == saved.revision
    again = mine.post(url, profile_post(plan, revision=saved.revision, vision="วิสัยทัศน์ของฉัน"))
    assert again.status_code == 302
    assert TambonPlan.objects.get(pk=plan.pk).vision == "วิสัยทัศน์ของฉัน"


def test_a_missing_revision_is_refused_with_a_message(rep, plan):
    data = profile_post(plan)
    del data["revision"]
    response = login(rep).post(reverse("workstreams:edit", args=[plan.pk]), data)
    assert response.status_code == 200 and response.context["errors"]
    assert TambonPlan.objects.get(pk=plan.pk).revision == plan.revision


def problems_post(plan, rows, initial=0):
    data = {
        "revision": plan.revision,
        "problems-TOTAL_FORMS": str(len(rows)),
        "problems-INITIAL_FORMS": str(initial),
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"problems-{i}-{key}"] = value
    return data


def test_problems_are_ranked_by_the_numbers_typed_and_removed_rows_drop_out(rep, plan):
    client = login(rep)
    url = reverse("workstreams:problems", args=[plan.pk])
    rows = [
        {"rank": "2", "title": "หนี้นอกระบบ", "description": ""},
        {"rank": "1", "title": "น้ำท่วมซ้ำซาก", "description": "ทุกปี"},
        {"rank": "3", "title": "ขยะ", "description": "", "DELETE": "on"},
        {"rank": "", "title": "", "description": ""},
    ]
    assert client.post(url, problems_post(plan, rows)).status_code == 302
    assert list(plan.problems.values_list("rank", "title")) == [(1, "น้ำท่วมซ้ำซาก"), (2, "หนี้นอกระบบ")]
    form = client.get(url).context["formset"]
    assert form.initial_form_count() == 2


def test_problems_stale_save_shows_the_conflict(rep, plan):
    stale = problems_post(plan, [{"rank": "1", "title": "ของฉัน"}])
    services.update_tambon_plan(
        plan=plan, by=users.community_rep("500105"), expected_revision=plan.revision, vision="x"
    )
    response = login(rep).post(reverse("workstreams:problems", args=[plan.pk]), stale)
    assert response.status_code == 200 and 'id="conflict"' in response.content.decode()
    assert "ของฉัน" in response.content.decode()
    assert not plan.problems.exists()


def project_post(plan, *, budget=(), indicators=(), **overrides):
    data = {
        "revision": plan.revision,
        "project_class": "joint",
        "workstream": node("WS-WELFARE").pk,
        "goal": node("WS-WELFARE-G1").pk,
        "programme": node("WS-WELFARE-G1-P1").pk,
        "name": "กองทุนสวัสดิการชุมชน",
        "rationale": "ผู้สูงอายุเพิ่มขึ้น",
        "objectives": "",
        "targets": "",
        "method": "",
        "start_date": "2020-10-01",
        "end_date": "2021-09-30",
        "responsible_body": "สภาองค์กรชุมชน",
        "supporting_agencies": "",
        "evaluation": "",
        "expected_results": "",
        "budget-TOTAL_FORMS": str(len(budget)),
        "budget-INITIAL_FORMS": "0",
        "indicators-TOTAL_FORMS": str(len(indicators)),
        "indicators-INITIAL_FORMS": "0",
    }
    for prefix, rows in (("budget", budget), ("indicators", indicators)):
        for i, row in enumerate(rows):
            for key, value in row.items():
                data[f"{prefix}-{i}-{key}"] = value
    return data | overrides


BUDGET = [
    {"fiscal_year": "2564", "source": "codi", "amount": "25000.25"},
    {"fiscal_year": "2565", "source": "local_government", "amount": "5000"},
    {"fiscal_year": "", "source": "", "amount": ""},
]
INDICATOR = [{"name": "สมาชิกกองทุน", "unit": "คน", "baseline": "", "target_value": "300", "target_year_be": "2565"}]


def test_rep_adds_a_project_with_budget_lines_and_indicators(rep, plan):
    response = login(rep).post(
        reverse("workstreams:project_new", args=[plan.pk]), project_post(plan, budget=BUDGET, indicators=INDICATOR)
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    project = plan.projects.get(number=2)
    assert project.project_class == "joint" and project.workstream.code == "WS-WELFARE"
    assert sorted((b.fiscal_year, b.source, b.amount) for b in project.budget_lines.all()) == [
        (2564, "codi", Decimal("25000.25")),
        (2565, "local_government", Decimal("5000.00")),
    ]
    assert [(i.name, i.target_value) for i in project.indicators.all()] == [("สมาชิกกองทุน", Decimal("300"))]


def test_rep_edits_a_project_and_its_existing_lines_are_kept(rep, plan):
    client = login(rep)
    url = reverse("workstreams:project_edit", args=[plan.pk, 1])
    page = client.get(url)
    assert page.context["budget"].initial_form_count() == 1
    data = project_post(
        plan,
        budget=[{"fiscal_year": "2563", "source": "codi", "amount": "10000.50"}, *BUDGET[:1]],
        indicators=INDICATOR,
        name="ตลาดชุมชน (ปรับ)",
        workstream=node("WS-ECONOMY").pk,
        goal=node("WS-ECONOMY-G1").pk,
        programme=node("WS-ECONOMY-G1-P1").pk,
    )
    data["budget-INITIAL_FORMS"] = "1"
    assert client.post(url, data).status_code == 302
    project = plan.projects.get(number=1)
    assert project.name == "ตลาดชุมชน (ปรับ)" and project.budget_lines.count() == 2


def test_a_service_error_on_a_project_is_shown_on_its_field_with_the_typed_values_kept(rep, plan):
    response = login(rep).post(
        reverse("workstreams:project_new", args=[plan.pk]),
        project_post(
            plan, budget=BUDGET, indicators=INDICATOR, programme=node("WS-COUNCIL-P01").pk, rationale="เหตุผลยาวๆ"
        ),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["programme"]
    body = response.content.decode()
    assert "เหตุผลยาวๆ" in body and 'value="25000.25"' in body and 'value="สมาชิกกองทุน"' in body
    assert plan.projects.count() == 1


def test_a_project_without_indicators_is_refused_with_a_message(rep, plan):
    response = login(rep).post(
        reverse("workstreams:project_new", args=[plan.pk]), project_post(plan, budget=BUDGET, indicators=[])
    )
    assert response.status_code == 200 and response.context["indicator_errors"]
    assert plan.projects.count() == 1


def test_a_budget_year_outside_the_plan_period_and_duplicate_lines_are_refused(rep, plan):
    client = login(rep)
    url = reverse("workstreams:project_new", args=[plan.pk])
    outside = [{"fiscal_year": "2570", "source": "codi", "amount": "1"}]
    response = client.post(url, project_post(plan, budget=outside, indicators=INDICATOR))
    assert response.status_code == 200 and response.context["budget"].forms[0].errors["fiscal_year"]
    twice = [BUDGET[0], BUDGET[0]]
    response = client.post(url, project_post(plan, budget=twice, indicators=INDICATOR))
    assert response.status_code == 200 and response.context["budget"].non_form_errors()
    assert plan.projects.count() == 1


def test_project_stale_save_shows_the_conflict_and_keeps_the_form(rep, plan):
    stale = project_post(plan, budget=BUDGET, indicators=INDICATOR, name="ของฉันเอง")
    add_project(plan, users.community_rep("500105", first_name="คนที่สอง"), name="ของอีกคน")
    response = login(rep).post(reverse("workstreams:project_new", args=[plan.pk]), stale)
    body = response.content.decode()
    assert response.status_code == 200 and 'id="conflict"' in body
    assert "คนที่สอง" in body and "ของฉันเอง" in body
    saves = response.context["conflict_saves"]
    assert len(saves) == 1 and "2" in saves[0]["what"]
    assert plan.projects.count() == 2


def test_rep_deletes_a_project(rep, plan):
    client = login(rep)
    url = reverse("workstreams:project_delete", args=[plan.pk, 1])
    assert client.get(url).status_code == 200
    assert client.post(url, {"revision": plan.revision}).status_code == 302
    assert not plan.projects.exists()


def test_a_submitted_plan_is_read_only(rep, plan):
    services.submit_tambon_plan(plan=plan, by=rep)
    plan.refresh_from_db()
    client = login(rep)
    url = reverse("workstreams:edit", args=[plan.pk])
    assert client.get(url)["Location"] == reverse("workstreams:detail", args=[plan.pk])
    response = client.post(url, profile_post(plan, vision="แอบแก้"))
    assert response.status_code == 200 and response.context["errors"]
    assert "แอบแก้" in response.content.decode()
    assert TambonPlan.objects.get(pk=plan.pk).vision != "แอบแก้"


# --- workflow ------------------------------------------------------------------------------------------------------


def test_the_whole_workflow_through_the_pages(rep, plan, coordinator):
    rep_client, coord_client = login(rep), login(coordinator)
    regional = login(users.regional_staff("north"))
    move = lambda client, action, **data: client.post(  # noqa: E731
        reverse("workstreams:transition", args=[plan.pk, action]), data
    )
    assert move(rep_client, "submit").status_code == 302
    detail = coord_client.get(reverse("workstreams:detail", args=[plan.pk])).content.decode()
    assert 'id="return-form"' in detail and 'id="accept-form"' in detail
    # A return needs a reason: the page says so and nothing moves.
    response = move(coord_client, "return", comment="   ")
    assert response.status_code == 200 and response.context["form"].errors["comment"]
    assert TambonPlan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED
    assert move(coord_client, "return", comment="เพิ่มตัวชี้วัด").status_code == 302
    page = rep_client.get(reverse("workstreams:detail", args=[plan.pk])).content.decode()
    assert "เพิ่มตัวชี้วัด" in page and "note returned" in page
    add_project(plan, rep, name="โครงการที่สอง", amount="20000")
    assert move(rep_client, "submit").status_code == 302
    assert TambonPlan.objects.get(pk=plan.pk).status == PlanStatus.RESUBMITTED
    compare = coord_client.get(reverse("workstreams:compare", args=[plan.pk]), {"a": 1, "b": 2})
    assert compare.status_code == 200
    assert any("โครงการที่สอง" in line for row in compare.context["changes"] for line in row["new"])
    assert move(rep_client, "accept").status_code == 403
    assert move(coord_client, "accept", comment="ผ่าน").status_code == 302
    assert move(regional, "endorse", comment="เห็นชอบ").status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ENDORSED
    history = rep_client.get(reverse("workstreams:detail", args=[plan.pk])).content.decode()
    assert "เห็นชอบ" in history and "ผ่าน" in history


def test_a_wrong_move_shows_the_service_message(rep, plan, coordinator):
    response = login(coordinator).post(reverse("workstreams:transition", args=[plan.pk, "accept"]), {"comment": ""})
    assert response.status_code == 200 and response.context["errors"]
    assert TambonPlan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT


def test_budget_viewer_reads_but_cannot_move_a_plan(rep, plan):
    services.submit_tambon_plan(plan=plan, by=rep)
    viewer = login(users.budget_viewer())
    assert viewer.get(reverse("workstreams:detail", args=[plan.pk])).status_code == 200
    assert viewer.post(reverse("workstreams:transition", args=[plan.pk, "accept"])).status_code == 403
    assert viewer.get(reverse("workstreams:review")).status_code == 403


def test_unknown_action_is_404(rep, plan):
    assert login(rep).get(f"/tambon-plans/{plan.pk}/approve/").status_code == 404


def test_compare_with_one_submission_says_so_and_unknown_numbers_are_404(rep, plan):
    services.submit_tambon_plan(plan=plan, by=rep)
    client = login(rep)
    assert "older" not in client.get(reverse("workstreams:compare", args=[plan.pk])).context
    services.return_tambon_plan(plan=plan, by=users.central_staff(), reason="แก้")
    services.submit_tambon_plan(plan=plan, by=rep)
    assert client.get(reverse("workstreams:compare", args=[plan.pk]), {"a": 1, "b": 9}).status_code == 404


# --- review queue --------------------------------------------------------------------------------------------------


def test_review_queue_filters_and_counts(coordinator, rep, plan, other_plan, other_rep):
    services.submit_tambon_plan(plan=plan, by=rep)
    client = login(coordinator)
    queue = client.get(reverse("workstreams:review"))
    assert list(queue.context["page"].object_list) == [plan]
    counts = {value: n for value, _label, n in queue.context["status_counts"]}
    assert counts["submitted"] == 1 and counts["draft"] == 1
    assert list(client.get(reverse("workstreams:review"), {"status": "draft"}).context["page"].object_list) == [
        other_plan
    ]
    add_project(
        other_plan,
        other_rep,
        workstream=node("WS-HOUSING"),
        goal=node("WS-HOUSING-G1"),
        programme=node("WS-HOUSING-G1-P1"),
    )
    housing = client.get(reverse("workstreams:review"), {"status": "all", "workstream": "WS-HOUSING"})
    assert list(housing.context["page"].object_list) == [other_plan]
    district = plan.tambon.district.code
    by_district = client.get(reverse("workstreams:review"), {"status": "all", "district": district, "province": "50"})
    assert set(by_district.context["page"].object_list) == {
        p for p in (plan, other_plan) if p.tambon.district.code == district
    }
    assert client.get(reverse("workstreams:review"), {"province": "10"}).context["form"].errors


def test_review_queue_runs_the_same_number_of_queries_for_3_or_30_plans(
    coordinator, rep, django_assert_max_num_queries, django_assert_num_queries
):
    tambons = list(Subdistrict.objects.filter(province__code="50").order_by("code")[:30])

    def make(ts):
        for t in ts:
            p = TambonPlanFactory(tambon=t, status=PlanStatus.SUBMITTED, created_by=rep)
            ProjectBudgetFactory(project=ProjectFactory(plan=p, number=1))

    client = login(coordinator)
    params = {"workstream": "WS-ECONOMY", "province": "50"}
    make(tambons[:3])
    with django_assert_max_num_queries(MAX_PAGE_QUERIES) as three:
        assert len(client.get(reverse("workstreams:review"), params).context["page"].object_list) == 3
    make(tambons[3:])
    with django_assert_num_queries(len(three.captured_queries)):
        page = client.get(reverse("workstreams:review"), params).context["page"]
        assert len(page.object_list) == 25 and page.paginator.count == 30


# --- province plan -------------------------------------------------------------------------------------------------


def test_province_totals_come_from_accepted_plans_only(coordinator, rep, plan, other_plan):
    client = login(coordinator)
    url = reverse("workstreams:province", args=["50", 2563])
    assert client.get(url).context["totals"]["total"] == Decimal("0")
    services.submit_tambon_plan(plan=plan, by=rep)
    services.accept_tambon_plan(plan=plan, by=coordinator)
    response = client.get(url)
    totals = response.context["totals"]
    assert totals["total"] == Decimal("10000.50")
    assert [(row["key"], row["total"]) for row in totals["by_workstream"]] == [("WS-ECONOMY", Decimal("10000.50"))]
    assert [(row["key"], row["total"]) for row in totals["by_fiscal_year"]] == [("2563", Decimal("10000.50"))]
    assert list(response.context["tambon_plans"]) == [plan]
    assert "10,000.50" in response.content.decode()


def test_coordinator_writes_the_narrative_and_a_stale_save_shows_the_conflict(coordinator):
    client, colleague = login(coordinator), login(users.central_staff(first_name="เจ้าหน้าที่กลาง"))
    url = reverse("workstreams:province", args=["50", 2563])
    opened = client.get(url).context["revision_form"]["revision"].value()
    data = {"narrative": "เรื่องเล่าของจังหวัด", "priorities": "ที่อยู่อาศัยก่อน"}
    assert colleague.post(url, data | {"revision": opened}).status_code == 302
    response = client.post(url, {"narrative": "ของฉัน", "priorities": "", "revision": opened})
    body = response.content.decode()
    assert 'id="conflict"' in body and "เจ้าหน้าที่กลาง" in body and "เรื่องเล่าของจังหวัด" in body and "ของฉัน" in body
    assert ProvincePlan.objects.get(province__code="50").narrative == "เรื่องเล่าของจังหวัด"


def test_rep_reads_their_province_plan_but_cannot_write_it_or_see_other_tambons(rep, plan, other_plan, other_rep):
    coordinator = users.provincial_coordinator("50")
    for p, writer in ((plan, rep), (other_plan, other_rep)):
        services.submit_tambon_plan(plan=p, by=writer)
        services.accept_tambon_plan(plan=p, by=coordinator)
    client = login(rep)
    url = reverse("workstreams:province", args=["50", 2563])
    response = client.get(url)
    assert response.status_code == 200 and not response.context["can_edit"]
    assert list(response.context["tambon_plans"]) == [plan]
    assert response.context["totals"]["total"] == Decimal("20001.00")
    assert client.post(url, {"narrative": "x", "priorities": "", "revision": 1}).status_code == 403
    assert not ProvincePlan.objects.exists()
    assert client.get(reverse("workstreams:province", args=["10", 2563])).status_code == 404


# --- Excel ---------------------------------------------------------------------------------------------------------


def with_vision(plan, by):
    return services.update_tambon_plan(plan=plan, by=by, expected_revision=plan.revision, vision="วิสัยทัศน์เดิม")


def workbook_with(plan, old, new):
    """Export the plan, replace the one cell holding `old` with `new`, and return the bytes and where it was."""
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(excel.export_plan(plan)))
    found = [
        (sheet, cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None and str(cell.value) == str(old)
    ]
    assert len(found) == 1, found
    sheet, cell = found[0]
    cell.value = new
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), sheet.title, cell.row


def upload(client, plan, content, name="plan.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("workstreams:import", args=[plan.pk]),
        {"step": "check", "file": SimpleUploadedFile(name, content, content_type=views_xlsx())},
    )


def views_xlsx():
    from workstreams.views import XLSX

    return XLSX


def test_plan_and_empty_template_download_as_xlsx(rep, plan, other_plan):
    client = login(rep)
    response = client.get(reverse("workstreams:export", args=[plan.pk]))
    assert response.status_code == 200 and response["Content-Type"] == views_xlsx()
    assert response.content[:2] == b"PK" and "500105" in response["Content-Disposition"]
    assert client.get(reverse("workstreams:template")).content[:2] == b"PK"
    assert client.get(reverse("workstreams:export", args=[other_plan.pk])).status_code == 404
    assert client.get(reverse("workstreams:import", args=[other_plan.pk])).status_code == 404
    assert client.post(reverse("workstreams:import", args=[other_plan.pk]), {"step": "confirm"}).status_code == 404
    body = client.get(reverse("workstreams:detail", args=[plan.pk])).content.decode()
    assert 'id="download-excel"' in body and 'id="upload-excel"' in body


def test_excel_pages_need_login_and_a_writer(client, coordinator, plan):
    for url in (reverse("workstreams:export", args=[plan.pk]), reverse("workstreams:import", args=[plan.pk])):
        assert client.get(url)["Location"].startswith(reverse("login"))
    assert login(coordinator).get(reverse("workstreams:import", args=[plan.pk])).status_code == 403
    assert login(coordinator).get(reverse("workstreams:export", args=[plan.pk])).status_code == 200


def test_an_upload_is_checked_first_then_saved_on_confirmation(rep, plan):
    client = login(rep)
    plan = with_vision(plan, rep)
    content, _sheet, _row = workbook_with(plan, plan.vision, "วิสัยทัศน์จาก Excel")
    checked = upload(client, plan, content)
    assert checked.status_code == 200 and checked.context["result"].errors == []
    assert 'id="confirm-upload"' in checked.content.decode()
    assert TambonPlan.objects.get(pk=plan.pk).vision != "วิสัยทัศน์จาก Excel"
    saved = client.post(reverse("workstreams:import", args=[plan.pk]), {"step": "confirm"})
    assert saved.status_code == 302
    assert TambonPlan.objects.get(pk=plan.pk).vision == "วิสัยทัศน์จาก Excel"
    # The kept bytes are gone once saved: a second confirmation has nothing to save.
    again = client.post(reverse("workstreams:import", args=[plan.pk]), {"step": "confirm"})
    assert again.status_code == 302 and again["Location"] == reverse("workstreams:import", args=[plan.pk])


def test_an_upload_with_an_error_lists_it_by_sheet_row_and_column_and_saves_nothing(rep, plan):
    client = login(rep)
    content, sheet, row = workbook_with(plan, "10000.5", "หนึ่งหมื่น")
    response = upload(client, plan, content)
    errors = response.context["result"].errors
    assert errors and [(e.sheet, e.row) for e in errors] == [(sheet, row)]
    body = response.content.decode()
    assert 'id="upload-errors"' in body and 'id="confirm-upload"' not in body
    assert client.post(reverse("workstreams:import", args=[plan.pk]), {"step": "confirm"}).status_code == 302
    assert TambonPlan.objects.get(pk=plan.pk).revision == plan.revision


def test_a_file_that_is_not_a_workbook_is_refused_with_a_message(rep, plan):
    response = upload(login(rep), plan, b"just some text, not a spreadsheet", name="plan.xlsx")
    assert response.status_code == 200 and response.context["file_errors"]
    assert TambonPlan.objects.get(pk=plan.pk).revision == plan.revision


def test_a_save_between_check_and_confirm_is_a_conflict_not_an_overwrite(rep, plan):
    client = login(rep)
    plan = with_vision(plan, rep)
    content, _sheet, _row = workbook_with(plan, plan.vision, "จากไฟล์")
    assert upload(client, plan, content).context["result"].errors == []
    services.update_tambon_plan(
        plan=plan, by=users.community_rep("500105", first_name="อีกคน"), expected_revision=plan.revision, vision="ใหม่"
    )
    response = client.post(reverse("workstreams:import", args=[plan.pk]), {"step": "confirm"})
    assert response.status_code == 200 and 'id="conflict"' in response.content.decode()
    assert TambonPlan.objects.get(pk=plan.pk).vision == "ใหม่"


# --- the plan page a representative writes on: profile, problems and new projects at once ----------------------------


def plan_page_post(plan, *, problems=(), projects=(), blank_projects=0, **profile):
    """Post the plan page as a browser would: the profile as saved unless overridden, new projects by index."""
    from workstreams.models import PLAN_FIELDS

    data = {"revision": plan.revision, "problems-TOTAL_FORMS": str(len(problems)), "problems-INITIAL_FORMS": "0"}
    data |= {name: "" if getattr(plan, name) is None else str(getattr(plan, name)) for name in PLAN_FIELDS}
    data |= profile
    for i, title in enumerate(problems):
        data |= {f"problems-{i}-rank": "", f"problems-{i}-title": title, f"problems-{i}-description": ""}
    offered = [*projects, *[{} for _blank in range(blank_projects)]]
    data["projects-TOTAL_FORMS"] = str(len(offered))
    for i, project in enumerate(offered):
        p = f"projects-{i}"
        # What the page offers a new project: dates and responsible body from the plan, one CODI line per year.
        data |= {
            f"{p}-start_date": "2019-10-01",
            f"{p}-end_date": "2022-09-30",
            f"{p}-responsible_body": "สภาองค์กรชุมชนตำบลช้างคลาน",
            f"{p}-budget-TOTAL_FORMS": "3",
            f"{p}-budget-INITIAL_FORMS": "0",
            f"{p}-indicators-TOTAL_FORMS": "1",
            f"{p}-indicators-INITIAL_FORMS": "0",
            f"{p}-indicators-0-target_year_be": "2565",
        }
        for row, year in enumerate(plan.fiscal_years):
            data |= {f"{p}-budget-{row}-fiscal_year": str(year), f"{p}-budget-{row}-source": "codi"}
        data |= {f"{p}-{key}": value for key, value in project.items()}
    return data


def new_project(name, amounts=("1000", "", ""), place=("WS-WELFARE-G1", "WS-WELFARE-G1-P1"), **fields):
    goal, programme = place
    data = {
        "project_class": "joint",
        "place": f"{node(goal).pk}:{node(programme).pk}",
        "name": name,
        "indicators-0-name": "สมาชิกกองทุน",
        "indicators-0-unit": "คน",
        "indicators-0-target_value": "300",
    }
    data |= {f"budget-{row}-amount": amount for row, amount in enumerate(amounts)}
    return data | fields


def test_rep_saves_profile_problems_and_two_new_projects_at_once_and_blank_projects_are_not_saved(rep, plan):
    client = login(rep)
    url = reverse("workstreams:edit", args=[plan.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'id="add-another-project"' in page.content.decode()
    data = plan_page_post(
        plan,
        vision="ชุมชนพึ่งตนเอง",
        problems=["น้ำท่วม", "หนี้นอกระบบ"],
        projects=[
            new_project("กองทุนสวัสดิการ", amounts=("1000", "2000", "")),
            new_project(
                "ตลาดชุมชน",
                amounts=("1000", "", "500"),
                place=("WS-ECONOMY-G1", "WS-ECONOMY-G1-P1"),
                **{"budget-2-source": "community"},
            ),
        ],
        blank_projects=1,
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    saved = TambonPlan.objects.get(pk=plan.pk)
    assert saved.vision == "ชุมชนพึ่งตนเอง" and saved.revision == plan.revision + 4
    assert [p.title for p in saved.problems.order_by("rank")] == ["น้ำท่วม", "หนี้นอกระบบ"]
    assert [p.name for p in saved.projects.order_by("number")] == ["ตลาดชุมชน", "กองทุนสวัสดิการ", "ตลาดชุมชน"]
    welfare, market = saved.projects.get(number=2), saved.projects.get(number=3)
    assert (welfare.workstream.code, welfare.goal.code, welfare.programme.code) == (
        "WS-WELFARE",
        "WS-WELFARE-G1",
        "WS-WELFARE-G1-P1",
    )
    assert sorted((b.fiscal_year, b.source, b.amount) for b in welfare.budget_lines.all()) == [
        (2563, "codi", Decimal("1000.00")),
        (2564, "codi", Decimal("2000.00")),
    ]
    assert sorted((b.fiscal_year, b.source) for b in market.budget_lines.all()) == [(2563, "codi"), (2565, "community")]
    assert market.workstream.code == "WS-ECONOMY" and market.responsible_body.endswith("ช้างคลาน")


def test_a_project_the_service_refuses_saves_nothing_from_the_page_and_keeps_what_was_typed(rep, plan):
    url = reverse("workstreams:edit", args=[plan.pk])
    data = plan_page_post(
        plan,
        vision="วิสัยทัศน์ที่พิมพ์ไว้",
        projects=[new_project("โครงการดี"), new_project("โครงการเกินช่วงแผน", end_date="2030-09-30")],
    )
    response = login(rep).post(url, data)
    assert response.status_code == 200
    refused = response.context["projects"].items[1]
    assert "end_date" in refused.form.errors
    body = response.content.decode()
    assert "วิสัยทัศน์ที่พิมพ์ไว้" in body and "โครงการเกินช่วงแผน" in body
    saved = TambonPlan.objects.get(pk=plan.pk)
    assert saved.revision == plan.revision and saved.vision == "" and saved.projects.count() == 1


def test_a_stale_plan_page_shows_the_conflict_and_saves_no_new_project(rep, plan):
    url = reverse("workstreams:edit", args=[plan.pk])
    data = plan_page_post(plan, projects=[new_project("โครงการใหม่")])
    add_project(plan, rep, name="บันทึกโดยอีกเครื่อง")
    response = login(rep).post(url, data)
    assert response.status_code == 200 and 'id="conflict"' in response.content.decode()
    assert list(TambonPlan.objects.get(pk=plan.pk).projects.values_list("name", flat=True).order_by("number")) == [
        "ตลาดชุมชน",
        "บันทึกโดยอีกเครื่อง",
    ]


def test_save_and_add_another_project_comes_back_to_the_page_with_a_blank_one(rep, plan):
    url = reverse("workstreams:edit", args=[plan.pk])
    data = plan_page_post(plan, projects=[new_project("โครงการแรก")]) | {"then": "more"}
    response = login(rep).post(url, data)
    assert response.status_code == 302 and response["Location"] == url + "#new-projects"
    page = login(rep).get(url)
    assert len(page.context["projects"].items) == 1 and not page.context["projects"].items[0].has_changed()
