"""Declared query-string filters for the progress reports endpoint."""

import django_filters
from django.utils.translation import gettext_lazy as _

from codi_plans.filters import BEYearFilter, DateTimeFilter, IdFilter, IntegerFilter

from .models import ActivityStatus, ProgressStatus, ProjectProgress


class ProgressFilter(django_filters.FilterSet):
    fiscal_year = BEYearFilter(help_text=_("Fiscal year (B.E.)"))
    quarter = IntegerFilter(min_value=1, max_value=4, help_text=_("Quarter of the fiscal year (1–4)"))
    status = django_filters.MultipleChoiceFilter(
        choices=ProgressStatus.choices, distinct=False, help_text=_("Report status; repeat the parameter for several")
    )
    activity_status = django_filters.MultipleChoiceFilter(
        choices=ActivityStatus.choices, distinct=False, help_text=_("Activity status")
    )
    province = django_filters.CharFilter(
        field_name="project__plan__tambon__province__code", help_text=_("Province DOPA code")
    )
    tambon = django_filters.CharFilter(field_name="project__plan__tambon__code", help_text=_("Tambon DOPA code"))
    workstream = django_filters.CharFilter(field_name="project__workstream__code", help_text=_("Workstream code"))
    programme = django_filters.CharFilter(field_name="project__programme__code", help_text=_("Programme code"))
    project = IdFilter(field_name="project_id", help_text=_("Project id"))
    updated_since = DateTimeFilter(
        field_name="updated_at", lookup_expr="gte", help_text=_("Changed at or after this time (ISO 8601)")
    )

    class Meta:
        model = ProjectProgress
        fields = [
            "fiscal_year",
            "quarter",
            "status",
            "activity_status",
            "province",
            "tambon",
            "workstream",
            "programme",
            "project",
            "updated_since",
        ]
