import threading
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from accounts.tests import factories as users
from areas.models import Province, ProvinceGroup
from budgets import selectors, services
from budgets.models import (
    REQUEST_WORKFLOW,
    BudgetCeiling,
    BudgetRequest,
    ExpenseLine,
    MonitoringPhase,
    MonitoringRecord,
    ProvincialDevelopmentPlan,
    RequestStatus,
    RequestTransition,
    SpendingActual,
    SpendingPlanLine,
)
from budgets.services import ActivityInput, ActualInput, IndicatorInput, PeriodInput
from budgets.tests.factories import (
    FISCAL_YEAR,
    DevelopmentIssueFactory,
    PilotTambonFactory,
    ProvincialDevelopmentPlanFactory,
    accepted_projects,
    draft_request,
    expenses,
    forwarded_request,
    indicators,
    node,
    quarterly_plan,
    request_data,
)
from codi_plans.concurrency import EditConflict
from workstreams.models import PlanStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(reference_data):
    return users.central_staff()


@pytest.fixture
def coordinator(reference_data):
    return users.provincial_coordinator("50")


@pytest.fixture
def issue(reference_data):
    return DevelopmentIssueFactory()


@pytest.fixture
def projects(reference_data):
    return accepted_projects("500105", "500106")


@pytest.fixture
def draft(coordinator, projects, issue):
    return draft_request(coordinator, projects, issue)


@pytest.fixture
def ranker(reference_data):
    """Someone of the province other than the request's writer: ranks and forwards (four-eyes)."""
    return users.regional_staff("north")


@pytest.fixture
def forwarded(coordinator, projects, issue):
    return forwarded_request(coordinator, projects, issue)


def reload(obj):
    obj.refresh_from_db()
    return obj


def approved(staff, forwarded, amount="80000"):
    return services.approve_budget_request(request=forwarded, by=staff, amount=amount)


def executing(staff, request, *amounts):
    request = approved(staff, request, sum(Decimal(a) for a in amounts))
    services.save_spending_plan(
        request=request, by=staff, expected_revision=request.revision, activities=quarterly_plan(*amounts)
    )
    return services.start_execution(request=request, by=staff)


# --- Provincial development plans ------------------------------------------------------------------


def test_coordinator_writes_her_provinces_development_plan_with_target_indicators(coordinator):
    plan = services.create_development_plan(
        by=coordinator,
        province=coordinator.province,
        name="แผนพัฒนาจังหวัดเชียงใหม่ พ.ศ. 2566–2570",
        period_start_be=2566,
        period_end_be=2570,
        vision="นครแห่งชีวิตและความมั่งคั่ง",
        indicators=[IndicatorInput("อัตราการขยายตัว GPP", "ร้อยละ", Decimal("3"), target_year_be=2570)],
    )
    assert plan.revision == 1 and plan.indicators.get().issue is None


def test_coordinator_cannot_write_another_provinces_development_plan(coordinator):
    with pytest.raises(PermissionDenied, match="คุณไม่มีสิทธิ์จัดทำแผนพัฒนาของพื้นที่นี้"):
        services.create_development_plan(
            by=coordinator,
            province=Province.objects.get(code="40"),
            name="แผนพัฒนาจังหวัดขอนแก่น",
            period_start_be=2566,
            period_end_be=2570,
        )


@pytest.mark.parametrize("maker", [users.budget_viewer, lambda: users.community_rep("500105")])
def test_readers_and_reps_cannot_write_development_plans(reference_data, maker):
    with pytest.raises(PermissionDenied, match="คุณไม่มีสิทธิ์จัดทำแผนพัฒนาของพื้นที่นี้"):
        services.create_development_plan(
            by=maker(), province=Province.objects.get(code="50"), name="x", period_start_be=2566, period_end_be=2570
        )


def test_regional_staff_write_their_regions_province_group_plan_only(reference_data):
    north = users.regional_staff("north")
    group = Province.objects.get(code="50").group
    plan = services.create_development_plan(
        by=north, province_group=group, name="แผนพัฒนากลุ่มจังหวัดภาคเหนือตอนบน 1", period_start_be=2566, period_end_be=2570
    )
    assert plan.is_group_plan
    with pytest.raises(PermissionDenied, match="คุณไม่มีสิทธิ์จัดทำแผนพัฒนาของพื้นที่นี้"):
        services.create_development_plan(
            by=north,
            province_group=Province.objects.get(code="40").group,
            name="x",
            period_start_be=2566,
            period_end_be=2570,
        )


def test_a_development_plan_belongs_to_exactly_one_area(staff):
    with pytest.raises(ValidationError, match="แผนพัฒนาต้องเป็นของจังหวัดเดียวหรือกลุ่มจังหวัดเดียวเท่านั้น"):
        services.create_development_plan(
            by=staff,
            province=Province.objects.get(code="50"),
            province_group=ProvinceGroup.objects.first(),
            name="x",
            period_start_be=2566,
            period_end_be=2570,
        )


def test_a_development_plan_period_must_be_in_order(staff):
    with pytest.raises(ValidationError, match="development_plan_period_in_order"):
        services.create_development_plan(
            by=staff, province=Province.objects.get(code="50"), name="x", period_start_be=2570, period_end_be=2566
        )


def test_development_plan_edits_bump_the_revision_and_a_stale_edit_is_refused(coordinator):
    plan = ProvincialDevelopmentPlanFactory()
    services.update_development_plan(plan=plan, by=coordinator, expected_revision=1, indicators=[], vision="ใหม่")
    plan = reload(plan)
    assert plan.revision == 2 and plan.history.latest().history_user == coordinator
    with pytest.raises(EditConflict):
        services.update_development_plan(plan=plan, by=coordinator, expected_revision=1, indicators=[], vision="เก่า")
    assert reload(plan).vision == "ใหม่"


def test_development_issues_are_numbered_in_turn_and_numbers_stay_unique(coordinator):
    plan = ProvincialDevelopmentPlanFactory()
    first = services.save_development_issue(
        plan=plan, by=coordinator, expected_revision=1, data={"title": "เศรษฐกิจ"}, indicators=[]
    )
    second = services.save_development_issue(
        plan=plan,
        by=coordinator,
        expected_revision=2,
        data={"title": "สังคม", "strategies": "ก\nข"},
        indicators=[IndicatorInput("ครัวเรือนยากจนลดลง", "ครัวเรือน", Decimal("500"))],
    )
    assert (first.number, second.number) == (1, 2)
    assert second.strategy_list == ["ก", "ข"] and second.indicators.count() == 1
    with pytest.raises(ValidationError, match="มีประเด็นการพัฒนาอื่นในแผนนี้ใช้ลำดับที่"):
        services.save_development_issue(
            plan=plan, by=coordinator, expected_revision=3, data={"title": "ซ้ำ", "number": 1}, indicators=[]
        )


def test_an_issue_feeds_only_its_province_groups_plan_and_serves_national_items_only(coordinator, staff):
    plan = ProvincialDevelopmentPlanFactory()
    other_group_plan = ProvincialDevelopmentPlanFactory(
        province=None, province_group=Province.objects.get(code="40").group, name="กลุ่มอีสานกลาง"
    )
    other_issue = DevelopmentIssueFactory(plan=other_group_plan)
    with pytest.raises(ValidationError, match="กรุณาเลือกประเด็นการพัฒนาจากแผนพัฒนากลุ่มจังหวัดที่จังหวัดนี้สังกัด"):
        services.save_development_issue(
            plan=plan,
            by=coordinator,
            expected_revision=1,
            data={"title": "x", "group_issue": other_issue},
            indicators=[],
        )
    with pytest.raises(ValidationError, match="ประเด็นการพัฒนาสอดคล้องได้กับรายการแผนระดับชาติเท่านั้น"):
        services.save_development_issue(
            plan=plan,
            by=coordinator,
            expected_revision=1,
            data={"title": "x"},
            indicators=[],
            aligns_to=[node("WS-ECONOMY")],
        )
    own_group_plan = ProvincialDevelopmentPlanFactory(
        province=None, province_group=plan.province.group, name="กลุ่มเหนือบน 1"
    )
    group_issue = DevelopmentIssueFactory(plan=own_group_plan)
    issue = services.save_development_issue(
        plan=plan,
        by=coordinator,
        expected_revision=1,
        data={"title": "x", "group_issue": group_issue},
        indicators=[],
        aligns_to=[node("MP-2566-16")],
    )
    assert issue.group_issue == group_issue and list(issue.aligns_to.all()) == [node("MP-2566-16")]


def test_negative_indicator_targets_are_refused(coordinator):
    plan = ProvincialDevelopmentPlanFactory()
    with pytest.raises(ValidationError, match="ค่าเป้าหมาย ติดลบไม่ได้"):
        services.update_development_plan(
            plan=plan, by=coordinator, expected_revision=1, indicators=[IndicatorInput("x", "y", Decimal("-1"))]
        )
    assert reload(plan).revision == 1


def test_an_issue_a_request_serves_cannot_be_deleted(draft, coordinator, issue):
    with pytest.raises(ValidationError, match="มีคำขอตั้งงบประมาณที่สอดคล้องกับประเด็นการพัฒนานี้"):
        services.delete_development_issue(issue=issue, by=coordinator, expected_revision=issue.plan.revision)
    assert reload(issue).pk


# --- Money input --------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["-1", "-0.01", "abc", "NaN", "Infinity", "1.005", None, "", "1e20"])
def test_money_refuses_bad_amounts(bad):
    with pytest.raises(ValidationError, match="'amount'"):
        services.money(bad)


@pytest.mark.parametrize(("given", "expected"), [("1,234.5", "1234.50"), (0, "0.00"), (Decimal("7"), "7.00")])
def test_money_reads_baht_with_satang(given, expected):
    assert services.money(given) == Decimal(expected)


# --- Ceilings -----------------------------------------------------------------------------------------


def test_only_central_staff_set_ceilings(coordinator, staff):
    with pytest.raises(PermissionDenied, match="เฉพาะเจ้าหน้าที่ส่วนกลาง พอช"):
        services.set_ceiling(by=coordinator, fiscal_year=FISCAL_YEAR, amount="1", province=coordinator.province)
    ceiling = services.set_ceiling(by=staff, fiscal_year=FISCAL_YEAR, amount="500000", province=coordinator.province)
    again = services.set_ceiling(by=staff, fiscal_year=FISCAL_YEAR, amount="600000", province=coordinator.province)
    assert again.pk == ceiling.pk and reload(ceiling).amount == Decimal("600000.00")


def test_a_ceiling_cannot_be_negative_nor_for_two_dimensions(staff):
    province = Province.objects.get(code="50")
    with pytest.raises(ValidationError, match=r"จำนวนเงิน \(บาท\) ติดลบไม่ได้"):
        services.set_ceiling(by=staff, fiscal_year=FISCAL_YEAR, amount="-5", province=province)
    with pytest.raises(ValidationError, match="เพดานงบประมาณกำหนดได้สำหรับจังหวัดเดียวหรือประเด็นงานเดียวเท่านั้น"):
        services.set_ceiling(
            by=staff, fiscal_year=FISCAL_YEAR, amount="5", province=province, workstream=node("WS-ECONOMY")
        )
    with pytest.raises(ValidationError, match="กรุณาเลือกประเด็นงาน"):
        services.set_ceiling(by=staff, fiscal_year=FISCAL_YEAR, amount="5", workstream=node("WS-ECONOMY-G1"))
    assert not BudgetCeiling.objects.exists()


def test_a_ceiling_cannot_be_lowered_below_what_is_approved(staff, forwarded):
    approved(staff, forwarded, "80000")
    with pytest.raises(ValidationError, match="อนุมัติไปแล้ว"):
        services.set_ceiling(by=staff, fiscal_year=FISCAL_YEAR, amount="79999.99", province=forwarded.province)
    services.set_ceiling(by=staff, fiscal_year=FISCAL_YEAR, amount="80000", province=forwarded.province)


# --- Requests: content ---------------------------------------------------------------------------------


def test_coordinator_builds_a_draft_from_two_tambon_projects(draft, projects, coordinator):
    assert draft.status == RequestStatus.DRAFT and draft.revision == 1
    assert set(draft.projects.all()) == set(projects)
    assert draft.requested_amount == Decimal("100000.00")
    assert draft.expense_lines.count() == 2 and draft.indicators.count() == 1
    assert draft.history.latest().history_user == coordinator


@pytest.mark.parametrize("bad", ["-1", "abc", "12.345", "NaN"])
def test_bad_expense_amounts_are_refused_and_change_nothing(draft, coordinator, projects, issue, bad):
    with pytest.raises(ValidationError, match="'expense_lines'"):
        services.update_budget_request(
            request=draft,
            by=coordinator,
            expected_revision=draft.revision,
            data=request_data(issue),
            projects=projects,
            indicators=indicators(),
            expense_lines=expenses("5000", bad),
        )
    draft = reload(draft)
    assert draft.requested_amount == Decimal("100000.00") and draft.revision == 1
    assert sorted(draft.expense_lines.values_list("amount", flat=True)) == [Decimal("40000"), Decimal("60000")]


def test_unknown_expense_categories_are_refused(coordinator, projects, issue):
    with pytest.raises(ValidationError, match="ไม่รู้จักประเภทงบรายจ่าย"):
        services.create_budget_request(
            by=coordinator,
            province=coordinator.province,
            fiscal_year=FISCAL_YEAR,
            data=request_data(issue),
            projects=projects,
            expense_lines=[services.ExpenseInput("bribes", Decimal("1"))],
        )
    assert not BudgetRequest.objects.exists()


def test_a_request_cannot_fund_projects_of_another_province(coordinator, issue, reference_data):
    khon_kaen = accepted_projects("400101")
    with pytest.raises(ValidationError, match="คำขอสนับสนุนได้เฉพาะโครงการในแผนพัฒนาตำบลที่จังหวัดรับแล้วของจังหวัดเดียวกัน") as err:
        draft_request(coordinator, khon_kaen, issue)
    assert "projects" in err.value.message_dict
    assert not BudgetRequest.objects.exists()


def test_a_request_funds_only_projects_of_accepted_or_endorsed_plans(coordinator, issue, reference_data):
    (project,) = accepted_projects("500107")
    project.plan.status = PlanStatus.SUBMITTED
    project.plan.save()
    with pytest.raises(ValidationError, match="คำขอสนับสนุนได้เฉพาะโครงการในแผนพัฒนาตำบลที่จังหวัดรับแล้วของจังหวัดเดียวกัน"):
        draft_request(coordinator, [project], issue)
    project.plan.status = PlanStatus.ENDORSED
    project.plan.save()
    assert draft_request(coordinator, [project], issue).projects.get() == project


def test_a_request_funds_only_projects_whose_plan_covers_the_fiscal_year(coordinator, issue, reference_data):
    old = accepted_projects("500107", period=(2563, 2565))
    with pytest.raises(ValidationError, match="คำขอสนับสนุนได้เฉพาะโครงการในแผนพัฒนาตำบลที่จังหวัดรับแล้วของจังหวัดเดียวกัน"):
        draft_request(coordinator, old, issue)


def test_a_project_is_funded_by_one_live_request_a_year(coordinator, issue, projects, draft, staff, ranker):
    with pytest.raises(ValidationError, match="คำขอสนับสนุนได้เฉพาะโครงการในแผนพัฒนาตำบลที่จังหวัดรับแล้วของจังหวัดเดียวกัน"):
        draft_request(coordinator, projects[:1], issue)
    services.submit_budget_request(request=draft, by=coordinator)
    services.prioritise_budget_request(request=draft, by=ranker, rank=1)
    services.forward_budget_request(request=draft, by=ranker)
    services.reject_budget_request(request=draft, by=staff, reason="ซ้ำซ้อนกับงบจังหวัด")
    assert draft_request(coordinator, projects[:1], issue).projects.get() == projects[0]


def test_the_provincial_issue_must_be_of_the_province_or_its_group_and_cover_the_year(coordinator, projects):
    khon_kaen_plan = ProvincialDevelopmentPlanFactory(province=Province.objects.get(code="40"), name="ขอนแก่น")
    with pytest.raises(ValidationError, match="กรุณาเลือกประเด็นการพัฒนาจากแผนพัฒนาจังหวัด") as err:
        draft_request(coordinator, projects, DevelopmentIssueFactory(plan=khon_kaen_plan))
    assert "development_issue" in err.value.message_dict
    old_plan = ProvincialDevelopmentPlanFactory(period_start_be=2561, period_end_be=2565, name="เก่า")
    with pytest.raises(ValidationError, match="กรุณาเลือกประเด็นการพัฒนาจากแผนพัฒนาจังหวัด"):
        draft_request(coordinator, projects, DevelopmentIssueFactory(plan=old_plan))
    group_plan = ProvincialDevelopmentPlanFactory(province=None, province_group=coordinator.province.group, name="กลุ่ม")
    assert draft_request(coordinator, projects, DevelopmentIssueFactory(plan=group_plan)).development_issue


def test_the_programme_must_be_under_the_workstream(coordinator, projects, issue):
    with pytest.raises(ValidationError, match="แผนงานนี้อยู่ในประเด็นงานอื่น") as err:
        draft_request(coordinator, projects, issue, programme=node("WS-WELFARE-G1-P1"))
    assert "programme" in err.value.message_dict


def test_the_national_target_must_be_a_strategy_issue_or_master_plan(coordinator, projects, issue):
    with pytest.raises(ValidationError, match="กรุณาเลือกยุทธศาสตร์ชาติ ประเด็นยุทธศาสตร์") as err:
        draft_request(coordinator, projects, issue, national_target=node("WS-ECONOMY"))
    assert "national_target" in err.value.message_dict


@pytest.mark.parametrize(
    "maker",
    [
        lambda: users.provincial_coordinator("40"),
        lambda: users.regional_staff("south"),
        lambda: users.community_rep("500105"),
        users.budget_viewer,
        users.api_client_user,
    ],
)
def test_only_the_provinces_people_write_its_requests(maker, projects, issue):
    with pytest.raises(PermissionDenied, match="คุณไม่มีสิทธิ์จัดทำคำขอตั้งงบประมาณของจังหวัดนี้"):
        draft_request(maker(), projects, issue)


def test_regional_staff_write_requests_of_their_regions_provinces(projects, issue):
    assert draft_request(users.regional_staff("north"), projects, issue).pk


def test_a_stale_request_edit_is_refused(draft, coordinator, projects, issue):
    services.update_budget_request(
        request=draft,
        by=coordinator,
        expected_revision=1,
        data=request_data(issue, title="ชื่อใหม่"),
        projects=projects,
        indicators=indicators(),
        expense_lines=expenses("1000"),
    )
    with pytest.raises(EditConflict):
        services.update_budget_request(
            request=draft,
            by=coordinator,
            expected_revision=1,
            data=request_data(issue, title="ชื่อเก่า"),
            projects=projects,
            indicators=indicators(),
            expense_lines=expenses("9000"),
        )
    draft = reload(draft)
    assert draft.title == "ชื่อใหม่" and draft.requested_amount == Decimal("1000.00")


def test_a_submitted_request_is_read_only(draft, coordinator, projects, issue):
    services.submit_budget_request(request=draft, by=coordinator)
    with pytest.raises(ValidationError, match="คำขอที่อยู่ในสถานะ ส่งจังหวัดแล้ว แก้ไขไม่ได้"):
        services.update_budget_request(
            request=draft,
            by=coordinator,
            expected_revision=reload(draft).revision,
            data=request_data(issue),
            projects=projects,
            indicators=indicators(),
            expense_lines=expenses("1"),
        )


# --- Submission and the ex-ante check ------------------------------------------------------------------


def test_submission_records_a_passed_ex_ante_check_and_the_transition(draft, coordinator):
    services.submit_budget_request(request=draft, by=coordinator, comment="ส่งจังหวัด")
    draft = reload(draft)
    assert draft.status == RequestStatus.SUBMITTED
    record = draft.monitoring.get()
    assert record.phase == MonitoringPhase.EX_ANTE and record.passed is True
    assert {f["code"] for f in record.findings} >= {"targets", "indicators", "benefits", "workstream_serves_target"}
    transition = draft.transitions.get()
    assert (transition.from_status, transition.to_status, transition.by, transition.comment) == (
        "draft",
        "submitted",
        coordinator,
        "ส่งจังหวัด",
    )


@pytest.mark.parametrize(
    ("overrides", "missing"),
    [
        ({"targets": ""}, "targets"),
        ({"expected_benefits": "  "}, "benefits"),
        ({"development_issue": None}, "development_issue"),
        ({"national_target": None}, "national_target"),
        ({"national_target": node}, "workstream_serves_target"),
    ],
)
def test_the_ex_ante_check_refuses_incomplete_or_misaligned_requests(coordinator, projects, issue, overrides, missing):
    if overrides.get("national_target") is node:
        # Grassroots economy serves master plan 16, not 17 (equality and social security).
        overrides = {"national_target": node("MP-2561-17")}
    request = draft_request(coordinator, projects, issue, **overrides)
    failed = {f["code"] for f in selectors.ex_ante_findings(request) if not f["ok"]}
    assert missing in failed
    with pytest.raises(ValidationError, match="การตรวจสอบก่อนดำเนินการไม่ผ่าน: "):
        services.submit_budget_request(request=request, by=coordinator)
    request = reload(request)
    assert request.status == RequestStatus.DRAFT and not request.monitoring.exists()


def test_the_ex_ante_check_needs_indicators_projects_and_money(coordinator, issue):
    request = services.create_budget_request(
        by=coordinator, province=coordinator.province, fiscal_year=FISCAL_YEAR, data=request_data(issue)
    )
    failed = {f["code"] for f in selectors.ex_ante_findings(request) if not f["ok"]}
    assert {"indicators", "projects", "amount"} <= failed


def test_a_workstream_serves_the_parents_of_its_national_items_and_both_master_plan_editions(reference_data):
    served = selectors.national_items_served(node("WS-ECONOMY"))
    assert {node(c).pk for c in ("NS-4-I4", "NS-4", "MP-2561-16", "MP-2566-16")} <= served
    assert node("MP-2561-17").pk not in served


def test_a_community_rep_cannot_submit(draft):
    with pytest.raises(PermissionDenied, match="คุณไม่มีสิทธิ์ส่งคำขอตั้งงบประมาณนี้"):
        services.submit_budget_request(request=draft, by=users.community_rep("500105"))


# --- Prioritising and forwarding -------------------------------------------------------------------


def test_prioritising_ranks_within_province_and_year_with_notes(draft, coordinator, ranker):
    services.submit_budget_request(request=draft, by=coordinator)
    services.prioritise_budget_request(
        request=draft, by=ranker, rank=1, priority_note="ครัวเรือนยากจนมาก", redeployment_note="ตัดงบอบรมซ้ำซ้อน"
    )
    draft = reload(draft)
    assert (draft.status, draft.rank, draft.priority_note, draft.redeployment_note) == (
        RequestStatus.PRIORITISED,
        1,
        "ครัวเรือนยากจนมาก",
        "ตัดงบอบรมซ้ำซ้อน",
    )


def test_a_rank_is_unique_within_province_and_year(coordinator, issue, ranker):
    first = forwarded_request(coordinator, accepted_projects("500107"), issue)
    second = draft_request(coordinator, accepted_projects("500108"), issue)
    services.submit_budget_request(request=second, by=coordinator)
    with pytest.raises(ValidationError, match="ลำดับที่"):
        services.prioritise_budget_request(request=second, by=ranker, rank=first.rank)
    services.prioritise_budget_request(request=second, by=ranker, rank=first.rank + 1)
    # The database says the same.
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetRequest.objects.filter(pk=second.pk).update(rank=first.rank)


def test_another_province_may_use_the_same_rank(coordinator, issue, reference_data):
    forwarded_request(coordinator, accepted_projects("500107"), issue)
    kk = users.provincial_coordinator("40")
    kk_issue = DevelopmentIssueFactory(plan=ProvincialDevelopmentPlanFactory(province=kk.province, name="ขอนแก่น"))
    other = forwarded_request(kk, accepted_projects("400101"), kk_issue, province=kk.province)
    assert other.rank == 1


def test_a_prioritised_request_can_be_re_ranked(draft, coordinator, ranker):
    services.submit_budget_request(request=draft, by=coordinator)
    services.prioritise_budget_request(request=draft, by=ranker, rank=3)
    services.prioritise_budget_request(request=draft, by=ranker, rank=2)
    assert reload(draft).rank == 2 and draft.transitions.count() == 3


@pytest.mark.parametrize("rank", [0, -1, "x", None])
def test_a_rank_is_a_whole_number_from_one(draft, coordinator, ranker, rank):
    services.submit_budget_request(request=draft, by=coordinator)
    with pytest.raises(ValidationError, match="'rank'") as error:
        services.prioritise_budget_request(request=draft, by=ranker, rank=rank)
    assert "rank" in error.value.message_dict


def test_a_draft_cannot_be_prioritised_nor_forwarded(draft, ranker):
    with pytest.raises(ValidationError, match="ทำรายการนี้กับคำขอที่อยู่ในสถานะ ร่าง ไม่ได้") as error:
        services.prioritise_budget_request(request=draft, by=ranker, rank=1)
    assert error.value.code == "bad_status"
    with pytest.raises(ValidationError, match="ทำรายการนี้กับคำขอที่อยู่ในสถานะ ร่าง ไม่ได้") as error:
        services.forward_budget_request(request=draft, by=ranker)
    assert error.value.code == "bad_status"


def test_no_one_ranks_forwards_or_approves_a_request_they_wrote_or_submitted(draft, coordinator, ranker, staff):
    services.submit_budget_request(request=draft, by=coordinator)
    with pytest.raises(PermissionDenied, match="ไม่มีผู้ใดตัดสินงานของตนเองได้"):
        services.prioritise_budget_request(request=draft, by=coordinator, rank=1)
    services.prioritise_budget_request(request=draft, by=ranker, rank=1)
    with pytest.raises(PermissionDenied, match="ไม่มีผู้ใดตัดสินงานของตนเองได้"):
        services.forward_budget_request(request=draft, by=coordinator)
    services.forward_budget_request(request=draft, by=ranker)
    assert reload(draft).status == RequestStatus.FORWARDED and reload(draft).submitted_by == coordinator


def test_central_staff_do_not_approve_a_request_they_wrote(issue, staff, reference_data):
    request = forwarded_request(staff, accepted_projects("500107"), issue)
    with pytest.raises(PermissionDenied, match="ไม่มีผู้ใดตัดสินงานของตนเองได้"):
        services.approve_budget_request(request=request, by=staff, amount="1000")
    assert reload(request).status == RequestStatus.FORWARDED
    services.approve_budget_request(request=request, by=users.central_staff(), amount="1000")
    assert reload(request).status == RequestStatus.APPROVED


def test_another_provinces_coordinator_cannot_prioritise(draft, coordinator):
    services.submit_budget_request(request=draft, by=coordinator)
    with pytest.raises(PermissionDenied, match="คุณไม่มีสิทธิ์จัดลำดับความสำคัญคำขอของจังหวัดนี้"):
        services.prioritise_budget_request(request=draft, by=users.provincial_coordinator("40"), rank=1)


def test_returning_a_request_sends_it_back_to_draft_and_frees_its_rank(forwarded, coordinator, staff):
    with pytest.raises(ValidationError, match="กรุณาระบุเหตุผลที่ส่งคำขอกลับให้แก้ไข"):
        services.return_budget_request(request=forwarded, by=staff, reason=" ")
    with pytest.raises(PermissionDenied, match="คุณไม่มีสิทธิ์ส่งคำขอตั้งงบประมาณนี้กลับให้แก้ไข"):
        services.return_budget_request(request=forwarded, by=coordinator, reason="ขอข้อมูลเพิ่ม")
    services.return_budget_request(request=forwarded, by=staff, reason="ขอข้อมูลเพิ่ม")
    forwarded = reload(forwarded)
    assert forwarded.status == RequestStatus.DRAFT and forwarded.rank is None


# --- Approval and rejection ----------------------------------------------------------------------------


def test_staff_approve_a_lower_amount(forwarded, staff):
    services.approve_budget_request(request=forwarded, by=staff, amount="80000", comment="ตัดงบลงทุน")
    forwarded = reload(forwarded)
    assert forwarded.status == RequestStatus.APPROVED and forwarded.approved_amount == Decimal("80000.00")
    last = forwarded.transitions.last()
    assert (last.to_status, last.by, last.comment) == ("approved", staff, "ตัดงบลงทุน")


@pytest.mark.parametrize("amount", ["100000.01", "-1", "0", "abc", "1.001"])
def test_an_approval_is_positive_and_never_above_the_request(forwarded, staff, amount):
    with pytest.raises(ValidationError, match="'amount'"):
        services.approve_budget_request(request=forwarded, by=staff, amount=amount)
    forwarded = reload(forwarded)
    assert forwarded.status == RequestStatus.FORWARDED and forwarded.approved_amount is None


def test_the_database_refuses_an_approval_above_the_request(forwarded):
    with pytest.raises(IntegrityError, match="budget_request_approved_within_requested"), transaction.atomic():
        BudgetRequest.objects.filter(pk=forwarded.pk).update(approved_amount=Decimal("100000.01"))


def test_the_database_refuses_negative_amounts(forwarded):
    with pytest.raises(IntegrityError, match="expense_line_not_negative"), transaction.atomic():
        ExpenseLine.objects.filter(request=forwarded).update(amount=Decimal("-1"))


def test_only_central_staff_approve(forwarded, coordinator):
    for user in (coordinator, users.regional_staff("north"), users.budget_viewer()):
        with pytest.raises(PermissionDenied, match="เฉพาะเจ้าหน้าที่ส่วนกลาง พอช"):
            services.approve_budget_request(request=forwarded, by=user, amount="1")


def test_only_a_forwarded_request_is_approved(draft, staff):
    with pytest.raises(ValidationError, match="ทำรายการนี้กับคำขอที่อยู่ในสถานะ ร่าง ไม่ได้"):
        services.approve_budget_request(request=draft, by=staff, amount="1")


def test_an_approval_over_the_province_ceiling_is_refused(staff, coordinator, issue, reference_data):
    services.set_ceiling(by=staff, fiscal_year=FISCAL_YEAR, amount="150000", province=coordinator.province)
    first = forwarded_request(coordinator, accepted_projects("500107"), issue)
    second = forwarded_request(coordinator, accepted_projects("500108"), issue)
    services.approve_budget_request(request=first, by=staff, amount="100000")
    with pytest.raises(ValidationError, match="การอนุมัตินี้จะเกินเพดานงบประมาณปีงบประมาณ") as err:
        services.approve_budget_request(request=second, by=staff, amount="50000.01")
    assert err.value.error_dict["amount"][0].code == "ceiling"
    services.approve_budget_request(request=second, by=staff, amount="50000")  # exactly at the ceiling


def test_an_approval_over_the_workstream_ceiling_is_refused(staff, coordinator, issue, reference_data):
    services.set_ceiling(by=staff, fiscal_year=FISCAL_YEAR, amount="90000", workstream=node("WS-ECONOMY"))
    services.set_ceiling(by=staff, fiscal_year=FISCAL_YEAR, amount="10000000", province=coordinator.province)
    request = forwarded_request(coordinator, accepted_projects("500107"), issue)
    with pytest.raises(ValidationError, match="การอนุมัตินี้จะเกินเพดานงบประมาณปีงบประมาณ"):
        services.approve_budget_request(request=request, by=staff, amount="90000.01")
    # A welfare request does not count against the economy ceiling.
    welfare = forwarded_request(
        coordinator,
        accepted_projects("500108", workstream="WS-WELFARE"),
        issue,
        workstream=node("WS-WELFARE"),
        programme=node("WS-WELFARE-G1-P1"),
        national_target=node("MP-2561-17"),
    )
    services.approve_budget_request(request=welfare, by=staff, amount="100000")
    services.approve_budget_request(request=request, by=staff, amount="90000")


def test_approvals_in_another_province_do_not_count_against_a_provinces_ceiling(staff, coordinator, issue):
    services.set_ceiling(by=staff, fiscal_year=FISCAL_YEAR, amount="100000", province=coordinator.province)
    kk = users.provincial_coordinator("40")
    kk_issue = DevelopmentIssueFactory(plan=ProvincialDevelopmentPlanFactory(province=kk.province, name="ขอนแก่น"))
    other = forwarded_request(kk, accepted_projects("400101"), kk_issue, province=kk.province)
    services.approve_budget_request(request=other, by=staff, amount="100000")
    mine = forwarded_request(coordinator, accepted_projects("500107"), issue)
    services.approve_budget_request(request=mine, by=staff, amount="100000")
    assert reload(mine).status == RequestStatus.APPROVED and reload(mine).approved_amount == Decimal("100000")


def test_without_a_ceiling_approvals_are_limited_by_the_request_only(forwarded, staff):
    services.approve_budget_request(request=forwarded, by=staff, amount="100000")
    assert reload(forwarded).status == RequestStatus.APPROVED
    assert reload(forwarded).approved_amount == reload(forwarded).requested_amount == Decimal("100000")


def test_a_rejection_needs_a_reason(forwarded, staff):
    with pytest.raises(ValidationError, match="กรุณาระบุเหตุผลที่ไม่อนุมัติคำขอ"):
        services.reject_budget_request(request=forwarded, by=staff, reason="")
    services.reject_budget_request(request=forwarded, by=staff, reason="ไม่สอดคล้องกับแผนจังหวัด")
    forwarded = reload(forwarded)
    assert forwarded.status == RequestStatus.REJECTED and forwarded.decision_note == "ไม่สอดคล้องกับแผนจังหวัด"
    with pytest.raises(ValidationError, match="ทำรายการนี้กับคำขอที่อยู่ในสถานะ ไม่อนุมัติ"):
        services.approve_budget_request(request=forwarded, by=staff, amount="1")


# --- Spending plan ----------------------------------------------------------------------------------


def test_the_spending_plan_must_add_up_to_the_approved_amount(forwarded, staff):
    request = approved(staff, forwarded, "80000")
    for amounts in (("20000", "20000", "20000"), ("20000", "20000", "20000", "20000.01")):
        with pytest.raises(ValidationError, match="ซึ่งต้องเท่ากับวงเงินที่อนุมัติ"):
            services.save_spending_plan(
                request=request, by=staff, expected_revision=request.revision, activities=quarterly_plan(*amounts)
            )
    assert not SpendingPlanLine.objects.exists()
    services.save_spending_plan(
        request=request,
        by=staff,
        expected_revision=request.revision,
        activities=quarterly_plan("20000", "30000", "20000", "10000"),
    )
    assert SpendingPlanLine.objects.filter(activity__request=request).count() == 4


def test_a_spending_plan_by_month_within_quarters(forwarded, staff):
    request = approved(staff, forwarded, "30000")
    months = [PeriodInput(1, Decimal("1"), Decimal("10000"), month=m) for m in (10, 11, 12)]
    services.save_spending_plan(
        request=request,
        by=staff,
        expected_revision=request.revision,
        activities=[ActivityInput("ประชุม", "ครั้ง", "operating", months)],
    )
    assert sorted(SpendingPlanLine.objects.values_list("month", flat=True)) == [10, 11, 12]


@pytest.mark.parametrize(
    "periods",
    [
        [PeriodInput(1, Decimal("1"), Decimal("30000"), month=1)],  # January lies in quarter 2
        [PeriodInput(5, Decimal("1"), Decimal("30000"))],
        [PeriodInput(1, Decimal("1"), Decimal("20000")), PeriodInput(1, Decimal("1"), Decimal("10000"), month=10)],
        [PeriodInput(1, Decimal("1"), Decimal("20000")), PeriodInput(1, Decimal("1"), Decimal("10000"))],
        [PeriodInput(1, Decimal("-1"), Decimal("30000"))],
        [PeriodInput(1, Decimal("1"), Decimal("40000")), PeriodInput(2, Decimal("1"), Decimal("-10000"))],
    ],
)
def test_bad_spending_plan_periods_are_refused(forwarded, staff, periods):
    request = approved(staff, forwarded, "30000")
    with pytest.raises(ValidationError, match="'activities'"):
        services.save_spending_plan(
            request=request,
            by=staff,
            expected_revision=request.revision,
            activities=[ActivityInput("ประชุม", "ครั้ง", "operating", periods)],
        )
    assert not SpendingPlanLine.objects.exists()


def test_execution_starts_only_with_a_plan_and_then_the_plan_is_fixed(forwarded, staff):
    request = approved(staff, forwarded, "80000")
    with pytest.raises(ValidationError, match="กรุณากรอกแผนการใช้จ่ายที่มียอดรวมเท่ากับวงเงินที่อนุมัติก่อน"):
        services.start_execution(request=request, by=staff)
    services.save_spending_plan(
        request=request, by=staff, expected_revision=request.revision, activities=quarterly_plan("40000", "40000")
    )
    request = services.start_execution(request=request, by=staff)
    with pytest.raises(ValidationError, match="กรอกแผนการใช้จ่ายได้เมื่อคำขอได้รับอนุมัติแล้ว"):
        services.save_spending_plan(
            request=request, by=staff, expected_revision=reload(request).revision, activities=quarterly_plan("80000")
        )


# --- Actuals ----------------------------------------------------------------------------------------------


def record(request, by, quarter, amount, explanation="", quantity="1"):
    return services.record_actuals(
        request=request,
        by=by,
        expected_revision=reload(request).revision,
        quarter=quarter,
        rows=[ActualInput(1, quantity, amount, explanation=explanation)],
    )


def test_actuals_by_quarter_give_cumulative_figures(forwarded, staff, coordinator):
    request = executing(staff, forwarded, "20000", "30000", "20000", "10000")
    record(request, coordinator, 1, "15000")
    record(request, coordinator, 2, "30000")
    request = reload(request)
    assert request.spent_amount == Decimal("45000.00")
    summary = selectors.spending_summary(request, through_quarter=2)
    assert [(q["cumulative_planned"], q["cumulative_actual"]) for q in summary["quarters"]] == [
        (Decimal("20000"), Decimal("15000")),
        (Decimal("50000"), Decimal("45000")),
    ]
    assert not BudgetRequest.objects.with_overspending_flag().get(pk=request.pk).overspent


def test_the_spending_table_and_the_monitoring_summary_read_one_selector(
    forwarded, staff, coordinator, django_assert_num_queries
):
    request = executing(staff, forwarded, "20000", "30000", "20000", "10000")
    record(request, coordinator, 1, "15000", quantity="2")
    table = selectors.spending_table(request)
    summary = selectors.spending_summary(request, through_quarter=2)
    quarter_one = table["rows"][0]["quarters"][0]
    assert (quarter_one["planned"], quarter_one["actual"], quarter_one["actual_qty"]) == (
        Decimal("20000"),
        Decimal("15000"),
        Decimal("2"),
    )
    assert [(q["cumulative_planned"], q["cumulative_actual"]) for q in summary["quarters"]] == [
        (q["cum_planned"], q["cum_actual"]) for q in table["quarters"][:2]
    ]
    requests = BudgetRequest.objects.all()
    with django_assert_num_queries(3):  # activities, plan lines, actuals: whatever the number of requests
        spending = selectors.activity_spending(requests)[request.pk]
    assert spending[0].quarters[1].plan_months == {} and spending[0].quarters[1].recorded


def test_spending_over_the_cumulative_plan_needs_an_explanation_and_is_flagged(forwarded, staff, coordinator):
    request = executing(staff, forwarded, "20000", "30000", "20000", "10000")
    with pytest.raises(ValidationError, match="เกินแผน"):
        record(request, coordinator, 1, "25000")
    assert not SpendingActual.objects.exists() and reload(request).spent_amount == 0
    record(request, coordinator, 1, "25000", explanation="ราคาวัสดุสูงขึ้น ใช้งบไตรมาส 2 ก่อน")
    actual = SpendingActual.objects.get()
    assert actual.overspent and actual.explanation
    assert BudgetRequest.objects.with_overspending_flag().get(pk=request.pk).overspent
    # Back within the cumulative plan in quarter 2: that quarter is not flagged.
    record(request, coordinator, 2, "20000")
    assert not SpendingActual.objects.get(quarter=2).overspent


def test_raising_an_earlier_quarter_that_pushes_a_later_one_over_plan_is_refused_without_explanation(
    forwarded, staff, coordinator
):
    request = executing(staff, forwarded, "20000", "30000", "20000", "10000")
    record(request, coordinator, 1, "20000")
    record(request, coordinator, 2, "30000")
    with pytest.raises(ValidationError, match="การใช้จ่ายของ"):
        record(request, coordinator, 1, "20000.01", explanation="แก้ตัวเลข")
    assert SpendingActual.objects.get(quarter=1).actual_amount == Decimal("20000")


def test_spending_beyond_the_approved_amount_is_flagged(forwarded, staff, coordinator):
    request = executing(staff, forwarded, "80000")
    record(request, coordinator, 1, "80000.01", explanation="ค่าขนส่งเพิ่ม")
    assert reload(request).spent_amount == Decimal("80000.01")
    assert SpendingActual.objects.get().overspent


def test_re_recording_a_quarter_replaces_it(forwarded, staff, coordinator):
    request = executing(staff, forwarded, "40000", "40000")
    record(request, coordinator, 1, "10000")
    record(request, coordinator, 1, "12000")
    assert reload(request).spent_amount == Decimal("12000.00") and SpendingActual.objects.count() == 1


@pytest.mark.parametrize("bad", ["-1", "x", "1.234"])
def test_bad_actuals_are_refused(forwarded, staff, coordinator, bad):
    request = executing(staff, forwarded, "80000")
    with pytest.raises(ValidationError, match="'rows'"):
        record(request, coordinator, 1, bad)
    assert not SpendingActual.objects.exists()


def test_actuals_are_recorded_only_in_execution_and_by_the_provinces_people(forwarded, staff):
    request = approved(staff, forwarded)
    with pytest.raises(ValidationError, match="ทำรายการนี้กับคำขอที่อยู่ในสถานะ อนุมัติ"):
        record(request, staff, 1, "1")
    writer = users.provincial_coordinator("50")
    request = executing(
        staff, forwarded_request(writer, accepted_projects("500109"), reload(request).development_issue), "1000"
    )
    with pytest.raises(PermissionDenied, match="คุณไม่มีสิทธิ์บันทึกผลการใช้จ่ายของคำขอนี้"):
        record(request, users.provincial_coordinator("40"), 1, "1")


def test_a_stale_actuals_entry_is_refused(forwarded, staff, coordinator):
    request = executing(staff, forwarded, "80000")
    with pytest.raises(EditConflict):
        services.record_actuals(
            request=request, by=coordinator, expected_revision=1, quarter=1, rows=[ActualInput(1, 1, Decimal("5"))]
        )


# --- Monitoring during and after, closing ------------------------------------------------------------


def test_quarterly_monitoring_keeps_the_money_through_the_quarter(forwarded, staff, coordinator):
    request = executing(staff, forwarded, "40000", "40000")
    record(request, coordinator, 1, "35000")
    with pytest.raises(ValidationError, match="กรุณาอธิบายความก้าวหน้าในไตรมาสนี้"):
        services.record_quarterly_monitoring(request=request, by=coordinator, quarter=1, progress="")
    entry = services.record_quarterly_monitoring(
        request=request, by=coordinator, quarter=1, progress="อบรมแล้ว 2 รุ่น", problems="ฝนตกหนัก"
    )
    again = services.record_quarterly_monitoring(request=request, by=coordinator, quarter=1, progress="อบรมแล้ว 3 รุ่น")
    assert again.pk == entry.pk
    assert reload(entry).findings["actual_total"] == "35000.00"


def test_closing_needs_the_ex_post_evaluation_of_every_target(forwarded, staff, coordinator):
    request = executing(staff, forwarded, "80000")
    record(request, coordinator, 1, "80000")
    with pytest.raises(ValidationError, match="กรุณาบันทึกการประเมินผลหลังดำเนินการก่อนปิดโครงการ"):
        services.close_budget_request(request=request, by=coordinator)
    indicator = request.indicators.get()
    with pytest.raises(ValidationError, match="กรุณาระบุผลที่ทำได้ของ"):
        services.record_ex_post_evaluation(request=request, by=coordinator, achievements={}, progress="เสร็จ")
    record_ = services.record_ex_post_evaluation(
        request=request,
        by=coordinator,
        achievements={indicator.pk: "180"},
        progress="ครัวเรือน 180 ครัวเรือนมีรายได้เพิ่มขึ้น",
        problems="ผลผลิตเสียหายจากน้ำท่วม",
        obstacles="ตลาดรับซื้อน้อย",
        remedies="เชื่อมตลาดออนไลน์",
    )
    assert record_.findings["indicators"][0]["percent"] == "90.0"
    assert reload(indicator).achieved_value == Decimal("180.00")
    services.close_budget_request(request=request, by=coordinator, comment="ปิดโครงการ")
    assert reload(request).status == RequestStatus.CLOSED
    phases = set(MonitoringRecord.objects.filter(request=request).values_list("phase", flat=True))
    assert phases == {"ex_ante", "ex_post"}


def test_monitoring_is_for_requests_in_execution(forwarded, coordinator):
    with pytest.raises(ValidationError, match="ทำรายการนี้กับคำขอที่อยู่ในสถานะ ส่งต่อ พอช"):
        services.record_quarterly_monitoring(request=forwarded, by=coordinator, quarter=1, progress="x")


# --- Visibility and flags ------------------------------------------------------------------------


def test_visibility_follows_the_area(forwarded, coordinator):
    visible = BudgetRequest.objects.visible_to
    assert list(visible(coordinator)) == [forwarded]
    assert not visible(users.provincial_coordinator("40")).exists()
    assert visible(users.regional_staff("north")).exists()
    assert not visible(users.regional_staff("south")).exists()
    assert visible(users.budget_viewer()).exists() and visible(users.api_client_user()).exists()
    assert list(visible(users.community_rep("500105"))) == [forwarded]
    assert not visible(users.community_rep("500107")).exists()
    from django.contrib.auth.models import AnonymousUser

    assert not visible(AnonymousUser()).exists()


def test_the_pilot_flag_is_derived_from_the_pilot_tambons_of_the_year(forwarded):
    assert not BudgetRequest.objects.with_pilot_flag().get().in_pilot
    PilotTambonFactory(fiscal_year=FISCAL_YEAR - 1)
    assert not BudgetRequest.objects.with_pilot_flag().get().in_pilot
    PilotTambonFactory()
    assert BudgetRequest.objects.with_pilot_flag().get().in_pilot


# --- Racing approvals (PostgreSQL: row locks are real there) -------------------------------------------


def _race(requests, staff, amount):
    barrier = threading.Barrier(len(requests))
    outcomes = []

    def approve(pk):
        try:
            request = BudgetRequest.objects.get(pk=pk)
            barrier.wait(timeout=30)
            services.approve_budget_request(request=request, by=staff, amount=amount)
            outcomes.append("approved")
        except ValidationError:
            outcomes.append("refused")
        except Exception as exc:  # noqa: BLE001 - any other failure must show in the assertion below
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(r.pk,)) for r in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("dimension", ["province", "workstream"])
def test_twenty_racing_approvals_never_exceed_a_ceiling(reference_data, dimension):
    staff = users.central_staff()
    chiang_mai = users.provincial_coordinator("50")
    khon_kaen = users.provincial_coordinator("40")
    issues = {
        "50": DevelopmentIssueFactory(plan=ProvincialDevelopmentPlanFactory()),
        "40": DevelopmentIssueFactory(
            plan=ProvincialDevelopmentPlanFactory(province=khon_kaen.province, name="ขอนแก่น")
        ),
    }
    if dimension == "province":
        services.set_ceiling(by=staff, fiscal_year=FISCAL_YEAR, amount="95000", province=chiang_mai.province)
        people = [chiang_mai] * 20
    else:
        services.set_ceiling(by=staff, fiscal_year=FISCAL_YEAR, amount="95000", workstream=node("WS-ECONOMY"))
        people = [chiang_mai, khon_kaen] * 10
    tambons = {
        code: iter(Province.objects.get(code=code).subdistricts.values_list("code", flat=True)[:20])
        for code in ("50", "40")
    }
    requests = []
    for person in people:
        code = person.province.code
        projects = accepted_projects(next(tambons[code]))
        requests.append(forwarded_request(person, projects, issues[code], amounts=("10000",), province=person.province))

    outcomes = _race(requests, staff, "10000")

    assert sorted(outcomes) == ["approved"] * 9 + ["refused"] * 11
    key = {"province": chiang_mai.province} if dimension == "province" else {"workstream": node("WS-ECONOMY")}
    assert selectors.committed_total(fiscal_year=FISCAL_YEAR, **key) == Decimal("90000.00")


# --- Demo content -----------------------------------------------------------------------------------


def test_demo_budgets_load_once_and_are_refused_under_production_settings(reference_data, settings):
    settings.DEMO_ACCOUNTS_ALLOWED = True
    out = StringIO()
    call_command("load_demo_budgets", stdout=out)
    assert "4 plans, 10 development issues, 14 ceilings, 2 pilot tambons added" in out.getvalue()
    chiang_mai = ProvincialDevelopmentPlan.objects.get(province__code="50")
    first_issue = chiang_mai.issues.get(number=1)
    assert first_issue.group_issue.plan.province_group == chiang_mai.province.group
    assert first_issue.indicators.count() == 2 and chiang_mai.indicators.filter(issue=None).count() == 3
    assert services.load_demo_budgets() == services.DemoLoadReport()
    settings.DEMO_ACCOUNTS_ALLOWED = False
    with pytest.raises(CommandError, match="never loaded under production settings"):
        call_command("load_demo_budgets", stdout=StringIO())


def test_each_move_of_a_request_is_a_transition_record_with_from_to_who_and_why(draft, coordinator, ranker):
    services.submit_budget_request(request=draft, by=coordinator, comment="พร้อมพิจารณา")
    services.return_budget_request(request=draft, by=ranker, reason="  ขาดตัวชี้วัดของตำบล ")
    moves = list(REQUEST_WORKFLOW.history(draft))
    assert all(isinstance(m, RequestTransition) and m.at is not None for m in moves)
    assert [(m.from_status, m.to_status, m.by, m.comment) for m in moves] == [
        (RequestStatus.DRAFT, RequestStatus.SUBMITTED, coordinator, "พร้อมพิจารณา"),
        (RequestStatus.SUBMITTED, RequestStatus.DRAFT, ranker, "ขาดตัวชี้วัดของตำบล"),
    ]
    assert reload(draft).status_changed_at >= moves[-1].at


def test_the_request_workflow_map_refuses_a_move_it_does_not_hold(draft, staff):
    assert not REQUEST_WORKFLOW.can_move(draft, RequestStatus.APPROVED)
    with pytest.raises(ValidationError) as error:
        services.approve_budget_request(request=draft, by=staff, amount="1000")
    assert error.value.code == "bad_status"
    assert not REQUEST_WORKFLOW.history(draft).exists()
