"""Progress of many projects from one workbook, for coordinators who collect paper forms.

The template (for the coordinator's area and a quarter) has two sheets: "projects", one row per project (activity
status, why it stopped, note, money spent in the quarter by source), and "indicators", one row per project
indicator (its actual value). Upload checks every row of both sheets, reports each error with its sheet, row and
column, and saves all projects (submitted for review) or none. Thai digits and B.E. years are read; text cells are
written formula-safe (codi_plans.spreadsheets.as_text) and the file goes through codi_plans.uploads.check_xlsx.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from codi_plans import uploads
from codi_plans.numbers import parse_whole, whole_number_rule
from codi_plans.spreadsheets import ILLEGAL_CHARACTERS, append_row, cell_text, reading_workbook, too_many_rows
from codi_plans.thai_calendar import THAI_DIGITS, parse_be_year
from workstreams.models import FundingSource, Project, ProjectIndicator

from . import permissions, selectors, services
from .models import ActivityStatus, ProjectProgress

SPENT = [f"spent_{source}" for source in FundingSource.values]
PROJECT_COLUMNS = {
    "project_id": gettext_lazy("Project id (do not change)"),
    "tambon_code": gettext_lazy("Tambon code (for reading only)"),
    "tambon": gettext_lazy("Tambon (for reading only)"),
    "project": gettext_lazy("Project (for reading only)"),
    "fiscal_year": gettext_lazy("Fiscal year (B.E.)"),
    "quarter": gettext_lazy("Quarter (1–4)"),
    "activity_status": gettext_lazy("Activity status: not_started, under_way, done or stopped (or its name)"),
    "stop_reason": gettext_lazy("Why it stopped (required when stopped)"),
    "note": gettext_lazy("Short note"),
    **{f"spent_{value}": label for value, label in FundingSource.choices},
}
INDICATOR_COLUMNS = {
    "project_id": gettext_lazy("Project id (do not change)"),
    "indicator_id": gettext_lazy("Indicator id (do not change)"),
    "indicator": gettext_lazy("Indicator (for reading only)"),
    "target": gettext_lazy("Target (for reading only)"),
    "unit": gettext_lazy("Unit (for reading only)"),
    "actual": gettext_lazy("Actual value"),
}
PROJECT_REQUIRED = ["project_id", "fiscal_year", "quarter", "activity_status"]
INDICATOR_REQUIRED = ["project_id", "indicator_id", "actual"]
# The columns a person fills in: a project row with none of them filled is skipped.
PROJECT_ENTERED = ["activity_status", "stop_reason", "note", *SPENT]
MAX_ROWS = 5_000


@dataclass
class RowError:
    sheet: str
    row: int
    column: str
    message: str


@dataclass
class UploadResult:
    rows: int = 0
    saved: int = 0
    errors: list[RowError] = field(default_factory=list)


def template_workbook(user, fiscal_year: int, quarter: int) -> bytes:
    """Return an .xlsx listing the user's reportable projects for the quarter, with what is already reported."""
    from openpyxl import Workbook

    projects = list(
        selectors.reportable_projects(user)
        .filter(plan__period_start_be__lte=fiscal_year, plan__period_end_be__gte=fiscal_year)
        .prefetch_related("indicators")
    )
    reports = {
        r.project_id: r
        for r in ProjectProgress.objects.filter(
            project__in=[p.pk for p in projects], fiscal_year=fiscal_year, quarter=quarter
        ).prefetch_related("actuals", "spending")
    }
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "projects"
    append_row(sheet, list(PROJECT_COLUMNS))
    indicators = workbook.create_sheet("indicators")
    append_row(indicators, list(INDICATOR_COLUMNS))
    for project in projects:
        report = reports.get(project.pk)
        spent = {s.source: s.amount for s in report.spending.all()} if report else {}
        actual = {a.indicator_id: a.value for a in report.actuals.all()} if report else {}
        tambon = project.plan.tambon
        append_row(
            sheet,
            [
                project.pk,
                tambon.code,
                tambon.name_th,
                f"{project.number}. {project.name}",
                fiscal_year,
                quarter,
                report.activity_status if report else None,
                report.stop_reason if report else None,
                report.note if report else None,
                *[spent.get(source) for source in FundingSource.values],
            ],
        )
        for indicator in project.indicators.all():
            append_row(
                indicators,
                [
                    project.pk,
                    indicator.pk,
                    indicator.name,
                    indicator.target_value,
                    indicator.unit,
                    actual.get(indicator.pk),
                ],
            )
    help_sheet = workbook.create_sheet("columns")
    for columns in (PROJECT_COLUMNS, INDICATOR_COLUMNS):
        for name, meaning in columns.items():
            append_row(help_sheet, [name, str(meaning)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _read(workbook, name: str, columns: dict, required: list[str], entered: list[str]) -> list[tuple[int, dict]]:
    """Return the sheet's rows where something was entered (a template row left blank is no report)."""
    if name not in workbook.sheetnames:
        raise ValidationError({"file": _("The workbook has no sheet named %(name)s.") % {"name": name}})
    rows = workbook[name].iter_rows(values_only=True)
    header = next(rows, None) or ()
    names = [cell_text(c).lower() for c in header]
    missing = [c for c in required if c not in names]
    if missing:
        raise ValidationError(
            {"file": _("Sheet %(name)s is missing the columns %(cols)s.") % {"name": name, "cols": ", ".join(missing)}}
        )
    out = []
    for number, cells in enumerate(rows, start=2):
        values = {n: cells[i] if i < len(cells) else None for i, n in enumerate(names) if n in columns}
        if all(values.get(n) in (None, "") for n in entered):
            continue
        if len(out) >= MAX_ROWS:
            raise too_many_rows(MAX_ROWS)
        out.append((number, values))
    return out


def _status(value) -> str | None:
    text = cell_text(value).lower()
    for code, label in ActivityStatus.choices:
        if text in (code, str(label).lower(), code.replace("_", " ")):
            return code
    from django.utils import translation

    with translation.override("th"):
        for code, label in ActivityStatus.choices:
            if text == str(label).lower():
                return code
    return None


def _id(value) -> int | None:
    text = cell_text(value).translate(THAI_DIGITS)
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


class _Rollback(Exception):
    pass


def import_workbook(*, upload, by) -> UploadResult:
    """Check every row and save every project's report (submitted for review), or nothing when any row is wrong."""
    if not permissions.can_review_progress(by):
        raise PermissionDenied(_("The progress workbook is for coordinators, regional staff and CODI staff."))
    data = uploads.check_xlsx(upload, field="file")
    with reading_workbook(data) as workbook:
        project_rows = _read(workbook, "projects", PROJECT_COLUMNS, PROJECT_REQUIRED, PROJECT_ENTERED)
        indicator_rows = _read(workbook, "indicators", INDICATOR_COLUMNS, INDICATOR_REQUIRED, ["actual"])
    if not project_rows:
        raise ValidationError({"file": _("The sheet has no data rows.")})

    result = UploadResult(rows=len(project_rows))

    def error(sheet, row, column, message):
        result.errors.append(RowError(sheet, row, column, str(message)))

    ids = {_id(v.get("project_id")) for _n, v in project_rows} - {None}
    projects = {p.pk: p for p in selectors.reportable_projects(by).filter(pk__in=ids)}
    indicator_of = {
        i.pk: i for i in ProjectIndicator.objects.filter(project_id__in=list(projects)).only("pk", "project_id")
    }
    actuals: dict[int, dict] = {}
    for number, v in indicator_rows:
        indicator = indicator_of.get(_id(v.get("indicator_id")))
        project_id = _id(v.get("project_id"))
        if indicator is None or indicator.project_id != project_id:
            error("indicators", number, "indicator_id", _("This is not an indicator of the row's project."))
            continue
        actuals.setdefault(project_id, {})[indicator.pk] = v.get("actual")

    checked, seen = [], {}
    for number, v in project_rows:
        project = projects.get(_id(v.get("project_id")))
        if project is None:
            error(
                "projects",
                number,
                "project_id",
                _("Unknown project, or not one of yours: %(id)s.") % {"id": cell_text(v.get("project_id"))},
            )
            continue
        row_errors = len(result.errors)
        try:
            fiscal_year = parse_be_year(v.get("fiscal_year"), label=_("Fiscal year"))
        except ValidationError as exc:
            fiscal_year = None
            error("projects", number, "fiscal_year", exc.messages[0])
        try:
            quarter = parse_whole(v.get("quarter"), whole_number_rule(1, 4), label=_("Quarter"))
        except ValidationError:
            quarter = None
        if quarter is None:
            error("projects", number, "quarter", _("Choose a quarter (1–4)."))
        status = _status(v.get("activity_status"))
        if status is None:
            error("projects", number, "activity_status", _("Choose the activity status."))
        for column in ("stop_reason", "note"):
            if ILLEGAL_CHARACTERS.search(cell_text(v.get(column))):
                error("projects", number, column, _("This cell holds an invisible control character; delete it."))
        if len(result.errors) > row_errors:
            continue
        key = (project.pk, fiscal_year, quarter)
        if key in seen:
            error(
                "projects",
                number,
                "project_id",
                _("The same project and quarter is already on row %(row)s.") % {"row": seen[key]},
            )
            continue
        seen[key] = number
        data = services.ProgressInput(
            activity_status=status,
            stop_reason=cell_text(v.get("stop_reason")),
            note=cell_text(v.get("note")),
            actuals=actuals.get(project.pk, {}),
            spending={source: v.get(f"spent_{source}") for source in FundingSource.values},
        )
        checked.append((number, project, fiscal_year, quarter, data))

    # Every row is saved through the same service as the form, in one transaction; any refusal undoes them all.
    try:
        with transaction.atomic():
            for number, project, fiscal_year, quarter, data in checked:
                try:
                    with transaction.atomic():
                        _save_row(project, fiscal_year, quarter, data, by)
                except PermissionDenied as exc:
                    error("projects", number, "project_id", str(exc))
                except ValidationError as exc:
                    for column, messages in _by_column(exc).items():
                        for message in messages:
                            error("projects", number, column, message)
                else:
                    result.saved += 1
            if result.errors:
                raise _Rollback
    except _Rollback:
        result.saved = 0
    result.errors.sort(key=lambda e: (e.sheet != "projects", e.row))
    return result


def _save_row(project: Project, fiscal_year: int, quarter: int, data, by) -> None:
    existing = ProjectProgress.objects.filter(project=project, fiscal_year=fiscal_year, quarter=quarter).first()
    if existing is not None and not existing.is_editable:
        raise ValidationError(
            {
                "quarter": _("This quarter's report is already %(status)s; it cannot be replaced by upload.")
                % {"status": existing.get_status_display()}
            }
        )
    services.save_report(
        project=project,
        fiscal_year=fiscal_year,
        quarter=quarter,
        data=data,
        by=by,
        expected_revision=existing.revision if existing else None,
        submit=True,
    )


def _by_column(exc: ValidationError) -> dict[str, list[str]]:
    if not hasattr(exc, "error_dict"):
        return {"project_id": exc.messages}
    out = {}
    for name, messages in exc.message_dict.items():
        column = name if name in PROJECT_COLUMNS else "activity_status"
        if name.startswith("actual_"):
            column = "actual"
        out.setdefault(column, []).extend(messages)
    return out
