"""Money as people type it, and the input shapes the budget services take."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from codi_plans.numbers import NumberRule, parse_decimal
from codi_plans.thai_calendar import parse_be_year

MAX_MONEY = Decimal("999999999999.99")
SATANG = Decimal("0.01")
ZERO = Decimal("0.00")


MONEY_RULE = NumberRule(max_digits=14, decimal_places=2)


def money(value, *, field_name: str = "amount", allow_none: bool = False, label=None) -> Decimal | None:
    """Return a baht amount as a Decimal with satang, read the way people type it (codi_plans.numbers).

    Refuses negatives, fractions of satang, amounts too large for the books, and anything that is not a number,
    with a message on `field_name`.
    """
    try:
        amount = parse_decimal(value, MONEY_RULE, label=label or _("Amount (baht)"))
    except ValidationError as error:
        raise ValidationError({field_name: error}) from None
    if amount is None and not allow_none:
        raise ValidationError({field_name: _("An amount is required.")})
    return amount


@dataclass
class IndicatorInput:
    name: str
    unit: str
    target_value: Decimal
    baseline: Decimal | None = None
    target_year_be: int | None = None


@dataclass
class ExpenseInput:
    category: str
    amount: Decimal
    description: str = ""


@dataclass
class PeriodInput:
    """Planned or actual figures for a quarter, or for one calendar month of it."""

    quarter: int
    quantity: Decimal
    amount: Decimal
    month: int | None = None


@dataclass
class ActivityInput:
    name: str
    unit: str
    category: str
    periods: list[PeriodInput] = field(default_factory=list)


@dataclass
class ActualInput:
    activity_number: int
    quantity: Decimal
    amount: Decimal
    month: int | None = None
    explanation: str = ""


def _clean_indicators(indicators: list[IndicatorInput], *, year_field: bool) -> list[IndicatorInput]:
    cleaned = []
    for ind in indicators:
        name, unit = (ind.name or "").strip(), (ind.unit or "").strip()
        if not name and not unit and ind.target_value in (None, ""):
            continue
        if not name or not unit:
            raise ValidationError({"indicators": _("Every indicator needs a name and a unit.")})
        target = money(ind.target_value, field_name="indicators", label=_("Target value"))
        baseline = money(ind.baseline, field_name="indicators", allow_none=True, label=_("Baseline"))
        year = None
        if year_field:
            try:
                year = parse_be_year(ind.target_year_be, label=_("Target year (B.E.)"))
            except ValidationError as error:
                raise ValidationError({"indicators": error}) from None
        cleaned.append(IndicatorInput(name[:300], unit[:60], target, baseline, year))
    return cleaned
