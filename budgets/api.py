from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from areas.models import Province
from codi_plans.api import require
from codi_plans.converters import is_code
from codi_plans.thai_calendar import MAX_BE_YEAR, MIN_BE_YEAR, current_fiscal_year

from . import permissions, services
from . import serializers as s
from .consolidation import consolidate
from .filters import BudgetCeilingFilter, BudgetRequestFilter, DevelopmentPlanFilter
from .models import (
    BudgetCeiling,
    BudgetRequest,
    DevelopmentIndicator,
    DevelopmentIssue,
    MonitoringRecord,
    ProvincialDevelopmentPlan,
    RequestTransition,
    SpendingActivity,
)


class DevelopmentPlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Provincial and province-group development plans with their target indicators and numbered issues."""

    queryset = ProvincialDevelopmentPlan.objects.all()
    serializer_class = s.DevelopmentPlanSerializer
    filterset_class = DevelopmentPlanFilter

    def get_queryset(self):
        return (
            ProvincialDevelopmentPlan.objects.visible_to(self.request.user)
            .select_related("province", "province_group")
            .prefetch_related(
                "indicators",
                Prefetch(
                    "issues",
                    DevelopmentIssue.objects.prefetch_related(
                        "aligns_to", Prefetch("indicators", DevelopmentIndicator.objects.order_by("id"))
                    ),
                ),
            )
        )


class BudgetCeilingViewSet(viewsets.ReadOnlyModelViewSet):
    """Ceilings per province and per workstream and fiscal year."""

    queryset = BudgetCeiling.objects.all()
    serializer_class = s.BudgetCeilingSerializer
    filterset_class = BudgetCeilingFilter

    def get_queryset(self):
        return BudgetCeiling.objects.visible_to(self.request.user).select_related("province", "workstream")


class BudgetRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Area-based budget requests: content, workflow moves, spending plan, actuals and monitoring."""

    queryset = BudgetRequest.objects.all()
    serializer_class = s.BudgetRequestSerializer
    filterset_class = BudgetRequestFilter

    def get_queryset(self):
        return (
            BudgetRequest.objects.visible_to(self.request.user)
            .with_pilot_flag()
            .with_overspending_flag()
            .select_related("province", "workstream", "programme", "national_target")
            .prefetch_related(
                "projects__plan__tambon",
                "indicators",
                "expense_lines",
                Prefetch("transitions", RequestTransition.objects.select_related("by")),
                Prefetch("monitoring", MonitoringRecord.objects.select_related("recorded_by")),
                Prefetch("activities", SpendingActivity.objects.prefetch_related("plan_lines", "actuals")),
            )
        )

    def _fresh(self, request_obj, code=status.HTTP_200_OK):
        obj = get_object_or_404(self.get_queryset(), pk=request_obj.pk)
        return Response(s.BudgetRequestSerializer(obj, context=self.get_serializer_context()).data, status=code)

    def _checked(self, check):
        """Fetch the request (404 when not visible), then let the permission check refuse it (403, saying why)."""
        obj = self.get_object()
        check(self.request.user, obj)
        return obj

    def _allowed(self, predicate, message):
        """Fetch the request (404 when not visible), then refuse (403) before the body is read.

        The predicate is the one the service enforces; the service still checks it (and the status) itself.
        """
        obj = self.get_object()
        require(predicate(self.request.user, obj), message)
        return obj

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @staticmethod
    def _content(data):
        return {
            "data": {k: v for k, v in data.items() if k in services.REQUEST_FIELDS},
            "projects": data.get("projects", []),
            "indicators": [services.IndicatorInput(**i) for i in data.get("indicators", [])],
            "expense_lines": [services.ExpenseInput(**e) for e in data.get("expense_lines", [])],
        }

    @extend_schema(request=s.BudgetRequestWriteSerializer, responses=s.BudgetRequestSerializer)
    def create(self, request, *args, **kwargs):
        raw = request.data.get("province") if isinstance(request.data, dict) else None
        # DOPA codes are digits; anything else (even a NUL character) is left to the body validation.
        province = Province.objects.filter(code=raw).first() if isinstance(raw, str) and raw.isdecimal() else None
        if province is not None:
            require(
                permissions.can_write_budget_request_for(request.user, province),
                _("You may not write budget requests for this province."),
            )
        data = self._input(s.BudgetRequestWriteSerializer)
        if "province" not in data or "fiscal_year" not in data:
            raise ValidationError({"province": _("Give the province and the fiscal year of a new request.")})
        obj = services.create_budget_request(
            by=request.user, province=data["province"], fiscal_year=data["fiscal_year"], **self._content(data)
        )
        return self._fresh(obj, status.HTTP_201_CREATED)

    @extend_schema(request=s.BudgetRequestWriteSerializer, responses=s.BudgetRequestSerializer)
    def update(self, request, pk=None):
        obj = self._allowed(permissions.can_write_budget_request, _("You may not change this budget request."))
        data = self._input(s.BudgetRequestWriteSerializer)
        services.update_budget_request(
            request=obj, by=request.user, expected_revision=data.get("revision"), **self._content(data)
        )
        return self._fresh(obj)

    @extend_schema(request=s.RequestCommentSerializer, responses=s.BudgetRequestSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        obj = self._allowed(permissions.can_write_budget_request, _("You may not submit this budget request."))
        data = self._input(s.RequestCommentSerializer)
        return self._fresh(services.submit_budget_request(request=obj, by=request.user, **data))

    @extend_schema(request=s.RequestReasonSerializer, responses=s.BudgetRequestSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_to_draft(self, request, pk=None):
        obj = self._allowed(permissions.can_return_budget_request, _("You may not return this budget request."))
        data = self._input(s.RequestReasonSerializer)
        return self._fresh(services.return_budget_request(request=obj, by=request.user, **data))

    @extend_schema(request=s.RequestPrioritiseSerializer, responses=s.BudgetRequestSerializer)
    @action(detail=True, methods=["post"])
    def prioritise(self, request, pk=None):
        obj = self._checked(permissions.check_prioritise_budget_request)
        data = self._input(s.RequestPrioritiseSerializer)
        return self._fresh(services.prioritise_budget_request(request=obj, by=request.user, **data))

    @extend_schema(request=s.RequestCommentSerializer, responses=s.BudgetRequestSerializer)
    @action(detail=True, methods=["post"])
    def forward(self, request, pk=None):
        obj = self._checked(permissions.check_prioritise_budget_request)
        data = self._input(s.RequestCommentSerializer)
        return self._fresh(services.forward_budget_request(request=obj, by=request.user, **data))

    @extend_schema(request=s.RequestApproveSerializer, responses=s.BudgetRequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        obj = self._checked(permissions.check_approve_budget_request)
        data = self._input(s.RequestApproveSerializer)
        return self._fresh(services.approve_budget_request(request=obj, by=request.user, **data))

    @extend_schema(request=s.RequestReasonSerializer, responses=s.BudgetRequestSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        obj = self._allowed(permissions.can_decide_budget_request, _("Only CODI central staff reject budget requests."))
        data = self._input(s.RequestReasonSerializer)
        return self._fresh(services.reject_budget_request(request=obj, by=request.user, **data))

    @extend_schema(request=s.SpendingPlanSerializer, responses=s.BudgetRequestSerializer)
    @action(detail=True, methods=["put"], url_path="spending-plan")
    def spending_plan(self, request, pk=None):
        obj = self._allowed(permissions.can_run_budget_request, _("You may not enter this request's spending plan."))
        data = self._input(s.SpendingPlanSerializer)
        activities = [
            services.ActivityInput(
                a["name"], a["unit"], a["category"], [services.PeriodInput(**p) for p in a["periods"]]
            )
            for a in data["activities"]
        ]
        services.save_spending_plan(
            request=obj, by=request.user, expected_revision=data["revision"], activities=activities
        )
        return self._fresh(obj)

    @extend_schema(request=s.RequestCommentSerializer, responses=s.BudgetRequestSerializer)
    @action(detail=True, methods=["post"], url_path="start-execution")
    def start_execution(self, request, pk=None):
        obj = self._allowed(permissions.can_run_budget_request, _("You may not start this request's execution."))
        data = self._input(s.RequestCommentSerializer)
        return self._fresh(services.start_execution(request=obj, by=request.user, **data))

    @extend_schema(request=s.SpendingActualsSerializer, responses=s.BudgetRequestSerializer)
    @action(detail=True, methods=["post"])
    def actuals(self, request, pk=None):
        obj = self._allowed(permissions.can_run_budget_request, _("You may not record this request's actuals."))
        data = self._input(s.SpendingActualsSerializer)
        rows = [
            services.ActualInput(r["activity"], r["quantity"], r["amount"], r.get("month"), r["explanation"])
            for r in data["rows"]
        ]
        return self._fresh(
            services.record_actuals(
                request=obj,
                by=request.user,
                expected_revision=data["revision"],
                quarter=data["quarter"],
                rows=rows,
            )
        )

    @extend_schema(request=s.QuarterlyMonitoringSerializer, responses=s.BudgetRequestSerializer)
    @action(detail=True, methods=["post"])
    def monitoring(self, request, pk=None):
        obj = self._allowed(permissions.can_run_budget_request, _("You may not report on this request."))
        data = self._input(s.QuarterlyMonitoringSerializer)
        services.record_quarterly_monitoring(request=obj, by=request.user, **data)
        return self._fresh(obj)

    @extend_schema(request=s.ExPostEvaluationSerializer, responses=s.BudgetRequestSerializer)
    @action(detail=True, methods=["post"], url_path="ex-post")
    def ex_post(self, request, pk=None):
        obj = self._allowed(permissions.can_run_budget_request, _("You may not evaluate this request."))
        data = self._input(s.ExPostEvaluationSerializer)
        services.record_ex_post_evaluation(request=obj, by=request.user, **data)
        return self._fresh(obj)

    @extend_schema(request=s.RequestCommentSerializer, responses=s.BudgetRequestSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        obj = self._allowed(permissions.can_run_budget_request, _("You may not close this request."))
        data = self._input(s.RequestCommentSerializer)
        return self._fresh(services.close_budget_request(request=obj, by=request.user, **data))


class BudgetConsolidationViewSet(viewsets.ViewSet):
    """Requested, approved and spent totals of a fiscal year by area, workstream and national target."""

    @extend_schema(
        parameters=[
            OpenApiParameter("fiscal_year", int, description="Fiscal year (B.E.); the current one by default"),
            OpenApiParameter("province", str, description="DOPA code of one province"),
        ],
        responses=s.ConsolidationSerializer,
    )
    def list(self, request):
        raw = request.query_params.get("fiscal_year") or current_fiscal_year()
        try:
            fiscal_year = int(raw)
        except (TypeError, ValueError):
            fiscal_year = None
        if fiscal_year is None or not MIN_BE_YEAR <= fiscal_year <= MAX_BE_YEAR:
            raise ValidationError({"fiscal_year": _("Give the fiscal year in the Buddhist Era, e.g. 2570.")})
        province = request.query_params.get("province") or None
        if province is not None and not is_code(province):
            raise ValidationError({"province": _("Unknown code %(code)s.") % {"code": province}})
        result = consolidate(user=request.user, fiscal_year=fiscal_year, province_code=province)
        return Response(s.ConsolidationSerializer(result).data)


router = SimpleRouter()
router.register("development-plans", DevelopmentPlanViewSet)
router.register("budget-ceilings", BudgetCeilingViewSet)
router.register("budget-requests", BudgetRequestViewSet)
router.register("budget-consolidation", BudgetConsolidationViewSet, basename="budget-consolidation")

# Fair distribution (budgets/api_fairness.py).
from .api_fairness import FairnessViewSet  # noqa: E402

router.register("fairness", FairnessViewSet, basename="fairness")
