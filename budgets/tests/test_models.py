from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from areas.models import Province
from budgets.models import MonitoringPhase, RequestStatus
from budgets.tests.factories import (
    BudgetCeilingFactory,
    BudgetRequestFactory,
    DevelopmentIssueFactory,
    MonitoringRecordFactory,
    ProvincialDevelopmentPlanFactory,
    RequestIndicatorFactory,
    SpendingActualFactory,
    SpendingPlanLineFactory,
    node,
)

pytestmark = pytest.mark.django_db


def refused(**kwargs):
    factory = kwargs.pop("factory")
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


def test_a_month_must_lie_in_its_quarter(reference_data):
    SpendingPlanLineFactory(quarter=1, month=10)
    refused(factory=SpendingPlanLineFactory, quarter=1, month=1)
    refused(factory=SpendingActualFactory, quarter=4, month=6)


def test_one_plan_line_per_quarter_or_month(reference_data):
    line = SpendingPlanLineFactory(quarter=2)
    refused(factory=SpendingPlanLineFactory, activity=line.activity, quarter=2)
    SpendingPlanLineFactory(activity=line.activity, quarter=3, month=4)
    refused(factory=SpendingPlanLineFactory, activity=line.activity, quarter=3, month=4)


def test_an_overspent_actual_carries_an_explanation(reference_data):
    refused(factory=SpendingActualFactory, overspent=True, explanation="")
    assert SpendingActualFactory(overspent=True, explanation="ค่าขนส่งเพิ่ม").overspent


def test_money_columns_refuse_negatives(reference_data):
    refused(factory=SpendingPlanLineFactory, planned_amount=Decimal("-0.01"))
    refused(factory=SpendingActualFactory, actual_amount=Decimal("-1"))
    refused(factory=BudgetCeilingFactory, amount=Decimal("-1"))
    refused(factory=BudgetRequestFactory, requested_amount=Decimal("-1"))
    refused(factory=RequestIndicatorFactory, target_value=Decimal("-1"))


def test_an_approved_request_has_an_amount_within_the_request(reference_data):
    refused(factory=BudgetRequestFactory, status=RequestStatus.APPROVED, approved_amount=None)
    refused(factory=BudgetRequestFactory, requested_amount=Decimal("10"), approved_amount=Decimal("10.01"))
    BudgetRequestFactory(status=RequestStatus.APPROVED, requested_amount=Decimal("10"), approved_amount=Decimal("10"))


def test_a_ceiling_is_for_one_province_or_one_workstream_once_a_year(reference_data):
    refused(factory=BudgetCeilingFactory, workstream=node("WS-ECONOMY"))
    refused(factory=BudgetCeilingFactory, province=None)
    BudgetCeilingFactory()
    refused(factory=BudgetCeilingFactory)
    BudgetCeilingFactory(province=None, workstream=node("WS-ECONOMY"))
    refused(factory=BudgetCeilingFactory, province=None, workstream=node("WS-ECONOMY"))


def test_a_development_plan_has_one_area_and_one_plan_per_period(reference_data):
    chiang_mai = Province.objects.get(code="50")
    refused(factory=ProvincialDevelopmentPlanFactory, province_group=chiang_mai.group)
    refused(factory=ProvincialDevelopmentPlanFactory, province=None)
    plan = ProvincialDevelopmentPlanFactory()
    refused(factory=ProvincialDevelopmentPlanFactory)
    issue = DevelopmentIssueFactory(plan=plan, number=1)
    refused(factory=DevelopmentIssueFactory, plan=issue.plan, number=1)


def test_monitoring_quarters_belong_to_the_ongoing_phase_only(reference_data):
    record = MonitoringRecordFactory(quarter=1)
    refused(factory=MonitoringRecordFactory, request=record.request, quarter=1)
    refused(factory=MonitoringRecordFactory, quarter=None)
    refused(factory=MonitoringRecordFactory, phase=MonitoringPhase.EX_POST, quarter=2)
    MonitoringRecordFactory(request=record.request, phase=MonitoringPhase.EX_POST, quarter=None)
    refused(factory=MonitoringRecordFactory, request=record.request, phase=MonitoringPhase.EX_POST, quarter=None)


def test_the_issue_splits_its_text_into_lines(reference_data):
    issue = DevelopmentIssueFactory(strategies="  หนึ่ง \n\n สอง ")
    assert issue.strategy_list == ["หนึ่ง", "สอง"]
