"""Celery tasks for reports. Each takes ids, calls one service and is safe to run twice."""

import logging

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext as _

from . import selectors, services
from .builds import BUILD_TASK_OPTIONS, TRANSIENT, run_build
from .models import ReportKind

log = logging.getLogger(__name__)


@shared_task(**BUILD_TASK_OPTIONS)
def build_report(self, report_id: int) -> str:
    """Build a report's PDF and Excel files; a report already built, or being built, is left alone."""
    outcome, report_id = run_build(
        self,
        report_id,
        build=lambda pk: services.build_report(report_id=pk),
        release=lambda pk: services.release_report(report_id=pk),
        fail=lambda pk, reason: services.fail_report(report_id=pk, reason=reason),
        label=_("Report"),
        missing=_("No report was named."),
        log=log,
        what="Report",
    )
    if outcome != "nothing to do":
        return outcome
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
