"""A small world with known figures and known holes, fiscal year 2564 (the seed plan 2563–2565 is in force).

Projects of accepted plans covering 2564 (central staff see all; the Chiang Mai coordinator A, B, C, G):

    A  T1 (500105, Chiang Mai)   WS-ECONOMY-G1-P1  lines 2564: 30 000 CODI + 10 000 community; Q1 under way, Q2 done
                                                   (no indicators: 100 %); reports spent 5 000 + 3 000
    B  T1                        WS-ECONOMY-G1-P1  line 2564: 20 000; indicator 40 of 100 in Q1 (40 %)
    C  T2 (Chiang Mai, another district)  WS-ECONOMY-G2-P1  lines 2564: 10 000 (2565: 99 999 not counted); no report
    D  Bangkok                   WS-ECONOMY-G1-P1  no lines; Q1 stopped (0 %)
    G  T2                        WS-WELFARE-G1-P1  no lines, no report
Not counted: E (a draft plan in T1), F (an accepted plan of 2566–2568 in T1).

Budget requests of 2564 in Chiang Mai:
    R1 approved: requested 60 000, approved 40 000, spent 10 000; funds A and B (each: 30 000 / 20 000 / 5 000)
    R2 submitted: requested 9 000; funds A, B and C (each 3 000)
    R3 draft: requested 1 000; funds C (not counted)
"""

from decimal import Decimal

import pytest

from areas.models import Subdistrict
from budgets.models import RequestStatus
from budgets.tests.factories import BudgetRequestFactory
from progress.models import ActivityStatus
from progress.tests.factories import (
    AcceptedPlanFactory,
    IndicatorActualFactory,
    ProgressSpendingFactory,
    ProjectProgressFactory,
)
from strategies.models import PlanNode
from workstreams.models import PlanStatus
from workstreams.tests.factories import ProjectBudgetFactory, ProjectFactory, ProjectIndicatorFactory, TambonPlanFactory

YEAR = 2564


def node(code):
    return PlanNode.objects.get(code=code)


def project(plan, number, programme, goal, workstream="WS-ECONOMY"):
    return ProjectFactory(
        plan=plan, number=number, workstream=node(workstream), goal=node(goal), programme=node(programme)
    )


@pytest.fixture
def world(reference_data):
    t1 = Subdistrict.objects.get(code="500105")
    t2 = Subdistrict.objects.filter(province__code="50").exclude(district__code="5001").order_by("code").first()
    bangkok = Subdistrict.objects.filter(province__code="10").order_by("code").first()
    plan1 = AcceptedPlanFactory(tambon=t1)
    plan2 = AcceptedPlanFactory(tambon=t2)
    plan_bkk = AcceptedPlanFactory(tambon=bangkok)
    a = project(plan1, 1, "WS-ECONOMY-G1-P1", "WS-ECONOMY-G1")
    b = project(plan1, 2, "WS-ECONOMY-G1-P1", "WS-ECONOMY-G1")
    c = project(plan2, 1, "WS-ECONOMY-G2-P1", "WS-ECONOMY-G2")
    d = project(plan_bkk, 1, "WS-ECONOMY-G1-P1", "WS-ECONOMY-G1")
    g = project(plan2, 2, "WS-WELFARE-G1-P1", "WS-WELFARE-G1", workstream="WS-WELFARE")
    draft = TambonPlanFactory(tambon=t1, status=PlanStatus.DRAFT, period_start_be=2566, period_end_be=2568)
    e = project(draft, 1, "WS-ECONOMY-G1-P1", "WS-ECONOMY-G1")
    later = AcceptedPlanFactory(tambon=t1, period_start_be=2569, period_end_be=2571)
    f = project(later, 1, "WS-ECONOMY-G1-P1", "WS-ECONOMY-G1")
    for target, year, source, amount in (
        (a, YEAR, "codi", 30000),
        (a, YEAR, "community", 10000),
        (b, YEAR, "codi", 20000),
        (c, YEAR, "codi", 10000),
        (c, 2565, "codi", 99999),
        (e, YEAR, "codi", 77777),
    ):
        ProjectBudgetFactory(project=target, fiscal_year=year, source=source, amount=Decimal(amount))
    a1 = ProjectProgressFactory(project=a, fiscal_year=YEAR, quarter=1, activity_status=ActivityStatus.UNDER_WAY)
    ProgressSpendingFactory(report=a1, amount=Decimal(5000))
    a2 = ProjectProgressFactory(project=a, fiscal_year=YEAR, quarter=2, activity_status=ActivityStatus.DONE)
    ProgressSpendingFactory(report=a2, amount=Decimal(3000))
    b_indicator = ProjectIndicatorFactory(project=b, target_value=Decimal(100))
    b1 = ProjectProgressFactory(project=b, fiscal_year=YEAR, quarter=1)
    IndicatorActualFactory(report=b1, indicator=b_indicator, value=Decimal(40))
    ProjectProgressFactory(
        project=d, fiscal_year=YEAR, quarter=1, activity_status=ActivityStatus.STOPPED, stop_reason="น้ำท่วม"
    )
    r1 = BudgetRequestFactory(
        fiscal_year=YEAR,
        status=RequestStatus.APPROVED,
        requested_amount=Decimal(60000),
        approved_amount=Decimal(40000),
        spent_amount=Decimal(10000),
    )
    r1.projects.set([a, b])
    r2 = BudgetRequestFactory(
        fiscal_year=YEAR, status=RequestStatus.SUBMITTED, requested_amount=Decimal(9000), programme=None
    )
    r2.projects.set([a, b, c])
    r3 = BudgetRequestFactory(fiscal_year=YEAR, status=RequestStatus.DRAFT, requested_amount=Decimal(1000))
    r3.projects.set([c])
    return {"a": a, "b": b, "c": c, "d": d, "g": g, "e": e, "f": f, "t1": t1, "t2": t2, "bangkok": bangkok}
