from django.contrib import admin

from codi_plans.admin import HistoryAdmin, ReadOnlyHistoryAdmin

from .models import Indicator, Result, Target


@admin.register(Indicator)
class IndicatorAdmin(HistoryAdmin):
    list_display = ["code", "name_th", "level", "plan_node", "measure", "aggregation", "cumulative", "is_active"]
    list_filter = ["level", "measure", "aggregation", "is_active"]
    search_fields = ["code", "name_th", "name_en"]
    raw_id_fields = ["plan_node", "project"]


@admin.register(Target)
class TargetAdmin(ReadOnlyHistoryAdmin):
    """Read-only here: targets change through the indicators pages, which ask for a reason."""

    list_display = ["indicator", "fiscal_year", "quarter", "level", "area_name", "value", "revision"]
    list_filter = ["fiscal_year", "level"]
    search_fields = ["indicator__code"]


@admin.register(Result)
class ResultAdmin(ReadOnlyHistoryAdmin):
    """Read-only here: results move through the review workflow on the indicators pages."""

    list_display = ["indicator", "fiscal_year", "quarter", "level", "area_name", "value", "status"]
    list_filter = ["status", "fiscal_year", "quarter", "level"]
    search_fields = ["indicator__code", "tambon__code"]
    list_select_related = ["indicator", "tambon", "district", "province", "province_group", "region"]
