"""REST API for indicators, targets and results, with roll-ups; JSON or CSV, token or session auth.

Token holders are API-client accounts: read-only, and they see approved results only (see visible_to).
"""

import re
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from codi_plans.api import require
from codi_plans.converters import IdConverter, is_code
from codi_plans.thai_calendar import MAX_BE_YEAR, MIN_BE_YEAR, current_fiscal_year
from strategies.models import PlanNode
from strategies.selectors import latest_plan

from . import permissions, selectors, services
from .filters import IndicatorFilter, ResultFilter, TargetFilter
from .models import AREA_LEVELS, AreaLevel, Indicator, Result, Target, get_area
from .renderers import CsvResponses
from .serializers import (
    RESULT_VALUES,
    DrilldownSerializer,
    IndicatorSerializer,
    PlanProgressSerializer,
    ReasonSerializer,
    ResultChangeSerializer,
    ResultCreateSerializer,
    ResultSerializer,
    ResultUpdateSerializer,
    RevisionSerializer,
    TargetSerializer,
    TargetWriteSerializer,
)

# Throttles ---------------------------------------------------------------------------------------


class _LiveRate:
    def get_rate(self):
        # Read the rates at request time (DRF binds them at import), so settings changes apply.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class IndicatorAnonThrottle(_LiveRate, AnonRateThrottle):
    scope = "indicators_anon"


class IndicatorUserThrottle(_LiveRate, UserRateThrottle):
    scope = "indicators_user"


class ApiBase(CsvResponses):
    throttle_classes = [IndicatorAnonThrottle, IndicatorUserThrottle]


# Parameters --------------------------------------------------------------------------------------

BE_YEARS = (MIN_BE_YEAR, MAX_BE_YEAR)
ID_REGEX = IdConverter.regex

FISCAL_YEAR = OpenApiParameter(
    "fiscal_year", int, description="Fiscal year in B.E., e.g. 2570 (default: the current fiscal year)"
)
QUARTER = OpenApiParameter(
    "quarter",
    int,
    enum=[1, 2, 3, 4],
    description=(
        "Figures as at the end of this quarter (default: for the current fiscal year its latest quarter with "
        "approved results, else the current quarter; for another year 4, the whole year)"
    ),
)
AREA_PARAMS = [
    OpenApiParameter("region", str, description="Region key: the area to break down"),
    OpenApiParameter("province_group", int, description="Province group number: the area to break down"),
    OpenApiParameter("province", str, description="Province DOPA code: the area to break down"),
    OpenApiParameter("district", str, description="District DOPA code: the area to break down"),
]
BY = OpenApiParameter(
    "by",
    str,
    enum=[lvl.value for lvl in AREA_LEVELS[1:]],
    description="Level of the rows (default: one level below the area)",
)


def _int(request, name: str, *, required: bool = False, choices=None, default=None, bounds=None):
    raw = request.query_params.get(name)
    if raw in (None, ""):
        if required:
            raise ValidationError({name: _("This parameter is required.")})
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError({name: _("Enter a whole number.")}) from None
    if choices and value not in choices:
        raise ValidationError({name: _("Choose one of %(choices)s.") % {"choices": ", ".join(map(str, choices))}})
    if bounds and not bounds[0] <= value <= bounds[1]:
        raise ValidationError(
            {name: _("Give a number from %(low)s to %(high)s.") % {"low": bounds[0], "high": bounds[1]}}
        )
    return value


def _period(request) -> tuple[int, int]:
    """Read fiscal_year and quarter; by default the current fiscal year at its latest quarter with results."""
    fiscal_year = _int(request, "fiscal_year", bounds=BE_YEARS)
    if fiscal_year is None or fiscal_year == current_fiscal_year():
        fiscal_year, default_quarter = selectors.default_period()
    else:
        default_quarter = 4
    return fiscal_year, _int(request, "quarter", choices=(1, 2, 3, 4), default=default_quarter)


def _area_from_query(request) -> tuple[str, object]:
    """Return the most specific area the query names (district over province over group over region)."""
    for level in (AreaLevel.DISTRICT, AreaLevel.PROVINCE, AreaLevel.PROVINCE_GROUP, AreaLevel.REGION):
        code = request.query_params.get(level)
        if code:
            try:
                return level, get_area(level, code)
            except ValidationError:
                raise ValidationError({level: _("Unknown code %(code)s.") % {"code": code}}) from None
    return AreaLevel.COUNTRY, None


def _raw_area(request, default_level: str):
    """The (level, area) the raw body names, or None when it names none or names it wrongly (the body check says so)."""
    data = request.data if isinstance(request.data, dict) else {}
    if not data.get("area_level") and not data.get("area_code"):
        return None
    level, code = data.get("area_level") or default_level, data.get("area_code")
    if not isinstance(level, str) or (level != AreaLevel.COUNTRY and not (isinstance(code, str) and code)):
        return None
    try:
        return level, get_area(level, code)
    except (ValidationError, ValueError, TypeError):
        return None


# Viewsets ----------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="List indicator definitions"),
    retrieve=extend_schema(summary="One indicator definition"),
)
class IndicatorViewSet(ApiBase, viewsets.ReadOnlyModelViewSet):
    """Indicator definitions: what is measured, how it adds up, and where it sits in the plan."""

    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter
    lookup_field = "code"
    queryset = Indicator.objects.none()

    def get_queryset(self):
        return Indicator.objects.visible_to(self.request.user).with_chain()

    @extend_schema(
        summary="Roll-up of one indicator over an area",
        description=(
            "Approved results added up for an area (the country when no area is given) and for each area it is "
            "made of, as at the end of a fiscal quarter, with target, expected value, progress and status band. "
            "Every row's `drilldown` opens what it is made of."
        ),
        parameters=[FISCAL_YEAR, QUARTER, *AREA_PARAMS, BY],
        responses=DrilldownSerializer,
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def rollup(self, request, code=None):
        indicator = get_object_or_404(self.get_queryset(), code=code)
        fiscal_year, quarter = _period(request)
        level, area = _area_from_query(request)
        if AREA_LEVELS.index(level) > AREA_LEVELS.index(indicator.reporting_level):
            raise ValidationError(
                {level: _("This indicator is reported per %(level)s.") % {"level": indicator.reporting_level}}
            )
        by = request.query_params.get("by") or None
        if by is not None and by not in AreaLevel.values:
            raise ValidationError({"by": _("Unknown area level %(level)s.") % {"level": by}})
        data = selectors.drilldown(indicator, fiscal_year, quarter, level=level, area=area, by=by)
        context = {"drilldown_url": _drilldown_url(request, indicator, fiscal_year, quarter)}
        return Response(DrilldownSerializer(data, context=context).data)

    @extend_schema(
        summary="Progress up the plan tree",
        description=(
            "National progress of every indicator on a plan item and below it (for a national item: the CODI "
            "items that serve it), with a status-band summary for the item and for each of its parts."
        ),
        parameters=[
            OpenApiParameter(
                "plan_node",
                str,
                description="Plan item code (default: the CODI plan in force in the fiscal year, else the last one)",
            ),
            FISCAL_YEAR,
            QUARTER,
        ],
        responses=PlanProgressSerializer,
        filters=False,
    )
    @action(detail=False, methods=["get"], url_path="plan-progress", filter_backends=[], pagination_class=None)
    def plan_progress(self, request):
        fiscal_year, quarter = _period(request)
        code = request.query_params.get("plan_node")
        if not code:
            plan = latest_plan(fiscal_year)
            code = plan.code if plan is not None else "CODI-AP"
        node = PlanNode.objects.visible_to(request.user).filter(code=code).first() if is_code(code) else None
        if node is None:
            raise ValidationError({"plan_node": _("Unknown code %(code)s.") % {"code": code}})
        progress = selectors.plan_progress(node, fiscal_year, quarter)
        figure_url = _drilldown_url(request, None, fiscal_year, quarter)
        base = request.build_absolute_uri(reverse("indicator-plan-progress"))
        period = {"fiscal_year": fiscal_year, "quarter": quarter}
        data = {
            "plan_node": node.code,
            "fiscal_year": fiscal_year,
            "quarter": quarter,
            "summary": progress.summary,
            "indicators": [
                {
                    "indicator": i.code,
                    "name_th": i.name_th,
                    "name_en": i.name_en,
                    "plan_node": i.plan_node.code,
                    "figure": _tag(figure, i),
                }
                for i, figure in progress.items
            ],
            "parts": [
                {
                    "code": part.node.code,
                    "kind": part.node.kind,
                    "name_th": part.node.name_th,
                    "name_en": part.node.name_en,
                    "summary": part.summary,
                    "drilldown": base + "?" + urlencode({"plan_node": part.node.code, **period}),
                }
                for part in progress.children
            ],
        }
        serializer = PlanProgressSerializer(data, context={"drilldown_url": figure_url})
        return Response(serializer.data)


def _tag(figure, indicator):
    figure._indicator = indicator
    return figure


def _drilldown_url(request, indicator, fiscal_year: int, quarter: int):
    """Build the function giving each figure the URL of what it is made of."""

    def build(figure):
        ind = indicator or getattr(figure, "_indicator", None)
        if ind is None:
            return None
        area = figure.area
        if area.level != AreaLevel.COUNTRY and area.id is None:
            return None
        if figure.children_level:
            params = {"fiscal_year": fiscal_year, "quarter": quarter}
            if area.level != AreaLevel.COUNTRY:
                params[area.level] = area.code
            path = reverse("indicator-rollup", args=[ind.code])
        else:
            params = {"indicator": ind.code, "status": "approved"}
            if not ind.cumulative:
                params["fiscal_year"] = fiscal_year
            if area.level != AreaLevel.COUNTRY:
                params[area.level] = area.code
            path = reverse("result-list")
        return request.build_absolute_uri(f"{path}?{urlencode(params)}")

    return build


class ResultCursorPagination(CursorPagination):
    ordering = "id"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000

    def decode_cursor(self, request):
        # DRF checks the offset but passes the position (an id here) to the query as it came: "p=abc" was a 500.
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None and not re.fullmatch(ID_REGEX, cursor.position):
            raise NotFound(self.invalid_cursor_message)
        return cursor


@extend_schema_view(
    list=extend_schema(summary="List results (cursor-paginated; JSON or CSV)"),
    retrieve=extend_schema(summary="One result"),
    create=extend_schema(
        summary="Report a quarter's result (draft, or submitted with submit=true)",
        request=ResultCreateSerializer,
        responses={201: ResultSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a draft, returned or withdrawn result",
        request=ResultUpdateSerializer,
        responses=ResultSerializer,
    ),
)
class ResultViewSet(
    ApiBase,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Quarterly results per area. Only approved results count in official figures."""

    serializer_class = ResultSerializer
    filterset_class = ResultFilter
    pagination_class = ResultCursorPagination
    queryset = Result.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        results = Result.objects.visible_to(self.request.user)
        if self.action == "list":
            return results.values(*RESULT_VALUES)
        return results.for_api()

    def create(self, request, *args, **kwargs):
        named = _raw_area(request, AreaLevel.TAMBON)
        if named is not None:
            require(permissions.can_report_result(request.user, *named), _("You may not report results for this area."))
        data = ResultCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        area = get_area(v["area_level"], v["area_code"])
        result = services.create_result(
            indicator=v["indicator"],
            level=v["area_level"],
            area=area,
            fiscal_year=v["fiscal_year"],
            quarter=v["quarter"],
            value=v.get("value"),
            note=v.get("note", ""),
            evidence=v.get("evidence"),
            submit=v["submit"],
            by=request.user,
        )
        return Response(self._out(result), status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        result = self.get_object()
        require(
            permissions.can_report_result(request.user, result.level, result.area), _("You may not change this result.")
        )
        data = ResultUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        changes = {k: v[k] for k in ("value", "note", "evidence") if k in v}
        result = services.update_result(result=result, by=request.user, expected_revision=v.get("revision"), **changes)
        return Response(self._out(result))

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    def _out(self, result):
        return ResultSerializer(Result.objects.for_api().get(pk=result.pk)).data

    def _reported(self, message):
        """The result (404 when not visible), refused (403) unless the user may report for its area."""
        result = self.get_object()
        require(permissions.can_report_result(self.request.user, result.level, result.area), message)
        return result

    def _reviewed(self):
        """The result (404 when not visible), refused (403) unless the user may review it."""
        result = self.get_object()
        require(permissions.can_review_result(self.request.user, result), _("You may not review this result."))
        return result

    def _revision(self, request):
        serializer = RevisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data.get("revision")

    def _reason(self, request):
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data["reason"], serializer.validated_data.get("revision")

    @extend_schema(summary="Submit for review", request=RevisionSerializer, responses=ResultSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        result = self._reported(_("You may not submit this result."))
        result = services.submit_result(result=result, by=request.user, expected_revision=self._revision(request))
        return Response(self._out(result))

    @extend_schema(summary="Approve: it counts from now on", request=RevisionSerializer, responses=ResultSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        result = self._reviewed()
        permissions.check_approve_result(request.user, result)  # no one approves their own result
        result = services.approve_result(result=result, by=request.user, expected_revision=self._revision(request))
        return Response(self._out(result))

    @extend_schema(summary="Return for correction, with a reason", request=ReasonSerializer, responses=ResultSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        result = self._reviewed()
        reason, revision = self._reason(request)
        result = services.return_result(result=result, by=request.user, reason=reason, expected_revision=revision)
        return Response(self._out(result))

    @extend_schema(
        summary="Withdraw an approved result, with a reason", request=ReasonSerializer, responses=ResultSerializer
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        result = self._reviewed()
        reason, revision = self._reason(request)
        result = services.withdraw_result(result=result, by=request.user, reason=reason, expected_revision=revision)
        return Response(self._out(result))

    @extend_schema(
        summary="Correct an approved result, with a reason (kept in history)",
        request=ResultChangeSerializer,
        responses=ResultSerializer,
    )
    @action(detail=True, methods=["post"])
    def change(self, request, pk=None):
        result = self._reviewed()
        permissions.check_approve_result(request.user, result)
        data = ResultChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        changes = {k: v[k] for k in ("value", "note") if k in v}
        result = services.change_approved_result(
            result=result, by=request.user, expected_revision=v["revision"], reason=v["reason"], **changes
        )
        return Response(self._out(result))


@extend_schema_view(
    list=extend_schema(summary="List targets (JSON or CSV)"),
    retrieve=extend_schema(summary="One target"),
    create=extend_schema(
        summary="Set a target (changing an existing one needs its revision and a reason)",
        request=TargetWriteSerializer,
        responses={201: TargetSerializer},
    ),
)
class TargetViewSet(
    ApiBase, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Targets per fiscal year (and optional quarter) for the country or an area."""

    serializer_class = TargetSerializer
    filterset_class = TargetFilter
    queryset = Target.objects.none()

    def get_queryset(self):
        return (
            Target.objects.visible_to(self.request.user)
            .select_related(
                "indicator",
                "region",
                "province_group__region",
                "province__region",
                "province__group",
                "district",
                "tambon",
            )
            .order_by("id")
        )

    def create(self, request, *args, **kwargs):
        named = _raw_area(request, AreaLevel.COUNTRY)
        require(
            permissions.can_set_target(request.user, *named)
            if named is not None
            else permissions.can_set_targets(request.user),
            _("You may not set targets for this area."),
        )
        data = TargetWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        target = services.set_target(
            indicator=v["indicator"],
            level=v["area_level"],
            area=get_area(v["area_level"], v["area_code"]),
            fiscal_year=v["fiscal_year"],
            quarter=v["quarter"],
            value=v["value"],
            note=v["note"],
            reason=v["reason"],
            expected_revision=v.get("revision"),
            by=request.user,
        )
        target = self.get_queryset().get(pk=target.pk)
        return Response(TargetSerializer(target).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Remove a target, with a reason", request=ReasonSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        target = self.get_object()
        require(
            permissions.can_set_target(request.user, target.level, target.area),
            _("You may not set targets for this area."),
        )
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.remove_target(
            target=target,
            by=request.user,
            reason=data.validated_data["reason"],
            expected_revision=data.validated_data.get("revision"),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


router = SimpleRouter()
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("targets", TargetViewSet, basename="target")
router.register("results", ResultViewSet, basename="result")
