"""Quarterly progress of tambon projects: activity status, indicator actuals, money spent and evidence, reviewed
four-eyes by the province.

A community rep reports, once per project per quarter of a fiscal year (B.E.), how the project's activities stand,
each of its indicators' actual value, the money spent in that quarter by source of funds, a short note and evidence
(photos, PDFs). A provincial coordinator (or staff above) approves it or returns it with a reason; nobody approves what
they submitted. An approved report is frozen: it changes only through an amendment with a reason, which keeps its
history and writes a transition record (approved → approved).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scope import scope_of
from codi_plans.models import ReviewedRecord, Transition
from codi_plans.workflow import Workflow
from workstreams.models import FundingSource


class ActivityStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    UNDER_WAY = "under_way", _("Under way")
    DONE = "done", _("Done")
    STOPPED = "stopped", _("Stopped")


class ProgressStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    APPROVED = "approved", _("Approved")


EDITABLE_PROGRESS_STATUSES = {ProgressStatus.DRAFT, ProgressStatus.RETURNED}
AWAITING_PROGRESS_REVIEW = {ProgressStatus.SUBMITTED, ProgressStatus.RESUBMITTED}


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    PDF = "pdf", _("PDF document")


class ProjectProgressQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Keep the reports of projects in the user's area (as workstreams.ProjectQuerySet.visible_to).

        Read-only accounts (Budget Bureau viewers, API clients) see approved reports only, as with results."""
        if not user.is_authenticated:
            return self.none()
        reports = self.filter(scope_of(user).overlapping("project__plan__tambon__"))
        return reports.approved() if user.is_read_only else reports

    def approved(self):
        """Keep approved reports: the only ones the roll-ups count."""
        return self.filter(status=ProgressStatus.APPROVED)

    def awaiting_review(self):
        """Keep reports submitted or resubmitted and not yet decided."""
        return self.filter(status__in=AWAITING_PROGRESS_REVIEW)

    def for_quarter(self, fiscal_year: int, quarter: int):
        return self.filter(fiscal_year=fiscal_year, quarter=quarter)


class ProjectProgress(ReviewedRecord):
    """A tambon project's progress in one quarter of a fiscal year (B.E.)."""

    project = models.ForeignKey(
        "workstreams.Project", on_delete=models.CASCADE, related_name="progress_reports", verbose_name=_("project")
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year (B.E.)"), validators=[MinValueValidator(2500), MaxValueValidator(2700)]
    )
    quarter = models.PositiveSmallIntegerField(_("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    activity_status = models.CharField(
        _("activity status"), max_length=12, choices=ActivityStatus.choices, default=ActivityStatus.NOT_STARTED
    )
    stop_reason = models.TextField(_("why it stopped"), blank=True)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ProgressStatus.choices, default=ProgressStatus.DRAFT)
    # The reason of the last return (shown to the rep until they resubmit).
    status_reason = models.TextField(_("reason"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ProjectProgressQuerySet.as_manager()

    class Meta:
        ordering = ["project", "fiscal_year", "quarter"]
        verbose_name = _("project progress report")
        verbose_name_plural = _("project progress reports")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "fiscal_year", "quarter"], name="one_progress_report_per_project_quarter"
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=2500, fiscal_year__lte=2700), name="progress_year_is_be"
            ),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="progress_quarter_1_to_4"),
            models.CheckConstraint(
                condition=~Q(activity_status=ActivityStatus.STOPPED) | ~Q(stop_reason=""),
                name="progress_stopped_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "fiscal_year", "quarter"], name="progress_queue_idx"),
            models.Index(fields=["project", "status", "fiscal_year"], name="progress_rollup_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.fiscal_year} Q{self.quarter}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_PROGRESS_STATUSES

    @property
    def is_approved(self) -> bool:
        return self.status == ProgressStatus.APPROVED


class ProgressTransition(Transition):
    """One move of a progress report: who, when, from, to, and why (an amendment is approved → approved)."""

    report = models.ForeignKey(ProjectProgress, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=12, choices=ProgressStatus.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=ProgressStatus.choices)

    class Meta(Transition.Meta):
        verbose_name = _("progress transition")
        verbose_name_plural = _("progress transitions")

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_status} → {self.to_status}"


PROGRESS_WORKFLOW = Workflow(
    transitions={
        ProgressStatus.DRAFT: frozenset({ProgressStatus.SUBMITTED}),
        ProgressStatus.SUBMITTED: frozenset({ProgressStatus.RETURNED, ProgressStatus.APPROVED}),
        ProgressStatus.RETURNED: frozenset({ProgressStatus.RESUBMITTED}),
        ProgressStatus.RESUBMITTED: frozenset({ProgressStatus.RETURNED, ProgressStatus.APPROVED}),
        # An approved report is frozen; it is amended in place (approved → approved, with its reason).
        ProgressStatus.APPROVED: frozenset({ProgressStatus.APPROVED}),
    },
    record=ProgressTransition,
    subject="report",
)


class ProgressSpending(models.Model):
    """Money spent on the project in the report's quarter (not cumulative) from one source of funds."""

    report = models.ForeignKey(ProjectProgress, on_delete=models.CASCADE, related_name="spending")
    source = models.CharField(_("source of funds"), max_length=20, choices=FundingSource.choices)
    amount = models.DecimalField(_("amount spent (baht)"), max_digits=14, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "source"]
        verbose_name = _("money spent")
        verbose_name_plural = _("money spent")
        constraints = [
            models.UniqueConstraint(fields=["report", "source"], name="one_spending_per_report_source"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="progress_spending_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.get_source_display()} {self.amount}"


class IndicatorActual(models.Model):
    """A project indicator's actual value as reported for the quarter (the level reached so far)."""

    report = models.ForeignKey(ProjectProgress, on_delete=models.CASCADE, related_name="actuals")
    indicator = models.ForeignKey(
        "workstreams.ProjectIndicator",
        on_delete=models.CASCADE,
        related_name="actuals",
        verbose_name=_("project indicator"),
    )
    value = models.DecimalField(_("actual value"), max_digits=14, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "indicator"]
        verbose_name = _("indicator actual")
        verbose_name_plural = _("indicator actuals")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="one_actual_per_report_indicator"),
            models.CheckConstraint(condition=Q(value__gte=0), name="indicator_actual_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.indicator.name}: {self.value}"


def progress_evidence_path(instance, filename: str) -> str:
    report = instance.report
    return f"progress/evidence/{report.fiscal_year}/{report.project_id}/{filename}"


class ProgressEvidence(models.Model):
    """A photo or PDF backing a progress report (checked by codi_plans.uploads before it is stored)."""

    report = models.ForeignKey(ProjectProgress, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=progress_evidence_path, max_length=255)
    kind = models.CharField(_("kind"), max_length=8, choices=EvidenceKind.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["report", "uploaded_at", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return f"{self.report}: {self.file.name}"
