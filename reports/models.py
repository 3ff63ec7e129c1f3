"""Budget Bureau reports: before (work and spending plan, แบบ สงป. 301), during (quarterly progress, สงป. 302)
and after (annual evaluation), built by Celery as PDF and Excel from a frozen snapshot of the data.

A report is keyed on what it says and on the data it was built from: kind, scope, period, language, the
audience whose visibility it follows and the fingerprint (sha256) of the snapshot. Asking again for the
same report on the same data finds the same row; once the data changes, a new report is made and the
filed one stays as it was.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts.scope import scope_of
from codi_plans.models import optional_reference


class ReportKind(models.TextChoices):
    PLAN = "plan", _("Work and spending plan (before)")
    PROGRESS = "progress", _("Quarterly progress report (during)")
    EVALUATION = "evaluation", _("Annual evaluation (after)")


# Kinds that are made for one quarter; the others cover the whole fiscal year.
QUARTERLY_KINDS = {ReportKind.PROGRESS}


class ScopeLevel(models.TextChoices):
    COUNTRY = "country", _("Whole country")
    REGION = "region", _("Region")
    PROVINCE_GROUP = "province_group", _("Province group")
    PROVINCE = "province", _("Province")
    WORKSTREAM = "workstream", _("Workstream")


# The foreign key each scope level sets; the others stay empty.
SCOPE_FIELDS = {
    ScopeLevel.COUNTRY: None,
    ScopeLevel.REGION: "region",
    ScopeLevel.PROVINCE_GROUP: "province_group",
    ScopeLevel.PROVINCE: "province",
    ScopeLevel.WORKSTREAM: "workstream",
}


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class Language(models.TextChoices):
    THAI = "th", _("Thai")
    ENGLISH = "en", _("English")


def _scope_shape() -> Q:
    shape = Q()
    for level, field in SCOPE_FIELDS.items():
        q = Q(scope_level=level)
        for other in filter(None, SCOPE_FIELDS.values()):
            q &= Q(**{f"{other}__isnull": other != field})
        shape |= q
    return shape


def audience_key(user) -> str:
    """Name the data a user may see (scheduled reports: the national audience), to share reports between alike."""
    return "national" if user is None else scope_of(user).audience_key


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Keep reports whose whole content the user may see.

        National roles see every report. Others see the reports built for their own audience, and the
        reports whose scope lies inside their working area (such as the scheduled province reports).
        """
        area = scope_of(user)
        if not area.works_somewhere:
            return self.none()
        if area.is_national:
            return self
        return self.filter(Q(audience_key=area.audience_key) | area.inside_q(tambons=False))

    def finished(self):
        """Keep reports whose files are ready."""
        return self.filter(status=ReportStatus.DONE)

    def unfinished(self):
        """Keep reports still waiting for or under construction."""
        return self.filter(status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING])


def report_file_path(instance, filename: str) -> str:
    return f"reports/{instance.fiscal_year}/{instance.pk}/{filename}"


class Report(models.Model):
    """One Budget Bureau report for a scope and period, built from a frozen snapshot into a PDF and an Excel file."""

    kind = models.CharField(_("kind"), max_length=12, choices=ReportKind.choices)
    scope_level = models.CharField(_("scope"), max_length=16, choices=ScopeLevel.choices)
    region = optional_reference("areas.Region", _("region"))
    province_group = optional_reference("areas.ProvinceGroup", _("province group"))
    province = optional_reference("areas.Province", _("province"))
    workstream = models.ForeignKey(
        "strategies.PlanNode",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "workstream"},
        verbose_name=_("workstream"),
    )
    # "country", "region:north", "province_group:3", "province:50", "workstream:<code>": one string to key on.
    scope_key = models.CharField(_("scope key"), max_length=80)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, default=Language.THAI)
    audience_key = models.CharField(_("built for the visibility of"), max_length=200)
    data_fingerprint = models.CharField(_("data fingerprint (sha256)"), max_length=64)
    snapshot = models.FileField(_("data snapshot"), max_length=255)
    source_summary = models.JSONField(_("source data"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
        help_text=_("Empty for reports built on schedule."),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=8, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    status_reason = models.TextField(_("reason"), blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Whoever set the current token holds the build: progress and the final save only apply under it.
    lease_token = models.CharField(_("build token"), max_length=32, blank=True)
    # A running build holds the report until this time and renews it as it goes; a later run may take over a
    # build whose holder died.
    lease_expires_at = models.DateTimeField(_("held until"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    pdf_file = models.FileField(_("PDF file"), upload_to=report_file_path, max_length=255, blank=True)
    xlsx_file = models.FileField(_("Excel file"), upload_to=report_file_path, max_length=255, blank=True)
    pdf_sha256 = models.CharField(_("PDF sha256"), max_length=64, blank=True)
    xlsx_sha256 = models.CharField(_("Excel sha256"), max_length=64, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                F("kind"),
                F("scope_key"),
                F("fiscal_year"),
                Coalesce(F("quarter"), Value(0)),
                F("language"),
                F("audience_key"),
                F("data_fingerprint"),
                name="one_report_per_content_and_data",
            ),
            models.CheckConstraint(condition=_scope_shape(), name="report_scope_matches_level"),
            models.CheckConstraint(
                condition=(Q(kind__in=list(QUARTERLY_KINDS)) & Q(quarter__isnull=False, quarter__gte=1, quarter__lte=4))
                | (~Q(kind__in=list(QUARTERLY_KINDS)) & Q(quarter__isnull=True)),
                name="report_quarter_only_for_quarterly_kinds",
            ),
            models.CheckConstraint(condition=Q(fiscal_year__gte=2500, fiscal_year__lte=2700), name="report_year_is_be"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_at_most_100"),
            models.CheckConstraint(
                condition=~Q(status="done") | (~Q(pdf_sha256="") & ~Q(xlsx_sha256="") & Q(progress=100)),
                name="report_done_has_files",
            ),
            models.CheckConstraint(
                condition=~Q(status="failed") | ~Q(status_reason=""), name="report_failure_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["status", "lease_expires_at"], name="report_claim_idx")]

    def __str__(self) -> str:
        period = f"{self.fiscal_year}" + (f" Q{self.quarter}" if self.quarter else "")
        return f"{self.get_kind_display()} {period} {self.scope_name}"

    @property
    def scope_area(self):
        field = SCOPE_FIELDS[ScopeLevel(self.scope_level)]
        return getattr(self, field) if field else None

    @property
    def scope_name(self) -> str:
        area = self.scope_area
        return str(area) if area is not None else str(_("Whole country"))

    @property
    def is_finished(self) -> bool:
        return self.status in (ReportStatus.DONE, ReportStatus.FAILED)
