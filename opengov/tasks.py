"""Celery tasks for open-government exports. Each takes ids, calls one service and is safe to run twice."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from codi_plans.numbers import parse_whole
from reports.tasks import ID_RULE, TRANSIENT

from . import services

log = logging.getLogger(__name__)
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
def build_emenscr_export(self, export_id: int) -> str:
    """Build an eMENSCR export's files; an export already built, or being built, is left alone."""
    try:
        export_id = parse_whole(export_id, ID_RULE, label=_("Export"))
        if export_id is None:
            raise ValidationError(_("No export was named."), code="required")
    except ValidationError as error:
        # A message that cannot name an export changes nothing; it is logged and dropped, never retried.
        log.error("build_emenscr_export refused its argument: %s", error.messages[0])
        return "refused"
    try:
        export = services.build_emenscr_export(export_id=export_id)
    except TRANSIENT:
        if self.request.retries >= self.max_retries:
            services.fail_export(export_id=export_id, reason=_("The database or the queue kept failing; ask again."))
            raise
        services.release_export(export_id=export_id)
        raise
    except SoftTimeLimitExceeded:
        services.fail_export(
            export_id=export_id,
            reason=_("The build took longer than %(minutes)s minutes.") % {"minutes": SOFT_TIME_LIMIT // 60},
        )
        return "failed"
    except Exception as exc:  # noqa: BLE001  (any other fault is the export's failure, shown to the person)
        log.exception("eMENSCR export %s failed", export_id)
        services.fail_export(export_id=export_id, reason=f"{type(exc).__name__}: {exc}")
        return "failed"
    return "built" if export is not None else "nothing to do"
