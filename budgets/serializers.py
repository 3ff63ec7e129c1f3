import re

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from areas.models import Province
from codi_plans.converters import IdConverter
from codi_plans.serializer_fields import NumberField, ThaiDateField, WholeNumberField, YearField
from strategies.models import PlanNode
from workstreams.models import Project

from .models import (
    NATIONAL_TARGET_KINDS,
    BudgetCeiling,
    BudgetRequest,
    DevelopmentIndicator,
    DevelopmentIssue,
    ExpenseCategory,
    ExpenseLine,
    MonitoringRecord,
    ProvincialDevelopmentPlan,
    RequestIndicator,
    RequestTransition,
    SpendingActivity,
    SpendingActual,
    SpendingPlanLine,
)

MONEY = {"max_digits": 14, "decimal_places": 2, "read_only": True}
# Money people send: a JSON number or text typed the Thai way; the services apply the money rules.
MONEY_INPUT = {"max_digits": 14, "decimal_places": 2}


# --- Development plans ------------------------------------------------------------------------------


class DevelopmentIndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = DevelopmentIndicator
        fields = ["id", "name", "unit", "baseline", "target_value", "target_year_be"]


class DevelopmentIssueSerializer(serializers.ModelSerializer):
    indicators = DevelopmentIndicatorSerializer(many=True, read_only=True)
    aligns_to = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = DevelopmentIssue
        fields = [
            "id",
            "number",
            "title",
            "objectives",
            "targets",
            "strategies",
            "group_issue",
            "aligns_to",
            "indicators",
        ]


class DevelopmentPlanSerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)
    province_group = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)
    target_indicators = serializers.SerializerMethodField()
    issues = DevelopmentIssueSerializer(many=True, read_only=True)

    class Meta:
        model = ProvincialDevelopmentPlan
        fields = [
            "id",
            "province",
            "province_group",
            "name",
            "period_start_be",
            "period_end_be",
            "vision",
            "development_target",
            "target_indicators",
            "issues",
            "revision",
            "updated_at",
        ]

    def get_target_indicators(self, plan) -> list[dict]:
        return DevelopmentIndicatorSerializer([i for i in plan.indicators.all() if i.issue_id is None], many=True).data


# --- Ceilings ----------------------------------------------------------------------------------------


class BudgetCeilingSerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)
    workstream = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = BudgetCeiling
        fields = ["id", "fiscal_year", "province", "workstream", "amount", "note", "updated_at"]


# --- Budget requests: reading ------------------------------------------------------------------------


class FundedProjectSerializer(serializers.ModelSerializer):
    tambon = serializers.CharField(source="plan.tambon.code", read_only=True)
    tambon_name = serializers.CharField(source="plan.tambon.name_th", read_only=True)

    class Meta:
        model = Project
        fields = ["id", "tambon", "tambon_name", "number", "name"]


class RequestIndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = RequestIndicator
        fields = ["id", "name", "unit", "baseline", "target_value", "achieved_value"]


class ExpenseLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExpenseLine
        fields = ["category", "description", "amount"]


class RequestTransitionSerializer(serializers.ModelSerializer):
    by = serializers.StringRelatedField()

    class Meta:
        model = RequestTransition
        fields = ["from_status", "to_status", "by", "at", "comment"]


class SpendingPlanLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = SpendingPlanLine
        fields = ["quarter", "month", "planned_quantity", "planned_amount"]


class SpendingActualSerializer(serializers.ModelSerializer):
    class Meta:
        model = SpendingActual
        fields = ["quarter", "month", "actual_quantity", "actual_amount", "overspent", "explanation"]


class SpendingActivitySerializer(serializers.ModelSerializer):
    plan = SpendingPlanLineSerializer(source="plan_lines", many=True, read_only=True)
    actuals = SpendingActualSerializer(many=True, read_only=True)

    class Meta:
        model = SpendingActivity
        fields = ["number", "name", "unit", "category", "plan", "actuals"]


class MonitoringRecordSerializer(serializers.ModelSerializer):
    recorded_by = serializers.StringRelatedField()

    class Meta:
        model = MonitoringRecord
        fields = [
            "phase",
            "quarter",
            "passed",
            "findings",
            "progress",
            "problems",
            "obstacles",
            "remedies",
            "recorded_by",
            "recorded_at",
        ]


class BudgetRequestSerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)
    workstream = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    programme = serializers.SlugRelatedField(slug_field="code", read_only=True)
    national_target = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    primary_target = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text="Code of the sub-plan target (Y1) it serves"
    )
    primary_target_official_code = serializers.CharField(
        source="primary_target.official_code",
        read_only=True,
        default=None,
        allow_null=True,
        help_text="Its official eMENSCR code",
    )
    projects = FundedProjectSerializer(many=True, read_only=True)
    indicators = RequestIndicatorSerializer(many=True, read_only=True)
    expense_lines = ExpenseLineSerializer(many=True, read_only=True)
    activities = SpendingActivitySerializer(many=True, read_only=True)
    monitoring = MonitoringRecordSerializer(many=True, read_only=True)
    transitions = RequestTransitionSerializer(many=True, read_only=True)
    in_pilot = serializers.BooleanField(read_only=True)
    overspent = serializers.BooleanField(read_only=True)

    class Meta:
        model = BudgetRequest
        fields = [
            "id",
            "fiscal_year",
            "province",
            "title",
            "requesting_body",
            "host_agency",
            "related_agencies",
            "projects",
            "development_issue",
            "workstream",
            "programme",
            "national_target",
            "primary_target",
            "primary_target_official_code",
            "scope",
            "targets",
            "approach",
            "start_date",
            "end_date",
            "expected_benefits",
            "indicators",
            "expense_lines",
            "requested_amount",
            "approved_amount",
            "spent_amount",
            "status",
            "rank",
            "priority_note",
            "redeployment_note",
            "decision_note",
            "in_pilot",
            "overspent",
            "activities",
            "monitoring",
            "transitions",
            "revision",
            "updated_at",
        ]
        read_only_fields = fields


# --- Budget requests: writing (the services validate the money) ------------------------------------


class RequestIndicatorInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=300)
    unit = serializers.CharField(max_length=60)
    target_value = NumberField(**MONEY_INPUT)
    baseline = NumberField(required=False, allow_null=True, **MONEY_INPUT)


class ExpenseLineInputSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=ExpenseCategory.choices)
    amount = NumberField(**MONEY_INPUT)
    description = serializers.CharField(required=False, allow_blank=True, max_length=300)


class BudgetRequestWriteSerializer(serializers.Serializer):
    fiscal_year = YearField(required=False)
    province = serializers.SlugRelatedField(slug_field="code", queryset=Province.objects.all(), required=False)
    revision = serializers.IntegerField(required=False, help_text="The revision being edited (updates only).")
    title = serializers.CharField(max_length=300)
    requesting_body = serializers.CharField(max_length=300)
    host_agency = serializers.CharField(max_length=300, required=False)
    related_agencies = serializers.CharField(required=False, allow_blank=True)
    projects = serializers.PrimaryKeyRelatedField(many=True, queryset=Project.objects.all(), required=False)
    development_issue = serializers.PrimaryKeyRelatedField(
        queryset=DevelopmentIssue.objects.all(), required=False, allow_null=True
    )
    workstream = serializers.SlugRelatedField(
        slug_field="code",
        queryset=PlanNode.objects.filter(kind="workstream", is_draft=False),
        required=False,
        allow_null=True,
    )
    programme = serializers.SlugRelatedField(
        slug_field="code",
        queryset=PlanNode.objects.filter(kind="programme", is_draft=False),
        required=False,
        allow_null=True,
    )
    national_target = serializers.SlugRelatedField(
        slug_field="code",
        queryset=PlanNode.objects.filter(kind__in=NATIONAL_TARGET_KINDS),
        required=False,
        allow_null=True,
    )
    primary_target = serializers.SlugRelatedField(
        slug_field="code",
        queryset=PlanNode.objects.filter(kind="sub_plan_target", is_draft=False),
        required=False,
        allow_null=True,
        help_text="Code of the sub-plan target (Y1) the request serves first",
    )
    scope = serializers.CharField(required=False, allow_blank=True)
    targets = serializers.CharField(required=False, allow_blank=True)
    approach = serializers.CharField(required=False, allow_blank=True)
    start_date = ThaiDateField(required=False, allow_null=True)
    end_date = ThaiDateField(required=False, allow_null=True)
    expected_benefits = serializers.CharField(required=False, allow_blank=True)
    indicators = RequestIndicatorInputSerializer(many=True, required=False)
    expense_lines = ExpenseLineInputSerializer(many=True, required=False)


class RequestCommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class RequestReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class RequestPrioritiseSerializer(serializers.Serializer):
    rank = WholeNumberField(min_value=1, max_value=32767)
    priority_note = serializers.CharField(required=False, allow_blank=True, default="")
    redeployment_note = serializers.CharField(required=False, allow_blank=True, default="")


class RequestApproveSerializer(serializers.Serializer):
    amount = NumberField(**MONEY_INPUT)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class SpendingPeriodInputSerializer(serializers.Serializer):
    quarter = WholeNumberField(min_value=1, max_value=4)
    month = WholeNumberField(required=False, allow_null=True, min_value=1, max_value=12)
    quantity = NumberField(**MONEY_INPUT)
    amount = NumberField(**MONEY_INPUT)


class SpendingActivityInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=300)
    unit = serializers.CharField(max_length=60)
    category = serializers.ChoiceField(choices=ExpenseCategory.choices)
    periods = SpendingPeriodInputSerializer(many=True)


class SpendingPlanSerializer(serializers.Serializer):
    revision = serializers.IntegerField()
    activities = SpendingActivityInputSerializer(many=True)


class SpendingActualRowSerializer(serializers.Serializer):
    activity = WholeNumberField(min_value=1, max_value=32767, help_text="Activity number")
    month = WholeNumberField(required=False, allow_null=True, min_value=1, max_value=12)
    quantity = NumberField(**MONEY_INPUT)
    amount = NumberField(**MONEY_INPUT)
    explanation = serializers.CharField(required=False, allow_blank=True, default="")


class SpendingActualsSerializer(serializers.Serializer):
    revision = serializers.IntegerField()
    quarter = WholeNumberField(min_value=1, max_value=4)
    rows = SpendingActualRowSerializer(many=True)


class QuarterlyMonitoringSerializer(serializers.Serializer):
    quarter = WholeNumberField(min_value=1, max_value=4)
    progress = serializers.CharField()
    problems = serializers.CharField(required=False, allow_blank=True, default="")
    obstacles = serializers.CharField(required=False, allow_blank=True, default="")
    remedies = serializers.CharField(required=False, allow_blank=True, default="")


class ExPostEvaluationSerializer(QuarterlyMonitoringSerializer):
    quarter = None
    achievements = serializers.DictField(child=NumberField(**MONEY_INPUT), help_text="Indicator id → achieved value")

    def validate_achievements(self, value):
        # The keys are indicator ids: anything else ("", "x", 20 digits) is the client's mistake, not a 500.
        if not all(re.fullmatch(IdConverter.regex, key) for key in value):
            raise serializers.ValidationError(_("Use the indicators' ids as keys."))
        return value


# --- Consolidation -----------------------------------------------------------------------------------


class ConsolidationRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    requests = serializers.IntegerField()
    requested = serializers.DecimalField(**MONEY)
    approved = serializers.DecimalField(**MONEY)
    spent = serializers.DecimalField(**MONEY)
    ceiling = serializers.DecimalField(allow_null=True, **MONEY)
    headroom = serializers.DecimalField(allow_null=True, **MONEY)


class ConsolidationDimensionSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    rows = ConsolidationRowSerializer(many=True)


@extend_schema_serializer(many=False)
class ConsolidationSerializer(serializers.Serializer):
    fiscal_year = serializers.IntegerField()
    province = serializers.CharField(allow_null=True)
    totals = ConsolidationRowSerializer()
    dimensions = ConsolidationDimensionSerializer(many=True)
