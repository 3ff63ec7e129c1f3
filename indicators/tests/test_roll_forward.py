"""A CODI plan rolled forward takes its indicators along, with the targets set for years of the new period."""

from decimal import Decimal

import pytest

from accounts.tests.factories import central_staff, community_rep
from indicators.models import AreaLevel, Indicator, PlanLevel, Target
from indicators.tests.factories import IndicatorFactory, TargetFactory
from strategies.models import PlanNode
from strategies.services import publish_plan, roll_forward_plan

pytestmark = pytest.mark.django_db


def old_rows(indicator) -> list:
    """The indicator's row and its targets' rows, as plain values."""
    return [*Indicator.objects.filter(pk=indicator.pk).values()] + sorted(
        Target.objects.filter(indicator=indicator).values(), key=lambda r: r["id"]
    )


def test_indicators_and_their_targets_inside_the_new_period_are_copied():
    indicator = IndicatorFactory(code="ECON-X", plan_node=PlanNode.objects.get(code="WS-ECONOMY"))
    TargetFactory(indicator=indicator, fiscal_year=2565, value=Decimal("100"))
    TargetFactory(indicator=indicator, fiscal_year=2570, value=Decimal("300"), area_spec=(AreaLevel.PROVINCE, "50"))
    before = old_rows(indicator)
    staff = central_staff()
    new = roll_forward_plan(
        plan=PlanNode.objects.get(code="CODI-AP"), period_start_be=2569, period_end_be=2571, by=staff
    )
    copy = Indicator.objects.get(code="ECON-X-2569")
    assert copy.plan_node.code == "WS-ECONOMY-2569"
    assert (copy.name_th, copy.measure, copy.aggregation) == (
        indicator.name_th,
        indicator.measure,
        indicator.aggregation,
    )
    targets = list(copy.targets.all())
    assert [(t.fiscal_year, t.value, t.level, t.province.code) for t in targets] == [
        (2570, Decimal("300.00"), AreaLevel.PROVINCE, "50")
    ]
    assert copy.history.earliest().history_user == staff
    publish_plan(plan=new, by=staff)
    assert old_rows(indicator) == before


def test_an_indicator_with_no_target_in_the_new_period_is_copied_without_targets():
    indicator = IndicatorFactory(code="ECON-Y", plan_node=PlanNode.objects.get(code="WS-ECONOMY-G7"))
    TargetFactory(indicator=indicator, fiscal_year=2565)
    roll_forward_plan(
        plan=PlanNode.objects.get(code="CODI-AP"), period_start_be=2569, period_end_be=2571, by=central_staff()
    )
    copy = Indicator.objects.get(code="ECON-Y-2569")
    assert copy.level == PlanLevel.WORKSTREAM_GOAL and copy.plan_node.code == "WS-ECONOMY-G7-2569"
    assert not copy.targets.exists()


def test_indicators_of_other_plans_are_not_copied():
    IndicatorFactory(code="NS-ONLY", plan_node=PlanNode.objects.get(code="NS-4"), level=PlanLevel.NATIONAL_TARGET)
    roll_forward_plan(
        plan=PlanNode.objects.get(code="CODI-AP"), period_start_be=2569, period_end_be=2571, by=central_staff()
    )
    assert not Indicator.objects.filter(code__startswith="NS-ONLY-").exists()


def test_a_drafts_indicators_and_targets_are_seen_by_central_staff_only():
    indicator = IndicatorFactory(code="ECON-Z", plan_node=PlanNode.objects.get(code="WS-ECONOMY"))
    TargetFactory(indicator=indicator, fiscal_year=2570)
    staff = central_staff()
    new = roll_forward_plan(
        plan=PlanNode.objects.get(code="CODI-AP"), period_start_be=2569, period_end_be=2571, by=staff
    )
    rep = community_rep("500105")
    assert not Indicator.objects.visible_to(rep).filter(code="ECON-Z-2569").exists()
    assert not Target.objects.visible_to(rep).filter(indicator__code="ECON-Z-2569").exists()
    assert Indicator.objects.visible_to(rep).filter(code="ECON-Z").exists()
    assert Target.objects.visible_to(staff).filter(indicator__code="ECON-Z-2569").exists()
    publish_plan(plan=new, by=staff)
    assert Indicator.objects.visible_to(rep).filter(code="ECON-Z-2569").exists()
    assert Target.objects.visible_to(rep).filter(indicator__code="ECON-Z-2569").exists()


def test_the_dashboard_and_the_api_judge_a_year_against_the_plan_then_in_force(client):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from accounts.tests.factories import api_client_user

    staff = central_staff()
    publish_plan(
        plan=roll_forward_plan(
            plan=PlanNode.objects.get(code="CODI-AP"), period_start_be=2569, period_end_be=2571, by=staff
        ),
        by=staff,
    )
    client.force_login(community_rep("500105"))
    assert client.get("/indicators/", {"fy": 2570, "q": 1}).context["progress"].node.code == "CODI-AP-2569"
    assert client.get("/indicators/", {"fy": 2564, "q": 1}).context["progress"].node.code == "CODI-AP"
    api = APIClient(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=api_client_user()).key}")
    for year, code in ((2570, "CODI-AP-2569"), (2564, "CODI-AP")):
        data = api.get("/api/v1/indicators/plan-progress/", {"fiscal_year": year, "quarter": 4}).json()
        assert data["plan_node"] == code
