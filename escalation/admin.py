from django.contrib import admin

from codi_plans.admin import ReadOnlyAdmin

from .models import EscalationNotice


@admin.register(EscalationNotice)
class EscalationNoticeAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Notices are written by the daily job when it mails them: the back office only reads them."""

    list_display = ["item_key", "kind", "level", "occasion", "days_before", "recipient", "due_date", "sent_at"]
    list_filter = ["kind", "level", "occasion", "due_date"]
    search_fields = ["item_key", "recipient__username", "recipient__email"]
    list_select_related = ["recipient"]
    readonly_fields = [f.name for f in EscalationNotice._meta.fields]
