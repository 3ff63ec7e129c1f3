"""One number parser for every place a person or a file gives a number: forms, the API, Excel, CSV, task arguments.

People type numbers the Thai way: Thai digits (๑,๕๐๐.๒๕), a no-break space copied from a web page, a leading ฿
or a trailing บาท, thousands separators. Files bring floats, Decimals and text. Whatever arrives, the parser
either returns a value that fits the field (its digits and decimal places checked *before* anything is rounded,
so nothing is silently changed) or raises Django's ValidationError with a translated message that names the
field. It never raises anything else, whatever the input: `1e400`, `NaN`, `Infinity`, forty digits, `1,5`.
"""

import decimal
import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .thai_calendar import THAI_DIGITS

# Minus signs people paste: ASCII hyphen-minus, the Unicode minus, and the en dash Word puts in.
MINUS_SIGNS = "-\u2212\u2013"
CURRENCY_PREFIXES = ("฿",)
CURRENCY_SUFFIXES = ("บาท",)
# Digits only, or digits grouped by commas in threes; an optional fraction after a point.
_PLAIN = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d*)?")
QUOTE_LIMIT = 40
# Longer text is not a number anyone typed; it is refused before any work is done on it.
MAX_INPUT_LENGTH = 200


@dataclass(frozen=True)
class NumberRule:
    """What a field accepts: digits in all, digits after the point, sign and range."""

    max_digits: int
    decimal_places: int
    allow_negative: bool = False
    minimum: Decimal | int | None = None
    maximum: Decimal | int | None = None

    @property
    def largest(self) -> Decimal:
        whole = self.max_digits - self.decimal_places
        return Decimal(10) ** whole - Decimal(10) ** -self.decimal_places


def whole_number_rule(minimum: int | None = 0, maximum: int = 2_147_483_647) -> NumberRule:
    """Return the rule of a whole-number field between minimum and maximum (a positive integer column by default)."""
    allow_negative = minimum is None or minimum < 0
    return NumberRule(
        max_digits=len(str(max(abs(maximum), abs(minimum or 0)))),
        decimal_places=0,
        allow_negative=allow_negative,
        minimum=minimum,
        maximum=maximum,
    )


def quote(value) -> str:
    """Return at most 40 characters of what a person gave, safe to put in a message."""
    text = "".join(ch if ch.isprintable() else " " for ch in str(value)).strip()
    return text if len(text) <= QUOTE_LIMIT else text[:QUOTE_LIMIT] + "…"


def _error(message: str, code: str, label, value=None, **params) -> ValidationError:
    params = {"field": label if label is not None else _("The value"), **params}
    if value is not None:
        params["value"] = quote(value)
    return ValidationError(message % params, code=code)


def _not_a_number(label, value) -> ValidationError:
    return _error(
        _("%(field)s: “%(value)s” is not a number. Write digits (Thai digits are fine), for example 1,500.25."),
        "not_a_number",
        label,
        value,
    )


def _from_text(text: str, label, original) -> Decimal:
    """Turn typed text into a Decimal, or refuse it; commas only as thousands separators."""
    if len(text) > MAX_INPUT_LENGTH:
        raise _not_a_number(label, original)
    text = "".join(text.translate(THAI_DIGITS).split())
    for prefix in CURRENCY_PREFIXES:
        text = text.removeprefix(prefix)
    for suffix in CURRENCY_SUFFIXES:
        text = text.removesuffix(suffix)
    negative = False
    if text and text[0] in MINUS_SIGNS:
        negative, text = True, text[1:]
    elif text[:1] == "+":
        text = text[1:]
    for prefix in CURRENCY_PREFIXES:  # "-฿500" as well as "฿-500"
        text = text.removeprefix(prefix)
    if not text.isascii():
        raise _not_a_number(label, original)
    if "," in text:
        if not _GROUPED.fullmatch(text):
            raise _error(
                _(
                    "%(field)s: in “%(value)s” the comma is not a thousands separator. "
                    "Write 1,500 for one thousand five hundred, or 1.5 for one and a half."
                ),
                "bad_separator",
                label,
                original,
            )
        text = text.replace(",", "")
    elif not _PLAIN.fullmatch(text):
        raise _not_a_number(label, original)
    number = Decimal(text)
    return -number if negative else number


def _from_float(value: float, rule: NumberRule) -> Decimal:
    # The shortest spelling that reads back as the same float: 1234.5 stays 1234.5, never 1234.4999…
    exact = Decimal(repr(value))
    if _shape(exact)[1] <= rule.decimal_places:
        return exact
    # A spreadsheet's computed cell (0.1 + 0.2 = 0.30000000000000004) shows 15 significant digits: so do we.
    return Decimal(format(value, ".15g"))


def _shape(number: Decimal) -> tuple[int, int]:
    """Return (digits before the point, digits after it) of a finite Decimal, trailing zeros not counted."""
    _sign, digits, exponent = number.as_tuple()
    digits = list(digits)
    if not any(digits):
        return 1, 0
    while exponent < 0 and digits and digits[-1] == 0:
        digits.pop()
        exponent += 1
    if exponent >= 0:
        return len(digits) + exponent, 0
    return max(len(digits) + exponent, 0), -exponent


def parse_decimal(value, rule: NumberRule, *, label=None) -> Decimal | None:
    """Return the number a person or a file gave, fitted to the rule, or None when it is blank.

    Raises ValidationError (codes: not_a_number, bad_separator, negative, too_many_decimals, too_large,
    below_minimum, above_maximum) and nothing else.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise _not_a_number(label, value)
    if isinstance(value, str):
        if not value.strip():
            return None
        number = _from_text(value, label, value)
    elif isinstance(value, int):
        if value.bit_length() > 128:
            raise _too_large(rule, label)
        number = Decimal(value)
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise _not_a_number(label, value)
        number = _from_float(value, rule)
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise _not_a_number(label, value)
        number = value
    else:
        raise _not_a_number(label, value)

    whole, places = _shape(number)
    if number < 0 and not rule.allow_negative:
        raise _error(_("%(field)s cannot be negative."), "negative", label)
    if places > rule.decimal_places:
        if rule.decimal_places == 0:
            raise _error(
                _("%(field)s takes a whole number; “%(value)s” has a fraction."), "too_many_decimals", label, value
            )
        raise _error(
            _("%(field)s takes at most %(places)s decimal places; “%(value)s” has more."),
            "too_many_decimals",
            label,
            value,
            places=rule.decimal_places,
        )
    if whole > rule.max_digits - rule.decimal_places:
        raise _too_large(rule, label)
    # Within the rule's digits now, so exact arithmetic in a context just big enough.
    context = decimal.Context(prec=rule.max_digits + 2, traps=[decimal.InvalidOperation])
    number = number.quantize(Decimal(1).scaleb(-rule.decimal_places), context=context)
    if number == 0:
        number = abs(number)  # "-0" is zero
    if rule.minimum is not None and number < rule.minimum:
        raise _error(_("%(field)s must be at least %(minimum)s."), "below_minimum", label, minimum=_shown(rule.minimum))
    if rule.maximum is not None and number > rule.maximum:
        raise _error(_("%(field)s must be at most %(maximum)s."), "above_maximum", label, maximum=_shown(rule.maximum))
    return number


def _too_large(rule: NumberRule, label) -> ValidationError:
    return _error(
        _("%(field)s is too large: the largest value it takes is %(largest)s."),
        "too_large",
        label,
        largest=_shown(rule.maximum if rule.maximum is not None else rule.largest),
    )


def _shown(number) -> str:
    number = Decimal(number)
    places = max(-number.as_tuple().exponent, 0)
    return f"{number:,.{places}f}"


def parse_whole(value, rule: NumberRule | None = None, *, label=None) -> int | None:
    """Return a whole number a person or a file gave (Thai digits, separators, "5.0" from a spreadsheet), or None."""
    rule = rule or whole_number_rule()
    number = parse_decimal(
        value, NumberRule(rule.max_digits, 0, rule.allow_negative, rule.minimum, rule.maximum), label=label
    )
    return None if number is None else int(number)


def rule_of(model, field_name: str, *, allow_negative: bool = False, **bounds) -> NumberRule:
    """Return the rule of a model's DecimalField or integer field, from its max_digits and decimal_places."""
    from django.db import models

    field = model._meta.get_field(field_name)
    if isinstance(field, models.DecimalField):
        return NumberRule(field.max_digits, field.decimal_places, allow_negative, **bounds)
    if isinstance(field, models.PositiveSmallIntegerField | models.SmallIntegerField):
        maximum = 32_767
    elif isinstance(field, models.BigIntegerField):
        maximum = 9_223_372_036_854_775_807
    else:
        maximum = 2_147_483_647
    positive = isinstance(field, models.PositiveIntegerField | models.PositiveSmallIntegerField)
    minimum = bounds.pop("minimum", 0 if positive or not allow_negative else -maximum)
    return whole_number_rule(minimum, bounds.pop("maximum", maximum))
