import django_filters

from codi_plans.filters import IntegerFilter

from .models import District, Province, Subdistrict


class ProvinceFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(field_name="region__key", help_text="Region key, e.g. north")
    group = IntegerFilter(
        field_name="group__number", min_value=1, max_value=99, help_text="Province group number (1–18)"
    )

    class Meta:
        model = Province
        fields = ["region", "group"]


class DistrictFilter(django_filters.FilterSet):
    province = django_filters.CharFilter(field_name="province__code", help_text="Province DOPA code")

    class Meta:
        model = District
        fields = ["province"]


class SubdistrictFilter(django_filters.FilterSet):
    province = django_filters.CharFilter(field_name="province__code", help_text="Province DOPA code")
    district = django_filters.CharFilter(field_name="district__code", help_text="District DOPA code")
    postal_code = django_filters.CharFilter(field_name="postal_codes", lookup_expr="contains")
    in_my_area = django_filters.BooleanFilter(method="filter_in_my_area", help_text="Only tambons in my working area")

    class Meta:
        model = Subdistrict
        fields = ["province", "district", "postal_code", "in_my_area"]

    def filter_in_my_area(self, queryset, name, value):
        return queryset.in_scope_of(self.request.user) if value else queryset
