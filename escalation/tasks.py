"""Celery tasks for escalation: the daily reminders and escalations. Safe to run twice (each notice is sent once)."""

import datetime as dt
import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import services

log = logging.getLogger(__name__)
TRANSIENT = (OperationalError, InterfaceError, ConnectionError)
# Beat sends no argument (today in Bangkok); a rerun for a missed day names it as an ISO date within this reach.
MAX_DAYS_AWAY = 400


def parse_day(value) -> dt.date | None:
    """Return the day a run is for (None: today), or raise ValueError for anything but an ISO date near today."""
    if value is None:
        return None
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError("not an ISO date (YYYY-MM-DD)")
    day = dt.date.fromisoformat(value)
    from django.utils import timezone

    if abs((day - timezone.localdate()).days) > MAX_DAYS_AWAY:
        raise ValueError("too far from today")
    return day


@shared_task(acks_late=True, reject_on_worker_lost=True, autoretry_for=TRANSIENT, retry_backoff=30, max_retries=3)
def send_notices(today: str | None = None) -> dict | str:
    """Mail the day's reminders and escalations (each item, level and occasion once); `today` is an ISO date."""
    try:
        day = parse_day(today)
    except (ValueError, TypeError) as error:
        # A message that cannot name a day changes nothing; it is logged and dropped, never retried.
        log.error("send_notices refused its argument %r: %s", today, error)
        return "refused"
    return services.send_notices(today=day)
