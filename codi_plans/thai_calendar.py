"""The Thai calendar in one place: B.E. years, the October–September fiscal year, quarters, Thai dates.

Fiscal year N (B.E.) runs from 1 October of C.E. year N-544 to 30 September of N-543; it is named by
the B.E. year in which it ends. Quarter 1 is October–December, quarter 4 July–September.
"""

import datetime as dt
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

BE_OFFSET = 543
FISCAL_YEAR_START_MONTH = 10
# The B.E. years the data may hold (the models' check constraints); query values outside are refused before any query.
MIN_BE_YEAR, MAX_BE_YEAR = 2500, 2700
REPORT_DUE_DAYS_AFTER_QUARTER = 15

THAI_MONTHS = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
THAI_MONTHS_ABBR = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
QUARTERS = (1, 2, 3, 4)


def to_be(year_ce: int) -> int:
    """Return the Buddhist Era year of a Common Era year."""
    return year_ce + BE_OFFSET


def to_ce(year_be: int) -> int:
    """Return the Common Era year of a Buddhist Era year."""
    return year_be - BE_OFFSET


def fiscal_year_of(day: dt.date) -> int:
    """Return the fiscal year (B.E.) that contains the date."""
    year_ce = day.year + 1 if day.month >= FISCAL_YEAR_START_MONTH else day.year
    return to_be(year_ce)


def fiscal_quarter_of(day: dt.date) -> int:
    """Return the fiscal quarter (1–4) that contains the date."""
    return ((day.month - FISCAL_YEAR_START_MONTH) % 12) // 3 + 1


def fiscal_year_range(fiscal_year: int) -> tuple[dt.date, dt.date]:
    """Return the first and last day of a fiscal year (B.E.)."""
    end_ce = to_ce(fiscal_year)
    return dt.date(end_ce - 1, 10, 1), dt.date(end_ce, 9, 30)


def fiscal_quarter_range(fiscal_year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """Return the first and last day of a quarter of a fiscal year (B.E.)."""
    if quarter not in QUARTERS:
        raise ValueError(f"quarter must be 1–4, not {quarter!r}")
    start_month = (FISCAL_YEAR_START_MONTH - 1 + 3 * (quarter - 1)) % 12 + 1
    start_year = to_ce(fiscal_year) - (1 if quarter == 1 else 0)
    start = dt.date(start_year, start_month, 1)
    next_start = dt.date(start_year + (start_month + 3 > 12), (start_month + 2) % 12 + 1, 1)
    return start, next_start - dt.timedelta(days=1)


def fiscal_month_range(fiscal_year: int) -> list[tuple[int, int]]:
    """Return the (C.E. year, month) pairs of a fiscal year in order, October first."""
    start, _ = fiscal_year_range(fiscal_year)
    return [(start.year + (start.month + i > 12), (start.month + i - 1) % 12 + 1) for i in range(12)]


def quarter_report_due(fiscal_year: int, quarter: int) -> dt.date:
    """Return the day the Budget Bureau's quarterly report falls due (15 days after the quarter)."""
    _, end = fiscal_quarter_range(fiscal_year, quarter)
    return end + dt.timedelta(days=REPORT_DUE_DAYS_AFTER_QUARTER)


def current_fiscal_year(today: dt.date | None = None) -> int:
    """Return the fiscal year (B.E.) of today in Bangkok."""
    if today is None:
        from django.utils import timezone

        today = timezone.localdate()
    return fiscal_year_of(today)


def selectable_years(first: int | None, last: int | None, *, today: dt.date | None = None) -> list[int]:
    """Return the fiscal years a year selector offers, newest first: every year with data, this year and the next.

    `first` and `last` are the earliest and latest years the data holds (None when it holds none).
    """
    this_year = current_fiscal_year(today)
    low = min(this_year, first) if first else this_year
    high = max(this_year + 1, last) if last else this_year + 1
    return list(range(high, low - 1, -1))


def thai_date(day: dt.date, *, abbreviated: bool = True) -> str:
    """Format a date the Thai way with a B.E. year: '26 พ.ย. 2569' or '26 พฤศจิกายน 2569'."""
    months = THAI_MONTHS_ABBR if abbreviated else THAI_MONTHS
    return f"{day.day} {months[day.month - 1]} {to_be(day.year)}"


# People type dates the Thai way: day/month/year in the Buddhist era, Thai digits, a month name.
YEAR_WINDOW = 30
MAX_DATE_TEXT = 60
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_SEPARATOR = r"\s*[/.\-]\s*"
_NUMERIC_DMY = re.compile(rf"(\d{{1,2}}){_SEPARATOR}(\d{{1,2}}){_SEPARATOR}(\d{{4}}|\d{{2}})")
_COMPACT_DMY = re.compile(r"(\d{2})(\d{2})(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_WORDS = re.compile(r"(\d{1,2})\s*(\D+?)\s*(\d{4}|\d{2})")
_ERA_BE = ("พ.ศ.", "พศ", "b.e.", "be")
_ERA_CE = ("ค.ศ.", "คศ", "c.e.", "ce", "a.d.", "ad")


def _squash(text: str) -> str:
    return text.lower().replace(".", "").replace(" ", "")


def _era(text: str) -> str | None:
    words = text.lower().split()
    squashed = {_squash(w) for w in words}
    if squashed & {_squash(t) for t in _ERA_BE}:
        return "be"
    if squashed & {_squash(t) for t in _ERA_CE}:
        return "ce"
    return None


def _month_number(text: str) -> int | None:
    words = [w for w in text.split() if _squash(w) not in {_squash(t) for t in _ERA_BE + _ERA_CE}]
    word = _squash(" ".join(words))
    if not word:
        return None
    for names in (THAI_MONTHS, THAI_MONTHS_ABBR):
        for number, name in enumerate(names, start=1):
            if word == _squash(name):
                return number
    for number, name in enumerate(ENGLISH_MONTHS, start=1):
        if len(word) >= 3 and name.lower().startswith(word):
            return number
    return None


def _quoted(value) -> str:
    text = "".join(ch if ch.isprintable() else " " for ch in str(value)).strip()
    return text if len(text) <= 40 else text[:40] + "…"


def _not_a_date(value, label) -> ValidationError:
    return ValidationError(
        _("%(field)s: “%(value)s” is not a date. Write day/month/year in the Buddhist era, for example 01/10/2569.")
        % {"field": label or _("The date"), "value": _quoted(value)},
        code="not_a_date",
    )


def parse_date(value, *, label=None, today: dt.date | None = None) -> dt.date | None:
    """Return the date a person or a file gave, or None when blank; B.E. and C.E. years are both understood.

    Takes 01/10/2569, 1-10-69, ๐๑/๑๐/๒๕๖๙, 01102569, 2026-10-01, 2569-10-01, "1 ต.ค. 2569", "1 ตุลาคม พ.ศ. 2569" and
    date objects. A four-digit year from 2400 on is B.E. (or whatever era is written beside it), a two-digit year is
    25xx; the year must then lie within 30 years of today, whichever era it was typed in. Raises ValidationError
    (codes not_a_date, not_a_day, implausible_year) and nothing else.
    """
    if value is None:
        return None
    era = None
    if isinstance(value, dt.date):  # a datetime is a date too
        year, month, day = value.year, value.month, value.day
    elif isinstance(value, str):
        text = " ".join(value.translate(THAI_DIGITS).split())
        if not text:
            return None
        if len(text) > MAX_DATE_TEXT:
            raise _not_a_date(value, label)
        era = _era(text)
        numeric = _NUMERIC_DMY.fullmatch(text) or _COMPACT_DMY.fullmatch(text)
        iso = _ISO.fullmatch(text)
        words = _WORDS.fullmatch(text)
        if numeric:
            day, month, year = (int(part) for part in numeric.groups())
            short_year = len(numeric[3]) == 2
        elif iso:
            year, month, day = (int(part) for part in iso.groups())
            short_year = False
        elif words and _month_number(words[2]) is not None:
            day, month, year = int(words[1]), _month_number(words[2]), int(words[3])
            short_year = len(words[3]) == 2
        else:
            raise _not_a_date(value, label)
        if short_year:
            year += 2000 if era == "ce" else 2500
    else:
        raise _not_a_date(value, label)
    typed_year = year
    if era == "be" or (era is None and year >= 2400):
        year -= BE_OFFSET
    today = today or _today()
    if abs(year - today.year) > YEAR_WINDOW:
        raise ValidationError(
            _(
                "%(field)s: the year %(year)s is more than %(window)s years from now. "
                "Write the year in the Buddhist era, for example %(example)s."
            )
            % {
                "field": label or _("The date"),
                "year": typed_year,
                "window": YEAR_WINDOW,
                "example": format_input_date(today),
            },
            code="implausible_year",
        )
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValidationError(
            _("%(field)s: %(value)s is not a day of the calendar.")
            % {"field": label or _("The date"), "value": f"{day}/{month}/{typed_year}"},
            code="not_a_day",
        ) from None


def parse_be_year(value, *, label=None, today: dt.date | None = None) -> int | None:
    """Return a B.E. year a person or a file gave (Thai digits fine), or None when blank.

    A C.E. year is refused with the B.E. year it stands for, and any year more than 30 years from this one too.
    """
    from .numbers import parse_whole, whole_number_rule

    year = parse_whole(value, whole_number_rule(0, 9999), label=label)
    if year is None:
        return None
    field = label or _("The year")
    this_year = to_be((today or _today()).year)
    if this_year - BE_OFFSET - YEAR_WINDOW <= year <= this_year - BE_OFFSET + YEAR_WINDOW:
        raise ValidationError(
            _("%(field)s: write the year in the Buddhist era; %(year)s C.E. is %(be)s B.E.")
            % {"field": field, "year": year, "be": to_be(year)},
            code="year_not_be",
        )
    if abs(year - this_year) > YEAR_WINDOW:
        raise ValidationError(
            _("%(field)s: the year %(year)s is more than %(window)s years from now (B.E. %(this)s).")
            % {"field": field, "year": year, "window": YEAR_WINDOW, "this": this_year},
            code="implausible_year",
        )
    return year


def _today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def display_date(day: dt.date, *, long: bool = False) -> str:
    """Write a date for people in the page's language: '1 ต.ค. 2569' in Thai, '1 Oct 2026' in English."""
    from django.utils.translation import get_language

    if (get_language() or "th").startswith("th"):
        return thai_date(day, abbreviated=not long)
    return day.strftime("%-d %B %Y" if long else "%-d %b %Y")


def format_input_date(day: dt.date | None) -> str:
    """Write a date the way people type it: 01/10/2569 (day/month/B.E. year)."""
    if day is None:
        return ""
    return f"{day.day:02d}/{day.month:02d}/{to_be(day.year)}"


def format_baht(amount: Decimal | int | None) -> str:
    """Format money in baht with satang and thousands separators: '1,234,567.50'."""
    if amount is None:
        return ""
    return f"{Decimal(amount):,.2f}"
