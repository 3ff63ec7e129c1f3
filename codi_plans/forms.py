"""Form fields people type numbers, years and dates into, the Thai way; every app's forms use them.

Numbers are text boxes with a numeric keyboard hint (a browser's number box drops Thai digits and "1,500"
without a word), parsed by codi_plans.numbers. Dates are text boxes that take and show day/month/B.E. year
(01/10/2569) with a small picker (static/js/thai-date.js); without JavaScript the box and its format hint remain.
"""

import datetime as dt
from decimal import Decimal

from django import forms
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import thai_calendar
from .numbers import NumberRule, parse_decimal, parse_whole, whole_number_rule


class NumberInput(forms.TextInput):
    """A text box for a number: a numeric keyboard on phones, any digits (Thai too) and separators accepted."""

    def __init__(self, attrs=None, *, whole: bool = False):
        base = {"inputmode": "numeric" if whole else "decimal", "autocomplete": "off", "class": "num"}
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal) and value.is_finite():
            return format(value, "f")
        return super().format_value(value)


class NumberField(forms.Field):
    """A decimal number checked against its column's digits and decimal places before anything is rounded."""

    widget = NumberInput

    def __init__(
        self,
        *,
        max_digits: int = 14,
        decimal_places: int = 2,
        allow_negative: bool = False,
        min_value=None,
        max_value=None,
        **kwargs,
    ):
        if min_value is not None and min_value < 0:
            allow_negative = True
        self.rule = NumberRule(max_digits, decimal_places, allow_negative, min_value, max_value)
        kwargs.pop("step_size", None)
        super().__init__(**kwargs)

    def to_python(self, value):
        return parse_decimal(value, self.rule, label=self.label)


class WholeNumberField(NumberField):
    """A whole number (households, ranks, counts)."""

    def __init__(self, *, min_value: int | None = 0, max_value: int = 2_147_483_647, **kwargs):
        kwargs.setdefault("widget", NumberInput(whole=True))
        for unused in ("max_digits", "decimal_places", "allow_negative"):
            kwargs.pop(unused, None)
        super().__init__(max_digits=1, decimal_places=0, **kwargs)
        self.rule = whole_number_rule(min_value, max_value)

    def to_python(self, value):
        return parse_whole(value, self.rule, label=self.label)


class YearField(forms.Field):
    """A Buddhist-era year (2569); a C.E. year is refused with the B.E. year it stands for."""

    def __init__(self, **kwargs):
        for unused in ("min_value", "max_value", "step_size"):
            kwargs.pop(unused, None)
        kwargs.setdefault("widget", NumberInput(whole=True, attrs={"maxlength": 4, "placeholder": "2569"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        return thai_calendar.parse_be_year(value, label=self.label)


class ThaiDateInput(forms.TextInput):
    """A date box showing 01/10/2569, with a format hint and the data the picker needs."""

    template_name = "widgets/thai_date.html"

    class Media:
        # Pages built on base.html load these already; the admin loads them from here.
        css = {"all": ["css/thai-date.css"]}
        js = ["js/thai-date.js"]

    def __init__(self, attrs=None):
        base = {"autocomplete": "off", "placeholder": _("dd/mm/yyyy"), "data-thai-date": "", "size": 12}
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, dt.date):
            return thai_calendar.format_input_date(value)
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        hint_id = f"{widget['attrs'].get('id') or name}-hint"
        widget["attrs"]["aria-describedby"] = " ".join(filter(None, [widget["attrs"].get("aria-describedby"), hint_id]))
        widget["hint_id"] = hint_id
        # What the picker (static/js/thai-date.js) shows, in the page's language.
        widget["months"] = ",".join(str(m) for m in month_names())
        widget["weekdays"] = str(_("Su,Mo,Tu,We,Th,Fr,Sa"))
        widget["labels"] = "|".join(
            str(label)
            for label in (
                _("Choose a date"),
                _("Previous month"),
                _("Next month"),
                _("Month"),
                _("Year (B.E.)"),
                _("Today"),
                _("Close"),
                _("Not a date: write day/month/year, for example 01/10/2569"),
            )
        )
        return context


def month_names() -> list[str]:
    """Return the twelve month names in the page's language (Thai names in Thai)."""
    if (get_language() or "th").startswith("th"):
        return list(thai_calendar.THAI_MONTHS)
    return list(thai_calendar.ENGLISH_MONTHS)


class ThaiDateField(forms.Field):
    """A date typed day/month/year in the Buddhist era (Thai digits, 2-digit years and month names understood)."""

    widget = ThaiDateInput

    def __init__(self, **kwargs):
        kwargs.pop("input_formats", None)
        super().__init__(**kwargs)

    def to_python(self, value):
        return thai_calendar.parse_date(value, label=self.label)


# Model fields whose names say they hold a B.E. year.
YEAR_SUFFIX = "_be"
YEAR_NAMES = {"fiscal_year", "baseline_year"}


def thai_formfield(model_field, **kwargs):
    """Form field for a model field, the Thai way: numbers, B.E. years and dates as people type them.

    Use as a ModelForm's `formfield_callback` (or `fields_for_model(..., formfield_callback=...)`).
    """
    if isinstance(model_field, models.DecimalField):
        return model_field.formfield(form_class=NumberField, **kwargs)
    if isinstance(model_field, models.IntegerField) and not isinstance(model_field, models.AutoField):
        if model_field.name.endswith(YEAR_SUFFIX) or model_field.name in YEAR_NAMES:
            return model_field.formfield(form_class=YearField, **kwargs)
        small = isinstance(model_field, models.SmallIntegerField | models.PositiveSmallIntegerField)
        kwargs.setdefault("max_value", 32_767 if small else 2_147_483_647)
        return model_field.formfield(form_class=WholeNumberField, **kwargs)
    if isinstance(model_field, models.DateField) and not isinstance(model_field, models.DateTimeField):
        return model_field.formfield(form_class=ThaiDateField, **kwargs)
    return model_field.formfield(**kwargs)
