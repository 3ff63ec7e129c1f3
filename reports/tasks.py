"""Celery tasks for reports. Each takes ids, calls one service and is safe to run twice."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError
from django.utils import timezone
from django.utils.translation import gettext as _
from redis.exceptions import ConnectionError as RedisConnectionError

from codi_plans.numbers import parse_whole, whole_number_rule

from . import selectors, services
from .models import ReportKind

log = logging.getLogger(__name__)

# Faults that pass: the database or the broker went away for a moment. The build is retried with backoff.
TRANSIENT = (OperationalError, InterfaceError, ConnectionError, RedisConnectionError)
ID_RULE = whole_number_rule(1, 9_223_372_036_854_775_807)
SOFT_TIME_LIMIT = 20 * 60
TIME_LIMIT = 25 * 60


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT,
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=TIME_LIMIT,
)
def build_report(self, report_id: int) -> str:
    """Build a report's PDF and Excel files; a report already built, or being built, is left alone."""
    try:
        report_id = parse_whole(report_id, ID_RULE, label=_("Report"))
        if report_id is None:
            raise ValidationError(_("No report was named."), code="required")
    except ValidationError as error:
        # A message that cannot name a report changes nothing; it is logged and dropped, never retried.
        log.error("build_report refused its argument: %s", error.messages[0])
        return "refused"
    try:
        report = services.build_report(report_id=report_id)
    except TRANSIENT:
        if self.request.retries >= self.max_retries:
            services.fail_report(report_id=report_id, reason=_("The database or the queue kept failing; ask again."))
            raise
        # Give the report back so the retry can claim it at once.
        services.release_report(report_id=report_id)
        raise
    except SoftTimeLimitExceeded:
        services.fail_report(
            report_id=report_id,
            reason=_("The build took longer than %(minutes)s minutes.") % {"minutes": SOFT_TIME_LIMIT // 60},
        )
        return "failed"
    except Exception as exc:  # noqa: BLE001  (any other fault is the report's failure, shown to the person)
        log.exception("Report %s failed", report_id)
        services.fail_report(report_id=report_id, reason=f"{type(exc).__name__}: {exc}")
        return "failed"
    if report is not None:
        return "built"
    wait = selectors.lease_remaining(report_id)
    if wait is not None and not self.request.is_eager:
        # Another run holds the report (a duplicate delivery, or a worker that may have died): look again when its
        # lease runs out, so the report is finished either by that run or by this one, never by nobody.
        # Same task id and queue as this delivery, as a Celery retry would have, but not counted as a retry.
        self.signature_from_request(countdown=wait + 1).apply_async()
        return "held by another run"
    return "nothing to do"


@shared_task(acks_late=True, reject_on_worker_lost=True, autoretry_for=TRANSIENT, retry_backoff=5, max_retries=5)
def file_scheduled_report(kind: str, scope_key: str, fiscal_year: int, quarter: int | None) -> int:
    """File one scheduled report (or find it already filed on the same data) and queue its build."""
    return services.file_scheduled_report(kind=kind, scope_key=scope_key, fiscal_year=fiscal_year, quarter=quarter).pk


@shared_task
def build_quarterly_reports() -> int:
    """On the first day after a quarter: file the quarterly progress reports of the country, regions and provinces."""
    fiscal_year, quarter = services.quarter_just_ended(timezone.localdate())
    scopes = selectors.scheduled_scopes()
    for scope_key in scopes:
        file_scheduled_report.delay(ReportKind.PROGRESS, scope_key, fiscal_year, quarter)
    return len(scopes)


@shared_task
def requeue_stale_reports() -> int:
    """Queue again the builds that a dead worker left behind."""
    return services.requeue_stale_reports()
