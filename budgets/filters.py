import django_filters

from codi_plans.filters import BEYearFilter, DateTimeFilter, IntegerFilter

from .models import BudgetCeiling, BudgetRequest, ProvincialDevelopmentPlan, RequestStatus


class BudgetRequestFilter(django_filters.FilterSet):
    fiscal_year = BEYearFilter(help_text="Fiscal year (B.E.)")
    province = django_filters.CharFilter(field_name="province__code", help_text="DOPA code of the province")
    status = django_filters.MultipleChoiceFilter(choices=RequestStatus.choices)
    workstream = django_filters.CharFilter(field_name="workstream__code", help_text="Code of the workstream")
    national_target = django_filters.CharFilter(field_name="national_target__code", help_text="Code of a plan item")
    tambon = django_filters.CharFilter(method="filter_tambon", help_text="DOPA code of a funded tambon")
    in_pilot = django_filters.BooleanFilter(help_text="Funds a pilot tambon of its fiscal year")
    overspent = django_filters.BooleanFilter(help_text="Has spending over its cumulative plan")
    updated_since = DateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = BudgetRequest
        fields = ["fiscal_year", "province", "status", "workstream", "national_target", "tambon", "updated_since"]

    def filter_tambon(self, queryset, name, value):
        funding = BudgetRequest.projects.through.objects.filter(project__plan__tambon__code=value)
        return queryset.filter(pk__in=funding.values("budgetrequest_id"))


class DevelopmentPlanFilter(django_filters.FilterSet):
    province = django_filters.CharFilter(field_name="province__code", help_text="DOPA code of the province")
    province_group = IntegerFilter(field_name="province_group__number", min_value=1, max_value=99)
    fiscal_year = BEYearFilter(method="filter_year", help_text="Plans whose period covers the year")

    class Meta:
        model = ProvincialDevelopmentPlan
        fields = ["province", "province_group", "fiscal_year"]

    def filter_year(self, queryset, name, value):
        return queryset.covering(int(value))


class BudgetCeilingFilter(django_filters.FilterSet):
    fiscal_year = BEYearFilter()
    province = django_filters.CharFilter(field_name="province__code")
    workstream = django_filters.CharFilter(field_name="workstream__code")

    class Meta:
        model = BudgetCeiling
        fields = ["fiscal_year", "province", "workstream"]
