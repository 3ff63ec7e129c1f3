"""The Thai calendar in one place: B.E. years, the October–September fiscal year, quarters, Thai dates.

Fiscal year N (B.E.) runs from 1 October of C.E. year N-544 to 30 September of N-543; it is named by
the B.E. year in which it ends. Quarter 1 is October–December, quarter 4 July–September.
"""

import datetime as dt
from decimal import Decimal

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


def thai_date(day: dt.date, *, abbreviated: bool = True) -> str:
    """Format a date the Thai way with a B.E. year: '26 พ.ย. 2569' or '26 พฤศจิกายน 2569'."""
    months = THAI_MONTHS_ABBR if abbreviated else THAI_MONTHS
    return f"{day.day} {months[day.month - 1]} {to_be(day.year)}"


def parse_thai_date(text: str) -> dt.date:
    """Parse a date written by thai_date back into a date."""
    day, month, year = text.split()
    months = THAI_MONTHS_ABBR if month in THAI_MONTHS_ABBR else THAI_MONTHS
    return dt.date(to_ce(int(year)), months.index(month) + 1, int(day))


def format_baht(amount: Decimal | int | None) -> str:
    """Format money in baht with satang and thousands separators: '1,234,567.50'."""
    if amount is None:
        return ""
    return f"{Decimal(amount):,.2f}"
