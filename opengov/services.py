"""Asking for an eMENSCR export and building it once (the lease pattern of reports.services).

Asking checks the role, the area and the year, and returns the export already queued or running for the same area,
year and visibility instead of a second one. The build claims the export with a conditional UPDATE (queued →
running, or running whose lease ran out) under a fresh token, renews the lease with each batch of projects, writes
the files, and marks the export done only while it still holds the claim: a second run finds nothing to do.
"""

import logging
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.scope import scope_of
from codi_plans import thai_calendar
from reports.builds import Lease, LostClaim
from reports.models import ScopeLevel
from reports.scopes import Scope
from reports.snapshot import fingerprint

from . import emenscr, permissions
from .models import EXPORT_SCOPE_FIELDS, EmenscrExport, ExportStatus

log = logging.getLogger(__name__)

FIRST_FISCAL_YEAR = 2563
BATCH = 1000  # projects per batch: one lease renewal and one progress step each
PROBLEMS_ON_PAGE = 500


def check_fiscal_year(value) -> int:
    """Return the fiscal year (B.E.) an export may cover, or raise a translated ValidationError."""
    try:
        year = thai_calendar.parse_be_year(value, label=_("Fiscal year"))
    except ValidationError as error:
        raise ValidationError({"fiscal_year": error}) from None
    last = thai_calendar.current_fiscal_year() + 1
    if year is None or not FIRST_FISCAL_YEAR <= year <= last:
        raise ValidationError(
            {
                "fiscal_year": _("Exports cover fiscal years %(first)s to %(last)s.")
                % {"first": FIRST_FISCAL_YEAR, "last": last}
            }
        )
    return year


def _scope_fields(scope: Scope) -> dict:
    fields = {name: None for name in filter(None, EXPORT_SCOPE_FIELDS.values())}
    field = EXPORT_SCOPE_FIELDS[ScopeLevel(scope.level)]
    if field:
        fields[field] = scope.area
    return {"scope_level": scope.level, "scope_key": scope.key, **fields}


def request_emenscr_export(*, scope: Scope, fiscal_year, by) -> tuple[EmenscrExport, bool]:
    """Ask for an export of the scope and fiscal year; return (the export, whether it is new)."""
    if scope.level not in EXPORT_SCOPE_FIELDS:
        raise ValidationError({"scope": _("Choose the whole country, a region, a province group or a province.")})
    if not permissions.can_export_scope(by, scope):
        raise PermissionDenied(_("You may export only the projects of your own area."))
    fiscal_year = check_fiscal_year(fiscal_year)
    key = {"scope_key": scope.key, "fiscal_year": fiscal_year, "audience_key": scope_of(by).audience_key}
    running = EmenscrExport.objects.unfinished().filter(**key).first()
    if running is not None:
        return running, False
    try:
        with transaction.atomic():
            export = EmenscrExport.objects.create(**(_scope_fields(scope) | key), requested_by=by)
            _enqueue(export)
    except IntegrityError:
        # Someone asked for the same export at the same moment: theirs is ours.
        return EmenscrExport.objects.unfinished().get(**key), False
    return export, True


def _enqueue(export: EmenscrExport) -> None:
    from .tasks import build_emenscr_export

    build_emenscr_export.delay_on_commit(export.pk)


LEASE = Lease(EmenscrExport, ExportStatus)


def claim_export(export_id: int) -> str | None:
    """Take a queued export (or one whose builder's lease ran out); None when there is nothing to do."""
    return LEASE.claim(export_id)


def _step(export_id: int, token: str, percent: int) -> None:
    LEASE.renew(export_id, token, percent)


def _store(export: EmenscrExport, field: str, name: str, data: bytes) -> str:
    path = export._meta.get_field(field).generate_filename(export, name)
    if default_storage.exists(path):
        default_storage.delete(path)
    return default_storage.save(path, ContentFile(data))


def build_emenscr_export(*, export_id: int) -> EmenscrExport | None:
    """Build a queued export's workbook, CSV and validation list; an export built or being built is left alone."""
    token = claim_export(export_id)
    if token is None:
        return None
    export = EmenscrExport.objects.select_related("region", "province_group", "province", "requested_by").get(
        pk=export_id
    )
    scope = Scope(export.scope_level, export.scope_area)
    try:
        with translation.override("th"):
            projects = emenscr.candidate_projects(user=export.requested_by, scope=scope, fiscal_year=export.fiscal_year)
            ids = list(projects.values_list("pk", flat=True))
            _step(export_id, token, 5)
            writer = emenscr.XlsxWriter()
            csv_rows, problems = [], []
            for start in range(0, len(ids), BATCH):
                batch_ids = ids[start : start + BATCH]
                batch = list(
                    projects.filter(pk__in=batch_ids).select_related("plan__tambon__district", "plan__tambon__province")
                )
                rows, batch_problems = emenscr.build_rows(batch, export.fiscal_year, start=len(csv_rows) + 1)
                writer.add_rows(rows)
                writer.add_problems(batch_problems)
                csv_rows.extend(rows)
                problems.extend(batch_problems)
                _step(export_id, token, 5 + (80 * min(start + BATCH, len(ids))) // max(len(ids), 1))
            xlsx = writer.render()
            csv = emenscr.render_csv(csv_rows)
        _step(export_id, token, 90)
        stored = {
            "xlsx": _store(export, "xlsx_file", f"{export.file_stem}.xlsx", xlsx),
            "csv": _store(export, "csv_file", f"{export.file_stem}.csv", csv),
        }
        done = LEASE.held(export_id, token).update(
            status=ExportStatus.DONE,
            progress=100,
            xlsx_file=stored["xlsx"],
            csv_file=stored["csv"],
            xlsx_sha256=fingerprint(xlsx),
            csv_sha256=fingerprint(csv),
            candidates=len(ids),
            row_count=len(csv_rows),
            problem_count=len(problems),
            problems=problems[:PROBLEMS_ON_PAGE],
            finished_at=timezone.now(),
            lease_expires_at=None,
        )
        if not done:
            raise LostClaim(export_id)
    except LostClaim:
        log.warning("eMENSCR export %s was taken over by another run; this run stops.", export_id)
        return None
    export.refresh_from_db()
    return export


def release_export(*, export_id: int) -> None:
    """Put a running export back in the queue (its build hit a passing fault and will be retried)."""
    LEASE.release(export_id)


def fail_export(*, export_id: int, reason: str) -> None:
    """Mark an unfinished export failed, with the reason people will read."""
    LEASE.fail(export_id, reason)


# The IATI file --------------------------------------------------------------------------------------------------
# At national scale the file is about 100 MB and takes seconds to build, too much to build for each anonymous
# request: a Celery task publishes it (daily by beat, and when the public URL finds none) and the URL serves the
# published file.


def iati_file_path(fiscal_year: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "opengov" / "iati" / f"iati-activities-{fiscal_year}.xml"


def publish_iati(*, fiscal_year: int | None = None) -> Path:
    """Build the fiscal year's IATI activity file (default: the current year) and put it in place atomically, so a
    reader gets the old file or the new one, never half of one. Safe to run twice."""
    from . import iati

    year = fiscal_year or thai_calendar.current_fiscal_year()
    path = iati_file_path(year)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{secrets.token_hex(4)}.part")
    partial.write_bytes(iati.activities_xml(year))
    partial.replace(path)
    log.info("Published the IATI file of FY%s (%s bytes)", year, path.stat().st_size)
    return path
