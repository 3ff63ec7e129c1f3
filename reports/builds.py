"""Building a file once, in the background: the lease of a built row and the Celery task around its build.

Reports and eMENSCR exports (opengov) share it. A built row has `status` (queued, running, done, failed),
`lease_token`, `lease_expires_at`, `attempts`, `started_at`, `finished_at`, `progress` and `status_reason`. The build
claims the row with a conditional UPDATE (queued → running, or running whose holder's lease ran out) under a fresh
token, renews the lease as it goes, and writes only while it still holds the claim; a second run finds nothing to do.
"""

import datetime as dt
import secrets

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from redis.exceptions import ConnectionError as RedisConnectionError

from codi_plans.numbers import parse_whole, whole_number_rule

# Faults that pass: the database or the broker went away for a moment. The build is retried with backoff.
TRANSIENT = (OperationalError, InterfaceError, ConnectionError, RedisConnectionError)
ID_RULE = whole_number_rule(1, 9_223_372_036_854_775_807)
SOFT_TIME_LIMIT = 20 * 60
TIME_LIMIT = 25 * 60

# The options of a build task (`@shared_task(**BUILD_TASK_OPTIONS)`): late acknowledgement, retries of passing faults
# with backoff, and time limits.
BUILD_TASK_OPTIONS = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": TRANSIENT,
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
    "soft_time_limit": SOFT_TIME_LIMIT,
    "time_limit": TIME_LIMIT,
}


class LostClaim(Exception):
    """Another run took the row over (this one's lease ran out): stop without touching it."""


class Lease:
    """Claim, renew, release and fail the build of one model's rows; `statuses` is its status TextChoices."""

    def __init__(self, model, statuses):
        self.model = model
        self.statuses = statuses

    def claim(self, pk: int) -> str | None:
        """Take a queued row (or one whose builder's lease ran out) for building; None if there is nothing to do."""
        now = timezone.now()
        token = secrets.token_hex(16)
        claimable = Q(status=self.statuses.QUEUED) | Q(status=self.statuses.RUNNING, lease_expires_at__lt=now)
        updated = self.model.objects.filter(claimable, pk=pk).update(
            status=self.statuses.RUNNING,
            lease_token=token,
            lease_expires_at=now + dt.timedelta(seconds=settings.REPORTS_LEASE_SECONDS),
            attempts=F("attempts") + 1,
            started_at=now,
            progress=0,
            status_reason="",
        )
        return token if updated else None

    def held(self, pk: int, token: str):
        """The row, as a queryset, while this run still holds it (empty once another run took it over)."""
        return self.model.objects.filter(pk=pk, status=self.statuses.RUNNING, lease_token=token)

    def renew(self, pk: int, token: str, percent: int) -> None:
        """Record how far the build is and renew its lease; raise LostClaim if another run has taken the row over."""
        lease = timezone.now() + dt.timedelta(seconds=settings.REPORTS_LEASE_SECONDS)
        if not self.held(pk, token).update(progress=percent, lease_expires_at=lease):
            raise LostClaim(pk)

    def release(self, pk: int) -> None:
        """Put a running row back in the queue (its build hit a passing fault and will be retried)."""
        self.model.objects.filter(pk=pk, status=self.statuses.RUNNING).update(
            status=self.statuses.QUEUED,
            lease_expires_at=None,
            lease_token="",  # nosec B106 # a lease id, not a password
        )

    def fail(self, pk: int, reason: str) -> None:
        """Mark an unfinished row failed, with the reason people will read."""
        self.model.objects.filter(pk=pk, status__in=[self.statuses.QUEUED, self.statuses.RUNNING]).update(
            status=self.statuses.FAILED,
            status_reason=(reason or _("The build failed."))[:2000],
            finished_at=timezone.now(),
            lease_expires_at=None,
            lease_token="",  # nosec B106 # a lease id, not a password
        )


def run_build(task, raw_id, *, build, release, fail, label: str, missing: str, log, what: str) -> tuple[str, int]:
    """The body of a build task: check the id, build, and turn every fault into a retry or a recorded failure.

    `build(pk)` returns the built row or None (nothing to do); `release(pk)` and `fail(pk, reason)` act on the row.
    Return (outcome, pk): "refused", "failed", "built" or "nothing to do". A passing fault releases the row and
    re-raises for Celery to retry, or fails the row when the retries are spent.
    """
    try:
        pk = parse_whole(raw_id, ID_RULE, label=label)
        if pk is None:
            raise ValidationError(missing, code="required")
    except ValidationError as error:
        # A message that cannot name a row changes nothing; it is logged and dropped, never retried.
        log.error("%s refused its argument: %s", task.name.rsplit(".", 1)[-1], error.messages[0])
        return "refused", None
    try:
        built = build(pk)
    except TRANSIENT:
        if task.request.retries >= task.max_retries:
            fail(pk, _("The database or the queue kept failing; ask again."))
            raise
        # Give the row back so the retry can claim it at once.
        release(pk)
        raise
    except SoftTimeLimitExceeded:
        fail(pk, _("The build took longer than %(minutes)s minutes.") % {"minutes": SOFT_TIME_LIMIT // 60})
        return "failed", pk
    except Exception as exc:  # noqa: BLE001  (any other fault is the row's failure, shown to the person)
        log.exception("%s %s failed", what, pk)
        fail(pk, f"{type(exc).__name__}: {exc}")
        return "failed", pk
    return ("built" if built is not None else "nothing to do"), pk
