"""REST endpoints for reports: list and read the reports a user may see, ask for one, download its files."""

from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from . import services
from .filters import ReportFilter
from .models import Report, ReportStatus
from .scopes import parse_scope
from .serializers import ReportRequestSerializer, ReportSerializer
from .views import CONTENT_TYPES


class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Budget Bureau reports (before, during, after) as PDF and Excel, built by Celery from a frozen snapshot."""

    serializer_class = ReportSerializer
    filterset_class = ReportFilter

    def get_queryset(self):
        return Report.objects.visible_to(self.request.user).select_related(
            "region", "province_group", "province", "workstream", "requested_by"
        )

    @extend_schema(
        request=ReportRequestSerializer,
        responses={
            201: ReportSerializer,
            200: OpenApiResponse(ReportSerializer, description=_("The same report on the same data already exists")),
        },
    )
    def create(self, request, *args, **kwargs):
        """Ask for a report; asking again on the same data returns the existing report (200)."""
        data = ReportRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        report, created = services.request_report(
            kind=values["kind"],
            scope=parse_scope(values["scope_level"], values["scope_code"] or None),
            fiscal_year=values["fiscal_year"],
            quarter=values["quarter"],
            language=values["language"],
            by=request.user,
        )
        fresh = self.get_queryset().get(pk=report.pk)
        return Response(
            self.get_serializer(fresh).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path=r"files/(?P<fmt>pdf|xlsx)", url_name="files")
    def files(self, request, pk=None, fmt=None):
        """Download a finished report's PDF or Excel file."""
        report = get_object_or_404(self.get_queryset(), pk=pk)
        if report.status != ReportStatus.DONE:
            raise Http404
        field = report.pdf_file if fmt == "pdf" else report.xlsx_file
        return FileResponse(
            field.open("rb"),
            as_attachment=True,
            filename=services.file_names(report)[fmt],
            content_type=CONTENT_TYPES[fmt],
        )


router = SimpleRouter()
router.register("reports", ReportViewSet, basename="report")
