"""Reads about reports: what a person may list, which reports are stale, which scopes are filed on schedule."""

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from areas.models import Province, Region

from .models import Report, ReportStatus
from .scopes import COUNTRY


def reports_for(user):
    """Return the reports the user may see, with what their list and detail pages show."""
    return Report.objects.visible_to(user).select_related(
        "region", "province_group", "province", "workstream", "requested_by"
    )


def lease_remaining(report_id: int) -> float | None:
    """Return the seconds until a running report's lease runs out (None when the report is not running)."""
    expires = (
        Report.objects.filter(pk=report_id, status=ReportStatus.RUNNING)
        .values_list("lease_expires_at", flat=True)
        .first()
    )
    if expires is None:
        return None
    return max((expires - timezone.now()).total_seconds(), 0.0)


def stale_reports():
    """Return reports that should be building but nobody is: queued for a while, or held by a lease that ran out."""
    now = timezone.now()
    grace = now - dt.timedelta(seconds=settings.REPORTS_LEASE_SECONDS)
    return Report.objects.filter(
        Q(status=ReportStatus.QUEUED, requested_at__lt=grace) | Q(status=ReportStatus.RUNNING, lease_expires_at__lt=now)
    )


def scheduled_scopes() -> list[str]:
    """The scopes of the reports filed each quarter: the country, each region and each province."""
    return [
        COUNTRY.key,
        *(f"region:{key}" for key in Region.objects.order_by("number").values_list("key", flat=True)),
        *(f"province:{code}" for code in Province.objects.order_by("code").values_list("code", flat=True)),
    ]
