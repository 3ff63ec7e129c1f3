from django.contrib import admin

from .models import EmenscrExport


@admin.register(EmenscrExport)
class EmenscrExportAdmin(admin.ModelAdmin):
    """Exports are asked for on their page and built by Celery: the back office only reads them."""

    list_display = [
        "id",
        "scope_key",
        "fiscal_year",
        "status",
        "progress",
        "row_count",
        "problem_count",
        "requested_at",
    ]
    list_filter = ["status", "scope_level", "fiscal_year"]
    search_fields = ["scope_key"]
    readonly_fields = [f.name for f in EmenscrExport._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
