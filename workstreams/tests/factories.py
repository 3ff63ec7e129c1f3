from decimal import Decimal

import factory

from accounts.tests.factories import UserFactory
from areas.models import Province, Subdistrict
from strategies.models import PlanNode
from workstreams.models import (
    FundingSource,
    Problem,
    Project,
    ProjectBudget,
    ProjectClass,
    ProjectIndicator,
    ProvincePlan,
    TambonPlan,
)


class TambonPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TambonPlan

    tambon = factory.LazyFunction(lambda: Subdistrict.objects.get(code="500105"))
    period_start_be = 2563
    period_end_be = 2565
    households = 1200
    population = 4100
    vision = "ตำบลน่าอยู่ ชุมชนพึ่งตนเอง"
    created_by = factory.SubFactory(UserFactory)
    updated_by = factory.SelfAttribute("created_by")


class ProblemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Problem

    plan = factory.SubFactory(TambonPlanFactory)
    rank = factory.Sequence(lambda n: n + 1)
    title = "หนี้สินครัวเรือน"


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    plan = factory.SubFactory(TambonPlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    workstream = factory.LazyFunction(lambda: PlanNode.objects.get(code="WS-ECONOMY"))
    goal = factory.LazyFunction(lambda: PlanNode.objects.get(code="WS-ECONOMY-G1"))
    programme = factory.LazyFunction(lambda: PlanNode.objects.get(code="WS-ECONOMY-G1-P1"))
    project_class = ProjectClass.SELF
    name = "กลุ่มออมทรัพย์และแปรรูปผลผลิต"
    responsible_body = "สภาองค์กรชุมชนตำบล"


class ProjectBudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectBudget

    project = factory.SubFactory(ProjectFactory)
    fiscal_year = 2563
    source = FundingSource.CODI
    amount = Decimal("50000.00")


class ProjectIndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectIndicator

    project = factory.SubFactory(ProjectFactory)
    name = "จำนวนครัวเรือนที่เข้าร่วม"
    unit = "ครัวเรือน"
    target_value = Decimal("100")
    target_year_be = 2565


class ProvincePlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProvincePlan

    province = factory.LazyFunction(lambda: Province.objects.get(code="50"))
    period_start_be = 2563
    period_end_be = 2565
