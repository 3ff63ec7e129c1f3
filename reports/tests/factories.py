"""Report test data: approved budget requests with a spending plan, actuals, monitoring and indicators.

Rows are written straight to the models (as a filed, approved request looks in the database), so these
tests do not depend on the budget workflow's steps; the budgets app tests those.
"""

from decimal import Decimal

import factory

from accounts.tests.factories import UserFactory, central_staff
from areas.models import Province, Subdistrict
from budgets.models import (
    BudgetRequest,
    MonitoringPhase,
    MonitoringRecord,
    RequestIndicator,
    RequestStatus,
    SpendingActivity,
    SpendingActual,
    SpendingPlanLine,
)
from indicators.models import Aggregation, AreaLevel, Indicator, Measure, PlanLevel, Result, ResultStatus, Target
from reports.models import Report, ReportKind, ScopeLevel
from strategies.models import PlanNode
from workstreams.models import PlanStatus
from workstreams.tests.factories import ProjectFactory, TambonPlanFactory

FISCAL_YEAR = 2569
D = Decimal

DEFAULT_ACTIVITIES = [
    {
        "name": "อบรมการแปรรูปผลผลิตและการตลาด",
        "unit": "ครั้ง",
        "plan": {1: ("2", "20000.00"), 2: ("3", "30000.00"), 3: ("2", "25000.00"), 4: ("1", "25000.00")},
        "actual": {1: ("2", "18000.50"), 2: ("2", "27500.25")},
    },
    {
        "name": "จัดตั้งกองทุนหมุนเวียนชุมชน",
        "unit": "กองทุน",
        "plan": {10: ("1", "10000.00"), 11: ("0", "5000.00"), 1: ("1", "15000.00"), 4: ("1", "20000.00")},
        "actual": {10: ("1", "9500.00"), 1: ("1", "14000.00")},
    },
]
MONTH_QUARTER = {10: 1, 11: 1, 12: 1, 1: 2, 2: 2, 3: 2, 4: 3, 5: 3, 6: 3, 7: 4, 8: 4, 9: 4}


def node(code: str) -> PlanNode:
    return PlanNode.objects.get(code=code)


class ReportFactory(factory.django.DjangoModelFactory):
    """A filed national plan report, still queued (no files); `reports.services.request_report` makes real ones."""

    class Meta:
        model = Report

    kind = ReportKind.PLAN
    scope_level = ScopeLevel.COUNTRY
    scope_key = "country"
    fiscal_year = FISCAL_YEAR
    audience_key = "national"
    data_fingerprint = factory.Sequence(lambda n: f"{n:064x}")
    snapshot = factory.LazyAttribute(
        lambda o: f"reports/snapshots/{o.data_fingerprint[:2]}/{o.data_fingerprint}.json.gz"
    )
    requested_by = factory.SubFactory(UserFactory)


def funded_request(
    *,
    province: str = "50",
    title: str = "ยกระดับเศรษฐกิจฐานรากตำบลช้างคลาน",
    programme: str = "WS-ECONOMY-G1-P1",
    workstream: str = "WS-ECONOMY",
    approved: str = "150000.00",
    status: str = RequestStatus.IN_EXECUTION,
    fiscal_year: int = FISCAL_YEAR,
    activities: list | None = None,
    monthly_activity: bool = True,
    indicators: list | None = None,
    monitoring: dict | None = None,
    ex_post: dict | None = None,
    tambons: tuple = (),
    by=None,
) -> BudgetRequest:
    """Create an approved request with its activities, planned and actual money, indicators and monitoring.

    The first default activity is planned by quarter, the second by month (keys are calendar months).
    """
    by = by or central_staff()
    request = BudgetRequest.objects.create(
        fiscal_year=fiscal_year,
        province=Province.objects.get(code=province),
        title=title,
        requesting_body=f"ขบวนองค์กรชุมชนจังหวัด {province}",
        workstream=node(workstream),
        programme=node(programme),
        targets="ครัวเรือน 200 ครัวเรือนมีรายได้เพิ่มขึ้น",
        expected_benefits="รายได้ครัวเรือนเพิ่มขึ้น หนี้สินลดลง",
        requested_amount=D(approved),
        approved_amount=D(approved) if status != RequestStatus.DRAFT else None,
        status=status,
        created_by=by,
        updated_by=by,
    )
    for number, spec in enumerate(activities if activities is not None else DEFAULT_ACTIVITIES, start=1):
        by_month = monthly_activity and number == 2 and activities is None
        activity = SpendingActivity.objects.create(
            request=request, number=number, name=spec["name"], unit=spec["unit"], category="operating"
        )
        for key, (quantity, amount) in spec["plan"].items():
            period = {"quarter": MONTH_QUARTER[key], "month": key} if by_month else {"quarter": key}
            SpendingPlanLine.objects.create(
                activity=activity, planned_quantity=D(quantity), planned_amount=D(amount), **period
            )
        for key, (quantity, amount) in spec.get("actual", {}).items():
            period = {"quarter": MONTH_QUARTER[key], "month": key} if by_month else {"quarter": key}
            SpendingActual.objects.create(
                activity=activity, actual_quantity=D(quantity), actual_amount=D(amount), recorded_by=by, **period
            )
    for name, unit, target, achieved in indicators or [("ครัวเรือนที่มีรายได้เพิ่มขึ้น", "ครัวเรือน", "200", None)]:
        RequestIndicator.objects.create(
            request=request,
            name=name,
            unit=unit,
            target_value=D(target),
            achieved_value=D(achieved) if achieved is not None else None,
        )
    for quarter, texts in (monitoring or {}).items():
        MonitoringRecord.objects.create(
            request=request, phase=MonitoringPhase.ONGOING, quarter=quarter, recorded_by=by, **texts
        )
    if ex_post:
        MonitoringRecord.objects.create(request=request, phase=MonitoringPhase.EX_POST, recorded_by=by, **ex_post)
    if tambons:
        projects = []
        for i, code in enumerate(tambons, start=1):
            plan = TambonPlanFactory(
                tambon=Subdistrict.objects.get(code=code),
                period_start_be=fiscal_year - 1,
                period_end_be=fiscal_year + 1,
                status=PlanStatus.ACCEPTED,
            )
            projects.append(ProjectFactory(plan=plan, number=i))
        request.projects.set(projects)
    return request


def official_indicator(*, code: str = "RPT-ECON-1", fiscal_year: int = FISCAL_YEAR, by=None) -> Indicator:
    """A workstream-goal indicator with a national and a Chiang Mai target and approved results in two provinces."""
    by = by or central_staff()
    indicator = Indicator.objects.create(
        code=code,
        name_th="ตำบลที่เศรษฐกิจฐานรากได้รับการยกระดับ",
        name_en="Tambons whose grassroots economy is upgraded",
        unit_th="ตำบล",
        unit_en="tambons",
        measure=Measure.COUNT,
        aggregation=Aggregation.SUM,
        level=PlanLevel.WORKSTREAM_GOAL,
        plan_node=node("WS-ECONOMY-G1"),
        reporting_level=AreaLevel.TAMBON,
    )
    country = Target(indicator=indicator, fiscal_year=fiscal_year, value=D("40"))
    country.set_area(AreaLevel.COUNTRY, None)
    country.save()
    chiang_mai = Target(indicator=indicator, fiscal_year=fiscal_year, value=D("8"))
    chiang_mai.set_area(AreaLevel.PROVINCE, Province.objects.get(code="50"))
    chiang_mai.save()
    for code, quarter, value in (("500105", 1, "2"), ("500106", 2, "3"), ("510101", 1, "4")):
        result = Result(
            indicator=indicator,
            fiscal_year=fiscal_year,
            quarter=quarter,
            value=D(value),
            status=ResultStatus.APPROVED,
            created_by=by,
            updated_by=by,
        )
        result.set_area(AreaLevel.TAMBON, Subdistrict.objects.get(code=code))
        result.save()
    return indicator


def sample_year(by=None):
    """Chiang Mai (two requests, one draft), Lamphun (one) and Bangkok (one), and one official indicator."""
    by = by or central_staff()
    cm1 = funded_request(
        title="ยกระดับเศรษฐกิจฐานรากตำบลช้างคลาน",
        monitoring={
            2: {
                "progress": "อบรมแล้ว 5 ครั้ง ตั้งกองทุนแล้ว",
                "problems": "ฝนตกหนักในเดือนกุมภาพันธ์",
                "obstacles": "ผู้เข้าร่วมบางส่วนติดภารกิจ",
                "remedies": "ย้ายกิจกรรมไปจัดในวันหยุด",
            }
        },
        ex_post={
            "progress": "ครัวเรือน 180 ครัวเรือนมีรายได้เพิ่มขึ้น",
            "problems": "ราคาผลผลิตผันผวน",
            "remedies": "บทเรียน: ทำแผนการตลาดร่วมกับเครือข่าย",
        },
        indicators=[("ครัวเรือนที่มีรายได้เพิ่มขึ้น", "ครัวเรือน", "200", "180")],
        tambons=("500105",),
        by=by,
    )
    cm2 = funded_request(
        title="กองทุนสวัสดิการชุมชนตำบลวัดเกต",
        programme="WS-WELFARE-G1-P1",
        workstream="WS-WELFARE",
        approved="60000.00",
        activities=[
            {
                "name": "ประชุมคณะกรรมการกองทุน",
                "unit": "ครั้ง",
                "plan": {1: ("4", "15000.00"), 2: ("4", "15000.00"), 3: ("4", "15000.00"), 4: ("4", "15000.00")},
                "actual": {1: ("4", "14250.75"), 2: ("3", "11000.00")},
            }
        ],
        tambons=("500106",),
        by=by,
    )
    funded_request(title="ร่างคำขอที่ยังไม่ส่ง", status=RequestStatus.DRAFT, by=by)
    lamphun = funded_request(province="51", title="เศรษฐกิจฐานรากตำบลในเมืองลำพูน", by=by)
    bangkok = funded_request(province="10", title="ที่อยู่อาศัยชุมชนริมคลองกรุงเทพ", by=by)
    indicator = official_indicator(by=by)
    return {"cm1": cm1, "cm2": cm2, "lamphun": lamphun, "bangkok": bangkok, "indicator": indicator}
