"""Which CODI plan is in force for a fiscal year, and which period a plan written now should cover."""

import datetime as dt

import pytest
import time_machine

from accounts.tests.factories import central_staff, community_rep
from strategies import selectors
from strategies.models import NodeKind, PlanNode
from strategies.tests.factories import PlanNodeFactory

pytestmark = pytest.mark.django_db


def action_plan(code, first, last, *, draft=False):
    kind = NodeKind.CODI_ACTION_PLAN
    return PlanNodeFactory(code=code, kind=kind, number=None, period_start_be=first, period_end_be=last, is_draft=draft)


def test_the_seed_plan_governs_its_own_years_and_no_later_one():
    seed = PlanNode.objects.get(code="CODI-AP")
    assert (seed.period_start_be, seed.period_end_be) == (2563, 2565)
    assert selectors.plan_in_force(2564) == seed
    assert selectors.plan_in_force(2570) is None
    assert selectors.latest_plan(2570) == seed  # shown for reference, not in force
    assert selectors.plan_period_in_force(2564) == (2563, 2565)
    assert selectors.plan_period_in_force(2570) == (2570, 2572)  # as long as the last plan, from this year


def test_a_draft_is_never_in_force_and_a_newer_published_plan_governs_the_overlap():
    draft = action_plan("AP-2569", 2569, 2571, draft=True)
    older = action_plan("AP-2566", 2566, 2570)
    assert selectors.plan_in_force(2570) == older
    assert selectors.plan_in_force(2571) is None
    draft.is_draft = False
    draft.save()
    assert selectors.plan_in_force(2570) == draft
    assert selectors.plan_in_force(2567) == older
    assert selectors.plan_period_in_force(2571) == (2569, 2571)


@pytest.mark.parametrize(
    ("today", "fiscal_year"), [(dt.date(2026, 10, 1), 2570), (dt.date(2027, 9, 30), 2570), (dt.date(2028, 1, 15), 2571)]
)
def test_the_default_year_is_the_current_fiscal_year(today, fiscal_year):
    plan = action_plan("AP-2569", 2569, 2571)
    with time_machine.travel(dt.datetime.combine(today, dt.time(12), tzinfo=dt.UTC), tick=False):
        assert selectors.plan_in_force() == plan
        assert selectors.plan_period_in_force() == (2569, 2571)
        assert selectors.plan_in_force(fiscal_year) == plan


def test_drafts_are_seen_by_central_staff_only():
    draft = action_plan("AP-2569", 2569, 2571, draft=True)
    assert PlanNode.objects.visible_to(central_staff()).filter(pk=draft.pk).exists()
    assert not PlanNode.objects.visible_to(community_rep("500105")).filter(pk=draft.pk).exists()
