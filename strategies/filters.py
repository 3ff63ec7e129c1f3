import django_filters

from codi_plans.filters import DateTimeFilter

from .models import NodeKind, PlanNode


class PlanNodeFilter(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=NodeKind.choices)
    parent = django_filters.CharFilter(field_name="parent__code", help_text="Code of the parent item")
    serves = django_filters.CharFilter(field_name="aligns_to__code", help_text="Code of a national item it serves")
    official_code = django_filters.CharFilter(help_text="Official eMENSCR code of a chain item, e.g. 160101")
    updated_since = DateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = PlanNode
        fields = ["kind", "parent", "serves", "official_code", "updated_since"]
