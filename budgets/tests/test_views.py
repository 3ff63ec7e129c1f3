from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import override

from accounts.tests import factories as users
from budgets import services
from budgets.models import BudgetCeiling, BudgetRequest, ProvincialDevelopmentPlan, RequestStatus
from budgets.tests.factories import (
    FISCAL_YEAR,
    DevelopmentIssueFactory,
    ProvincialDevelopmentPlanFactory,
    accepted_projects,
    draft_request,
    forwarded_request,
    node,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(reference_data):
    return users.provincial_coordinator("50")


@pytest.fixture
def staff(reference_data):
    return users.central_staff()


@pytest.fixture
def issue(reference_data):
    return DevelopmentIssueFactory()


def logged_in(client, user):
    client.force_login(user)
    return client


def formset(prefix, rows, extra=0):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows) + extra), f"{prefix}-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        data |= {f"{prefix}-{i}-{k}": v for k, v in row.items()}
    return data


def request_post(projects, issue, amounts=("60000", "40000")):
    return (
        {
            "title": "ยกระดับเศรษฐกิจฐานรากสองตำบล",
            "requesting_body": "ขบวนองค์กรชุมชนจังหวัดเชียงใหม่",
            "host_agency": "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)",
            "projects": [p.pk for p in projects],
            "development_issue": issue.pk,
            "workstream": node("WS-ECONOMY").pk,
            "programme": node("WS-ECONOMY-G1-P1").pk,
            "national_target": node("MP-2561-16").pk,
            "targets": "200 ครัวเรือน",
            "expected_benefits": "รายได้เพิ่มขึ้น",
        }
        | formset("ind", [{"name": "ครัวเรือนรายได้เพิ่ม", "unit": "ครัวเรือน", "target_value": "200"}], extra=1)
        | formset("exp", [{"category": "operating", "amount": a} for a in amounts], extra=1)
    )


def test_budget_pages_need_a_login(client, reference_data):
    for name in ("budgets:index", "budgets:consolidation", "budgets:plans", "budgets:ceilings"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_index_lists_the_users_requests_and_hides_others(client, coordinator, issue):
    mine = draft_request(coordinator, accepted_projects("500105"), issue)
    page = logged_in(client, coordinator).get(reverse("budgets:index"), {"fiscal_year": FISCAL_YEAR})
    assert list(page.context["requests"]) == [mine]
    other = logged_in(client, users.provincial_coordinator("40"))
    assert not list(other.get(reverse("budgets:index"), {"fiscal_year": FISCAL_YEAR}).context["requests"])
    assert other.get(reverse("budgets:request", args=[mine.pk])).status_code == 404


def test_a_coordinator_creates_a_request_in_the_browser_form(client, coordinator, issue):
    projects = accepted_projects("500105", "500106")
    url = reverse("budgets:request_create") + f"?province={coordinator.province.pk}&fiscal_year={FISCAL_YEAR}"
    client = logged_in(client, coordinator)
    page = client.get(url)
    assert page.status_code == 200 and len(page.context["form"].fields["projects"].queryset) == 2
    response = client.post(url, request_post(projects, issue))
    assert response.status_code == 302, response.context and response.context["form"].errors
    request = BudgetRequest.objects.get()
    assert request.requested_amount == Decimal("100000.00") and request.projects.count() == 2
    assert client.get(response["Location"]).status_code == 200


def test_a_negative_amount_in_the_form_is_shown_and_nothing_is_saved(client, coordinator, issue):
    projects = accepted_projects("500105")
    url = reverse("budgets:request_create") + f"?province={coordinator.province.pk}&fiscal_year={FISCAL_YEAR}"
    response = logged_in(client, coordinator).post(url, request_post(projects, issue, amounts=("-5",)))
    assert response.status_code == 200
    assert [e for e in response.context["expense_set"].errors if e] == [
        {"amount": ["Amount (baht) cannot be negative."]}
    ]
    assert not BudgetRequest.objects.exists()


def test_editing_a_draft_keeps_the_optimistic_lock(client, coordinator, issue):
    projects = accepted_projects("500105")
    request = draft_request(coordinator, projects, issue)
    client = logged_in(client, coordinator)
    url = reverse("budgets:request_edit", args=[request.pk])
    assert client.get(url).status_code == 200
    data = request_post(projects, issue, amounts=("1000",)) | {"revision": "1"}
    assert client.post(url, data).status_code == 302
    stale = client.post(url, data)
    assert stale.status_code == 200 and stale.context["form"].non_field_errors()
    assert BudgetRequest.objects.get().requested_amount == Decimal("1000.00")


def test_workflow_buttons_move_the_request_and_read_only_users_cannot(client, coordinator, staff, issue):
    request = draft_request(coordinator, accepted_projects("500105"), issue)
    c = logged_in(client, coordinator)
    c.post(reverse("budgets:request_move", args=[request.pk, "submit"]), {"comment": ""})
    page = c.get(reverse("budgets:request", args=[request.pk]))
    assert "four-eyes" in page.content.decode() and "Prioritise" not in page.content.decode()
    rank = {"rank": "1", "priority_note": "สำคัญ", "redeployment_note": ""}
    own = c.post(reverse("budgets:request_move", args=[request.pk, "prioritise"]), rank)
    assert own.status_code == 403 and "No one decides on their own work" in own.content.decode()
    region = logged_in(Client(), users.regional_staff("north"))
    region.post(reverse("budgets:request_move", args=[request.pk, "prioritise"]), rank)
    region.post(reverse("budgets:request_move", args=[request.pk, "forward"]), {"comment": ""})
    request.refresh_from_db()
    assert request.status == RequestStatus.FORWARDED and request.rank == 1
    viewer = logged_in(client, users.budget_viewer())
    viewer.post(reverse("budgets:request_move", args=[request.pk, "approve"]), {"amount": "1"})
    request.refresh_from_db()
    assert request.status == RequestStatus.FORWARDED
    s = logged_in(client, staff)
    page = s.post(reverse("budgets:request_move", args=[request.pk, "approve"]), {"amount": "999999"}, follow=True)
    assert any("cannot exceed" in str(m) for m in page.context["messages"])
    s.post(reverse("budgets:request_move", args=[request.pk, "approve"]), {"amount": "80000"})
    request.refresh_from_db()
    assert request.approved_amount == Decimal("80000.00")
    assert s.post(reverse("budgets:request_move", args=[request.pk, "dance"])).status_code == 404


def test_spending_plan_actuals_monitoring_and_evaluation_pages(client, coordinator, staff, issue):
    request = forwarded_request(coordinator, accepted_projects("500105"), issue)
    services.approve_budget_request(request=request, by=staff, amount="80000")
    request.refresh_from_db()
    c = logged_in(client, coordinator)
    url = reverse("budgets:spending_plan", args=[request.pk])
    assert c.get(url).status_code == 200 and c.get(url + "?by=month").status_code == 200
    row = {"name": "อบรม", "unit": "ครั้ง", "category": "operating"}
    short = row | {"q1_qty": "1", "q1_amount": "10000"}
    page = c.post(url, formset("act", [short], extra=1) | {"revision": request.revision}, follow=True)
    assert any("must equal" in str(m) for m in page.context["messages"])
    full = row | {f"q{q}_qty": "1" for q in (1, 2, 3, 4)} | {f"q{q}_amount": "20000" for q in (1, 2, 3, 4)}
    assert c.post(url, formset("act", [full], extra=1) | {"revision": request.revision}).status_code == 302
    c.post(reverse("budgets:request_move", args=[request.pk, "start"]), {})
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_EXECUTION
    actuals = reverse("budgets:actuals", args=[request.pk, 1])
    assert c.get(actuals).status_code == 200
    data = formset("act", [{"activity": "1", "quantity": "1", "amount": "15000"}]) | {"revision": request.revision}
    assert c.post(actuals, data).status_code == 302
    request.refresh_from_db()
    assert request.spent_amount == Decimal("15000.00")
    monitoring = reverse("budgets:monitoring", args=[request.pk, 1])
    assert c.post(monitoring, {"progress": "อบรมแล้ว 1 รุ่น"}).status_code == 302
    evaluation = reverse("budgets:evaluation", args=[request.pk])
    indicator = request.indicators.get()
    assert c.post(evaluation, {"progress": "สำเร็จ", f"achieved_{indicator.pk}": "150"}).status_code == 302
    c.post(reverse("budgets:request_move", args=[request.pk, "close"]), {})
    request.refresh_from_db()
    assert request.status == RequestStatus.CLOSED
    detail = c.get(reverse("budgets:request", args=[request.pk]))
    assert detail.status_code == 200 and "15,000.00" in detail.content.decode()


def test_other_provinces_cannot_open_the_spending_pages(client, coordinator, staff, issue):
    request = forwarded_request(coordinator, accepted_projects("500105"), issue)
    services.approve_budget_request(request=request, by=staff, amount="80000")
    viewer = logged_in(client, users.budget_viewer())
    assert viewer.get(reverse("budgets:spending_plan", args=[request.pk])).status_code == 403
    other = logged_in(client, users.provincial_coordinator("40"))
    assert other.get(reverse("budgets:spending_plan", args=[request.pk])).status_code == 404


def test_the_consolidation_page_shows_totals_and_charts(client, coordinator, staff, issue):
    request = forwarded_request(coordinator, accepted_projects("500105", "500106"), issue)
    services.approve_budget_request(request=request, by=staff, amount="80000")
    services.set_ceiling(by=staff, fiscal_year=FISCAL_YEAR, amount="500000", province=coordinator.province)
    page = logged_in(client, users.budget_viewer()).get(reverse("budgets:consolidation"), {"fiscal_year": FISCAL_YEAR})
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "cdn" not in html.lower()
    assert page.context["totals"].approved == Decimal("80000.00")
    assert "500,000.00" in html and "100,000.00" in html


def test_staff_set_ceilings_and_coordinators_cannot(client, coordinator, staff):
    url = reverse("budgets:ceilings") + f"?fiscal_year={FISCAL_YEAR}"
    data = {"province": coordinator.province.pk, "amount": "750000", "note": "กรอบวงเงินจังหวัด"}
    assert logged_in(client, coordinator).post(url, data).status_code == 403
    assert logged_in(client, staff).post(url, data).status_code == 302
    assert BudgetCeiling.objects.get().amount == Decimal("750000.00")
    bad = logged_in(client, staff).post(url, data | {"amount": "-1"})
    assert bad.status_code == 200 and bad.context["form"].errors


def test_a_coordinator_writes_a_development_plan_with_issues(client, coordinator):
    c = logged_in(client, coordinator)
    response = c.post(
        reverse("budgets:plan_create") + "?province=50",
        {
            "name": "แผนพัฒนาจังหวัดเชียงใหม่ พ.ศ. 2566–2570",
            "period_start_be": "2566",
            "period_end_be": "2570",
            "vision": "นครแห่งชีวิตและความมั่งคั่ง",
            "development_target": "เศรษฐกิจเติบโตอย่างยั่งยืน",
        }
        | formset("ind", [{"name": "GPP", "unit": "ร้อยละ", "target_value": "3"}], extra=1),
    )
    assert response.status_code == 302
    plan = ProvincialDevelopmentPlan.objects.get()
    response = c.post(
        reverse("budgets:issue_create", args=[plan.pk]),
        {
            "title": "เศรษฐกิจฐานราก",
            "objectives": "ก\nข",
            "revision": plan.revision,
            "aligns_to": [node("MP-2566-16").pk],
        }
        | formset("ind", [], extra=2),
    )
    assert response.status_code == 302
    page = c.get(reverse("budgets:plan", args=[plan.pk]))
    assert page.status_code == 200 and "เศรษฐกิจฐานราก" in page.content.decode()
    assert c.get(reverse("budgets:plan_edit", args=[plan.pk])).status_code == 200
    other = ProvincialDevelopmentPlanFactory(province=users.provincial_coordinator("40").province, name="ขอนแก่น")
    assert c.get(reverse("budgets:plan_edit", args=[other.pk])).status_code == 403


def test_staff_reject_with_a_reason_from_the_page(client, coordinator, staff, issue):
    request = forwarded_request(coordinator, accepted_projects("500105"), issue)
    page = logged_in(client, staff).get(reverse("budgets:request", args=[request.pk]))
    html = page.content.decode()
    assert html.count('id="reject_reason"') == 1 and html.count('id="return_reason"') == 1
    client.post(reverse("budgets:request_move", args=[request.pk, "reject"]), {"reason": ""})
    request.refresh_from_db()
    assert request.status == RequestStatus.FORWARDED
    client.post(reverse("budgets:request_move", args=[request.pk, "reject"]), {"reason": "ซ้ำซ้อนกับงบท้องถิ่น"})
    request.refresh_from_db()
    assert request.status == RequestStatus.REJECTED and request.decision_note == "ซ้ำซ้อนกับงบท้องถิ่น"


def test_a_move_is_refused_before_its_form_is_read(client, coordinator, issue):
    # A coordinator may not reject (only CODI decides): 403 even with an empty reason, not a "say why" message.
    request = forwarded_request(coordinator, accepted_projects("500105"), issue)
    response = logged_in(client, coordinator).post(
        reverse("budgets:request_move", args=[request.pk, "reject"]), {"reason": ""}
    )
    assert response.status_code == 403
    viewer = logged_in(client, users.budget_viewer())
    assert viewer.post(reverse("budgets:request_move", args=[request.pk, "return"]), {}).status_code == 403
    request.refresh_from_db()
    assert request.status == RequestStatus.FORWARDED


def test_only_people_who_write_requests_are_offered_new_ones(client, coordinator, reference_data):
    new_request = reverse("budgets:request_create")
    new_plan = reverse("budgets:plan_create") + "?province=50"
    assert new_request in logged_in(client, coordinator).get(reverse("budgets:index")).content.decode()
    assert new_plan in client.get(reverse("budgets:plans")).content.decode()
    for user in (users.budget_viewer(), users.community_rep("500105")):
        client = logged_in(client, user)
        assert new_request not in client.get(reverse("budgets:index")).content.decode()
        assert "/budgets/plans/new/" not in client.get(reverse("budgets:plans")).content.decode()


@pytest.fixture(autouse=True)
def _english_pages(client, settings):
    """These tests read the English wording of the pages (Thai is the default; the switch sets this cookie)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_the_request_history_shows_each_move_with_who_and_why(client, coordinator, issue):
    request = draft_request(coordinator, accepted_projects("500105"), issue)
    services.submit_budget_request(request=request, by=coordinator)
    region = users.regional_staff("north")
    services.return_budget_request(request=request, by=region, reason="ขาดตัวชี้วัดของตำบล")
    page = logged_in(client, coordinator).get(reverse("budgets:request", args=[request.pk]))
    body = page.content.decode()
    with override(page["Content-Language"]):
        returned = f"{RequestStatus.SUBMITTED.label} → {RequestStatus.DRAFT.label}"
        submitted = f"{RequestStatus.DRAFT.label} → {RequestStatus.SUBMITTED.label}"
    assert escape(returned) in body and escape(submitted) in body
    assert "ขาดตัวชี้วัดของตำบล" in body and escape(str(region)) in body
