"""Explicit fields for tambon plans, projects and province plans.

Read serializers shape responses; write serializers only check the input's types and shape. They are
never saved: the viewsets hand their validated data to the services, which own every rule.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from areas.models import Subdistrict
from codi_plans.serializer_fields import NumberField, ThaiDateField, WholeNumberField, YearField
from strategies.models import NodeKind, PlanNode

from .models import (
    PLAN_FIELDS,
    FundingSource,
    PlanStatus,
    Problem,
    Project,
    ProjectBudget,
    ProjectClass,
    ProjectIndicator,
    ProvincePlan,
    TambonPlan,
)
from .services import BudgetLineInput, IndicatorInput

MONEY = {"max_digits": 14, "decimal_places": 2}


class ErrorBodyDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.JSONField(), help_text=_("Error messages by input field"))
    current_revision = serializers.IntegerField(required=False, help_text=_("Only on 409: the saved revision"))
    changed_by = serializers.CharField(required=False, allow_null=True, help_text=_("Only on 409"))
    changed_at = serializers.DateTimeField(required=False, allow_null=True, help_text=_("Only on 409"))
    changes = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()),
        required=False,
        help_text=_("Only on 409: field, old and new value of each change made in between"),
    )


class ErrorBodySerializer(serializers.Serializer):
    """The one error body of the whole API (see codi_plans/api.py)."""

    error = ErrorBodyDetailSerializer()


# Reads


class PlanAreaSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_th = serializers.CharField()
    name_en = serializers.CharField()


class PlanChainNodeSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.CharField()
    name_th = serializers.CharField()
    name_en = serializers.CharField()


class PlanProblemSerializer(serializers.ModelSerializer):
    class Meta:
        model = Problem
        fields = ["rank", "title", "description"]
        read_only_fields = fields


class TambonPlanSerializer(serializers.ModelSerializer):
    tambon = PlanAreaSerializer(read_only=True)
    district = PlanAreaSerializer(source="tambon.district", read_only=True)
    province = PlanAreaSerializer(source="tambon.province", read_only=True)
    status_label = serializers.SerializerMethodField()
    problems = PlanProblemSerializer(many=True, read_only=True)
    project_count = serializers.IntegerField(read_only=True, help_text=_("Number of projects"))
    budget_total = serializers.DecimalField(
        read_only=True, help_text=_("Sum of all the projects' budget lines (baht)"), **MONEY
    )
    created_by = serializers.StringRelatedField(read_only=True)
    updated_by = serializers.StringRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = TambonPlan
        fields = [
            "id",
            "tambon",
            "district",
            "province",
            "period_start_be",
            "period_end_be",
            "status",
            "status_label",
            *PLAN_FIELDS,
            "problems",
            "project_count",
            "budget_total",
            "revision",
            "created_by",
            "updated_by",
            "created_at",
            "updated_at",
            "status_changed_at",
        ]
        read_only_fields = fields

    # A method field, not source="get_status_display": DRF inspects a callable source's signature on every row.
    def get_status_label(self, plan) -> str:
        return str(PlanStatus(plan.status).label)


class ProjectBudgetLineSerializer(serializers.ModelSerializer):
    fiscal_year = YearField(help_text=_("Fiscal year (B.E.)"))
    source = serializers.ChoiceField(choices=FundingSource.choices)
    amount = NumberField(help_text=_("Amount (baht)"), **MONEY)

    class Meta:
        model = ProjectBudget
        fields = ["fiscal_year", "source", "amount"]


class ProjectIndicatorSerializer(serializers.ModelSerializer):
    name = serializers.CharField(max_length=300)
    unit = serializers.CharField(max_length=50)
    baseline = NumberField(required=False, allow_null=True, default=None, allow_negative=True, **MONEY)
    target_value = NumberField(**MONEY)
    target_year_be = YearField(help_text=_("Target year (B.E.)"))

    class Meta:
        model = ProjectIndicator
        fields = ["name", "unit", "baseline", "target_value", "target_year_be"]


class ProjectSerializer(serializers.ModelSerializer):
    tambon = serializers.CharField(source="plan.tambon.code", read_only=True, help_text=_("Tambon DOPA code"))
    plan_status = serializers.ChoiceField(source="plan.status", choices=PlanStatus.choices, read_only=True)
    revision = serializers.IntegerField(
        source="plan.revision", read_only=True, help_text=_("The plan's revision: send it back with a change")
    )
    workstream = serializers.SlugRelatedField(slug_field="code", read_only=True)
    goal = serializers.SlugRelatedField(slug_field="code", read_only=True)
    programme = serializers.SlugRelatedField(slug_field="code", read_only=True)
    project_class_label = serializers.SerializerMethodField()
    budget_lines = ProjectBudgetLineSerializer(many=True, read_only=True)
    budget_total = serializers.SerializerMethodField(help_text=_("Sum of the budget lines (baht)"))
    indicators = ProjectIndicatorSerializer(many=True, read_only=True)
    chain = serializers.SerializerMethodField(
        help_text=_("The project's place in the plan tree: programme, goal, workstream, CODI plan")
    )
    primary_target = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text=_("The sub-plan target (Y1) the project serves first (item code)"),
    )
    primary_target_official_code = serializers.CharField(
        source="primary_target.official_code",
        read_only=True,
        default=None,
        allow_null=True,
        help_text=_("Its official eMENSCR code"),
    )
    secondary_targets = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "plan",
            "tambon",
            "plan_status",
            "revision",
            "number",
            "workstream",
            "goal",
            "programme",
            "project_class",
            "project_class_label",
            "name",
            "rationale",
            "objectives",
            "targets",
            "method",
            "start_date",
            "end_date",
            "responsible_body",
            "supporting_agencies",
            "evaluation",
            "expected_results",
            "budget_lines",
            "budget_total",
            "indicators",
            "chain",
            "primary_target",
            "primary_target_official_code",
            "secondary_targets",
        ]
        read_only_fields = fields

    def get_project_class_label(self, project) -> str:
        return str(ProjectClass(project.project_class).label)

    @extend_schema_field(serializers.DecimalField(**MONEY))
    def get_budget_total(self, project) -> Decimal:
        # Summed from the prefetched lines: no query per row.
        total = sum((line.amount for line in project.budget_lines.all()), Decimal("0"))
        return serializers.DecimalField(**MONEY).to_representation(total)

    @extend_schema_field(PlanChainNodeSerializer(many=True))
    def get_chain(self, project):
        return PlanChainNodeSerializer([n for n in project.chain() if n is not None], many=True).data


class ProvinceTotalSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_("Workstream code, project class, fiscal year or source of funds"))
    label = serializers.CharField()
    total = serializers.DecimalField(**MONEY)


class ProvincePlanTotalsSerializer(serializers.Serializer):
    tambon_plans = serializers.IntegerField(help_text=_("Accepted or endorsed tambon plans counted"))
    total = serializers.DecimalField(**MONEY)
    by_workstream = ProvinceTotalSerializer(many=True)
    by_class = ProvinceTotalSerializer(many=True)
    by_fiscal_year = ProvinceTotalSerializer(many=True)
    by_source = ProvinceTotalSerializer(many=True)


class ProvincePlanSerializer(serializers.ModelSerializer):
    province = PlanAreaSerializer(read_only=True)
    updated_by = serializers.StringRelatedField(read_only=True, allow_null=True)
    totals = serializers.SerializerMethodField(
        help_text=_("Computed from the accepted and endorsed tambon plans of the province and period")
    )

    class Meta:
        model = ProvincePlan
        fields = [
            "id",
            "province",
            "period_start_be",
            "period_end_be",
            "narrative",
            "priorities",
            "totals",
            "revision",
            "updated_by",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ProvincePlanTotalsSerializer)
    def get_totals(self, plan):
        # The viewset computes the totals of a whole page at once and passes them in the context.
        return ProvincePlanTotalsSerializer(self.context["totals"][plan.pk]).data


# Writes


class TambonPlanProfileSerializer(serializers.Serializer):
    """The profile, community capital and vision fields people write; all optional."""

    households = WholeNumberField(required=False, allow_null=True)
    population = WholeNumberField(required=False, allow_null=True)
    main_occupations = serializers.CharField(required=False, allow_blank=True)
    average_household_income = NumberField(required=False, allow_null=True, help_text=_("Baht per year"), **MONEY)
    average_household_debt = NumberField(required=False, allow_null=True, help_text=_("Baht"), **MONEY)
    basic_needs = serializers.CharField(required=False, allow_blank=True)
    capital_people = serializers.CharField(required=False, allow_blank=True)
    capital_resources = serializers.CharField(required=False, allow_blank=True)
    capital_groups = serializers.CharField(required=False, allow_blank=True)
    capital_organizations = serializers.CharField(required=False, allow_blank=True)
    vision = serializers.CharField(required=False, allow_blank=True)


class TambonPlanCreateSerializer(TambonPlanProfileSerializer):
    tambon = serializers.SlugRelatedField(
        slug_field="code", queryset=Subdistrict.objects.all(), help_text=_("Tambon DOPA code")
    )
    period_start_be = YearField(help_text=_("First year (B.E.)"))
    period_end_be = YearField(help_text=_("Last year (B.E.)"))


class TambonPlanUpdateSerializer(TambonPlanProfileSerializer):
    revision = serializers.IntegerField(help_text=_("The revision the change starts from; a stale one gets 409"))


class PlanProblemInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, default="")


class ProblemsUpdateSerializer(serializers.Serializer):
    revision = serializers.IntegerField(help_text=_("The revision the change starts from; a stale one gets 409"))
    problems = PlanProblemInputSerializer(many=True, help_text=_("Most pressing first: the order gives the rank"))


class PlanCommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class PlanReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text=_("Why the plan goes back to its writers"))


def _node_field(kind: str):
    return serializers.SlugRelatedField(slug_field="code", queryset=PlanNode.objects.filter(kind=kind, is_draft=False))


class ProjectWriteSerializer(serializers.Serializer):
    plan = serializers.IntegerField(required=False, help_text=_("Tambon plan id; required when creating"))
    revision = serializers.IntegerField(help_text=_("The plan's revision the change starts from; a stale one gets 409"))
    workstream = _node_field(NodeKind.WORKSTREAM)
    goal = _node_field(NodeKind.GOAL)
    programme = _node_field(NodeKind.PROGRAMME)
    project_class = serializers.ChoiceField(choices=ProjectClass.choices)
    name = serializers.CharField(max_length=300)
    rationale = serializers.CharField(required=False, allow_blank=True)
    objectives = serializers.CharField(required=False, allow_blank=True)
    targets = serializers.CharField(required=False, allow_blank=True)
    method = serializers.CharField(required=False, allow_blank=True)
    start_date = ThaiDateField(required=False, allow_null=True)
    end_date = ThaiDateField(required=False, allow_null=True)
    responsible_body = serializers.CharField(max_length=300, required=False, allow_blank=True)
    supporting_agencies = serializers.CharField(required=False, allow_blank=True)
    evaluation = serializers.CharField(required=False, allow_blank=True)
    expected_results = serializers.CharField(required=False, allow_blank=True)
    primary_target = serializers.SlugRelatedField(
        slug_field="code",
        queryset=PlanNode.objects.filter(kind=NodeKind.SUB_PLAN_TARGET, is_draft=False),
        required=False,
        allow_null=True,
        help_text=_("Code of the sub-plan target (Y1) the project serves first"),
    )
    secondary_targets = serializers.SlugRelatedField(
        slug_field="code",
        queryset=PlanNode.objects.filter(kind=NodeKind.SUB_PLAN_TARGET, is_draft=False),
        many=True,
        required=False,
        help_text=_("Codes of other sub-plan targets (Y1) it serves; replaces the list"),
    )
    budget_lines = ProjectBudgetLineSerializer(many=True, help_text=_("Replaces all the project's budget lines"))
    indicators = ProjectIndicatorSerializer(many=True, help_text=_("Replaces all the project's indicators"))

    def service_arguments(self, project: Project | None = None) -> dict:
        """Turn the validated input into save_project's arguments; a partial change keeps the lines not sent."""
        data = dict(self.validated_data)
        data.pop("plan", None)
        revision = data.pop("revision")
        lines = data.pop("budget_lines", None)
        indicators = data.pop("indicators", None)
        if lines is None:
            lines = [
                {"fiscal_year": b.fiscal_year, "source": b.source, "amount": b.amount}
                for b in project.budget_lines.all()
            ]
        if indicators is None:
            indicators = [
                {f: getattr(i, f) for f in ("name", "unit", "baseline", "target_value", "target_year_be")}
                for i in project.indicators.all()
            ]
        return {
            "expected_revision": revision,
            "data": data,
            "budget_lines": [BudgetLineInput(**line) for line in lines],
            "indicators": [IndicatorInput(**ind) for ind in indicators],
        }


class ProvincePlanUpdateSerializer(serializers.Serializer):
    revision = serializers.IntegerField(help_text=_("The revision the change starts from; a stale one gets 409"))
    narrative = serializers.CharField(allow_blank=True)
    priorities = serializers.CharField(allow_blank=True)
