"""Bangkok given to a regional team (issue 12): its regional staff then see and endorse Bangkok's tambon plans."""

import pytest

from accounts.tests.factories import central_staff, community_rep, provincial_coordinator, regional_staff
from areas.models import Province, Region, Subdistrict
from areas.services import assign_region
from workstreams import permissions, services
from workstreams.models import PlanStatus, TambonPlan
from workstreams.tests.factories import TambonPlanFactory

pytestmark = pytest.mark.django_db


def test_regional_staff_endorse_bangkok_plans_once_bangkok_is_given_to_their_region(reference_data):
    rep, coordinator = community_rep("100101"), provincial_coordinator("10")
    plan = TambonPlanFactory(
        tambon=Subdistrict.objects.get(code="100101"),
        status=PlanStatus.ACCEPTED,
        created_by=rep,
        submitted_by=rep,
        accepted_by=coordinator,
    )
    central_team = regional_staff("central")
    assert not permissions.can_endorse_tambon_plan(central_team, plan)
    assert not TambonPlan.objects.visible_to(central_team).filter(pk=plan.pk).exists()

    assign_region(
        province=Province.objects.get(code="10"),
        region=Region.objects.get(key="central"),
        by=central_staff(),
        reason="ทีมภาคกลางดูแลกรุงเทพฯ",
    )

    central_team = regional_staff("central")  # a fresh user object: the area scope is built once per object
    plan = TambonPlan.objects.visible_to(central_team).get(pk=plan.pk)
    assert permissions.can_endorse_tambon_plan(central_team, plan)
    services.endorse_tambon_plan(plan=plan, by=central_team, comment="เห็นชอบ")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ENDORSED
    # Another region's staff still may not.
    assert not permissions.can_endorse_tambon_plan(regional_staff("north"), plan)
