"""Declared query-string filters for the reports endpoint."""

import django_filters
from django.utils.translation import gettext_lazy as _

from codi_plans.filters import BEYearFilter, IntegerFilter

from .models import Report, ReportKind, ReportStatus, ScopeLevel


class ReportFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ReportKind.choices, help_text=_("Kind of report"))
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices, help_text=_("Build status"))
    scope_level = django_filters.ChoiceFilter(choices=ScopeLevel.choices, help_text=_("Scope level"))
    scope_key = django_filters.CharFilter(help_text=_("Scope key, e.g. country, region:north, province:50"))
    fiscal_year = BEYearFilter(help_text=_("Fiscal year (B.E.)"))
    quarter = IntegerFilter(min_value=1, max_value=4, help_text=_("Quarter 1–4"))

    class Meta:
        model = Report
        fields = ["kind", "status", "scope_level", "scope_key", "fiscal_year", "quarter"]
