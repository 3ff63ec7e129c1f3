from django.contrib import admin

from .models import Report


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
