"""The back office reads and takes dates and numbers the way every other page does: day/month/B.E. year, Thai digits.

Django's admin formats dates with the locale's Gregorian year, offers a Gregorian date widget and number boxes
that drop Thai digits. The admin is configured here, once, for every model: date fields take ThaiDateField (with
the same picker as the site), numbers NumberField/WholeNumberField, and the change lists and read-only fields show
dates and times with B.E. years (installed by CodiPlansConfig.ready after the admin has registered its models).
"""

from django.contrib.admin import helpers, options
from django.contrib.admin import utils as admin_utils
from django.contrib.admin.templatetags import admin_list
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from . import thai_calendar
from .forms import NumberField, NumberInput, ThaiDateField, ThaiDateInput, WholeNumberField

FORM_FIELDS = {
    models.DateField: {"form_class": ThaiDateField, "widget": ThaiDateInput},
    models.DecimalField: {"form_class": NumberField, "widget": NumberInput},
    models.IntegerField: {"form_class": WholeNumberField, "widget": NumberInput(whole=True)},
}
_stock_display_for_field = admin_utils.display_for_field


def display_for_field(value, field, empty_value_display, avoid_link=False):
    """Show a date or a date and time with its B.E. year; anything else as Django does."""
    if value not in (None, "") and not getattr(field, "flatchoices", None):
        if isinstance(field, models.DateTimeField):
            local = timezone.localtime(value) if timezone.is_aware(value) else value
            return f"{thai_calendar.display_date(local.date())} {local:%H:%M}"
        if isinstance(field, models.DateField):
            return thai_calendar.display_date(value)
    return _stock_display_for_field(value, field, empty_value_display, avoid_link)


def use_thai_dates_in_the_admin(site) -> None:
    """Make every registered ModelAdmin (and inlines made later) show and take B.E. dates and Thai digits."""
    options.FORMFIELD_FOR_DBFIELD_DEFAULTS.update(FORM_FIELDS)
    for model_admin in site._registry.values():
        model_admin.formfield_overrides.update(FORM_FIELDS)
    for module in (admin_utils, helpers, admin_list):
        module.display_for_field = display_for_field


class HistoryAdmin(SimpleHistoryAdmin):
    """A model's admin with its history. django-simple-history's "revert" page saves an old version's form on POST
    without asking for the change permission; here a revert needs the same permission as a change, so a model that
    is read-only in the admin cannot be changed through its history either."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST" and not self.has_change_permission(request, self.get_object(request, object_id)):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyAdmin:
    """No add, change or delete (nor, with HistoryAdmin, a revert): the model changes through its services, which
    hold the rules (workflow, four-eyes, money, locks, history); the admin only reads it."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyHistoryAdmin(ReadOnlyAdmin, HistoryAdmin):
    """A read-only model with its history."""
