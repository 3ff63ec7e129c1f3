"""The one number parser and the B.E. date parser, fed what people and files really give, and hostile input.

Whatever arrives, each either returns a value that fits its field or raises the product's ValidationError with a
message; never another exception, never a value the database column cannot hold.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from codi_plans import thai_calendar as tc
from codi_plans.numbers import NumberRule, parse_decimal, parse_whole, whole_number_rule

THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
MONEY = NumberRule(max_digits=14, decimal_places=2)
NUMBER_CODES = {
    "not_a_number",
    "bad_separator",
    "negative",
    "too_many_decimals",
    "too_large",
    "below_minimum",
    "above_maximum",
}
DATE_CODES = {"not_a_date", "not_a_day", "implausible_year"}
TODAY = dt.date(2026, 12, 5)

rules = st.builds(
    NumberRule,
    max_digits=st.integers(min_value=1, max_value=20),
    decimal_places=st.integers(min_value=0, max_value=4),
    allow_negative=st.booleans(),
).filter(lambda r: r.decimal_places <= r.max_digits)
hostile_text = st.one_of(
    st.text(max_size=60),
    st.from_regex(r"[-+−฿ ]{0,2}[0-9๐-๙,. \u00a0eE]{0,45}(บาท)?", fullmatch=True),
    st.sampled_from(
        [
            "1e20",
            "1e400",
            "-1e400",
            "NaN",
            "nan",
            "Infinity",
            "-inf",
            "1,5",
            "1,500",
            "1,500.25",
            "9" * 29,
            "1" * 40,
            "0x10",
            "١٢٣",
            "½",
            "1_000",
            "--1",
            "+-1",
            ".",
            ",",
            "฿",
            "บาท",
            "\x00",
            "1\x002",
        ]
    ),
)
numbers = st.one_of(
    hostile_text,
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**60), max_value=10**60),
    st.booleans(),
    st.none(),
)


def fits(value: Decimal, rule: NumberRule) -> bool:
    sign, digits, exponent = value.as_tuple()
    return (
        value.is_finite()
        and exponent == -rule.decimal_places
        and len(digits) <= rule.max_digits
        and abs(value) <= rule.largest
        and (rule.allow_negative or value >= 0)
    )


@settings(max_examples=400)
@given(numbers, rules)
def test_the_number_parser_returns_a_fitting_value_or_a_validation_error(value, rule):
    try:
        parsed = parse_decimal(value, rule, label="Amount")
    except ValidationError as error:
        assert error.code in NUMBER_CODES
        assert error.messages[0].startswith("Amount")
        return
    assert parsed is None or fits(parsed, rule), (value, parsed)


@given(st.decimals(min_value=Decimal("-999999999999.99"), max_value=Decimal("999999999999.99"), places=2))
def test_any_amount_typed_with_thai_digits_and_separators_reads_back_exactly(amount):
    rule = NumberRule(max_digits=14, decimal_places=2, allow_negative=True)
    for typed in (f"{amount:,.2f}", f"{amount:.2f}", f"{amount:,.2f}".translate(THAI), f"{amount:,.2f} บาท"):
        assert parse_decimal(typed, rule) == amount


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1,500", Decimal("1500.00")),
        ("1,500.25", Decimal("1500.25")),
        ("๑,๕๐๐.๒๕", Decimal("1500.25")),
        ("฿1,500", Decimal("1500.00")),
        ("1,500 บาท", Decimal("1500.00")),
        ("1\u00a0500", Decimal("1500.00")),
        (" 42 ", Decimal("42.00")),
        ("1.250", Decimal("1.25")),  # a trailing zero is not a third decimal place
        (1234.5, Decimal("1234.50")),
        (0.1 + 0.2, Decimal("0.30")),  # a spreadsheet's float noise, read as the 15 digits it shows
        ("", None),
    ],
)
def test_numbers_typed_the_thai_way_are_read(typed, expected):
    assert parse_decimal(typed, MONEY) == expected


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("1,5", "bad_separator"),
        ("15,00", "bad_separator"),
        ("1e20", "not_a_number"),
        ("1e400", "not_a_number"),
        ("NaN", "not_a_number"),
        ("Infinity", "not_a_number"),
        (float("nan"), "not_a_number"),
        (float("inf"), "not_a_number"),
        (1e20, "too_large"),
        ("9" * 29, "too_large"),
        ("1" * 40, "too_large"),
        (10**400, "too_large"),
        ("-5", "negative"),
        ("1.255", "too_many_decimals"),
        (True, "not_a_number"),
    ],
)
def test_hostile_numbers_are_refused_with_a_message_naming_the_field(typed, code):
    with pytest.raises(ValidationError, match="จำนวนเงิน") as caught:
        parse_decimal(typed, MONEY, label="จำนวนเงิน")
    assert caught.value.code == code
    assert caught.value.messages[0].startswith("จำนวนเงิน")


def test_whole_numbers_take_thai_digits_and_a_spreadsheets_float_but_no_fraction():
    rule = whole_number_rule(0, 32_767)
    assert parse_whole("๑,๒๐๐", rule) == 1200
    assert parse_whole(5.0, rule) == 5
    with pytest.raises(ValidationError, match="ต้องเป็นจำนวนเต็ม") as caught:
        parse_whole("2.5", rule, label="Households")
    assert caught.value.code == "too_many_decimals"
    with pytest.raises(ValidationError, match="ค่า ต้องไม่เกิน") as caught:
        parse_whole("40000", rule)
    assert caught.value.code in {"too_large", "above_maximum"}


# --- dates -------------------------------------------------------------------------------------------------------

hostile_dates = st.one_of(
    st.text(max_size=70),
    st.from_regex(r"[0-9๐-๙]{0,9}[/.\- ]{0,2}[0-9๐-๙]{0,5}[/.\- ]{0,2}[0-9๐-๙]{0,6}", fullmatch=True),
    st.dates(),
    st.datetimes(),
    st.integers(),
    st.none(),
)


@settings(max_examples=400)
@given(hostile_dates)
def test_the_date_parser_returns_a_plausible_date_or_a_validation_error(value):
    try:
        day = tc.parse_date(value, label="Start date", today=TODAY)
    except ValidationError as error:
        assert error.code in DATE_CODES
        assert error.messages[0].startswith("Start date")
        return
    assert day is None or abs(day.year - TODAY.year) <= tc.YEAR_WINDOW


@given(st.dates(min_value=dt.date(1997, 1, 1), max_value=dt.date(2056, 12, 31)))
def test_a_date_typed_the_thai_way_reads_back(day):
    typed_be = tc.format_input_date(day)  # 01/10/2569
    for typed in (
        typed_be,
        typed_be.translate(THAI),
        day.isoformat(),
        tc.thai_date(day),
        tc.thai_date(day, abbreviated=False),
    ):
        assert tc.parse_date(typed, today=TODAY) == day, typed


@pytest.mark.parametrize(
    "typed",
    [
        "01/10/2569",
        "1/10/2569",
        "๐๑/๑๐/๒๕๖๙",
        "01-10-2569",
        "01.10.2569",
        "01102569",
        "1/10/69",
        "2026-10-01",
        "2569-10-01",
        "1 ต.ค. 2569",
        "1 ตุลาคม 2569",
        "1 ตุลาคม พ.ศ. 2569",
        "1 Oct 2026",
        "1 October C.E. 2026",
    ],
)
def test_dates_typed_the_thai_way_are_read(typed):
    assert tc.parse_date(typed, today=TODAY) == dt.date(2026, 10, 1)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("01/10/3112", "implausible_year"),
        ("1/10/1969", "implausible_year"),
        ("31/02/2569", "not_a_day"),
        ("2569/10/01/5", "not_a_date"),
        ("พรุ่งนี้", "not_a_date"),
        ("x" * 500, "not_a_date"),
    ],
)
def test_impossible_dates_are_refused(typed, code):
    with pytest.raises(ValidationError, match="Start date: ") as caught:
        tc.parse_date(typed, label="Start date", today=TODAY)
    assert caught.value.code == code


def test_a_be_year_box_refuses_a_ce_year_and_says_which_be_year_it_is():
    assert tc.parse_be_year("๒๕๖๙", today=TODAY) == 2569
    with pytest.raises(ValidationError, match=r"กรุณาเขียนปีเป็น พ\.ศ\.") as caught:
        tc.parse_be_year("2026", label="Fiscal year", today=TODAY)
    assert caught.value.code == "year_not_be" and "2569" in caught.value.messages[0]
    with pytest.raises(ValidationError, match="ห่างจากปีนี้") as caught:
        tc.parse_be_year("3112", today=TODAY)
    assert caught.value.code == "implausible_year"
