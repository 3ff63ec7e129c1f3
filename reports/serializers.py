"""Explicit fields for reports over the REST API."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .models import Language, Report, ReportKind, ReportStatus, ScopeLevel


class ReportSerializer(serializers.ModelSerializer):
    scope_name = serializers.CharField(read_only=True)
    requested_by = serializers.StringRelatedField(read_only=True)
    files = serializers.SerializerMethodField(help_text=_("Download links of the PDF and Excel files once done"))

    class Meta:
        model = Report
        fields = [
            "id",
            "kind",
            "scope_level",
            "scope_key",
            "scope_name",
            "fiscal_year",
            "quarter",
            "language",
            "status",
            "status_reason",
            "progress",
            "attempts",
            "requested_by",
            "requested_at",
            "started_at",
            "finished_at",
            "data_fingerprint",
            "source_summary",
            "pdf_sha256",
            "xlsx_sha256",
            "files",
        ]
        read_only_fields = fields

    def get_files(self, report) -> dict[str, str]:
        if report.status != ReportStatus.DONE:
            return {}
        request = self.context.get("request")
        links = {fmt: reverse("report-files", args=[report.pk, fmt]) for fmt in ("pdf", "xlsx")}
        if request is not None:
            links = {fmt: request.build_absolute_uri(url) for fmt, url in links.items()}
        return links


class ReportRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReportKind.choices)
    scope_level = serializers.ChoiceField(choices=ScopeLevel.choices, default=ScopeLevel.COUNTRY)
    scope_code = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Region key, province group number, province DOPA code or workstream code; empty for the country"),
    )
    fiscal_year = serializers.IntegerField(help_text=_("Fiscal year in B.E., e.g. 2568"))
    quarter = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text=_("1–4; required for the quarterly progress report")
    )
    language = serializers.ChoiceField(choices=Language.choices, default=Language.THAI)
