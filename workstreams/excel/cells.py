"""Reading and writing single cells: text escaping, the rules numbers obey, dates, codes and choices."""

from __future__ import annotations

import datetime as dt
import re

from codi_plans import thai_calendar
from codi_plans.numbers import rule_of, whole_number_rule

from ..models import ProjectBudget, ProjectIndicator
from .layout import CLASS_LABELS, SOURCE_LABELS

# --------------------------------------------------------------------------------------------------
# Text escaping: OOXML strings carry control characters (and a literal "_xHHHH_") as _xHHHH_ escapes,
# the way Excel writes them; without this a "\r\n" from a browser's textarea comes back as "\n".

_NEEDS_ESCAPE = re.compile(r"[\x00-\x08\x0b-\x1f]|_(?=x[0-9A-Fa-f]{4}_)")
# Only what escape writes is read back: a control character's escape or the escaped underscore, nothing else.
_ESCAPED = re.compile(r"_x(00[01][0-9A-Fa-f]|005[Ff])_")


def escape(text: str) -> str:
    return _NEEDS_ESCAPE.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


def unescape(text: str) -> str:
    if "_x" not in text:
        return text
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


# --------------------------------------------------------------------------------------------------
# Reading cells


def short(value) -> str:
    """Quote at most 40 characters of what a cell holds in a message."""
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def normal(text: str) -> str:
    return " ".join(text.split())


def cell_value(values: tuple, columns: dict[str, int], header: str):
    index = columns.get(header)
    if index is None or index >= len(values):
        return None
    value = values[index]
    if isinstance(value, str):
        value = unescape(value).strip()
        return value or None
    return value


def cell_text(values: tuple, columns: dict[str, int], header: str) -> str:
    value = cell_value(values, columns, header)
    return "" if value is None else str(value)


MONEY_RULE = rule_of(ProjectBudget, "amount")
DECIMAL_RULE = rule_of(ProjectIndicator, "target_value")
SIGNED_DECIMAL_RULE = rule_of(ProjectIndicator, "baseline", allow_negative=True)
ORDINAL_RULE = whole_number_rule(1, 32_767)
ORDINAL_RULE_BIG = whole_number_rule(1, 2_147_483_647)
COUNT_RULE = whole_number_rule(0, 2_147_483_647)


def to_date(value, *, label=None) -> dt.date | None:
    """Read a date cell: a real date (its year B.E. or C.E.), an Excel serial number, or text as people type it."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        from openpyxl.utils.datetime import from_excel

        try:
            converted = from_excel(value)
        except (ValueError, OverflowError, TypeError):
            return thai_calendar.parse_date(str(value), label=label)
        value = converted.date() if isinstance(converted, dt.datetime) else converted
    return thai_calendar.parse_date(value if isinstance(value, dt.date) else str(value), label=label)


def to_code(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    # "WS-ECONOMY เศรษฐกิจฐานราก" (a code followed by its name) is read as the code.
    return text.split()[0] if text else text


def choice_key(text: str) -> str:
    return re.sub(r"[\s.]", "", text).lower()


CLASS_BY_KEY = {choice_key(label): code for code, label in CLASS_LABELS.items()} | {
    choice_key(code): code for code in CLASS_LABELS
}
SOURCE_BY_KEY = {choice_key(label): code for code, label in SOURCE_LABELS.items()} | {
    choice_key(code): code for code in SOURCE_LABELS
}
