import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from codi_plans import thai_calendar as tc

dates = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2200, 12, 31))
fiscal_years = st.integers(min_value=2500, max_value=2700)
quarters = st.sampled_from(tc.QUARTERS)


@given(st.integers(min_value=1, max_value=9000))
def test_be_and_ce_round_trip(year):
    assert tc.to_ce(tc.to_be(year)) == year
    assert tc.to_be(year) - year == 543


@given(dates)
def test_a_date_lies_inside_its_fiscal_year_and_quarter(day):
    fy, q = tc.fiscal_year_of(day), tc.fiscal_quarter_of(day)
    start, end = tc.fiscal_year_range(fy)
    q_start, q_end = tc.fiscal_quarter_range(fy, q)
    assert start <= q_start <= day <= q_end <= end


@given(fiscal_years)
def test_quarters_tile_the_fiscal_year_without_gaps(fy):
    start, end = tc.fiscal_year_range(fy)
    ranges = [tc.fiscal_quarter_range(fy, q) for q in tc.QUARTERS]
    assert ranges[0][0] == start and ranges[-1][1] == end
    for (_, prev_end), (next_start, _) in zip(ranges, ranges[1:], strict=False):
        assert next_start == prev_end + dt.timedelta(days=1)
    assert (end - start).days + 1 in (365, 366)


@given(fiscal_years)
def test_fiscal_months_run_october_to_september(fy):
    months = tc.fiscal_month_range(fy)
    assert [m for _, m in months] == [10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert months[0][0] == tc.to_ce(fy) - 1 and months[-1][0] == tc.to_ce(fy)


@given(st.integers(min_value=1950, max_value=2200))
def test_october_boundary_starts_the_next_fiscal_year(year):
    last_day, first_day = dt.date(year, 9, 30), dt.date(year, 10, 1)
    assert tc.fiscal_year_of(first_day) == tc.fiscal_year_of(last_day) + 1
    assert tc.fiscal_quarter_of(last_day) == 4
    assert tc.fiscal_quarter_of(first_day) == 1


@given(dates, st.booleans())
def test_thai_date_round_trip(day, abbreviated):
    # A date is read back within 30 years of "today": centre the window on the date itself.
    assert tc.parse_date(tc.thai_date(day, abbreviated=abbreviated), today=day) == day


def test_known_values_from_the_budget_bureau_calendar():
    assert tc.fiscal_year_range(2563) == (dt.date(2019, 10, 1), dt.date(2020, 9, 30))
    assert tc.fiscal_year_of(dt.date(2026, 11, 26)) == 2570
    assert tc.fiscal_quarter_range(2563, 2) == (dt.date(2020, 1, 1), dt.date(2020, 3, 31))
    assert [tc.quarter_report_due(2563, q) for q in tc.QUARTERS] == [
        dt.date(2020, 1, 15),
        dt.date(2020, 4, 15),
        dt.date(2020, 7, 15),
        dt.date(2020, 10, 15),
    ]
    assert tc.thai_date(dt.date(2026, 11, 26)) == "26 พ.ย. 2569"
    assert tc.thai_date(dt.date(2026, 11, 26), abbreviated=False) == "26 พฤศจิกายน 2569"


def test_quarter_outside_one_to_four_is_refused():
    with pytest.raises(ValueError, match="quarter must be 1–4"):
        tc.fiscal_quarter_range(2563, 5)


def test_baht_keeps_satang():
    assert tc.format_baht(Decimal("1234567.5")) == "1,234,567.50"
    assert tc.format_baht(None) == ""


def test_template_filters_render_thai_by_default():
    template = Template(
        "{{ fy|fiscal_year }} · {{ q|quarter }} · {{ day|thai_date }} · {{ year|be_year }} · {{ money|baht }}"
    )
    context = Context({"fy": 2563, "q": 1, "day": dt.date(2026, 11, 26), "year": 2020, "money": Decimal("10.5")})
    with translation.override("th"):
        assert template.render(context) == "ปีงบประมาณ 2563 · ไตรมาส 1 · 26 พ.ย. 2569 · 2563 · 10.50"
    with translation.override("en"):
        assert template.render(context) == "Fiscal year 2563 · Quarter 1 · 26 Nov 2026 · 2563 · 10.50"
