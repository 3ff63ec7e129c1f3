"""Back office. Plan items change only in the plan browser (/plans/<code>/edit/ and its siblings), through the
services that check each rule (allowed parents, national items read-only, the optimistic lock, history): here they
are read-only, with a link to their page."""

from django.contrib import admin
from django.urls import reverse

from codi_plans.admin import ReadOnlyHistoryAdmin

from .models import PlanNode


@admin.register(PlanNode)
class PlanNodeAdmin(ReadOnlyHistoryAdmin):
    list_display = ["code", "kind", "number", "name_th", "parent", "target_value"]
    list_filter = ["kind"]
    search_fields = ["code", "name_th", "name_en"]
    list_select_related = ["parent"]

    def view_on_site(self, obj):
        return reverse("strategies:node", args=[obj.code])
