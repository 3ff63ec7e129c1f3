from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.tests import factories as users
from areas.models import Subdistrict
from codi_plans.concurrency import EditConflict
from strategies.models import PlanNode
from workstreams import selectors, services
from workstreams.models import PlanStatus, ProjectBudget
from workstreams.services import BudgetLineInput, IndicatorInput

pytestmark = pytest.mark.django_db


def node(code):
    return PlanNode.objects.get(code=code)


def project_data(**overrides):
    data = {
        "workstream": node("WS-ECONOMY"),
        "goal": node("WS-ECONOMY-G1"),
        "programme": node("WS-ECONOMY-G1-P1"),
        "project_class": "self",
        "name": "ตลาดชุมชน",
    }
    return data | overrides


def add_project(plan, by, amount="10000", **overrides):
    return services.save_project(
        plan=plan,
        by=by,
        expected_revision=plan.revision,
        data=project_data(**overrides),
        budget_lines=[BudgetLineInput(2563, "codi", Decimal(amount))],
        indicators=[IndicatorInput("จำนวนผู้ค้า", "ราย", Decimal("30"), 2565)],
    )


@pytest.fixture
def rep(reference_data):
    return users.community_rep("500105")


@pytest.fixture
def plan(rep):
    return services.create_tambon_plan(
        tambon=Subdistrict.objects.get(code="500105"), period_start_be=2563, period_end_be=2565, by=rep
    )


def reload(obj):
    obj.refresh_from_db()
    return obj


def test_rep_cannot_write_a_plan_for_another_tambon(rep):
    with pytest.raises(PermissionDenied, match="คุณไม่มีสิทธิ์จัดทำแผนของตำบลนี้"):
        services.create_tambon_plan(
            tambon=Subdistrict.objects.get(code="100101"), period_start_be=2563, period_end_be=2565, by=rep
        )


def test_one_plan_per_tambon_per_period(plan, rep):
    with pytest.raises(ValidationError, match="ตำบลนี้มีแผนสำหรับช่วงแผนนี้อยู่แล้ว"):
        services.create_tambon_plan(tambon=plan.tambon, period_start_be=2563, period_end_be=2565, by=rep)


def test_every_save_bumps_the_revision_and_records_who(plan, rep):
    services.update_tambon_plan(plan=plan, by=rep, expected_revision=1, vision="วิสัยทัศน์ใหม่")
    plan = reload(plan)
    assert plan.revision == 2 and plan.updated_by == rep
    assert plan.history.latest().history_user == rep


def test_a_stale_save_is_refused_with_the_other_change(plan, rep):
    other = users.community_rep("500105")
    services.update_tambon_plan(plan=plan, by=other, expected_revision=1, vision="ของอีกคน")
    with pytest.raises(EditConflict) as conflict:
        services.update_tambon_plan(plan=plan, by=rep, expected_revision=1, vision="ของฉัน")
    assert conflict.value.changed_by == other
    assert any(c["new"] == "ของอีกคน" for c in conflict.value.changes)
    assert reload(plan).vision == "ของอีกคน"


def test_project_needs_an_indicator_and_years_inside_the_period(plan, rep):
    with pytest.raises(ValidationError, match="โครงการต้องมีตัวชี้วัดพร้อมค่าเป้าหมายอย่างน้อยหนึ่งตัว"):
        services.save_project(
            plan=plan, by=rep, expected_revision=1, data=project_data(), budget_lines=[], indicators=[]
        )
    with pytest.raises(ValidationError, match="อยู่นอกช่วงแผน"):
        services.save_project(
            plan=plan,
            by=rep,
            expected_revision=1,
            data=project_data(),
            budget_lines=[BudgetLineInput(2570, "codi", Decimal("1"))],
            indicators=[IndicatorInput("x", "ราย", Decimal("1"), 2565)],
        )
    assert not plan.projects.exists() and reload(plan).revision == 1


def test_negative_budget_is_refused_and_nothing_is_saved(plan, rep):
    with pytest.raises(ValidationError, match="จำนวนงบประมาณต้องไม่ติดลบ"):
        add_project(plan, rep, amount="-1")
    assert not plan.projects.exists() and not ProjectBudget.objects.exists()


def test_programme_must_belong_to_the_workstream(plan, rep):
    with pytest.raises(ValidationError, match="ไม่ได้อยู่ในประเด็นงาน"):
        add_project(plan, rep, programme=node("WS-COUNCIL-P01"))


def test_submit_return_resubmit_accept_endorse(plan, rep):
    coordinator = users.provincial_coordinator("50")
    regional = users.regional_staff("north")
    add_project(plan, rep)
    services.submit_tambon_plan(plan=plan, by=rep)
    assert reload(plan).status == PlanStatus.SUBMITTED
    with pytest.raises(ValidationError, match="แผนที่อยู่ในสถานะ ส่งแล้ว แก้ไขไม่ได้"):
        services.update_tambon_plan(plan=plan, by=rep, expected_revision=reload(plan).revision, vision="x")
    with pytest.raises(ValidationError, match="กรุณาระบุเหตุผลที่ส่งแผนกลับให้แก้ไข"):
        services.return_tambon_plan(plan=plan, by=coordinator, reason="  ")
    services.return_tambon_plan(plan=plan, by=coordinator, reason="งบประมาณไม่ครบ")
    plan = reload(plan)
    assert plan.status == PlanStatus.RETURNED
    add_project(plan, rep, amount="20000", name="โครงการที่สอง")
    services.submit_tambon_plan(plan=plan, by=rep)
    assert reload(plan).status == PlanStatus.RESUBMITTED
    services.accept_tambon_plan(plan=plan, by=coordinator)
    services.endorse_tambon_plan(plan=plan, by=regional, comment="เห็นชอบ")
    plan = reload(plan)
    assert plan.status == PlanStatus.ENDORSED
    moves = list(plan.transitions.values_list("from_status", "to_status", "by__username", "comment"))
    assert [(a, b) for a, b, _, _ in moves] == [
        ("draft", "submitted"),
        ("submitted", "returned"),
        ("returned", "resubmitted"),
        ("resubmitted", "accepted"),
        ("accepted", "endorsed"),
    ]
    assert moves[1][3] == "งบประมาณไม่ครบ"
    first, second = plan.submissions.order_by("number")
    assert len(first.content["projects"]) == 1 and len(second.content["projects"]) == 2
    diff = selectors.diff_snapshots(first.content, second.content)
    assert any(d["section"] == "projects" and d["new"] == "โครงการที่สอง" for d in diff)


def test_coordinator_of_another_province_cannot_review(plan, rep):
    add_project(plan, rep)
    services.submit_tambon_plan(plan=plan, by=rep)
    with pytest.raises(PermissionDenied, match="คุณไม่มีสิทธิ์พิจารณาแผนของตำบลนี้"):
        services.accept_tambon_plan(plan=plan, by=users.provincial_coordinator("10"))
    with pytest.raises(PermissionDenied, match="คุณไม่มีสิทธิ์พิจารณาแผนของตำบลนี้"):
        services.accept_tambon_plan(plan=plan, by=users.budget_viewer())
    assert reload(plan).status == PlanStatus.SUBMITTED


def test_an_empty_plan_cannot_be_submitted(plan, rep):
    with pytest.raises(ValidationError, match="กรุณาเพิ่มโครงการอย่างน้อยหนึ่งโครงการก่อนส่ง"):
        services.submit_tambon_plan(plan=plan, by=rep)


def test_only_accepted_plans_can_be_endorsed(plan, rep):
    add_project(plan, rep)
    services.submit_tambon_plan(plan=plan, by=rep)
    with pytest.raises(ValidationError, match="รับรองได้เฉพาะแผนที่จังหวัดรับแล้ว"):
        services.endorse_tambon_plan(plan=plan, by=users.central_staff())


def test_province_totals_count_only_accepted_plans(plan, rep):
    from workstreams.models import ProjectBudget

    coordinator = users.provincial_coordinator("50")
    add_project(plan, rep, amount="10000.50")
    province_plan = services.get_or_create_province_plan(
        province=plan.tambon.province, period_start_be=2563, period_end_be=2565, by=coordinator
    )
    lines = ProjectBudget.objects.in_province_plan(province_plan)
    assert not lines.exists()
    services.submit_tambon_plan(plan=plan, by=rep)
    services.accept_tambon_plan(plan=plan, by=coordinator)
    totals = list(lines.totals_by("project__workstream__code"))
    assert totals == [{"project__workstream__code": "WS-ECONOMY", "total": Decimal("10000.50")}]


def test_province_plan_narrative_is_locked_and_attributed(reference_data):
    coordinator = users.provincial_coordinator("50")
    from areas.models import Province

    plan = services.get_or_create_province_plan(
        province=Province.objects.get(code="50"), period_start_be=2563, period_end_be=2565, by=coordinator
    )
    services.update_province_plan(plan=plan, by=coordinator, expected_revision=1, narrative="ก", priorities="ข")
    with pytest.raises(EditConflict):
        services.update_province_plan(plan=plan, by=coordinator, expected_revision=1, narrative="ค", priorities="")
    with pytest.raises(PermissionDenied, match="คุณไม่มีสิทธิ์แก้ไขแผนของจังหวัดนี้"):
        services.update_province_plan(
            plan=plan, by=users.provincial_coordinator("10"), expected_revision=2, narrative="", priorities=""
        )
    plan.refresh_from_db()
    assert plan.narrative == "ก" and plan.updated_by == coordinator


def content_project(number, amount="1000.00", indicators=True, year=2563, **overrides):
    return services.ProjectContentInput(
        number=number,
        data=project_data(**overrides),
        budget_lines=[BudgetLineInput(year, "codi", Decimal(amount))],
        indicators=[IndicatorInput("จำนวนผู้ค้า", "ราย", Decimal("30"), 2565)] if indicators else [],
    )


def test_replace_plan_content_saves_everything_with_one_revision_bump(plan, rep):
    from workstreams.models import Project

    add_project(plan, rep)
    add_project(reload(plan), rep, name="จะถูกลบ")
    kept, dropped = plan.projects.order_by("number")
    kept_history = kept.history.count()
    revision = reload(plan).revision

    services.replace_plan_content(
        plan=plan,
        by=rep,
        expected_revision=revision,
        profile={"households": 10, "vision": "วิสัยทัศน์ใหม่"},
        problems=[{"title": "น้ำท่วม", "description": "ทุกปี"}, {"title": "  "}, {"title": "หนี้สิน"}],
        projects=[
            content_project(1, amount="10000"),
            content_project(3, name="โครงการใหม่", project_class="joint"),
        ],
    )

    plan = reload(plan)
    assert plan.revision == revision + 1
    assert plan.history.latest().history_user == rep and plan.updated_by == rep
    assert plan.households == 10 and plan.population is None and plan.vision == "วิสัยทัศน์ใหม่"
    assert list(plan.problems.values_list("rank", "title")) == [(1, "น้ำท่วม"), (2, "หนี้สิน")]
    assert list(plan.projects.values_list("number", "name")) == [(1, "ตลาดชุมชน"), (3, "โครงการใหม่")]
    # The unchanged project keeps its row and gains no history; the missing one is deleted on the record.
    assert plan.projects.get(number=1).pk == kept.pk and kept.history.count() == kept_history
    deletion = Project.history.get(id=dropped.pk, history_type="-")
    assert deletion.history_user == rep
    assert plan.projects.get(number=3).history.latest().history_user == rep


def test_replace_plan_content_refuses_bad_content_and_changes_nothing(plan, rep):
    add_project(plan, rep)
    revision = reload(plan).revision
    snapshot = selectors.plan_snapshot(reload(plan))
    bad = [  # (content, the refusal: its message or the field it names)
        ({"profile": {"nonsense": 1}, "projects": [content_project(1)]}, "ไม่รู้จักช่องข้อมูล"),
        ({"profile": {}, "projects": [content_project(1, indicators=False)]}, "ต้องมีตัวชี้วัดพร้อมค่าเป้าหมาย"),
        ({"profile": {}, "projects": [content_project(1, year=2570)]}, "อยู่นอกช่วงแผน"),
        ({"profile": {}, "projects": [content_project(1, amount="-1")]}, "จำนวนงบประมาณต้องไม่ติดลบ"),
        ({"profile": {}, "projects": [content_project(1), content_project(1)]}, "ใช้ลำดับเดียวกัน"),
        ({"profile": {}, "projects": [content_project(1, programme=node("WS-COUNCIL-P01"))]}, "'programme'"),
        ({"profile": {"households": -5}, "projects": []}, "'households'"),
    ]
    for case, refusal in bad:
        with pytest.raises(ValidationError, match=refusal):
            services.replace_plan_content(plan=plan, by=rep, expected_revision=revision, problems=[], **case)
    assert selectors.plan_snapshot(reload(plan)) == snapshot


def test_replace_plan_content_checks_revision_permission_and_status(plan, rep):
    add_project(plan, rep)
    revision = reload(plan).revision
    args = {"profile": {}, "problems": [], "projects": []}
    with pytest.raises(EditConflict):
        services.replace_plan_content(plan=plan, by=rep, expected_revision=revision - 1, **args)
    with pytest.raises(PermissionDenied, match="คุณไม่มีสิทธิ์แก้ไขแผนของตำบลนี้"):
        services.replace_plan_content(plan=plan, by=users.community_rep("500106"), expected_revision=revision, **args)
    services.submit_tambon_plan(plan=plan, by=rep)
    with pytest.raises(ValidationError, match="แผนที่อยู่ในสถานะ ส่งแล้ว แก้ไขไม่ได้"):
        services.replace_plan_content(plan=plan, by=rep, expected_revision=reload(plan).revision, **args)
    assert reload(plan).projects.count() == 1
