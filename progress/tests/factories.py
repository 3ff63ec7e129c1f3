"""Factories for progress reports, on top of the workstreams factories."""

from decimal import Decimal

import factory

from workstreams.models import PlanStatus
from workstreams.tests.factories import ProjectFactory, TambonPlanFactory

from ..models import ActivityStatus, IndicatorActual, ProgressSpending, ProgressStatus, ProjectProgress


class AcceptedPlanFactory(TambonPlanFactory):
    status = PlanStatus.ACCEPTED


class ProjectProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectProgress

    project = factory.SubFactory(ProjectFactory, plan=factory.SubFactory(AcceptedPlanFactory))
    fiscal_year = 2564
    quarter = 1
    activity_status = ActivityStatus.UNDER_WAY
    status = ProgressStatus.APPROVED
    created_by = factory.LazyAttribute(lambda o: o.project.plan.created_by)
    updated_by = factory.SelfAttribute("created_by")


class ProgressSpendingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressSpending

    report = factory.SubFactory(ProjectProgressFactory)
    source = "codi"
    amount = Decimal("1000.00")


class IndicatorActualFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorActual

    report = factory.SubFactory(ProjectProgressFactory)
    value = Decimal("10")
