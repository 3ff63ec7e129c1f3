"""Asking for reports and building them (once). Reminders of what falls due are the escalation app's.

Asking for a report takes the snapshot of its data through the asker's visibility; the same report on
the same data is the same row (a unique constraint keys kind, scope, period, language, audience and the
snapshot's sha256), so asking twice gives one report. The build claims the report with a conditional
UPDATE (queued → running, or running whose holder's lease ran out), renews the lease as it goes, writes
each file under a temporary name and renames it into place, and marks the report done only while it
still holds the claim; a second run finds nothing to do.
"""

import datetime as dt
import logging
import os
import time

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from codi_plans import thai_calendar
from codi_plans.numbers import parse_whole, whole_number_rule

from . import permissions, selectors, snapshot
from .builds import Lease, LostClaim
from .document import build_document
from .excel import render_xlsx
from .models import QUARTERLY_KINDS, Language, Report, ReportKind, ReportStatus, audience_key
from .pdf import render_pdf
from .scopes import Scope, scope_from_key

log = logging.getLogger(__name__)

FORM_SLUGS = {ReportKind.PLAN: "301", ReportKind.PROGRESS: "302", ReportKind.EVALUATION: "evaluation"}
FIRST_FISCAL_YEAR = 2563


# Asking ----------------------------------------------------------------------------------------------


def _check_period(kind: str, fiscal_year, quarter) -> tuple[int, int | None]:
    if kind not in ReportKind.values:
        raise ValidationError({"kind": _("Choose a kind of report.")})
    try:
        fiscal_year = thai_calendar.parse_be_year(fiscal_year, label=_("Fiscal year"))
    except ValidationError as error:
        raise ValidationError({"fiscal_year": error}) from None
    if fiscal_year is None:
        raise ValidationError({"fiscal_year": _("Give the fiscal year in B.E., e.g. 2568.")})
    if not FIRST_FISCAL_YEAR <= fiscal_year <= thai_calendar.current_fiscal_year() + 1:
        raise ValidationError(
            {
                "fiscal_year": _("Reports cover fiscal years %(first)s to %(last)s.")
                % {"first": FIRST_FISCAL_YEAR, "last": thai_calendar.current_fiscal_year() + 1}
            }
        )
    if kind in QUARTERLY_KINDS:
        try:
            quarter = parse_whole(quarter, whole_number_rule(1, 4))
        except ValidationError:
            quarter = None
        if quarter not in thai_calendar.QUARTERS:
            raise ValidationError({"quarter": _("A quarterly progress report needs its quarter (1–4).")})
        return fiscal_year, quarter
    return fiscal_year, None


def _take_snapshot(**kwargs) -> tuple[dict, dict]:
    """Read every source table from one database snapshot, so the report's figures agree with each other."""
    if connection.in_atomic_block:
        return snapshot.collect(**kwargs)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        return snapshot.collect(**kwargs)


def _store_snapshot(data: bytes, fingerprint: str) -> str:
    """Keep the snapshot under its own fingerprint: the same data is stored once, whoever asks."""
    name = f"reports/snapshots/{fingerprint[:2]}/{fingerprint}.json.gz"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(snapshot.compress(data)))
    return name


def request_report(
    *,
    kind: str,
    scope: Scope,
    fiscal_year: int,
    quarter: int | None = None,
    language: str = Language.THAI,
    by: User | None,
) -> tuple[Report, bool]:
    """Ask for a report; return (the report, whether it is new). The same report on the same data is found again.

    `by` is None for reports filed on schedule: they follow national visibility.
    """
    if by is not None and not permissions.can_request_report(by, scope):
        raise PermissionDenied(_("You may not ask for reports on this area."))
    fiscal_year, quarter = _check_period(kind, fiscal_year, quarter)
    if language not in Language.values:
        raise ValidationError({"language": _("Choose Thai or English.")})
    content, summary = _take_snapshot(kind=kind, scope=scope, fiscal_year=fiscal_year, quarter=quarter, user=by)
    data = snapshot.canonical_bytes(content)
    key = {
        "kind": kind,
        "scope_key": scope.key,
        "fiscal_year": fiscal_year,
        "quarter": quarter,
        "language": language,
        "audience_key": audience_key(by),
        "data_fingerprint": snapshot.fingerprint(data),
    }
    existing = Report.objects.filter(**key).first()
    if existing is not None:
        return _retry_if_failed(existing), False
    stored = _store_snapshot(data, key["data_fingerprint"])
    try:
        with transaction.atomic():
            report = Report.objects.create(
                **(scope.report_fields() | key),
                snapshot=stored,
                source_summary=summary,
                requested_by=by,
            )
            _enqueue(report)
    except IntegrityError:
        # Someone asked for the very same report at the same moment: theirs is ours.
        return Report.objects.get(**key), False
    return report, True


def _enqueue(report: Report) -> None:
    from .tasks import build_report

    build_report.delay_on_commit(report.pk)


@transaction.atomic
def _retry_if_failed(report: Report) -> Report:
    """Asking again for a report whose build failed queues it once more."""
    updated = Report.objects.filter(pk=report.pk, status=ReportStatus.FAILED).update(
        status=ReportStatus.QUEUED,
        status_reason="",
        progress=0,
        lease_expires_at=None,
        lease_token="",  # nosec B106 # a lease id, not a password
    )
    if updated:
        _enqueue(report)
        report.refresh_from_db()
    return report


# Building --------------------------------------------------------------------------------------------


LEASE = Lease(Report, ReportStatus)


def claim_report(report_id: int) -> str | None:
    """Take a queued report (or one whose builder's lease ran out) for building; None if there is nothing to do."""
    return LEASE.claim(report_id)


def report_progress(report_id: int, token: str, percent: int) -> None:
    """Record how far the build is and renew its lease; stop if another run has taken the report over."""
    delay = settings.REPORTS_SECTION_DELAY
    if delay:
        # Only the worker-crash test sets this: it slows the build down so the worker can be killed mid-way.
        time.sleep(delay)
    LEASE.renew(report_id, token, percent)


def file_names(report: Report) -> dict[str, str]:
    """Name the report's files after what they are: codi-302-2568-q2-province-50.pdf."""
    parts = ["codi", FORM_SLUGS[ReportKind(report.kind)], str(report.fiscal_year)]
    if report.quarter:
        parts.append(f"q{report.quarter}")
    parts.append(report.scope_key.replace(":", "-"))
    if report.language != Language.THAI:
        parts.append(report.language)
    stem = "-".join(parts)
    return {"pdf": f"{stem}.pdf", "xlsx": f"{stem}.xlsx"}


def render_files(report: Report, *, on_step=None) -> dict[str, bytes]:
    """Build the PDF and Excel bytes of a report from its stored snapshot (a pure function of the report)."""
    step = on_step or (lambda percent: None)
    with report.snapshot.open("rb") as stored:
        content = snapshot.load(stored.read())
    step(10)
    as_of = timezone.localtime(report.requested_at)
    with translation.override(report.language):
        document = build_document(
            content,
            as_of=as_of.date(),
            fingerprint=report.data_fingerprint,
            language=report.language,
            pdf_detail_limit=settings.REPORTS_PDF_DETAIL_LIMIT,
        )
        step(20)
        xlsx = render_xlsx(document, created=as_of.replace(tzinfo=None, microsecond=0))
        step(40)
        pdf = render_pdf(document, on_layout=lambda: step(80))
    step(90)
    return {"pdf": pdf, "xlsx": xlsx}


def _write_atomically(name: str, data: bytes, token: str) -> str:
    """Write a file under a temporary name and rename it into place, so nobody ever sees half a file."""
    try:
        path = default_storage.path(name)
    except NotImplementedError:
        # A remote storage writes objects whole.
        if default_storage.exists(name):
            default_storage.delete(name)
        return default_storage.save(name, ContentFile(data))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    temporary = f"{path}.{token}.part"
    with open(temporary, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)
    return name


def build_report(*, report_id: int) -> Report | None:
    """Build a queued report's files and file them; a report already built (or being built) is left alone."""
    token = claim_report(report_id)
    if token is None:
        return None
    report = Report.objects.select_related("region", "province_group", "province", "workstream").get(pk=report_id)
    try:
        files = render_files(report, on_step=lambda percent: report_progress(report_id, token, percent))
        names = file_names(report)
        stored = {
            fmt: _write_atomically(
                report._meta.get_field(f"{fmt}_file").generate_filename(report, names[fmt]), data, token
            )
            for fmt, data in files.items()
        }
        done = LEASE.held(report_id, token).update(
            status=ReportStatus.DONE,
            progress=100,
            pdf_file=stored["pdf"],
            xlsx_file=stored["xlsx"],
            pdf_sha256=snapshot.fingerprint(files["pdf"]),
            xlsx_sha256=snapshot.fingerprint(files["xlsx"]),
            finished_at=timezone.now(),
            lease_expires_at=None,
        )
        if not done:
            raise LostClaim(report_id)
    except LostClaim:
        log.warning("Report %s was taken over by another run; this run stops.", report_id)
        return None
    report.refresh_from_db()
    return report


def release_report(*, report_id: int) -> None:
    """Put a running report back in the queue (its build hit a passing fault and will be retried)."""
    LEASE.release(report_id)


def fail_report(*, report_id: int, reason: str) -> None:
    """Mark an unfinished report failed, with the reason people will read."""
    LEASE.fail(report_id, reason)


def requeue_stale_reports() -> int:
    """Queue the build of every stale report again (a worker may have died with the task)."""
    ids = list(selectors.stale_reports().values_list("pk", flat=True))
    for report_id in ids:
        _enqueue(Report(pk=report_id))
    return len(ids)


# On schedule -----------------------------------------------------------------------------------------


def quarter_just_ended(today: dt.date) -> tuple[int, int]:
    """Return (fiscal year, quarter) of the quarter that ended most recently before `today` (its reports fall due
    15 days after it ended)."""
    start, _end = thai_calendar.fiscal_quarter_range(
        thai_calendar.fiscal_year_of(today), thai_calendar.fiscal_quarter_of(today)
    )
    day = start - dt.timedelta(days=1)
    return thai_calendar.fiscal_year_of(day), thai_calendar.fiscal_quarter_of(day)


def file_scheduled_report(*, kind: str, scope_key: str, fiscal_year: int, quarter: int | None) -> Report:
    """File one scheduled report (national visibility, Thai), or find it if it is already filed on the same data."""
    report, _created = request_report(
        kind=kind, scope=scope_from_key(scope_key), fiscal_year=fiscal_year, quarter=quarter, by=None
    )
    return report
