"""Celery tasks for open-government exports. Each takes ids, calls one service and is safe to run twice."""

import logging

from celery import shared_task
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from codi_plans.numbers import parse_whole, whole_number_rule
from reports.builds import BUILD_TASK_OPTIONS, TRANSIENT, run_build

from . import services

log = logging.getLogger(__name__)
YEAR_RULE = whole_number_rule(2500, 2700)


@shared_task(**BUILD_TASK_OPTIONS)
def build_emenscr_export(self, export_id: int) -> str:
    """Build an eMENSCR export's files; an export already built, or being built, is left alone."""
    outcome, _export_id = run_build(
        self,
        export_id,
        build=lambda pk: services.build_emenscr_export(export_id=pk),
        release=lambda pk: services.release_export(export_id=pk),
        fail=lambda pk, reason: services.fail_export(export_id=pk, reason=reason),
        label=_("Export"),
        missing=_("No export was named."),
        log=log,
        what="eMENSCR export",
    )
    return outcome


@shared_task(acks_late=True, reject_on_worker_lost=True, autoretry_for=TRANSIENT, retry_backoff=5, max_retries=5)
def publish_iati(fiscal_year=None) -> str:
    """Publish the IATI file of a fiscal year (none: the current one); a bad year is logged and changes nothing."""
    try:
        year = parse_whole(fiscal_year, YEAR_RULE, label=_("Fiscal year")) if fiscal_year is not None else None
    except ValidationError as error:
        log.error("publish_iati refused its argument: %s", error.messages[0])
        return "refused"
    services.publish_iati(fiscal_year=year)
    return "published"
