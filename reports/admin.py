from django.contrib import admin

from .models import Reminder, Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Reports are filed by the service and built by Celery: the back office only reads them."""

    list_display = [
        "id",
        "kind",
        "scope_key",
        "fiscal_year",
        "quarter",
        "language",
        "status",
        "progress",
        "requested_at",
    ]
    list_filter = ["kind", "status", "scope_level", "fiscal_year"]
    search_fields = ["scope_key", "data_fingerprint"]
    readonly_fields = [f.name for f in Report._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "fiscal_year", "quarter", "days_before", "items", "sent_at"]
    list_filter = ["kind", "fiscal_year", "quarter"]
    readonly_fields = [f.name for f in Reminder._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
