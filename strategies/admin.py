from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import PlanNode


@admin.register(PlanNode)
class PlanNodeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "kind", "number", "name_th", "parent", "target_value"]
    list_filter = ["kind"]
    search_fields = ["code", "name_th", "name_en"]
    filter_horizontal = ["aligns_to"]
    raw_id_fields = ["parent"]
    readonly_fields = ["revision"]

    def save_model(self, request, obj, form, change):
        # Move the optimistic lock on, so an edit begun in the browser before this save gets a conflict.
        if change:
            obj.revision += 1
        super().save_model(request, obj, form, change)
