"""Query-string filters with bounds, shared by every app's FilterSet.

A value the database cannot hold (an id of 20 digits, a fiscal year of 1e20, a UTC offset of +17:13) is refused as
a 400 with a message for the field, before any query: SQLite raises OverflowError above 2**63-1, PostgreSQL a
DataError, and neither may become a 500.
"""

import datetime as dt

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField

from .thai_calendar import MAX_BE_YEAR, MIN_BE_YEAR

# The largest value of a 64-bit signed integer column (ids are BigAutoField).
MAX_ID = 2**63 - 1
# Real UTC offsets run from -12:00 (Baker Island) to +14:00 (Line Islands); PostgreSQL refuses beyond ±15:59.
MIN_UTC_OFFSET, MAX_UTC_OFFSET = dt.timedelta(hours=-12), dt.timedelta(hours=14)


class IntegerFilter(django_filters.NumberFilter):
    """A whole number between `min_value` and `max_value` (no decimals, no exponents)."""

    field_class = forms.IntegerField

    def get_max_validator(self):
        return None  # the bounds are the field's own min_value / max_value


class IdFilter(IntegerFilter):
    """A database id: a whole number from 1 to 2**63-1."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class BEYearFilter(IntegerFilter):
    """A year of the Buddhist Era within the years the data may hold (2500–2700)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", MIN_BE_YEAR)
        kwargs.setdefault("max_value", MAX_BE_YEAR)
        super().__init__(*args, **kwargs)


class BoundedIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date and time with a real UTC offset, returned in UTC (so no database sees an odd offset)."""

    default_error_messages = {
        "offset": _("Give a UTC offset between -12:00 and +14:00."),
        "range": _("Give a date and time between the years 1 and 9999."),
    }

    def to_python(self, value):
        result = super().to_python(value)
        if result is None:
            return None
        offset = result.utcoffset()
        if offset is not None and not MIN_UTC_OFFSET <= offset <= MAX_UTC_OFFSET:
            raise ValidationError(self.error_messages["offset"], code="offset")
        try:
            return result.astimezone(dt.UTC)
        except OverflowError:
            raise ValidationError(self.error_messages["range"], code="range") from None


class DateTimeFilter(django_filters.IsoDateTimeFilter):
    """An ISO 8601 date and time with a real UTC offset (see BoundedIsoDateTimeField)."""

    field_class = BoundedIsoDateTimeField
