from decimal import Decimal

import factory

from accounts.tests.factories import UserFactory
from areas.models import Province, Subdistrict
from budgets import services
from budgets.models import (
    BudgetCeiling,
    BudgetRequest,
    DevelopmentIndicator,
    DevelopmentIssue,
    ExpenseCategory,
    ExpenseLine,
    MonitoringPhase,
    MonitoringRecord,
    PilotTambon,
    ProvincialDevelopmentPlan,
    RequestIndicator,
    SpendingActivity,
    SpendingActual,
    SpendingPlanLine,
)
from strategies.models import PlanNode
from workstreams.models import PlanStatus
from workstreams.tests.factories import ProjectFactory, TambonPlanFactory

FISCAL_YEAR = 2570


def node(code):
    return PlanNode.objects.get(code=code)


class ProvincialDevelopmentPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProvincialDevelopmentPlan

    province = factory.LazyFunction(lambda: Province.objects.get(code="50"))
    name = "แผนพัฒนาจังหวัดเชียงใหม่ พ.ศ. 2566–2570"
    period_start_be = 2566
    period_end_be = 2570
    vision = "นครแห่งชีวิตและความมั่งคั่ง"
    development_target = "เศรษฐกิจฐานรากเข้มแข็ง ชุมชนพึ่งตนเองได้"


class DevelopmentIssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DevelopmentIssue

    plan = factory.SubFactory(ProvincialDevelopmentPlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = "การพัฒนาเศรษฐกิจฐานรากและชุมชนพึ่งตนเอง"
    objectives = "ยกระดับรายได้ครัวเรือน\nเสริมสร้างวิสาหกิจชุมชน"
    targets = "รายได้ครัวเรือนเพิ่มขึ้นร้อยละ 5 ต่อปี"
    strategies = "ส่งเสริมการแปรรูปผลผลิต\nพัฒนาตลาดชุมชน"


class DevelopmentIndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DevelopmentIndicator

    plan = factory.SubFactory(ProvincialDevelopmentPlanFactory)
    name = "อัตราการขยายตัวของผลิตภัณฑ์มวลรวมจังหวัด"
    unit = "ร้อยละ"
    target_value = Decimal("3.00")


class BudgetCeilingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetCeiling

    fiscal_year = FISCAL_YEAR
    province = factory.LazyFunction(lambda: Province.objects.get(code="50"))
    amount = Decimal("1000000.00")


class PilotTambonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PilotTambon

    fiscal_year = FISCAL_YEAR
    tambon = factory.LazyFunction(lambda: Subdistrict.objects.get(code="500105"))


class BudgetRequestFactory(factory.django.DjangoModelFactory):
    """A bare draft row; use `draft_request` below for one built through the service."""

    class Meta:
        model = BudgetRequest

    fiscal_year = FISCAL_YEAR
    province = factory.LazyFunction(lambda: Province.objects.get(code="50"))
    title = "ยกระดับเศรษฐกิจฐานรากตำบลช้างคลาน"
    requesting_body = "ขบวนองค์กรชุมชนจังหวัดเชียงใหม่"
    workstream = factory.LazyFunction(lambda: node("WS-ECONOMY"))
    programme = factory.LazyFunction(lambda: node("WS-ECONOMY-G1-P1"))
    national_target = factory.LazyFunction(lambda: node("MP-2561-16"))
    created_by = factory.SubFactory(UserFactory)
    updated_by = factory.SelfAttribute("created_by")


class RequestIndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequestIndicator

    request = factory.SubFactory(BudgetRequestFactory)
    name = "ครัวเรือนที่มีรายได้เพิ่มขึ้น"
    unit = "ครัวเรือน"
    target_value = Decimal("200")


class ExpenseLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpenseLine

    request = factory.SubFactory(BudgetRequestFactory)
    category = ExpenseCategory.SUBSIDY
    amount = Decimal("100000.00")


class SpendingActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpendingActivity

    request = factory.SubFactory(BudgetRequestFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = "อบรมการแปรรูปผลผลิต"
    unit = "ครั้ง"
    category = ExpenseCategory.OPERATING


class SpendingPlanLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpendingPlanLine

    activity = factory.SubFactory(SpendingActivityFactory)
    quarter = 1
    planned_quantity = Decimal("1")
    planned_amount = Decimal("10000.00")


class SpendingActualFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpendingActual

    activity = factory.SubFactory(SpendingActivityFactory)
    quarter = 1
    actual_quantity = Decimal("1")
    actual_amount = Decimal("10000.00")
    recorded_by = factory.SubFactory(UserFactory)


class MonitoringRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonitoringRecord

    request = factory.SubFactory(BudgetRequestFactory)
    phase = MonitoringPhase.ONGOING
    quarter = 1
    progress = "ดำเนินการตามแผน"
    recorded_by = factory.SubFactory(UserFactory)


# --- Builders that go through the real services --------------------------------------------------


def accepted_projects(*tambon_codes, period=(2568, 2570), workstream="WS-ECONOMY"):
    """Return one project per tambon, each in an accepted tambon plan of that tambon."""
    goal = {"WS-ECONOMY": "WS-ECONOMY-G1", "WS-WELFARE": "WS-WELFARE-G1"}[workstream]
    projects = []
    for i, code in enumerate(tambon_codes, start=1):
        plan = TambonPlanFactory(
            tambon=Subdistrict.objects.get(code=code),
            period_start_be=period[0],
            period_end_be=period[1],
            status=PlanStatus.ACCEPTED,
        )
        projects.append(
            ProjectFactory(
                plan=plan,
                number=i,
                workstream=node(workstream),
                goal=node(goal),
                programme=node(f"{goal}-P1"),
                name=f"โครงการพัฒนาอาชีพตำบล {plan.tambon.name_th}",
            )
        )
    return projects


def request_data(issue=None, **overrides):
    data = {
        "title": "ยกระดับเศรษฐกิจฐานรากตำบลช้างคลานและวัดเกต",
        "requesting_body": "ขบวนองค์กรชุมชนจังหวัดเชียงใหม่",
        "related_agencies": "สำนักงานพัฒนาชุมชนจังหวัด\nองค์การบริหารส่วนตำบล",
        "development_issue": issue,
        "workstream": node("WS-ECONOMY"),
        "programme": node("WS-ECONOMY-G1-P1"),
        "national_target": node("MP-2561-16"),
        "scope": "สองตำบลในอำเภอเมืองเชียงใหม่",
        "targets": "ครัวเรือน 200 ครัวเรือนมีรายได้เพิ่มขึ้น",
        "approach": "อบรม แปรรูป และเปิดตลาดชุมชน",
        "expected_benefits": "รายได้ครัวเรือนเพิ่มขึ้น หนี้สินลดลง",
    }
    return data | overrides


def indicators():
    return [services.IndicatorInput("ครัวเรือนที่มีรายได้เพิ่มขึ้น", "ครัวเรือน", Decimal("200"))]


def expenses(*amounts):
    categories = [ExpenseCategory.OPERATING, ExpenseCategory.SUBSIDY, ExpenseCategory.INVESTMENT]
    return [
        services.ExpenseInput(categories[i % len(categories)], a, f"รายการ {i + 1}")
        for i, a in enumerate(amounts or ("60000", "40000"))
    ]


def draft_request(by, projects, issue, *, amounts=("60000", "40000"), province=None, **overrides):
    return services.create_budget_request(
        by=by,
        province=province or Province.objects.get(code="50"),
        fiscal_year=FISCAL_YEAR,
        data=request_data(issue, **overrides),
        projects=projects,
        indicators=indicators(),
        expense_lines=expenses(*amounts),
    )


def second_pair_of_eyes(request):
    """Someone of the request's province who did not write it: its region's staff (central staff for Bangkok)."""
    from accounts.tests import factories as people

    region = request.province.region
    return people.regional_staff(region.key) if region is not None else people.central_staff()


def forwarded_request(by, projects, issue, *, ranker=None, **kwargs):
    """Build a request through submit (by its writer), prioritise (next free rank) and forward (by another)."""
    request = draft_request(by, projects, issue, **kwargs)
    services.submit_budget_request(request=request, by=by)
    ranker = ranker or second_pair_of_eyes(request)
    taken = BudgetRequest.objects.filter(province=request.province, fiscal_year=request.fiscal_year).exclude(rank=None)
    rank = max(taken.values_list("rank", flat=True), default=0) + 1
    services.prioritise_budget_request(request=request, by=ranker, rank=rank)
    return services.forward_budget_request(request=request, by=ranker)


def quarterly_plan(*amounts):
    """One activity whose plan spreads the amounts over quarters 1..n."""
    return [
        services.ActivityInput(
            "อบรมและแปรรูปผลผลิต",
            "ครั้ง",
            ExpenseCategory.OPERATING,
            [services.PeriodInput(q, Decimal("1"), Decimal(a)) for q, a in enumerate(amounts, start=1)],
        )
    ]
