"""The back office reads and takes dates the way every other page does: day/month/B.E. year.

Django's admin formats dates with the locale's Gregorian year and offers a Gregorian date widget. The admin is
configured here, once, for every model: date fields take ThaiDateField/ThaiDateInput (with the same picker as the
site), and the change lists and read-only fields show dates and times with B.E. years (installed by
CodiPlansConfig.ready after the admin has registered its models).
"""

from django.contrib.admin import helpers, options
from django.contrib.admin import utils as admin_utils
from django.contrib.admin.templatetags import admin_list
from django.db import models
from django.utils import timezone

from . import thai_calendar
from .forms import ThaiDateField, ThaiDateInput

DATE_FORM_FIELD = {"form_class": ThaiDateField, "widget": ThaiDateInput}
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
    """Make every registered ModelAdmin (and inlines made later) show and take B.E. dates."""
    options.FORMFIELD_FOR_DBFIELD_DEFAULTS[models.DateField] = DATE_FORM_FIELD
    for model_admin in site._registry.values():
        model_admin.formfield_overrides[models.DateField] = DATE_FORM_FIELD
    for module in (admin_utils, helpers, admin_list):
        module.display_for_field = display_for_field
