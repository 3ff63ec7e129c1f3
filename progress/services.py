"""Writes to progress reports: reporting a quarter, the review workflow, amendments with a reason, evidence.

Every write is atomic, checks who may make it, locks the report row, checks the revision the writer started from
(optimistic locking: a stale edit is refused with EditConflict and changes nothing), and leaves a history record
(django-simple-history, with who and why) plus a ProgressTransition for every status move. Bad input raises a
ValidationError keyed by field and nothing is saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from codi_plans.concurrency import bump_revision, check_revision
from codi_plans.numbers import parse_decimal, rule_of
from codi_plans.uploads import evidence_content_type
from workstreams.models import CONSOLIDATED_STATUSES, FundingSource, Project

from . import permissions
from .models import (
    PROGRESS_WORKFLOW,
    ActivityStatus,
    EvidenceKind,
    IndicatorActual,
    ProgressEvidence,
    ProgressSpending,
    ProgressStatus,
    ProjectProgress,
)
from .selectors import reportable_quarters

ACTUAL_RULE = rule_of(IndicatorActual, "value")
AMOUNT_RULE = rule_of(ProgressSpending, "amount")
MAX_EVIDENCE_FILES = 10


@dataclass
class ProgressInput:
    """What a rep reports for a project's quarter. Values may be text as people type them (Thai digits fine).

    actuals: project indicator id → value (blank: not reported); spending: funding source → amount (blank: none).
    """

    activity_status: str = ActivityStatus.NOT_STARTED
    stop_reason: str = ""
    note: str = ""
    actuals: dict = field(default_factory=dict)
    spending: dict = field(default_factory=dict)


def _reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message}, code="reason_required")
    return reason


def _lock(report: ProjectProgress) -> ProjectProgress:
    return (
        ProjectProgress.objects.select_for_update(of=("self",))
        .select_related("project__plan__tambon")
        .get(pk=report.pk)
    )


def _save(report: ProjectProgress, by, reason: str) -> None:
    bump_revision(report, by)
    report._change_reason = reason
    report.save()


def check_period(project: Project, fiscal_year, quarter, *, today=None) -> tuple[int, int]:
    """Refuse a quarter a rep may not report now (a future one, or one of an earlier fiscal year) or one outside the
    project's plan period."""
    try:
        fiscal_year, quarter = int(fiscal_year), int(quarter)
    except (TypeError, ValueError):
        raise ValidationError({"quarter": _("Choose a fiscal year and a quarter.")}, code="bad_period") from None
    if (fiscal_year, quarter) not in reportable_quarters(today):
        raise ValidationError(
            {
                "quarter": _(
                    "Progress is reported for the running quarter or an earlier quarter of the running fiscal year; "
                    "quarter %(quarter)s of %(year)s cannot be reported now."
                )
                % {"quarter": quarter, "year": fiscal_year}
            },
            code="bad_period",
        )
    plan = project.plan
    if not plan.period_start_be <= fiscal_year <= plan.period_end_be:
        raise ValidationError(
            {
                "quarter": _("Fiscal year %(year)s is outside the plan period %(start)s–%(end)s.")
                % {"year": fiscal_year, "start": plan.period_start_be, "end": plan.period_end_be}
            },
            code="bad_period",
        )
    return fiscal_year, quarter


def clean_input(project: Project, data: ProgressInput) -> tuple[dict, dict[int, Decimal], dict[str, Decimal]]:
    """Check and read what was typed; return (fields, actuals by indicator id, spending by source) or raise one
    ValidationError listing every problem by field."""
    errors: dict[str, list] = {}
    activity = data.activity_status or ""
    if activity not in ActivityStatus.values:
        errors["activity_status"] = [_("Choose the activity status.")]
    stop_reason = (data.stop_reason or "").strip()
    if activity == ActivityStatus.STOPPED and not stop_reason:
        errors["stop_reason"] = [_("Say why the project stopped.")]
    if activity != ActivityStatus.STOPPED:
        stop_reason = ""
    indicators = {i.pk: i for i in project.indicators.all()}
    actuals: dict[int, Decimal] = {}
    for key, raw in (data.actuals or {}).items():
        try:
            indicator_id = int(key)
        except (TypeError, ValueError):
            indicator_id = None
        indicator = indicators.get(indicator_id)
        if indicator is None:
            errors.setdefault("actuals", []).append(
                _("Indicator %(id)s is not an indicator of this project.") % {"id": key}
            )
            continue
        try:
            value = parse_decimal(raw, ACTUAL_RULE, label=indicator.name)
        except ValidationError as error:
            errors[f"actual_{indicator_id}"] = error.messages
            continue
        if value is not None:
            actuals[indicator_id] = value
    spending: dict[str, Decimal] = {}
    for source, raw in (data.spending or {}).items():
        if source not in FundingSource.values:
            errors.setdefault("spending", []).append(_("Unknown source of funds %(source)s.") % {"source": source})
            continue
        try:
            amount = parse_decimal(raw, AMOUNT_RULE, label=FundingSource(source).label)
        except ValidationError as error:
            errors[f"spent_{source}"] = error.messages
            continue
        if amount is not None:
            spending[source] = amount
    note = (data.note or "").strip()
    if len(note) > 2000:
        errors["note"] = [_("The note is too long: keep it under 2,000 characters.")]
    if errors:
        raise ValidationError(errors)
    return {"activity_status": activity, "stop_reason": stop_reason, "note": note}, actuals, spending


def _write_parts(report: ProjectProgress, actuals: dict, spending: dict, by) -> None:
    """Replace the report's actuals and spending with the given ones (rows kept, changed or removed in place)."""
    for model, values, key in ((IndicatorActual, actuals, "indicator_id"), (ProgressSpending, spending, "source")):
        value_field = "value" if model is IndicatorActual else "amount"
        existing = {getattr(row, key): row for row in model.objects.filter(report=report)}
        for k, row in existing.items():
            if k not in values:
                row._history_user = by
                row.delete()
        for k, value in values.items():
            row = existing.get(k)
            if row is None:
                row = model(report=report, **{key: k, value_field: value})
            elif getattr(row, value_field) == value:
                continue
            else:
                setattr(row, value_field, value)
            row._history_user = by
            row.save()


def _check_evidence(files) -> list[tuple[object, str]]:
    files = [f for f in (files or []) if f]
    if len(files) > MAX_EVIDENCE_FILES:
        raise ValidationError(
            {"evidence": _("Attach at most %(n)s files at a time.") % {"n": MAX_EVIDENCE_FILES}}, code="too_many"
        )
    checked = []
    for upload in files:
        content_type = evidence_content_type(upload, field="evidence")
        checked.append((upload, EvidenceKind.PDF if content_type == "application/pdf" else EvidenceKind.PHOTO))
    return checked


def _attach(report: ProjectProgress, checked, by) -> list[ProgressEvidence]:
    return [
        ProgressEvidence.objects.create(report=report, file=upload, kind=kind, uploaded_by=by)
        for upload, kind in checked
    ]


@transaction.atomic
def save_report(
    *,
    project: Project,
    fiscal_year,
    quarter,
    data: ProgressInput,
    by,
    expected_revision: int | None = None,
    evidence=(),
    submit: bool = False,
    today=None,
) -> ProjectProgress:
    """Write a project's report for a quarter: a new draft, or a change to its draft or returned report
    (expected_revision required then). With submit=True it is sent for review in the same step."""
    project = Project.objects.select_related("plan__tambon").get(pk=project.pk)
    if not permissions.can_report_project(by, project):
        raise PermissionDenied(_("You may not report progress for this project."))
    if project.plan.status not in CONSOLIDATED_STATUSES:
        raise ValidationError(
            _("Progress is reported on projects of accepted tambon plans only."), code="plan_not_accepted"
        )
    fiscal_year, quarter = check_period(project, fiscal_year, quarter, today=today)
    fields, actuals, spending = clean_input(project, data)
    checked = _check_evidence(evidence)
    report = (
        ProjectProgress.objects.select_for_update(of=("self",))
        .filter(project=project, fiscal_year=fiscal_year, quarter=quarter)
        .first()
    )
    if report is None:
        report = ProjectProgress(
            project=project, fiscal_year=fiscal_year, quarter=quarter, created_by=by, updated_by=by, **fields
        )
        report._history_user = by
        report._change_reason = "reported"
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:
            raise ValidationError(
                _("This project already has a report for this quarter; open it to change it."), code="duplicate"
            ) from None
    else:
        if not report.is_editable:
            raise ValidationError(
                _("A report that is %(status)s cannot be edited here.") % {"status": report.get_status_display()},
                code="read_only",
            )
        check_revision(report, expected_revision)
        for name, value in fields.items():
            setattr(report, name, value)
        _save(report, by, "edited")
    _write_parts(report, actuals, spending, by)
    _attach(report, checked, by)
    if submit:
        report = _submit(report, by)
    return report


def _move(report: ProjectProgress, to_status: str, by, reason: str = "", change: str = "") -> ProjectProgress:
    now = timezone.now()
    PROGRESS_WORKFLOW.move(report, to_status, by=by, reason=reason)
    if to_status in (ProgressStatus.SUBMITTED, ProgressStatus.RESUBMITTED):
        report.submitted_by = by
        report.status_reason = ""
    elif to_status == ProgressStatus.RETURNED:
        report.status_reason = reason
    elif to_status == ProgressStatus.APPROVED:
        report.approved_by, report.approved_at = by, now
        report.status_reason = ""
    _save(report, by, change or f"status → {to_status}")
    return report


def _submit(report: ProjectProgress, by) -> ProjectProgress:
    to_status = ProgressStatus.RESUBMITTED if report.status == ProgressStatus.RETURNED else ProgressStatus.SUBMITTED
    PROGRESS_WORKFLOW.check(
        report, to_status, _("Only a draft or returned report can be submitted; this one is %(status)s.")
    )
    if report.activity_status == ActivityStatus.STOPPED and not report.stop_reason:
        raise ValidationError({"stop_reason": _("Say why the project stopped.")})
    return _move(report, to_status, by)


@transaction.atomic
def submit_report(*, report: ProjectProgress, by, expected_revision: int | None = None) -> ProjectProgress:
    """Send a draft (or a returned report, as a resubmission) for review."""
    report = _lock(report)
    if not permissions.can_report_project(by, report.project):
        raise PermissionDenied(_("You may not submit this progress report."))
    if expected_revision is not None:
        check_revision(report, expected_revision)
    return _submit(report, by)


def _lock_for_review(report: ProjectProgress, by, expected_revision) -> ProjectProgress:
    report = _lock(report)
    if not permissions.can_review_report(by, report):
        raise PermissionDenied(_("You may not review this progress report."))
    if expected_revision is not None:
        check_revision(report, expected_revision)
    return report


@transaction.atomic
def approve_report(*, report: ProjectProgress, by, expected_revision: int | None = None) -> ProjectProgress:
    """Approve a submitted report: it now counts in the roll-ups and is frozen; never by its writer or sender."""
    report = _lock_for_review(report, by, expected_revision)
    permissions.check_approve_report(by, report)
    PROGRESS_WORKFLOW.check(
        report,
        ProgressStatus.APPROVED,
        _("Only a submitted report can be approved; this one is %(status)s."),
    )
    if report.status == ProgressStatus.APPROVED:  # approved → approved is an amendment, not an approval
        raise ValidationError(_("This report is already approved."), code="bad_status")
    return _move(report, ProgressStatus.APPROVED, by)


@transaction.atomic
def return_report(*, report: ProjectProgress, by, reason: str, expected_revision: int | None = None):
    """Send a submitted report back to the tambon for correction, saying why."""
    reason = _reason(reason, _("Say why the report is returned."))
    report = _lock_for_review(report, by, expected_revision)
    PROGRESS_WORKFLOW.check(
        report, ProgressStatus.RETURNED, _("Only a submitted report can be returned; this one is %(status)s.")
    )
    return _move(report, ProgressStatus.RETURNED, by, reason)


@transaction.atomic
def amend_report(
    *, report: ProjectProgress, by, reason: str, expected_revision: int, data: ProgressInput
) -> ProjectProgress:
    """Change an approved (frozen) report, saying why: the history keeps the old values, and the move
    approved → approved records who, when and why. Reviewers only, never on their own report (four-eyes)."""
    reason = _reason(reason, _("Say why the approved report changes."))
    report = _lock_for_review(report, by, None)
    permissions.check_approve_report(by, report)
    if report.status != ProgressStatus.APPROVED:
        raise ValidationError(
            _("Only an approved report is amended this way; this one is %(status)s.")
            % {"status": report.get_status_display()},
            code="bad_status",
        )
    check_revision(report, expected_revision)
    fields, actuals, spending = clean_input(report.project, data)
    for name, value in fields.items():
        setattr(report, name, value)
    PROGRESS_WORKFLOW.move(report, ProgressStatus.APPROVED, by=by, reason=reason)
    _write_parts(report, actuals, spending, by)
    _save(report, by, f"amended: {reason}"[:100])
    return report


@transaction.atomic
def add_evidence(*, report: ProjectProgress, by, files, expected_revision: int | None = None):
    """Attach photos or PDFs to a report still with the reporting side."""
    report = _lock(report)
    if not permissions.can_edit_report(by, report):
        raise PermissionDenied(_("You may not add evidence to this report."))
    if expected_revision is not None:
        check_revision(report, expected_revision)
    checked = _check_evidence(files)
    if not checked:
        raise ValidationError({"evidence": _("Choose a photo or a PDF to attach.")}, code="empty")
    added = _attach(report, checked, by)
    _save(report, by, "evidence added")
    return added


@transaction.atomic
def remove_evidence(*, evidence: ProgressEvidence, by) -> None:
    report = _lock(evidence.report)
    if not permissions.can_edit_report(by, report):
        raise PermissionDenied(_("You may not remove evidence from this report."))
    evidence.file.delete(save=False)
    evidence.delete()
    _save(report, by, "evidence removed")
