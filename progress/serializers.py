"""What the progress API reads and writes. Numbers and years are read the Thai way (codi_plans.serializer_fields)."""

from django.urls import reverse
from rest_framework import serializers

from codi_plans.serializer_fields import NumberField, WholeNumberField, YearField
from workstreams.models import FundingSource

from .models import ActivityStatus, IndicatorActual, ProgressEvidence, ProgressSpending, ProjectProgress


class ActualSerializer(serializers.ModelSerializer):
    indicator = serializers.IntegerField(source="indicator_id", help_text="Project indicator id")

    class Meta:
        model = IndicatorActual
        fields = ["indicator", "value"]


class SpendingSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressSpending
        fields = ["source", "amount"]


class EvidenceSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ProgressEvidence
        fields = ["id", "kind", "uploaded_at", "url"]

    def get_url(self, obj) -> str:
        return reverse("progress:evidence", args=[obj.pk])


class ProgressSerializer(serializers.ModelSerializer):
    project_name = serializers.CharField(source="project.name", read_only=True)
    tambon = serializers.CharField(source="project.plan.tambon.code", read_only=True, help_text="Tambon DOPA code")
    province = serializers.CharField(
        source="project.plan.tambon.province.code", read_only=True, help_text="Province DOPA code"
    )
    workstream = serializers.CharField(source="project.workstream.code", read_only=True)
    programme = serializers.CharField(source="project.programme.code", read_only=True)
    approved_by = serializers.CharField(source="approved_by.username", read_only=True, allow_null=True, default=None)
    actuals = ActualSerializer(many=True, read_only=True)
    spending = SpendingSerializer(many=True, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = ProjectProgress
        fields = [
            "id",
            "project",
            "project_name",
            "tambon",
            "province",
            "workstream",
            "programme",
            "fiscal_year",
            "quarter",
            "activity_status",
            "stop_reason",
            "note",
            "status",
            "status_reason",
            "revision",
            "approved_by",
            "approved_at",
            "updated_at",
            "actuals",
            "spending",
            "evidence",
        ]
        read_only_fields = fields


class ActualInSerializer(serializers.Serializer):
    indicator = WholeNumberField(min_value=1, max_value=2**31 - 1, help_text="Project indicator id")
    value = NumberField(max_digits=14, decimal_places=2, allow_null=True, help_text="Actual value (≥ 0)")


class SpendingInSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=FundingSource.choices)
    amount = NumberField(max_digits=14, decimal_places=2, allow_null=True, help_text="Baht spent in the quarter")


class ProgressContentSerializer(serializers.Serializer):
    activity_status = serializers.ChoiceField(choices=ActivityStatus.choices)
    stop_reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    actuals = ActualInSerializer(many=True, required=False, max_length=200)
    spending = SpendingInSerializer(many=True, required=False, max_length=len(FundingSource.values))


class ProgressCreateSerializer(ProgressContentSerializer):
    project = WholeNumberField(min_value=1, max_value=2**31 - 1, help_text="Project id")
    fiscal_year = YearField(help_text="Fiscal year (B.E.)")
    quarter = WholeNumberField(min_value=1, max_value=4)
    submit = serializers.BooleanField(default=False, help_text="Submit for review at once")


class ProgressUpdateSerializer(ProgressContentSerializer):
    revision = serializers.IntegerField(min_value=1, help_text="The revision you edited (optimistic lock)")
    submit = serializers.BooleanField(default=False)


class ProgressAmendSerializer(ProgressContentSerializer):
    revision = serializers.IntegerField(min_value=1, help_text="The revision you amended (optimistic lock)")
    reason = serializers.CharField(max_length=2000, help_text="Why the approved report changes")


class ProgressRevisionSerializer(serializers.Serializer):
    revision = serializers.IntegerField(required=False, min_value=1, help_text="The revision you reviewed")


class ProgressReasonSerializer(ProgressRevisionSerializer):
    reason = serializers.CharField(max_length=2000)


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A photo (JPEG, PNG, WebP) or a PDF")
    revision = serializers.IntegerField(required=False, min_value=1)
