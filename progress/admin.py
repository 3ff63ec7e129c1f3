from django.contrib import admin

from codi_plans.admin import ReadOnlyAdmin, ReadOnlyHistoryAdmin

from .models import IndicatorActual, ProgressEvidence, ProgressSpending, ProgressTransition, ProjectProgress


class SpendingInline(ReadOnlyAdmin, admin.TabularInline):
    model = ProgressSpending
    extra = 0


class ActualInline(ReadOnlyAdmin, admin.TabularInline):
    model = IndicatorActual
    extra = 0


class EvidenceInline(ReadOnlyAdmin, admin.TabularInline):
    model = ProgressEvidence
    extra = 0


class TransitionInline(ReadOnlyAdmin, admin.TabularInline):
    model = ProgressTransition
    extra = 0


@admin.register(ProjectProgress)
class ProjectProgressAdmin(ReadOnlyHistoryAdmin):
    """Read-only here: reports move through the review workflow on the progress pages, amendments need a reason."""

    list_display = ["project", "fiscal_year", "quarter", "activity_status", "status", "revision"]
    list_filter = ["status", "activity_status", "fiscal_year", "quarter"]
    search_fields = ["project__name", "project__plan__tambon__code"]
    list_select_related = ["project__plan__tambon"]
    raw_id_fields = ["project"]
    inlines = [ActualInline, SpendingInline, EvidenceInline, TransitionInline]
