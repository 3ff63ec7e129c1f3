"""Back office. Requests (with their transitions, spending and monitoring), ceilings and plans change through the
services (the pages and the API), so that their workflow, money rules, locks and history always apply: here they are
read-only, with a link to their page. Pilot tambons are plain data."""

from django.contrib import admin
from django.urls import reverse

from codi_plans.admin import ReadOnlyAdmin, ReadOnlyHistoryAdmin

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


class ReadOnlyInline(ReadOnlyAdmin, admin.TabularInline):
    extra = 0


class DevelopmentIssueInline(ReadOnlyInline):
    model = DevelopmentIssue
    fields = ["number", "title"]


class PlanIndicatorInline(ReadOnlyInline):
    model = DevelopmentIndicator
    fields = ["issue", "name", "unit", "baseline", "target_value", "target_year_be"]


@admin.register(ProvincialDevelopmentPlan)
class ProvincialDevelopmentPlanAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "province", "province_group", "period_start_be", "period_end_be", "revision"]
    list_filter = ["period_start_be"]
    search_fields = ["name", "province__name_th", "province_group__name_th"]
    inlines = [DevelopmentIssueInline, PlanIndicatorInline]

    def view_on_site(self, obj):
        return reverse("budgets:plan", args=[obj.pk])


@admin.register(BudgetCeiling)
class BudgetCeilingAdmin(ReadOnlyHistoryAdmin):
    list_display = ["fiscal_year", "province", "workstream", "amount", "updated_by", "updated_at"]
    list_filter = ["fiscal_year"]

    def view_on_site(self, obj):
        return f"{reverse('budgets:ceilings')}?fiscal_year={obj.fiscal_year}"


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
class BudgetRequestAdmin(ReadOnlyHistoryAdmin):
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

    def view_on_site(self, obj):
        return reverse("budgets:request", args=[obj.pk])
