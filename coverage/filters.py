"""Declared filters of the served-by and coverage API: a fiscal year and an area (the most specific one named wins).

The values are checked here (bounds, types); the area is resolved by selectors.resolve_area, which also refuses an
area outside the caller's. The filtering itself is the selectors' (projects serving the item, in the area, in plans
covering the year), so the filter methods only declare and check.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from codi_plans.filters import BEYearFilter, IntegerFilter
from strategies.models import PlanNode
from workstreams.models import Project

from .selectors import GAPS


def _declared_only(queryset, name, value):
    return queryset


class AreaYearFilter(django_filters.FilterSet):
    fiscal_year = BEYearFilter(method=_declared_only, help_text=_("Fiscal year in B.E. (default: the current one)"))
    region = django_filters.CharFilter(method=_declared_only, max_length=40, help_text=_("Region key, e.g. north"))
    province_group = IntegerFilter(
        method=_declared_only, min_value=1, max_value=99, help_text=_("Province group number")
    )
    province = django_filters.CharFilter(
        method=_declared_only, max_length=2, help_text=_("Province DOPA code, e.g. 50")
    )
    district = django_filters.CharFilter(
        method=_declared_only, max_length=4, help_text=_("District DOPA code, e.g. 5001")
    )


class ServedByFilter(AreaYearFilter):
    class Meta:
        model = Project
        fields = ["fiscal_year", "region", "province_group", "province", "district"]


class CoverageFilter(AreaYearFilter):
    gap = django_filters.ChoiceFilter(
        method=_declared_only,
        choices=[(g, g) for g in GAPS],
        help_text=_("Only items with this hole: no project, no budget request or no result this fiscal year"),
    )

    class Meta:
        model = PlanNode
        fields = ["fiscal_year", "region", "province_group", "province", "district", "gap"]
