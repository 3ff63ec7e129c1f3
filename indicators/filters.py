"""Declared filters for indicators, targets and results. Area and plan codes are resolved to ids first
(one small query each), so the main query filters on indexed columns without extra joins."""

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from areas.models import District, Subdistrict
from codi_plans.filters import BEYearFilter, DateTimeFilter, IntegerFilter
from strategies.models import NodeKind, PlanNode

from .directory import directory_for
from .models import AreaLevel, Indicator, Measure, PlanLevel, Result, ResultStatus, Target

QUARTERS = [(1, "1"), (2, "2"), (3, "3"), (4, "4")]


def _get(model, field: str, value, name: str):
    try:
        return model.objects.only("id").get(**{field: value})
    except (model.DoesNotExist, ValueError):
        raise ValidationError({name: _("Unknown code %(code)s.") % {"code": value}}) from None


def _check_node(name: str, code: str) -> None:
    node = PlanNode.objects.filter(code=code).only("kind").first()
    if node is None or (name == "workstream" and node.kind != NodeKind.WORKSTREAM):
        raise ValidationError({name: _("Unknown code %(code)s.") % {"code": code}})


class AreaFilterMixin(django_filters.FilterSet):
    """Filters that keep rows set on an area or anywhere inside it."""

    region = django_filters.CharFilter(method="filter_region", help_text="Region key, e.g. north")
    province_group = IntegerFilter(
        method="filter_province_group", min_value=1, max_value=99, help_text="Province group number (1–18)"
    )
    province = django_filters.CharFilter(method="filter_province", help_text="Province DOPA code, e.g. 50")
    district = django_filters.CharFilter(method="filter_district", help_text="District DOPA code, e.g. 5001")
    tambon = django_filters.CharFilter(method="filter_tambon", help_text="Tambon (subdistrict) DOPA code, e.g. 500105")
    area_level = django_filters.ChoiceFilter(
        field_name="level", choices=AreaLevel.choices, help_text="Only rows set on areas of this level"
    )

    def _directory(self):
        return directory_for(getattr(self, "request", None))

    def filter_region(self, queryset, name, value):
        directory = self._directory()
        region = directory.region_by_key.get(value)
        if region is None:
            raise ValidationError({name: _("Unknown code %(code)s.") % {"code": value}})
        return queryset.filter(
            Q(region_id=region)
            | Q(province_group_id__in=directory.groups_in_region(region))
            | Q(province_id__in=directory.provinces_in_region(region))
        )

    def filter_province_group(self, queryset, name, value):
        directory = self._directory()
        group = directory.group_by_number.get(int(value))
        if group is None:
            raise ValidationError({name: _("Unknown code %(code)s.") % {"code": value}})
        return queryset.filter(Q(province_group_id=group) | Q(province_id__in=directory.provinces_in_group(group)))

    def filter_province(self, queryset, name, value):
        province = self._directory().province_by_code.get(value)
        if province is None:
            raise ValidationError({name: _("Unknown code %(code)s.") % {"code": value}})
        return queryset.filter(province_id=province)

    def filter_district(self, queryset, name, value):
        return queryset.filter(district_id=_get(District, "code", value, name).id)

    def filter_tambon(self, queryset, name, value):
        return queryset.filter(tambon_id=_get(Subdistrict, "code", value, name).id)


class PlanFilterMixin(django_filters.FilterSet):
    """Filters on the indicator's place in the plan tree."""

    indicator = django_filters.CharFilter(method="filter_indicator", help_text="Indicator code")
    workstream = django_filters.CharFilter(
        method="filter_plan_node", help_text="Workstream code, e.g. WS-ECONOMY: its indicators and those below it"
    )
    plan_node = django_filters.CharFilter(
        method="filter_plan_node", help_text="Plan item code: indicators on it and anywhere below it"
    )

    def filter_indicator(self, queryset, name, value):
        return queryset.filter(indicator_id=_get(Indicator, "code", value, name).id)

    def filter_plan_node(self, queryset, name, value):
        _check_node(name, value)
        ids = list(Indicator.objects.under(value).values_list("id", flat=True))
        return queryset.filter(indicator_id__in=ids)


class ResultFilter(PlanFilterMixin, AreaFilterMixin):
    fiscal_year = BEYearFilter(help_text="Fiscal year in B.E., e.g. 2565")
    quarter = django_filters.TypedChoiceFilter(choices=QUARTERS, coerce=int, help_text="Fiscal quarter 1–4")
    status = django_filters.MultipleChoiceFilter(
        choices=ResultStatus.choices, distinct=False, help_text="Result status"
    )
    updated_since = DateTimeFilter(
        field_name="updated_at", lookup_expr="gte", help_text="Changed at or after this ISO 8601 time"
    )

    class Meta:
        model = Result
        fields = [
            "indicator",
            "workstream",
            "plan_node",
            "fiscal_year",
            "quarter",
            "region",
            "province_group",
            "province",
            "district",
            "tambon",
            "area_level",
            "status",
            "updated_since",
        ]


class TargetFilter(PlanFilterMixin, AreaFilterMixin):
    fiscal_year = BEYearFilter(help_text="Fiscal year in B.E., e.g. 2565")
    quarter = django_filters.TypedChoiceFilter(
        choices=QUARTERS, coerce=int, help_text="Fiscal quarter 1–4 (targets for the whole year have none)"
    )
    whole_year = django_filters.BooleanFilter(
        field_name="quarter", lookup_expr="isnull", help_text="Only targets for a whole fiscal year"
    )
    updated_since = DateTimeFilter(
        field_name="updated_at", lookup_expr="gte", help_text="Changed at or after this ISO 8601 time"
    )

    class Meta:
        model = Target
        fields = [
            "indicator",
            "workstream",
            "plan_node",
            "fiscal_year",
            "quarter",
            "whole_year",
            "region",
            "province_group",
            "province",
            "district",
            "tambon",
            "area_level",
            "updated_since",
        ]


class IndicatorFilter(django_filters.FilterSet):
    workstream = django_filters.CharFilter(
        method="filter_plan_node", help_text="Workstream code: indicators on it and below it"
    )
    plan_node = django_filters.CharFilter(
        method="filter_plan_node", help_text="Plan item code: indicators on it and anywhere below it"
    )
    level = django_filters.ChoiceFilter(choices=PlanLevel.choices, help_text="Plan level the indicator belongs to")
    measure = django_filters.ChoiceFilter(choices=Measure.choices)
    active = django_filters.BooleanFilter(field_name="is_active")
    updated_since = DateTimeFilter(
        field_name="updated_at", lookup_expr="gte", help_text="Changed at or after this ISO 8601 time"
    )

    class Meta:
        model = Indicator
        fields = ["workstream", "plan_node", "level", "measure", "active", "updated_since"]

    def filter_plan_node(self, queryset, name, value):
        _check_node(name, value)
        return queryset.under(value)
