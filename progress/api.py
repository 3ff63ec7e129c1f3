"""REST API for project progress reports: list (cursor-paginated, declared filters, JSON or CSV), detail, and
create / update / submit / approve / return / amend / evidence through the same services and permissions as
the pages."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from codi_plans.api import require
from indicators.api import ApiBase, ResultCursorPagination

from . import permissions, selectors, services
from .filters import ProgressFilter
from .models import ProjectProgress
from .serializers import (
    EvidenceSerializer,
    EvidenceUploadSerializer,
    ProgressAmendSerializer,
    ProgressCreateSerializer,
    ProgressReasonSerializer,
    ProgressRevisionSerializer,
    ProgressSerializer,
    ProgressUpdateSerializer,
)


def _input(data: dict) -> services.ProgressInput:
    return services.ProgressInput(
        activity_status=data["activity_status"],
        stop_reason=data.get("stop_reason", ""),
        note=data.get("note", ""),
        actuals={a["indicator"]: a["value"] for a in data.get("actuals", [])},
        spending={s["source"]: s["amount"] for s in data.get("spending", [])},
    )


class ProgressPagination(ResultCursorPagination):
    page_size = 100


@extend_schema_view(
    list=extend_schema(summary="List project progress reports (cursor-paginated; JSON or CSV)"),
    retrieve=extend_schema(summary="One progress report"),
    create=extend_schema(
        summary="Report a project's quarter (draft, or submitted with submit=true)",
        request=ProgressCreateSerializer,
        responses={201: ProgressSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a draft or returned report (its whole content, with its revision)",
        request=ProgressUpdateSerializer,
        responses=ProgressSerializer,
    ),
    update=extend_schema(
        summary="Change a draft or returned report (its whole content, with its revision)",
        request=ProgressUpdateSerializer,
        responses=ProgressSerializer,
    ),
)
class ProgressViewSet(
    ApiBase,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Quarterly progress of tambon projects. Only approved reports count in the roll-ups."""

    serializer_class = ProgressSerializer
    filterset_class = ProgressFilter
    pagination_class = ProgressPagination
    queryset = ProjectProgress.objects.none()
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_queryset(self):
        return (
            ProjectProgress.objects.visible_to(self.request.user)
            .select_related(
                "project__plan__tambon__province", "project__workstream", "project__programme", "approved_by"
            )
            .prefetch_related("actuals", "spending", "evidence")
        )

    def _out(self, report):
        return ProgressSerializer(self.get_queryset().get(pk=report.pk)).data

    def create(self, request, *args, **kwargs):
        data = ProgressCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        project = get_object_or_404(selectors.reportable_projects(request.user), pk=v["project"])
        require(
            permissions.can_report_project(request.user, project), _("You may not report progress for this project.")
        )
        if ProjectProgress.objects.filter(project=project, fiscal_year=v["fiscal_year"], quarter=v["quarter"]).exists():
            raise ValidationError(
                _("This project already has a report for this quarter; change it with PATCH and its revision."),
                code="duplicate",
            )
        report = services.save_report(
            project=project,
            fiscal_year=v["fiscal_year"],
            quarter=v["quarter"],
            data=_input(v),
            by=request.user,
            submit=v["submit"],
        )
        return Response(self._out(report), status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        report = self.get_object()
        require(permissions.can_report_project(request.user, report.project), _("You may not change this report."))
        data = ProgressUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        report = services.save_report(
            project=report.project,
            fiscal_year=report.fiscal_year,
            quarter=report.quarter,
            data=_input(v),
            by=request.user,
            expected_revision=v["revision"],
            submit=v["submit"],
        )
        return Response(self._out(report))

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    def _reviewed(self):
        report = self.get_object()
        require(permissions.can_review_report(self.request.user, report), _("You may not review this report."))
        return report

    @extend_schema(summary="Submit for review", request=ProgressRevisionSerializer, responses=ProgressSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        report = self.get_object()
        require(permissions.can_report_project(request.user, report.project), _("You may not submit this report."))
        data = ProgressRevisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.submit_report(
            report=report, by=request.user, expected_revision=data.validated_data.get("revision")
        )
        return Response(self._out(report))

    @extend_schema(
        summary="Approve: it counts from now on", request=ProgressRevisionSerializer, responses=ProgressSerializer
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        report = self._reviewed()
        permissions.check_approve_report(request.user, report)
        data = ProgressRevisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.approve_report(
            report=report, by=request.user, expected_revision=data.validated_data.get("revision")
        )
        return Response(self._out(report))

    @extend_schema(
        summary="Return for revision, with a reason", request=ProgressReasonSerializer, responses=ProgressSerializer
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        report = self._reviewed()
        data = ProgressReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        report = services.return_report(
            report=report, by=request.user, reason=v["reason"], expected_revision=v.get("revision")
        )
        return Response(self._out(report))

    @extend_schema(
        summary="Amend an approved report, with a reason (kept in history)",
        request=ProgressAmendSerializer,
        responses=ProgressSerializer,
    )
    @action(detail=True, methods=["post"])
    def amend(self, request, pk=None):
        report = self._reviewed()
        permissions.check_approve_report(request.user, report)
        data = ProgressAmendSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        report = services.amend_report(
            report=report, by=request.user, reason=v["reason"], expected_revision=v["revision"], data=_input(v)
        )
        return Response(self._out(report))

    @extend_schema(
        summary="Attach a photo or a PDF to a draft or returned report",
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses={201: EvidenceSerializer(many=True)},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def evidence(self, request, pk=None):
        report = self.get_object()
        require(permissions.can_edit_report(request.user, report), _("You may not add evidence to this report."))
        data = EvidenceUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        added = services.add_evidence(
            report=report,
            by=request.user,
            files=[data.validated_data["file"]],
            expected_revision=data.validated_data.get("revision"),
        )
        return Response(EvidenceSerializer(added, many=True).data, status=status.HTTP_201_CREATED)


router = SimpleRouter()
router.register("progress-reports", ProgressViewSet, basename="progress-report")
