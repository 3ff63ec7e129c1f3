"""API fields that read numbers, B.E. years and dates the way the forms do (codi_plans.numbers, thai_calendar).

A JSON number, or text as a person would type it ("๑,๕๐๐.๒๕", "1,500 บาท", "01/10/2569"), is checked against the
field's digits, decimal places and range before anything is rounded; anything else is a 400 naming the field.
Responses are unchanged: decimals as strings, dates as ISO 8601 (C.E.).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from rest_framework import serializers

from . import thai_calendar
from .numbers import NumberRule, parse_decimal, parse_whole, whole_number_rule


def _drf_error(error: DjangoValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(error.messages, code=getattr(error, "code", None) or "invalid")


def _without_range_validators(field) -> None:
    # The parser checks the range itself, with a message naming the field; DRF's own would say it twice.
    field.validators = [v for v in field.validators if not isinstance(v, MinValueValidator | MaxValueValidator)]


class _ReadTheThaiWay:
    """Read the input with one of the product's parsers; blank is "required" unless the field allows null."""

    def parse(self, data, label):
        raise NotImplementedError

    def to_internal_value(self, data):
        try:
            value = self.parse(data, label=self.label or self.field_name)
        except DjangoValidationError as error:
            raise _drf_error(error) from None
        if value is None:
            self.fail("required")
        return value


class NumberField(_ReadTheThaiWay, serializers.DecimalField):
    """A decimal number: a JSON number or Thai-style text, within the column's digits and decimal places."""

    def __init__(self, *, max_digits=14, decimal_places=2, allow_negative=False, min_value=None, max_value=None, **kw):
        super().__init__(max_digits=max_digits, decimal_places=decimal_places, min_value=min_value, **kw)
        if min_value is not None and min_value < 0:
            allow_negative = True
        self.rule = NumberRule(max_digits, decimal_places, allow_negative, min_value, max_value)
        _without_range_validators(self)

    def parse(self, data, label):
        return parse_decimal(data, self.rule, label=label)


class WholeNumberField(_ReadTheThaiWay, serializers.IntegerField):
    """A whole number: a JSON integer or Thai-style text ("๑,๒๐๐")."""

    def __init__(self, *, min_value: int | None = 0, max_value: int = 2_147_483_647, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)
        self.rule = whole_number_rule(min_value, max_value)
        _without_range_validators(self)

    def parse(self, data, label):
        return parse_whole(data, self.rule, label=label)


class YearField(_ReadTheThaiWay, serializers.IntegerField):
    """A Buddhist-era year (2569); a C.E. year or one more than 30 years away is refused."""

    def parse(self, data, label):
        return thai_calendar.parse_be_year(data, label=label)


class ThaiDateField(_ReadTheThaiWay, serializers.DateField):
    """A date: ISO 8601 (C.E. or B.E. year) or day/month/year as people type it; answered in ISO 8601 (C.E.)."""

    def parse(self, data, label):
        return thai_calendar.parse_date(data, label=label)
