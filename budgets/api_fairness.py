"""REST API of the fair-distribution view: /api/v1/fairness/ (measures, regions, groups), .../provinces/ and
.../tambons/ (JSON or CSV). Read-only, for every signed-in role, through the same visible_to rules as the
consolidation (budgets.fairness.fairness_for)."""

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from codi_plans.filters import BEYearFilter
from codi_plans.thai_calendar import current_fiscal_year
from indicators.renderers import CSVRenderer

from .fairness import fairness_for
from .models import BudgetRequest
from .views_fairness import workstream_choices


class FairnessFilter(django_filters.FilterSet):
    """The query parameters of every fairness endpoint (validated here; the figures are computed, not filtered)."""

    fiscal_year = BEYearFilter(help_text="Fiscal year (B.E.); the current one by default")
    workstream = django_filters.CharFilter(max_length=40, help_text="Code of a workstream, e.g. WS-ECONOMY")
    province = django_filters.CharFilter(max_length=2, help_text="DOPA code of a province (tambons only)")
    funded = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        help_text="Tambons with (true) or without (false) a funded project",
    )

    class Meta:
        model = BudgetRequest
        fields = ["fiscal_year", "workstream", "province", "funded"]


PARAMETERS = [
    OpenApiParameter("fiscal_year", int, description="Fiscal year (B.E.); the current one by default"),
    OpenApiParameter("workstream", str, description="Code of a workstream (e.g. WS-ECONOMY); all by default"),
]
TAMBON_PARAMETERS = [
    *PARAMETERS,
    OpenApiParameter("province", str, description="DOPA code of a province"),
    OpenApiParameter(
        "funded",
        str,
        enum=["true", "false"],
        description="true: tambons with a funded project; false: tambons without one",
    ),
]


class FairnessAreaSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="DOPA code (province, tambon), region key or group number")
    name = serializers.CharField()
    level = serializers.CharField()
    parent = serializers.CharField(help_text="Region key of a province; province code of a tambon")
    population = serializers.IntegerField(allow_null=True)
    households = serializers.IntegerField(allow_null=True)
    population_source = serializers.CharField(help_text='"official", "plans" (tambon plans\' profiles) or ""')
    tambons = serializers.IntegerField()
    tambons_with_population = serializers.IntegerField()
    funded_projects = serializers.IntegerField()
    requested = serializers.DecimalField(max_digits=20, decimal_places=2)
    approved = serializers.DecimalField(max_digits=20, decimal_places=2)
    spent = serializers.DecimalField(max_digits=20, decimal_places=2)
    requested_per_head = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    approved_per_head = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    spent_per_head = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    requested_per_household = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    approved_per_household = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    spent_per_household = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    requested_per_tambon = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    approved_per_tambon = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    spent_per_tambon = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    flag = serializers.CharField(help_text='"low" (below half the national rate), "high" (above double) or ""')


class LorenzPointSerializer(serializers.Serializer):
    population_share = serializers.DecimalField(max_digits=6, decimal_places=4)
    approved_share = serializers.DecimalField(max_digits=6, decimal_places=4)


class FairnessSummarySerializer(serializers.Serializer):
    fiscal_year = serializers.IntegerField()
    workstream = serializers.CharField(allow_null=True)
    national_rate = serializers.DecimalField(
        max_digits=20, decimal_places=2, allow_null=True, help_text="Approved per head over provinces with people"
    )
    gini_provinces = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)
    gini_tambons = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)
    decile_ratio = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    decile_k = serializers.IntegerField(help_text="Provinces in each of the highest and lowest deciles")
    decile_top_mean = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    decile_bottom_mean = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    approved_without_tambon = serializers.DecimalField(max_digits=20, decimal_places=2)
    flagged_provinces = serializers.ListField(child=serializers.CharField())
    unfunded_tambons = serializers.IntegerField()
    lorenz = LorenzPointSerializer(many=True)
    national = FairnessAreaSerializer()
    regions = FairnessAreaSerializer(many=True)
    province_groups = FairnessAreaSerializer(many=True)


class AreaListSerializer(serializers.Serializer):
    fiscal_year = serializers.IntegerField()
    workstream = serializers.CharField(allow_null=True)
    count = serializers.IntegerField()
    results = FairnessAreaSerializer(many=True)


class TambonPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = FairnessAreaSerializer(many=True)


class TambonPagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 10_000


class OneObjectSchema(AutoSchema):
    """Every fairness operation answers one object (the summary, or a page of rows), never a bare array."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class FairnessViewSet(viewsets.ViewSet):
    """Budget per tambon, per household and per head, and how evenly it is spread (Gini, decile ratio, Lorenz)."""

    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer]
    schema = OneObjectSchema()

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        renderer = getattr(response, "accepted_renderer", None)
        if renderer is not None and renderer.format == "csv" and (response.status_code >= 400 or self.action == "list"):
            # Errors and the summary (not a list of rows) stay JSON even when CSV was asked for.
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        return response

    def _params(self, request):
        filterset = FairnessFilter(request.query_params, queryset=BudgetRequest.objects.none())
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        data = filterset.form.cleaned_data
        year = data.get("fiscal_year") or current_fiscal_year()
        workstream = None
        if data.get("workstream"):
            workstream = workstream_choices(request.user, year).filter(code=data["workstream"]).first()
            if workstream is None:
                raise ValidationError(
                    {
                        "workstream": [
                            _("No budget request of this year you may see has the workstream %(code)s.")
                            % {"code": data["workstream"]}
                        ]
                    }
                )
        return year, workstream, data

    def _result(self, request):
        year, workstream, data = self._params(request)
        return fairness_for(user=request.user, fiscal_year=year, workstream=workstream), data

    @extend_schema(parameters=PARAMETERS, responses=FairnessSummarySerializer)
    def list(self, request):
        result, _data = self._result(request)
        summary = result.summary()
        body = {
            **summary,
            "national_rate": result.national.extra.get("rate"),
            "regions": [a.as_dict() for a in result.regions],
            "province_groups": [a.as_dict() for a in result.groups],
        }
        return Response(FairnessSummarySerializer(body).data)

    @extend_schema(parameters=PARAMETERS, responses=AreaListSerializer)
    @action(detail=False, methods=["get"])
    def provinces(self, request):
        result, _data = self._result(request)
        rows = [a.as_dict() for a in result.provinces]
        body = {
            "fiscal_year": result.fiscal_year,
            "workstream": getattr(result.workstream, "code", None),
            "count": len(rows),
            "results": rows,
        }
        return Response(AreaListSerializer(body).data)

    @extend_schema(
        parameters=[
            *TAMBON_PARAMETERS,
            OpenApiParameter("page", int, description="Page number (from 1)"),
            OpenApiParameter("page_size", int, description="Tambons per page (100 by default, at most 10,000)"),
        ],
        responses=TambonPageSerializer,
    )
    @action(detail=False, methods=["get"])
    def tambons(self, request):
        result, data = self._result(request)
        rows = result.tambons
        if data.get("province"):
            rows = [t for t in rows if t.parent == data["province"]]
        if data.get("funded"):
            funded = data["funded"] == "true"
            rows = [t for t in rows if bool(t.funded_projects) == funded]
        paginator = TambonPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(FairnessAreaSerializer([t.as_dict() for t in page], many=True).data)
