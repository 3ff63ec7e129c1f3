"""Reads of the geography that pages share."""

from dataclasses import dataclass
from datetime import datetime

from .models import Province, Region


@dataclass(frozen=True)
class RegionChange:
    at: datetime
    by: object  # the user, or None for a data load
    from_region: Region | None
    to_region: Region | None
    reason: str


def region_history(province: Province) -> list[RegionChange]:
    """List each change of the province's region, newest first: when, who, from which region to which, why."""
    records = list(province.history.select_related("history_user").order_by("history_date", "history_id"))
    regions = {r.pk: r for r in Region.objects.all()}
    changes, previous = [], None
    for record in records:
        if previous is not None and record.region_id != previous.region_id:
            changes.append(
                RegionChange(
                    at=record.history_date,
                    by=record.history_user,
                    from_region=regions.get(previous.region_id),
                    to_region=regions.get(record.region_id),
                    reason=record.history_change_reason or "",
                )
            )
        previous = record
    return changes[::-1]


def tambon_counts() -> dict[str, int]:
    """Return {province code: number of its tambons (แขวง in Bangkok)} in one query."""
    from django.db.models import Count

    return dict(Province.objects.order_by().annotate(tambons=Count("subdistricts")).values_list("code", "tambons"))
