"""Declared query-string filters for the tambon plan, project and province plan endpoints."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from codi_plans.filters import BEYearFilter, DateTimeFilter, IdFilter

from .models import AWAITING_REVIEW_STATUSES, PlanStatus, Project, ProjectClass, ProvincePlan, TambonPlan


class TambonPlanFilter(django_filters.FilterSet):
    province = django_filters.CharFilter(field_name="tambon__province__code", help_text=_("Province DOPA code"))
    district = django_filters.CharFilter(field_name="tambon__district__code", help_text=_("District DOPA code"))
    tambon = django_filters.CharFilter(field_name="tambon__code", help_text=_("Tambon DOPA code"))
    # distinct=False: the filter joins nothing many-valued, and DISTINCT makes the page and its count slow.
    status = django_filters.MultipleChoiceFilter(
        choices=PlanStatus.choices, distinct=False, help_text=_("Plan status; repeat the parameter for several")
    )
    awaiting_review = django_filters.BooleanFilter(
        method="filter_awaiting_review", help_text=_("Only plans submitted or resubmitted and not yet decided")
    )
    workstream = django_filters.CharFilter(
        method="filter_workstream", help_text=_("Workstream code: plans with at least one project in it")
    )
    period_start_be = BEYearFilter(help_text=_("First year of the plan period (B.E.)"))
    updated_since = DateTimeFilter(
        field_name="updated_at", lookup_expr="gte", help_text=_("Changed at or after this time (ISO 8601)")
    )

    class Meta:
        model = TambonPlan
        fields = [
            "province",
            "district",
            "tambon",
            "status",
            "awaiting_review",
            "workstream",
            "period_start_be",
            "updated_since",
        ]

    def filter_awaiting_review(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.awaiting_review() if value else queryset.exclude(status__in=AWAITING_REVIEW_STATUSES)

    def filter_workstream(self, queryset, name, value):
        # EXISTS rather than a join, so a plan with several projects in the workstream is listed once.
        return queryset.filter(Exists(Project.objects.filter(plan=OuterRef("pk"), workstream__code=value)))


class ProjectFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="plan_id", help_text=_("Tambon plan id"))
    province = django_filters.CharFilter(field_name="plan__tambon__province__code", help_text=_("Province DOPA code"))
    district = django_filters.CharFilter(field_name="plan__tambon__district__code", help_text=_("District DOPA code"))
    tambon = django_filters.CharFilter(field_name="plan__tambon__code", help_text=_("Tambon DOPA code"))
    status = django_filters.MultipleChoiceFilter(
        field_name="plan__status",
        choices=PlanStatus.choices,
        distinct=False,
        help_text=_("Status of the project's plan"),
    )
    workstream = django_filters.CharFilter(field_name="workstream__code", help_text=_("Workstream code"))
    programme = django_filters.CharFilter(field_name="programme__code", help_text=_("Programme code"))
    project_class = django_filters.ChoiceFilter(choices=ProjectClass.choices)
    period_start_be = BEYearFilter(
        field_name="plan__period_start_be", help_text=_("First year of the plan period (B.E.)")
    )
    updated_since = DateTimeFilter(
        field_name="plan__updated_at",
        lookup_expr="gte",
        help_text=_("The project's plan changed at or after this time (ISO 8601); every project save changes its plan"),
    )

    class Meta:
        model = Project
        fields = [
            "plan",
            "province",
            "district",
            "tambon",
            "status",
            "workstream",
            "programme",
            "project_class",
            "period_start_be",
            "updated_since",
        ]


class ProvincePlanFilter(django_filters.FilterSet):
    province = django_filters.CharFilter(field_name="province__code", help_text=_("Province DOPA code"))
    region = django_filters.CharFilter(field_name="province__region__key", help_text=_("Region key, e.g. north"))
    period_start_be = BEYearFilter(help_text=_("First year of the plan period (B.E.)"))
    updated_since = DateTimeFilter(
        field_name="updated_at", lookup_expr="gte", help_text=_("Changed at or after this time (ISO 8601)")
    )

    class Meta:
        model = ProvincePlan
        fields = ["province", "region", "period_start_be", "updated_since"]
