from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from codi_plans.serializer_fields import NumberField, WholeNumberField, YearField

from .directory import directory_for
from .models import (
    Aggregation,
    AreaLevel,
    Direction,
    Indicator,
    Measure,
    PlanLevel,
    Result,
    ResultStatus,
    Target,
    area_code,
)
from .selectors import Band, Reason

BANDS = [(b, str(label)) for b, label in Band.LABELS.items()]
REASON_HELP = (
    "Why band is null: no_target (no target set for the fiscal year, nor a declared straight line to a later one) "
    "or no_results (no approved result yet); null when there is a band"
)


def choice(choices, **kwargs):
    """A choice field documented with an inline enum, so no shared enum component can collide across apps."""
    schema = {"type": "string", "enum": [c[0] for c in choices]}
    if kwargs.get("allow_null"):
        schema["nullable"] = True

    @extend_schema_field(schema)
    class InlineChoiceField(serializers.ChoiceField):
        pass

    return InlineChoiceField(choices=choices, **kwargs)


def level_text(help_text: str, **kwargs):
    """An area level as plain text; the enum is documented once, on the `area_level` fields."""
    values = ", ".join(AreaLevel.values)
    return serializers.CharField(help_text=f"{help_text} (one of {values})", **kwargs)


# A target's or a result's figure and where and when it is set: the fields both serializers start with.
FIGURE_FIELDS = [
    "id",
    "indicator",
    "fiscal_year",
    "quarter",
    "area_level",
    "area_code",
    "area_name_th",
    "area_name_en",
    "tambon",
    "district",
    "province",
    "province_group",
    "region",
    "value",
    "note",
]


@extend_schema_serializer(component_name="IndicatorDefinition")
class IndicatorSerializer(serializers.ModelSerializer):
    plan_node = serializers.SlugRelatedField(slug_field="code", read_only=True)
    workstream = serializers.SerializerMethodField()
    measure = choice(Measure.choices, read_only=True)
    direction = choice(Direction.choices, read_only=True)
    aggregation = choice(Aggregation.choices, read_only=True)
    level = choice(PlanLevel.choices, read_only=True, help_text="Plan level the indicator belongs to")
    reporting_level = level_text("Area level results are reported for", read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "number",
            "name_th",
            "name_en",
            "definition_th",
            "definition_en",
            "unit_th",
            "unit_en",
            "measure",
            "direction",
            "aggregation",
            "cumulative",
            "condition_threshold",
            "baseline_value",
            "baseline_year",
            "level",
            "plan_node",
            "workstream",
            "project",
            "reporting_level",
            "is_active",
            "updated_at",
        ]

    def get_workstream(self, obj) -> str | None:
        ws = obj.workstream
        return ws.code if ws else None


class AreaSerializer(serializers.Serializer):
    level = level_text("Area level")
    code = serializers.CharField(help_text="Region key, group number or DOPA code; empty for the country")
    name_th = serializers.CharField()
    name_en = serializers.CharField()


def _area_fields(obj) -> dict:
    """The area of a target or result, and the areas above it, as public codes."""
    province = obj.province
    group = obj.province_group
    region = obj.region
    if province is not None:
        group, region = province.group, province.region
    elif group is not None:
        region = group.region
    area = obj.area
    return {
        "area_level": obj.level,
        "area_code": area_code(obj.level, area),
        "area_name_th": area.name_th if area is not None else "ทั้งประเทศ",
        "area_name_en": area.name_en if area is not None else "Whole country",
        "tambon": obj.tambon.code if obj.tambon_id else None,
        "district": obj.district.code if obj.district_id else None,
        "province": province.code if province is not None else None,
        "province_group": group.number if group is not None else None,
        "region": region.key if region is not None else None,
    }


class AreaFieldsMixin(serializers.Serializer):
    area_level = choice(AreaLevel.choices, read_only=True)
    area_code = serializers.CharField(read_only=True)
    area_name_th = serializers.CharField(read_only=True)
    area_name_en = serializers.CharField(read_only=True)
    tambon = serializers.CharField(read_only=True, allow_null=True, help_text="Tambon DOPA code")
    district = serializers.CharField(read_only=True, allow_null=True, help_text="District DOPA code")
    province = serializers.CharField(read_only=True, allow_null=True, help_text="Province DOPA code")
    province_group = serializers.IntegerField(read_only=True, allow_null=True, help_text="Province group number")
    region = serializers.CharField(read_only=True, allow_null=True, help_text="Region key")


def _decimal(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def _time(value) -> str | None:
    # What DRF's DateTimeField gives (ISO 8601 in the current time zone), without its per-value overhead.
    return None if value is None else timezone.localtime(value).isoformat()


# The list endpoint reads plain rows (QuerySet.values) joined only to the indicator, tambon and district;
# provinces, groups and regions come from the request's area directory (one small query). A 100-row page
# would otherwise build 700 model instances, and ten joined tables make PostgreSQL's planner alone take
# longer than the query.
RESULT_VALUES = [
    "id",
    "indicator__code",
    "fiscal_year",
    "quarter",
    "level",
    "tambon__code",
    "tambon__name_th",
    "tambon__name_en",
    "district__code",
    "district__name_th",
    "district__name_en",
    "province_id",
    "province_group_id",
    "region_id",
    "value",
    "note",
    "evidence",
    "status",
    "status_reason",
    "revision",
    "created_at",
    "updated_at",
    "submitted_at",
    "reviewed_at",
]


def _row_area_fields(row: dict, directory) -> dict:
    level = row["level"]
    province = directory.provinces.get(row["province_id"])
    if province is not None:
        group_id, region_id = province[3], province[4]
    elif row["province_group_id"]:
        group_id, region_id = row["province_group_id"], directory.groups[row["province_group_id"]][3]
    else:
        group_id, region_id = None, row["region_id"]
    if level == AreaLevel.COUNTRY:
        code, name_th, name_en = "", "ทั้งประเทศ", "Whole country"
    elif level == AreaLevel.REGION:
        code, name_th, name_en = directory.regions[region_id]
    elif level == AreaLevel.PROVINCE_GROUP:
        number, name_th, name_en, _region = directory.groups[group_id]
        code = str(number)
    elif level == AreaLevel.PROVINCE:
        code, name_th, name_en = province[:3]
    else:
        code = row[f"{level}__code"]
        name_th, name_en = row[f"{level}__name_th"], row[f"{level}__name_en"]
    return {
        "area_level": level,
        "area_code": code,
        "area_name_th": name_th,
        "area_name_en": name_en,
        "tambon": row["tambon__code"],
        "district": row["district__code"],
        "province": province[0] if province is not None else None,
        "province_group": directory.groups[group_id][0] if group_id else None,
        "region": directory.regions[region_id][0] if region_id else None,
    }


class ResultSerializer(AreaFieldsMixin, serializers.ModelSerializer):
    """A reported result. Rows are built directly from the fetched objects: a page of 100 costs microseconds."""

    indicator = serializers.CharField(read_only=True, help_text="Indicator code")
    evidence = serializers.CharField(read_only=True, allow_null=True, help_text="Download URL of the evidence file")
    value = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True, allow_null=True)
    status = choice(ResultStatus.choices, read_only=True)

    class Meta:
        model = Result
        fields = [
            *FIGURE_FIELDS,
            "evidence",
            "status",
            "status_reason",
            "revision",
            "created_at",
            "updated_at",
            "submitted_at",
            "reviewed_at",
        ]
        read_only_fields = fields

    def to_representation(self, obj):
        if isinstance(obj, dict):
            return self._row(obj)
        return {
            "id": obj.id,
            "indicator": obj.indicator.code,
            "fiscal_year": obj.fiscal_year,
            "quarter": obj.quarter,
            **_area_fields(obj),
            "value": _decimal(obj.value),
            "note": obj.note,
            "evidence": reverse("indicators:evidence", args=[obj.id]) if obj.evidence else None,
            "status": obj.status,
            "status_reason": obj.status_reason,
            "revision": obj.revision,
            "created_at": _time(obj.created_at),
            "updated_at": _time(obj.updated_at),
            "submitted_at": _time(obj.submitted_at),
            "reviewed_at": _time(obj.reviewed_at),
        }

    def _row(self, row: dict) -> dict:
        directory = directory_for(self.context.get("request"))
        return {
            "id": row["id"],
            "indicator": row["indicator__code"],
            "fiscal_year": row["fiscal_year"],
            "quarter": row["quarter"],
            **_row_area_fields(row, directory),
            "value": _decimal(row["value"]),
            "note": row["note"],
            "evidence": reverse("indicators:evidence", args=[row["id"]]) if row["evidence"] else None,
            "status": row["status"],
            "status_reason": row["status_reason"],
            "revision": row["revision"],
            "created_at": _time(row["created_at"]),
            "updated_at": _time(row["updated_at"]),
            "submitted_at": _time(row["submitted_at"]),
            "reviewed_at": _time(row["reviewed_at"]),
        }


class ResultCreateSerializer(serializers.Serializer):
    indicator = serializers.SlugRelatedField(slug_field="code", queryset=Indicator.objects.active())
    area_level = choice(AreaLevel.choices, default=AreaLevel.TAMBON)
    area_code = serializers.CharField(help_text="Tambon DOPA code (or the code of the indicator's reporting area)")
    fiscal_year = YearField()
    quarter = WholeNumberField(min_value=1, max_value=4)
    value = NumberField(max_digits=16, decimal_places=2, allow_negative=True, required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    evidence = serializers.FileField(required=False, allow_null=True)
    submit = serializers.BooleanField(default=False, help_text="Submit for review straight away")


class ResultUpdateSerializer(serializers.Serializer):
    revision = serializers.IntegerField(help_text="The revision you are changing (optimistic lock)")
    value = NumberField(max_digits=16, decimal_places=2, allow_negative=True, required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True)
    evidence = serializers.FileField(required=False, allow_null=True)


class ResultChangeSerializer(ResultUpdateSerializer):
    reason = serializers.CharField(help_text="Why an approved result changes (kept in its history)")
    evidence = None


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()
    revision = serializers.IntegerField(required=False, help_text="The revision you reviewed (optimistic lock)")


class RevisionSerializer(serializers.Serializer):
    revision = serializers.IntegerField(required=False, help_text="The revision you reviewed (optimistic lock)")


class TargetSerializer(AreaFieldsMixin, serializers.ModelSerializer):
    indicator = serializers.CharField(read_only=True, help_text="Indicator code")
    value = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)

    class Meta:
        model = Target
        fields = [
            *FIGURE_FIELDS,
            "revision",
            "updated_at",
        ]
        read_only_fields = fields

    def to_representation(self, obj):
        return {
            "id": obj.id,
            "indicator": obj.indicator.code,
            "fiscal_year": obj.fiscal_year,
            "quarter": obj.quarter,
            **_area_fields(obj),
            "value": _decimal(obj.value),
            "note": obj.note,
            "revision": obj.revision,
            "updated_at": _time(obj.updated_at),
        }


class TargetWriteSerializer(serializers.Serializer):
    indicator = serializers.SlugRelatedField(slug_field="code", queryset=Indicator.objects.active())
    area_level = choice(AreaLevel.choices, default=AreaLevel.COUNTRY)
    area_code = serializers.CharField(required=False, allow_blank=True, default="")
    fiscal_year = YearField()
    quarter = WholeNumberField(min_value=1, max_value=4, required=False, allow_null=True, default=None)
    value = NumberField(max_digits=16, decimal_places=2)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="Required to change one")
    revision = serializers.IntegerField(required=False, allow_null=True, help_text="Required to change one")


# Roll-ups -----------------------------------------------------------------------------------------


class FigureSerializer(serializers.Serializer):
    area = AreaSerializer()
    actual = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    reporting = serializers.IntegerField(help_text="Reporting areas with an approved value in the window")
    target = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    target_year = serializers.IntegerField(allow_null=True, help_text="Fiscal year of the target")
    expected = serializers.DecimalField(
        max_digits=18, decimal_places=2, allow_null=True, help_text="Expected value as at the period"
    )
    progress = serializers.DecimalField(
        max_digits=8, decimal_places=2, allow_null=True, help_text="Percent of the expected value"
    )
    percent_of_target = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    band = choice(BANDS, allow_null=True)
    reason = choice(Reason.CHOICES, allow_null=True, help_text=REASON_HELP)
    due = serializers.ListField(
        child=serializers.IntegerField(), help_text="Quarters of the fiscal year whose results are due so far"
    )
    drilldown = serializers.SerializerMethodField(help_text="API URL of what this figure is made of")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_drilldown(self, figure):
        build = self.context.get("drilldown_url")
        return build(figure) if build else None


class DrilldownSerializer(serializers.Serializer):
    indicator = serializers.CharField(source="indicator.code")
    fiscal_year = serializers.IntegerField()
    quarter = serializers.IntegerField(help_text="Figures are as at the end of this quarter")
    total = FigureSerializer()
    level = level_text("Level of the rows", allow_null=True)
    rows = FigureSerializer(many=True)


class SummarySerializer(serializers.Serializer):
    indicators = serializers.IntegerField()
    on_track = serializers.IntegerField()
    at_risk = serializers.IntegerField()
    off_track = serializers.IntegerField()
    no_target = serializers.IntegerField()
    no_results = serializers.IntegerField(help_text="Indicators with a target but no approved result yet")
    mean_progress = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    band = choice(BANDS, allow_null=True)
    reason = choice(Reason.CHOICES, allow_null=True, help_text=REASON_HELP)


class IndicatorFigureSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    name_th = serializers.CharField()
    name_en = serializers.CharField()
    plan_node = serializers.CharField()
    figure = FigureSerializer()


class NodePartSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.CharField()
    name_th = serializers.CharField()
    name_en = serializers.CharField()
    summary = SummarySerializer()
    drilldown = serializers.CharField(help_text="API URL of this part's own progress")


class PlanProgressSerializer(serializers.Serializer):
    plan_node = serializers.CharField()
    fiscal_year = serializers.IntegerField()
    quarter = serializers.IntegerField()
    summary = SummarySerializer()
    indicators = IndicatorFigureSerializer(many=True)
    parts = NodePartSerializer(many=True)
