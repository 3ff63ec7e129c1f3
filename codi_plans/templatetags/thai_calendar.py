"""Template filters for the Thai calendar; loaded as builtins, so every template has them."""

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from codi_plans import thai_calendar

register = template.Library()


@register.filter
def be_year(year_ce):
    """Render a C.E. year as B.E.: 2020 → 2563."""
    if year_ce in (None, ""):
        return ""
    return thai_calendar.to_be(int(year_ce))


@register.filter
def thai_date(value, style="short"):
    """Render a date or datetime as '26 พ.ย. 2569' (Thai) or '26 Nov 2026' (English)."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return thai_calendar.display_date(value, long=style == "long")


@register.filter
def thai_datetime(value):
    """Render a datetime as '26 พ.ย. 2569 14:05'."""
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{thai_date(local.date())} {local:%H:%M}"


@register.filter
def fiscal_year(year_be):
    """Render a fiscal year (B.E.) as 'ปีงบประมาณ 2563' / 'FY2563'."""
    if year_be in (None, ""):
        return ""
    return _("Fiscal year %(year)s") % {"year": year_be}


@register.filter
def quarter(number):
    """Render a fiscal quarter as 'ไตรมาส 1' / 'Q1'."""
    if number in (None, ""):
        return ""
    return _("Quarter %(number)s") % {"number": number}


@register.filter
def baht(amount):
    """Render money in baht with satang: '1,234,567.50'."""
    return thai_calendar.format_baht(amount)
