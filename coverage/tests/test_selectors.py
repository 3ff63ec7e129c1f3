"""The drill and the coverage against hand-computed figures (the world is described in conftest.py)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import central_staff, community_rep, provincial_coordinator, regional_staff
from areas.models import Subdistrict
from progress.tests.factories import ProjectProgressFactory
from workstreams.tests.factories import ProjectFactory

from .. import selectors
from .conftest import YEAR, node

pytestmark = pytest.mark.django_db


def by_code(groups):
    return {g.code: g for g in groups}


def test_programme_drill_adds_up_to_the_hand_computed_totals(world):
    drill = selectors.drill(central_staff(), node("WS-ECONOMY-G1-P1"), fiscal_year=YEAR)
    assert set(drill.projects.values_list("pk", flat=True)) == {world["a"].pk, world["b"].pk, world["d"].pk}
    total = drill.total
    assert (total.projects, total.tambons) == (3, 2)
    assert (total.progress.reported, total.progress.percent, total.progress.stopped) == (3, Decimal("46.67"), 1)
    assert total.progress.spent_total == Decimal(8000)
    assert total.money.planned == Decimal("60000.00")
    assert total.money.requested == Decimal("66000.00")  # R1 30 000 × 2 + R2 3 000 × 2
    assert total.money.approved == Decimal("40000.00")
    assert total.money.spent == Decimal("10000.00")
    assert drill.by_plan == []  # a programme has nothing under it
    # By region: the north (A, B) and Bangkok, which no region holds in the reference data.
    north = by_code(drill.by_area)["north"]
    assert (north.projects, north.tambons, north.progress.percent) == (2, 1, Decimal("70.00"))
    assert north.money.requested == Decimal("66000.00")
    assert sum(g.projects for g in drill.by_area) == 3


def test_workstream_rolls_up_its_goals_and_the_geography_down_to_tambons(world):
    staff = central_staff()
    drill = selectors.drill(staff, node("WS-ECONOMY"), fiscal_year=YEAR)
    assert drill.total.projects == 4
    assert drill.total.money.planned == Decimal("70000.00")
    assert drill.total.money.requested == Decimal("69000.00")
    goals = by_code(drill.by_plan)
    assert goals["WS-ECONOMY-G1"].projects == 3 and goals["WS-ECONOMY-G2"].projects == 1
    assert goals["WS-ECONOMY-G2"].money.requested == Decimal("3000.00")
    assert goals["WS-ECONOMY-G2"].progress.percent is None
    assert goals["WS-ECONOMY-G3"].projects == 0
    # Narrowed to Chiang Mai, the rows are its districts; narrowed to T1's district, its tambons.
    area = selectors.resolve_area(staff, province="50")
    districts = selectors.drill(staff, node("WS-ECONOMY"), fiscal_year=YEAR, area=area).by_area
    assert {g.code: g.projects for g in districts} == {"5001": 2, world["t2"].district.code: 1}
    area = selectors.resolve_area(staff, district="5001")
    tambons = selectors.drill(staff, node("WS-ECONOMY"), fiscal_year=YEAR, area=area).by_area
    assert [(g.code, g.projects, g.progress.percent) for g in tambons] == [("500105", 2, Decimal("70.00"))]


def test_the_codi_plan_rolls_up_its_workstreams(world):
    drill = selectors.drill(central_staff(), node("CODI-AP"), fiscal_year=YEAR)
    parts = by_code(drill.by_plan)
    assert drill.total.projects == 5
    assert parts["WS-ECONOMY"].projects == 4 and parts["WS-WELFARE"].projects == 1
    assert parts["WS-HOUSING"].projects == 0


def test_a_national_item_counts_the_projects_of_the_codi_items_aligned_to_it(world):
    # WS-ECONOMY serves master plan 16 (2561 edition); WS-WELFARE does not.
    drill = selectors.drill(central_staff(), node("MP-2561-16"), fiscal_year=YEAR)
    pks = set(drill.projects.values_list("pk", flat=True))
    assert pks == {world["a"].pk, world["b"].pk, world["c"].pk, world["d"].pk}
    assert drill.total.money.requested == Decimal("69000.00")
    assert "WS-ECONOMY" in {g.code for g in drill.by_plan}  # the CODI item serving it is a row
    assert selectors.drill(central_staff(), node("MP-2561-15"), fiscal_year=YEAR).total.projects == 0


def test_a_project_serves_its_y1_target(world):
    target = PlanNode_y1()
    project = world["g"]
    project.primary_target = target
    project.save()
    drill = selectors.drill(central_staff(), target, fiscal_year=YEAR)
    assert list(drill.projects.values_list("pk", flat=True)) == [project.pk]


def PlanNode_y1():  # noqa: N802 - a factory of the one chain item the test needs
    from strategies.models import NodeKind, PlanNode

    master = node("MP-2566-16")
    sub_plan = PlanNode.objects.create(
        code="T-SP", kind=NodeKind.SUB_PLAN, parent=master, name_th="แผนย่อย", official_code="1601"
    )
    return PlanNode.objects.create(
        code="T-Y1", kind=NodeKind.SUB_PLAN_TARGET, parent=sub_plan, name_th="เป้าหมายแผนย่อย", official_code="160101"
    )


def test_scope_a_coordinator_sees_their_province_and_may_not_choose_another(world):
    coordinator = provincial_coordinator("50")
    area = selectors.resolve_area(coordinator)
    assert (area.level, area.code) == ("province", "50")
    drill = selectors.drill(coordinator, node("WS-ECONOMY-G1-P1"), fiscal_year=YEAR, area=area)
    assert drill.total.projects == 2 and drill.total.money.requested == Decimal("66000.00")
    with pytest.raises(PermissionDenied):
        selectors.resolve_area(coordinator, province="10")
    with pytest.raises(ValidationError):
        selectors.resolve_area(coordinator, province="99")
    # A representative sees their own tambon's projects only.
    rep = community_rep("500105")
    assert selectors.drill(rep, node("WS-ECONOMY"), fiscal_year=YEAR).total.projects == 2
    # Regional staff of the north: their region by default.
    assert selectors.resolve_area(regional_staff("north")).code == "north"


def test_the_year_decides_which_plans_and_money_count(world):
    drill = selectors.drill(central_staff(), node("WS-ECONOMY-G2-P1"), fiscal_year=2565)
    assert drill.total.projects == 1 and drill.total.money.planned == Decimal("99999.00")
    assert drill.total.money.requested == 0
    later = selectors.drill(central_staff(), node("WS-ECONOMY-G1-P1"), fiscal_year=2570)
    assert list(later.projects.values_list("pk", flat=True)) == [world["f"].pk]


def test_drill_queries_do_not_grow_with_the_number_of_projects(world):
    staff = central_staff()
    with CaptureQueriesContext(connection) as few:
        selectors.drill(staff, node("WS-ECONOMY"), fiscal_year=YEAR)
    others = Subdistrict.objects.filter(province__code="50").exclude(pk__in=[world["t1"].pk, world["t2"].pk])
    for tambon in others.order_by("code")[:10]:
        plan = world["a"].plan.__class__.objects.create(
            tambon=tambon,
            period_start_be=2563,
            period_end_be=2565,
            status="accepted",
            created_by=world["a"].plan.created_by,
            updated_by=world["a"].plan.created_by,
        )
        project = ProjectFactory(plan=plan, number=1)
        ProjectProgressFactory(project=project, fiscal_year=YEAR, quarter=1)
    with CaptureQueriesContext(connection) as many:
        drill = selectors.drill(staff, node("WS-ECONOMY"), fiscal_year=YEAR)
    assert drill.total.projects == 14
    assert len(many.captured_queries) == len(few.captured_queries) <= 20


def test_coverage_finds_the_known_holes(world):
    result = selectors.coverage(central_staff(), fiscal_year=YEAR)
    assert result.plan.code == "CODI-AP" and result.in_force
    items = {i.node.code: i for i in result.items}
    p1 = items["WS-ECONOMY-G1-P1"]
    assert (p1.projects, p1.has_request, p1.has_result, p1.gaps) == (3, True, True, [])
    c = items["WS-ECONOMY-G2-P1"]  # C: funded by the submitted R2, no report
    assert (c.projects, c.has_request, c.has_result, c.gaps) == (1, True, False, ["no_result"])
    welfare = items["WS-WELFARE-G1-P1"]  # G: a project and nothing else
    assert welfare.gaps == ["no_request", "no_result"]
    council = items["WS-COUNCIL-G1"]
    assert council.gaps == ["no_project", "no_request", "no_result"]
    assert items["WS-ECONOMY-G1"].group == "goal" and p1.group == "programme"
    assert items["MP-2561-16"].group == "master_plan" and items["MP-2561-16"].has_project
    # Each CODI item counts under the master plan its own workstream serves (not every master plan CODI-AP names):
    # economy projects under 16, the welfare project under 17, nothing under 15 (social power, WS-COUNCIL's).
    assert [items[f"MP-2561-{n}"].projects for n in (15, 16, 17)] == [0, 4, 1]
    assert items["MP-2561-15"].gaps == ["no_project", "no_request", "no_result"]
    assert items["NS-4-I4"].group == "national_target"
    # Every CODI goal and programme of the plan is listed once.
    assert sum(1 for i in result.items if i.group == "goal") == 26
    assert sum(1 for i in result.items if i.group == "programme") == 43
    holes = {i.node.code for i in result.items if i.group == "programme" and i.gaps == GAPS_ALL}
    assert len(holes) == 43 - 3


GAPS_ALL = ["no_project", "no_request", "no_result"]


def test_coverage_shares_per_workstream_and_tambons_with_a_project(world):
    result = selectors.coverage(central_staff(), fiscal_year=YEAR)
    codes = [w.code for w in result.workstreams]
    economy, welfare = codes.index("WS-ECONOMY"), codes.index("WS-WELFARE")
    rows = {r.code: r for r in result.shares}
    north = rows["north"]
    assert (north.counts[economy], north.counts[welfare], north.total) == (3, 1, 4)
    assert north.shares[economy] == Decimal("75.00") and north.shares[welfare] == Decimal("100.00")
    assert rows[""].counts[economy] == 1 and rows[""].shares[economy] == Decimal("25.00")  # Bangkok, no region
    assert result.workstream_totals[economy] == 4 and result.project_total == 5
    tambons_50 = Subdistrict.objects.filter(province__code="50").count()
    assert result.tambon_share["50"] == (Decimal(200) / tambons_50).quantize(Decimal("0.01"))
    assert result.tambon_share["11"] == 0


def test_coverage_in_a_coordinators_province(world):
    coordinator = provincial_coordinator("50")
    result = selectors.coverage(coordinator, fiscal_year=YEAR, area=selectors.resolve_area(coordinator))
    items = {i.node.code: i for i in result.items}
    assert items["WS-ECONOMY-G1-P1"].projects == 2  # D in Bangkok is outside
    assert set(result.tambon_share) == {"50"}
    assert {r.code for r in result.shares} == {"5001", world["t2"].district.code}


def test_no_plan_in_force_falls_back_to_the_last_plan(world):
    result = selectors.coverage(central_staff(), fiscal_year=2570)
    assert result.plan.code == "CODI-AP" and not result.in_force


def test_the_plan_item_page_summary_only_counts_above_its_limit(world):
    staff = central_staff()
    full = selectors.summary(staff, node("WS-ECONOMY"), fiscal_year=YEAR)
    assert (full.projects, full.tambons, full.progress.percent) == (4, 3, Decimal("46.67"))
    assert full.money.requested == Decimal("69000.00")
    with CaptureQueriesContext(connection) as queries:
        light = selectors.summary(staff, node("WS-ECONOMY"), fiscal_year=YEAR, limit=3)
    assert (light.projects, light.tambons, light.progress) == (4, 3, None)
    assert len(queries.captured_queries) <= 4  # the plan tree and one count, whatever the number of projects


def test_the_map_shades_only_provinces_wholly_inside_the_area(world):
    rep = selectors.coverage(community_rep("500105"), fiscal_year=YEAR)
    assert rep.tambon_share == {} and len(rep.outside) == 77
    region = selectors.coverage(regional_staff("north"), fiscal_year=YEAR)
    assert "50" in region.tambon_share and "10" in region.outside


def test_an_approved_indicator_result_in_the_area_is_a_result(world):
    from indicators.models import ResultStatus
    from indicators.tests.factories import IndicatorFactory, ResultFactory

    council = IndicatorFactory(code="T-COUNCIL", plan_node=node("WS-COUNCIL-G1"))
    ResultFactory(indicator=council, fiscal_year=YEAR, tambon_code="500105")
    ResultFactory(indicator=council, fiscal_year=YEAR, tambon_code=world["bangkok"].code, status=ResultStatus.SUBMITTED)
    staff = central_staff()
    items = {i.node.code: i for i in selectors.coverage(staff, fiscal_year=YEAR).items}
    assert items["WS-COUNCIL-G1"].gaps == ["no_project", "no_request"]
    # Not in Bangkok (only a submitted result there), nor in another year.
    bangkok = selectors.coverage(staff, fiscal_year=YEAR, area=selectors.resolve_area(staff, province="10"))
    assert {i.node.code: i for i in bangkok.items}["WS-COUNCIL-G1"].has_result is False
    other_year = selectors.coverage(staff, fiscal_year=2565)
    assert {i.node.code: i for i in other_year.items}["WS-COUNCIL-G1"].has_result is False
