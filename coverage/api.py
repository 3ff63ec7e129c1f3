"""REST API: what serves a plan item (cursor-paginated projects and a summary) and the coverage; JSON or CSV."""

import re

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from codi_plans.api import require
from codi_plans.thai_calendar import current_fiscal_year
from indicators.renderers import CsvResponses
from progress.selectors import project_progress
from strategies.models import PlanNode
from workstreams.models import Project

from . import permissions, selectors
from .filters import CoverageFilter, ServedByFilter
from .serializers import (
    CoverageItemSerializer,
    DrillSummarySerializer,
    ServedProjectSerializer,
    ShareRowSerializer,
)

CODE = OpenApiParameter("code", str, OpenApiParameter.PATH, description="Plan item code, e.g. WS-ECONOMY-G1-P1")


class CsvApi(CsvResponses):
    """JSON or CSV (?format=csv); errors stay JSON; a CSV page names the next one in a Link header."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require(permissions.can_view_coverage(request.user), _("Your account has no working area."))

    def choice(self):
        """The fiscal year and the area the query names (400 on a bad value, 403 on an area outside yours)."""
        filterset = self.filterset_class(self.request.query_params, queryset=self.get_queryset(), request=self.request)
        if not filterset.is_valid():
            raise exceptions.ValidationError(filterset.errors)
        data = filterset.form.cleaned_data
        area = selectors.resolve_area(
            self.request.user,
            region=data.get("region") or "",
            province_group=data.get("province_group"),
            province=data.get("province") or "",
            district=data.get("district") or "",
        )
        return data.get("fiscal_year") or current_fiscal_year(), area, data


class ServedByPagination(CursorPagination):
    ordering = "id"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000

    def decode_cursor(self, request):
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None and not re.fullmatch(r"[0-9]{1,18}", cursor.position):
            raise NotFound(self.invalid_cursor_message)
        return cursor


def _ref(area) -> dict:
    return {"code": area.code, "name": area.name}


def _money(money) -> dict:
    return {"planned": money.planned, "requested": money.requested, "approved": money.approved, "spent": money.spent}


def _project_row(project, figure, money) -> dict:
    tambon = project.plan.tambon
    return {
        "id": project.pk,
        "plan": project.plan_id,
        "number": project.number,
        "name": project.name,
        "tambon": _ref(tambon),
        "district": _ref(tambon.district),
        "province": _ref(tambon.province),
        "workstream": project.workstream.code,
        "goal": project.goal.code,
        "programme": project.programme.code,
        "progress": {
            "reported": figure.reported,
            "quarter": figure.quarter,
            "activity_status": figure.activity_status,
            "percent": figure.percent,
            "stopped": figure.stopped,
            "spent_reported": figure.spent_total,
        },
        "money": _money(money),
    }


def _group(group) -> dict:
    progress = group.progress
    return {
        "code": group.code,
        "name": group.label,
        "projects": group.projects,
        "tambons": group.tambons,
        "progress": {
            "projects": progress.projects,
            "reported": progress.reported,
            "reporting_rate": progress.reporting_rate,
            "percent": progress.percent,
            "stopped": progress.stopped,
            "spent_reported": progress.spent_total,
        },
        "money": _money(group.money),
    }


@extend_schema_view(
    list=extend_schema(
        summary="Projects serving a plan item, with their money and progress (cursor-paginated; JSON or CSV)",
        parameters=[CODE],
        responses=ServedProjectSerializer(many=True),
    ),
)
class ServedByViewSet(CsvApi, viewsets.GenericViewSet):
    """What serves a plan item: the tambon projects of accepted plans covering the fiscal year, in your area."""

    serializer_class = ServedProjectSerializer
    filterset_class = ServedByFilter
    pagination_class = ServedByPagination
    queryset = Project.objects.none()

    def node(self) -> PlanNode:
        return get_object_or_404(PlanNode.objects.visible_to(self.request.user), code=self.kwargs["code"])

    def get_queryset(self):
        return Project.objects.visible_to(self.request.user)

    def filter_queryset(self, queryset):
        return queryset  # the selectors filter (see choice())

    def list(self, request, code=None):
        node = self.node()
        fiscal_year, area, _data = self.choice()
        projects = selectors.served_projects(request.user, node, fiscal_year=fiscal_year, area=area)
        page = self.paginate_queryset(
            projects.order_by("id").select_related(
                "plan__tambon__district", "plan__tambon__province", "workstream", "goal", "programme"
            )
        )
        ids = Project.objects.filter(pk__in=[p.pk for p in page])
        figures = project_progress(ids, fiscal_year)
        money = selectors.project_money(ids, fiscal_year)
        rows = [_project_row(p, figures[p.pk], money.get(p.pk, selectors.Money()).rounded()) for p in page]
        return self.get_paginated_response(ServedProjectSerializer(rows, many=True).data)

    @extend_schema(
        summary="What serves a plan item, added up: total, by plan item below it and by area",
        parameters=[CODE],
        responses=DrillSummarySerializer,
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def summary(self, request, code=None):
        node = self.node()
        fiscal_year, area, _data = self.choice()
        drill = selectors.drill(request.user, node, fiscal_year=fiscal_year, area=area)
        body = {
            "plan_item": node.code,
            "fiscal_year": fiscal_year,
            "area_level": area.level,
            "area_code": area.code,
            "total": _group(drill.total),
            "by_plan_item": [_group(g) for g in drill.by_plan],
            "by_area_level": area.child_level,
            "by_area": [_group(g) for g in drill.by_area],
        }
        if request.accepted_renderer.format == "csv":
            rows = [{"row": "total", **body["total"]}]
            rows += [{"row": "plan_item", **g} for g in body["by_plan_item"]]
            rows += [{"row": area.child_level, **g} for g in body["by_area"]]
            return Response(rows)
        return Response(DrillSummarySerializer(body).data)


@extend_schema_view(
    list=extend_schema(
        summary="Coverage: the plan in force's national targets, master plans, goals and programmes, and their holes",
        responses=CoverageItemSerializer(many=True),
    ),
)
class CoverageViewSet(CsvApi, viewsets.GenericViewSet):
    """Which items of the plan in force have no tambon project, no budget request or no result this fiscal year."""

    serializer_class = CoverageItemSerializer
    filterset_class = CoverageFilter
    pagination_class = None
    queryset = PlanNode.objects.none()

    def get_queryset(self):
        return PlanNode.objects.none()

    def filter_queryset(self, queryset):
        return queryset

    def list(self, request):
        fiscal_year, area, data = self.choice()
        result = selectors.coverage(request.user, fiscal_year=fiscal_year, area=area)
        gap = data.get("gap")
        rows = [
            {
                "code": item.node.code,
                "kind": item.node.kind,
                "group": item.group,
                "official_code": item.node.official_code,
                "name": item.node.name,
                "projects": item.projects,
                "has_project": item.has_project,
                "has_request": item.has_request,
                "has_result": item.has_result,
                "gaps": item.gaps,
            }
            for item in result.items
            if not gap or gap in item.gaps
        ]
        return Response(CoverageItemSerializer(rows, many=True).data)

    @extend_schema(
        summary="Each area's share of the projects of each workstream (areas one level below the one named)",
        responses=ShareRowSerializer(many=True),
    )
    @action(detail=False, methods=["get"])
    def shares(self, request):
        fiscal_year, area, _data = self.choice()
        result = selectors.coverage(request.user, fiscal_year=fiscal_year, area=area)
        rows = []
        for row in result.shares:
            rows.append(
                {
                    "area_level": area.child_level,
                    "code": row.code,
                    "name": row.label,
                    "projects": row.total,
                    "workstreams": [
                        {"workstream": w.code, "projects": c, "share": s}
                        for w, c, s in zip(result.workstreams, row.counts, row.shares, strict=True)
                    ],
                }
            )
        if request.accepted_renderer.format == "csv":
            flat = []
            for row in rows:
                for cell in row["workstreams"]:
                    flat.append({k: v for k, v in row.items() if k != "workstreams"} | cell)
            return Response(flat)
        return Response(ShareRowSerializer(rows, many=True).data)


router = SimpleRouter()
router.register(r"plan-items/(?P<code>[^/.]{1,40})/served-by", ServedByViewSet, basename="coverage-served-by")
router.register("coverage", CoverageViewSet, basename="coverage")
