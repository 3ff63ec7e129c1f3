"""Back office. Requests, ceilings and plans change through the services (the pages and the API), so that
their money rules, locks and history always apply: here they are read-only. Pilot tambons are plain data."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    BudgetCeiling,
    BudgetRequest,
    DevelopmentIndicator,
    DevelopmentIssue,
    ExpenseLine,
    MonitoringRecord,
    PilotTambon,
    ProvincialDevelopmentPlan,
    RequestIndicator,
    RequestTransition,
)


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0


class DevelopmentIssueInline(ReadOnlyInline):
    model = DevelopmentIssue
    fields = ["number", "title"]


class PlanIndicatorInline(ReadOnlyInline):
    model = DevelopmentIndicator
    fields = ["issue", "name", "unit", "baseline", "target_value", "target_year_be"]


@admin.register(ProvincialDevelopmentPlan)
class ProvincialDevelopmentPlanAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["name", "province", "province_group", "period_start_be", "period_end_be", "revision"]
    list_filter = ["period_start_be"]
    search_fields = ["name", "province__name_th", "province_group__name_th"]
    inlines = [DevelopmentIssueInline, PlanIndicatorInline]


@admin.register(BudgetCeiling)
class BudgetCeilingAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["fiscal_year", "province", "workstream", "amount", "updated_by", "updated_at"]
    list_filter = ["fiscal_year"]


@admin.register(PilotTambon)
class PilotTambonAdmin(admin.ModelAdmin):
    list_display = ["fiscal_year", "tambon", "note"]
    list_filter = ["fiscal_year"]
    search_fields = ["tambon__code", "tambon__name_th"]
    raw_id_fields = ["tambon"]


class RequestIndicatorInline(ReadOnlyInline):
    model = RequestIndicator


class ExpenseLineInline(ReadOnlyInline):
    model = ExpenseLine


class TransitionInline(ReadOnlyInline):
    model = RequestTransition


class MonitoringInline(ReadOnlyInline):
    model = MonitoringRecord
    fields = ["phase", "quarter", "passed", "progress", "recorded_by", "recorded_at"]
    # `recorded_at` is auto_now, so not editable: a form field for it is a FieldError (the change page was a 500).
    readonly_fields = ["recorded_at"]


@admin.register(BudgetRequest)
class BudgetRequestAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = [
        "title",
        "fiscal_year",
        "province",
        "status",
        "rank",
        "requested_amount",
        "approved_amount",
        "spent_amount",
    ]
    list_filter = ["fiscal_year", "status", "workstream"]
    search_fields = ["title", "requesting_body", "province__name_th"]
    inlines = [RequestIndicatorInline, ExpenseLineInline, TransitionInline, MonitoringInline]
