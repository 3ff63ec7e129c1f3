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
