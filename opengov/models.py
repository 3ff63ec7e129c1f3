"""Open-government exports: the eMENSCR workbook and CSV of a fiscal year's tambon projects, built by Celery.

An export covers a fiscal year (B.E.) and an area (the whole country, a region, a province group or a province) and
holds only what its asker may see. Its build claims the row with a conditional UPDATE under a lease token, renews the
lease as it goes, records its progress (polled by the page) and files the workbook, the CSV and the list of projects
that could not be exported and why. The IATI file is written on request (opengov/iati.py) and keeps no row.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.scope import scope_of
from codi_plans.models import optional_reference
from reports.models import ScopeLevel

# The area levels an export may cover, and the field each sets (the others stay empty).
EXPORT_SCOPE_FIELDS = {
    ScopeLevel.COUNTRY: None,
    ScopeLevel.REGION: "region",
    ScopeLevel.PROVINCE_GROUP: "province_group",
    ScopeLevel.PROVINCE: "province",
}
EXPORT_SCOPE_LEVELS = [(level.value, level.label) for level in EXPORT_SCOPE_FIELDS]


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


UNFINISHED_STATUSES = {ExportStatus.QUEUED, ExportStatus.RUNNING}


def _scope_shape() -> Q:
    shape = Q()
    for level, field in EXPORT_SCOPE_FIELDS.items():
        q = Q(scope_level=level)
        for other in filter(None, EXPORT_SCOPE_FIELDS.values()):
            q &= Q(**{f"{other}__isnull": other != field})
        shape |= q
    return shape


class EmenscrExportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Keep the exports of areas inside the user's, for people who may export (none for anyone else)."""
        from .permissions import can_export_emenscr

        if not can_export_emenscr(user):
            return self.none()
        return self.filter(scope_of(user).inside_q(tambons=False))

    def unfinished(self):
        """Keep exports waiting for or under construction."""
        return self.filter(status__in=UNFINISHED_STATUSES)


def export_file_path(instance, filename: str) -> str:
    return f"opengov/emenscr/{instance.fiscal_year}/{instance.pk}/{filename}"


class EmenscrExport(models.Model):
    """One eMENSCR export of a fiscal year's tambon projects in an area: a workbook, a CSV and a validation list."""

    scope_level = models.CharField(_("scope"), max_length=16, choices=EXPORT_SCOPE_LEVELS)
    region = optional_reference("areas.Region", _("region"))
    province_group = optional_reference("areas.ProvinceGroup", _("province group"))
    province = optional_reference("areas.Province", _("province"))
    scope_key = models.CharField(_("scope key"), max_length=80)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    # Whose visibility the rows follow (accounts.scope.AreaScope.audience_key).
    audience_key = models.CharField(_("built for the visibility of"), max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    status_reason = models.TextField(_("reason"), blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    lease_token = models.CharField(_("build token"), max_length=32, blank=True)
    lease_expires_at = models.DateTimeField(_("held until"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    xlsx_file = models.FileField(_("Excel file"), upload_to=export_file_path, max_length=255, blank=True)
    csv_file = models.FileField(_("CSV file"), upload_to=export_file_path, max_length=255, blank=True)
    xlsx_sha256 = models.CharField(_("Excel sha256"), max_length=64, blank=True)
    csv_sha256 = models.CharField(_("CSV sha256"), max_length=64, blank=True)
    candidates = models.PositiveIntegerField(_("projects considered"), default=0)
    row_count = models.PositiveIntegerField(_("projects exported"), default=0)
    problem_count = models.PositiveIntegerField(_("projects not exported"), default=0)
    # The first problems (project, place, reasons) for the page; the workbook lists them all.
    problems = models.JSONField(_("projects not exported"), default=list, blank=True)

    objects = EmenscrExportQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("eMENSCR export")
        verbose_name_plural = _("eMENSCR exports")
        constraints = [
            models.CheckConstraint(condition=_scope_shape(), name="emenscr_export_scope_matches_level"),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=2500, fiscal_year__lte=2700), name="emenscr_export_year_is_be"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="emenscr_export_progress_at_most_100"),
            models.CheckConstraint(
                condition=~Q(status="done") | (~Q(xlsx_sha256="") & ~Q(csv_sha256="") & Q(progress=100)),
                name="emenscr_export_done_has_files",
            ),
            models.CheckConstraint(
                condition=~Q(status="failed") | ~Q(status_reason=""), name="emenscr_export_failure_has_reason"
            ),
            # One build at a time for the same content: asking again while it runs finds the running one.
            models.UniqueConstraint(
                fields=["scope_key", "fiscal_year", "audience_key"],
                condition=Q(status__in=["queued", "running"]),
                name="one_unfinished_emenscr_export",
            ),
        ]
        indexes = [models.Index(fields=["status", "lease_expires_at"], name="emenscr_export_claim_idx")]

    def __str__(self) -> str:
        return f"eMENSCR {self.fiscal_year} {self.scope_name}"

    @property
    def scope_area(self):
        field = EXPORT_SCOPE_FIELDS[ScopeLevel(self.scope_level)]
        return getattr(self, field) if field else None

    @property
    def scope_name(self) -> str:
        area = self.scope_area
        return str(_("Whole country")) if area is None else str(area)

    @property
    def is_finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)

    @property
    def file_stem(self) -> str:
        """Name the files after what they hold: emenscr-2569-province-50."""
        return f"emenscr-{self.fiscal_year}-{self.scope_key.replace(':', '-')}"
