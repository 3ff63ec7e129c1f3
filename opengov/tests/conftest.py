"""A world with a known eMENSCR chain (Z → Y2 → sub-plan → Y1) and tambon projects with known progress."""

import datetime as dt
from decimal import Decimal

import pytest

from areas.models import Subdistrict
from progress.models import ActivityStatus, ProgressStatus
from progress.tests.factories import (
    AcceptedPlanFactory,
    IndicatorActualFactory,
    ProgressSpendingFactory,
    ProjectProgressFactory,
)
from strategies.models import NodeKind, PlanNode
from strategies.tests.factories import PlanNodeFactory
from workstreams.models import PlanStatus
from workstreams.tests.factories import (
    ProjectBudgetFactory,
    ProjectFactory,
    ProjectIndicatorFactory,
    TambonPlanFactory,
)

YEAR = 2569


@pytest.fixture
def chain(reference_data):
    strategy = PlanNode.objects.get(code="NS-4")
    master = PlanNode.objects.get(code="MP-2566-16")
    z = PlanNodeFactory(
        code="T-Z-0401", kind=NodeKind.STRATEGY_TARGET, parent=strategy, official_code="0401", name_th="คนไทยมีโอกาส"
    )
    y2 = PlanNodeFactory(
        code="T-Y2-160001",
        kind=NodeKind.MASTER_PLAN_TARGET,
        parent=master,
        official_code="160001",
        name_th="รายได้ครัวเรือนฐานรากเพิ่มขึ้น",
    )
    y2.aligns_to.add(z)
    sub_plan = PlanNodeFactory(
        code="T-SP-1601", kind=NodeKind.SUB_PLAN, parent=master, official_code="1601", name_th="ผู้ประกอบการฐานราก"
    )
    y1 = PlanNodeFactory(
        code="T-Y1-160101",
        kind=NodeKind.SUB_PLAN_TARGET,
        parent=sub_plan,
        official_code="160101",
        name_th="ผู้ประกอบการฐานรากมีรายได้เพิ่มขึ้น",
    )
    y1b = PlanNodeFactory(
        code="T-Y1-160102",
        kind=NodeKind.SUB_PLAN_TARGET,
        parent=sub_plan,
        official_code="160102",
        name_th="เครือข่ายวิสาหกิจชุมชนเข้มแข็ง",
    )
    return {"z": z, "y2": y2, "sub_plan": sub_plan, "y1": y1, "y1b": y1b, "master": master, "strategy": strategy}


def _plan(code, status=PlanStatus.ACCEPTED):
    factory = AcceptedPlanFactory if status == PlanStatus.ACCEPTED else TambonPlanFactory
    return factory(tambon=Subdistrict.objects.get(code=code), period_start_be=2568, period_end_be=2570, status=status)


@pytest.fixture
def world(chain):
    """Projects in Chiang Mai (500101), one in Bangkok (100101), one in a draft plan and one of another year."""
    plan = _plan("500101")
    a = ProjectFactory(
        plan=plan,
        number=1,
        name="=HYPERLINK(กลุ่มออมทรัพย์)",
        primary_target=chain["y1"],
        start_date=dt.date(2025, 10, 1),
        end_date=dt.date(2026, 9, 30),
        responsible_body="สภาองค์กรชุมชนตำบลสันพระเนตร",
    )
    a.secondary_targets.add(chain["y1b"])
    ProjectBudgetFactory(project=a, fiscal_year=YEAR, source="codi", amount=Decimal("50000"))
    ProjectBudgetFactory(project=a, fiscal_year=YEAR, source="community", amount=Decimal("10000"))
    ProjectBudgetFactory(project=a, fiscal_year=2570, source="codi", amount=Decimal("99999"))
    a1 = ProjectIndicatorFactory(project=a, name="ครัวเรือนมีรายได้เพิ่ม", unit="ครัวเรือน", target_value=Decimal(100))
    a2 = ProjectIndicatorFactory(project=a, name="กลุ่มอาชีพ", unit="กลุ่ม", target_value=Decimal(40))
    q1 = ProjectProgressFactory(project=a, fiscal_year=YEAR, quarter=1, activity_status=ActivityStatus.UNDER_WAY)
    IndicatorActualFactory(report=q1, indicator=a1, value=Decimal(30))
    IndicatorActualFactory(report=q1, indicator=a2, value=Decimal(10))
    ProgressSpendingFactory(report=q1, source="codi", amount=Decimal(1000))
    q2 = ProjectProgressFactory(project=a, fiscal_year=YEAR, quarter=2, activity_status=ActivityStatus.UNDER_WAY)
    IndicatorActualFactory(report=q2, indicator=a1, value=Decimal(60))
    q3 = ProjectProgressFactory(
        project=a, fiscal_year=YEAR, quarter=3, activity_status=ActivityStatus.DONE, status=ProgressStatus.SUBMITTED
    )
    IndicatorActualFactory(report=q3, indicator=a1, value=Decimal(100))

    b = ProjectFactory(
        plan=plan, number=2, name="โครงการไม่มีเป้าหมาย", start_date=dt.date(2025, 11, 1), end_date=dt.date(2026, 3, 31)
    )
    ProjectIndicatorFactory(project=b)
    c = ProjectFactory(plan=plan, number=3, name="โครงการไม่มีตัวชี้วัด", primary_target=chain["y1"])
    old = ProjectFactory(
        plan=plan,
        number=4,
        name="โครงการปีก่อน",
        primary_target=chain["y1"],
        start_date=dt.date(2024, 10, 1),
        end_date=dt.date(2025, 9, 30),
    )
    ProjectIndicatorFactory(project=old)

    bangkok = ProjectFactory(
        plan=_plan("100101"),
        number=1,
        name="โครงการกรุงเทพ",
        primary_target=chain["y1"],
        start_date=dt.date(2025, 10, 1),
        end_date=dt.date(2026, 9, 30),
    )
    ProjectIndicatorFactory(project=bangkok, target_value=Decimal(5))
    draft = ProjectFactory(
        plan=_plan("500106", PlanStatus.DRAFT),
        number=1,
        name="โครงการร่าง",
        primary_target=chain["y1"],
        start_date=dt.date(2025, 10, 1),
        end_date=dt.date(2026, 9, 30),
    )
    ProjectIndicatorFactory(project=draft)
    return {"a": a, "b": b, "c": c, "old": old, "bangkok": bangkok, "draft": draft, "a1": a1, "a2": a2}
