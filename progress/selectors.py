"""Reads of project progress: one project's figure for a fiscal year, and the roll-up of many.

Definitions (also in the README, "Project progress"):

- Only **approved** reports of the fiscal year count. A project's *latest approved quarter* is the highest quarter
  of that fiscal year with an approved report; its *activity status* is that report's.
- **Percent complete** of a project: the mean, over the project's indicators, of
  min(latest approved actual / target, 1) × 100. An indicator's *latest approved actual* is its value in the latest
  approved report of the fiscal year that gives one; an indicator no approved report gives a value counts 0; an
  indicator whose target is 0 counts as met once it has an actual. A project without indicators counts by its
  activity status: done 100, under way 50, not started 0. A **stopped** project counts 0 whatever its indicators
  say, and is flagged. A project with no approved report in the year has no percent (None) and is not *reported*.
- **Money spent** is reported per quarter (what was spent in that quarter, not a running total): a project's
  spending in a fiscal year is the sum over its approved reports of that year, in total and by source of funds.
- A **roll-up** counts projects, reported projects, the projects by activity status, takes the plain mean of the
  reported projects' percents (each project weighs the same; stopped projects count as 0) and adds up the money.

`project_progress` answers in a constant number of queries whatever the number of projects; `rollup` is pure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from codi_plans.thai_calendar import QUARTERS, current_fiscal_year, fiscal_quarter_of, fiscal_quarter_range
from workstreams.models import CONSOLIDATED_STATUSES, Project, ProjectIndicator

from .models import (
    ActivityStatus,
    IndicatorActual,
    ProgressEvidence,
    ProgressSpending,
    ProgressStatus,
    ProjectProgress,
)

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
STATUS_PERCENT = {
    ActivityStatus.NOT_STARTED: Decimal(0),
    ActivityStatus.UNDER_WAY: Decimal(50),
    ActivityStatus.DONE: HUNDRED,
    ActivityStatus.STOPPED: Decimal(0),
}


def _round(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ProjectFigure:
    """A project's progress in one fiscal year, from its approved reports."""

    project_id: int
    reported: bool = False
    quarter: int | None = None  # latest approved quarter
    activity_status: str | None = None
    percent: Decimal | None = None  # 0–100, two decimals; None when not reported
    stopped: bool = False
    spent_total: Decimal = Decimal(0)
    spent_by_source: dict = field(default_factory=dict)

    @property
    def activity_status_label(self) -> str:
        return ActivityStatus(self.activity_status).label if self.activity_status else ""


@dataclass(frozen=True)
class Rollup:
    """Many projects' progress together (a programme, a province, a tambon plan...)."""

    projects: int
    reported: int
    percent: Decimal | None  # mean over reported projects; None when none reported
    by_status: dict  # activity status → number of reported projects
    spent_total: Decimal

    @property
    def stopped(self) -> int:
        return self.by_status.get(ActivityStatus.STOPPED, 0)

    @property
    def reporting_rate(self) -> Decimal | None:
        """Share of projects with an approved report, in percent."""
        return _round(Decimal(self.reported) * HUNDRED / self.projects) if self.projects else None


def _indicator_ratio(actual: Decimal | None, target: Decimal) -> Decimal:
    if actual is None:
        return Decimal(0)
    if target <= 0:
        return Decimal(1)
    return min(Decimal(actual) / Decimal(target), Decimal(1))


def project_progress(projects_qs, fiscal_year: int) -> dict[int, ProjectFigure]:
    """Return every project's ProjectFigure for the fiscal year (B.E.), keyed by project id, in five queries.

    `projects_qs` is any queryset of workstreams.Project (it is used as a subquery, never loaded row by row).
    """
    project_ids = list(projects_qs.order_by().values_list("pk", flat=True))
    in_projects = {"project__in": projects_qs.order_by().values("pk")}
    reports = (
        ProjectProgress.objects.approved()
        .filter(fiscal_year=fiscal_year, **in_projects)
        .order_by()
        .values_list("project_id", "quarter", "activity_status")
    )
    latest: dict[int, tuple[int, str]] = {}
    for project_id, quarter, activity in reports:
        if project_id not in latest or quarter > latest[project_id][0]:
            latest[project_id] = (quarter, activity)

    targets: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for indicator_id, project_id, target in (
        ProjectIndicator.objects.filter(**in_projects).order_by().values_list("pk", "project_id", "target_value")
    ):
        targets[project_id][indicator_id] = target

    actual_of: dict[int, tuple[int, Decimal]] = {}  # indicator id → (quarter, value), latest quarter wins
    for indicator_id, quarter, value in (
        IndicatorActual.objects.filter(
            report__status=ProgressStatus.APPROVED,
            report__fiscal_year=fiscal_year,
            **{f"report__{k}": v for k, v in in_projects.items()},
        )
        .order_by()
        .values_list("indicator_id", "report__quarter", "value")
    ):
        if indicator_id not in actual_of or quarter > actual_of[indicator_id][0]:
            actual_of[indicator_id] = (quarter, value)

    spent: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for project_id, source, total in (
        ProgressSpending.objects.filter(
            report__status=ProgressStatus.APPROVED,
            report__fiscal_year=fiscal_year,
            **{f"report__{k}": v for k, v in in_projects.items()},
        )
        .order_by()
        .values_list("report__project_id", "source")
        .annotate(total=Sum("amount"))
    ):
        spent[project_id][source] = total

    figures = {}
    for project_id in project_ids:
        if project_id not in latest:
            figures[project_id] = ProjectFigure(project_id=project_id)
            continue
        quarter, activity = latest[project_id]
        indicators = targets.get(project_id, {})
        if activity == ActivityStatus.STOPPED:
            percent = Decimal(0)
        elif indicators:
            ratios = [_indicator_ratio(actual_of.get(pk, (0, None))[1], target) for pk, target in indicators.items()]
            percent = sum(ratios, Decimal(0)) * HUNDRED / len(ratios)
        else:
            percent = STATUS_PERCENT[activity]
        by_source = spent.get(project_id, {})
        figures[project_id] = ProjectFigure(
            project_id=project_id,
            reported=True,
            quarter=quarter,
            activity_status=activity,
            percent=_round(percent),
            stopped=activity == ActivityStatus.STOPPED,
            spent_total=sum(by_source.values(), Decimal(0)),
            spent_by_source=dict(by_source),
        )
    return figures


def rollup(figures: Iterable[ProjectFigure]) -> Rollup:
    """Add many projects' figures up (see the module's definitions). Pure: no query."""
    projects = reported = 0
    percent_sum = Decimal(0)
    by_status: dict[str, int] = {}
    spent = Decimal(0)
    for figure in figures:
        projects += 1
        spent += figure.spent_total
        if not figure.reported:
            continue
        reported += 1
        percent_sum += figure.percent
        by_status[figure.activity_status] = by_status.get(figure.activity_status, 0) + 1
    return Rollup(
        projects=projects,
        reported=reported,
        percent=_round(percent_sum / reported) if reported else None,
        by_status=by_status,
        spent_total=spent,
    )


def report_years() -> list[int]:
    """The fiscal years any progress report is for (one query)."""
    return list(ProjectProgress.objects.order_by().values_list("fiscal_year", flat=True).distinct())


def progress_by_province(projects_qs, fiscal_year: int) -> dict[str, Rollup]:
    """Roll the projects' figures up per province: {province code: Rollup}, in six queries."""
    figures = project_progress(projects_qs, fiscal_year)
    province_of = dict(projects_qs.order_by().values_list("pk", "plan__tambon__province__code"))
    by_province: dict[str, list[ProjectFigure]] = defaultdict(list)
    for project_id, figure in figures.items():
        by_province[province_of[project_id]].append(figure)
    return {code: rollup(figures) for code, figures in by_province.items()}


# Reporting periods -------------------------------------------------------------------------------------------


def current_period(today=None) -> tuple[int, int]:
    """Return the running fiscal year (B.E.) and quarter."""
    from django.utils import timezone

    today = today or timezone.localdate()
    return current_fiscal_year(today), fiscal_quarter_of(today)


def reportable_quarters(today=None) -> list[tuple[int, int]]:
    """Return the (fiscal year, quarter) a rep may report now: the running quarter and the earlier ones of the
    running fiscal year, newest first. Never a future quarter."""
    fiscal_year, quarter = current_period(today)
    return [(fiscal_year, q) for q in range(quarter, 0, -1)]


def is_reportable(fiscal_year: int, quarter: int, today=None) -> bool:
    return (fiscal_year, quarter) in reportable_quarters(today)


def quarter_dates(fiscal_year: int, quarter: int):
    return fiscal_quarter_range(fiscal_year, quarter) if quarter in QUARTERS else None


# Lists for pages and the API ---------------------------------------------------------------------------------


def reportable_projects(user):
    """Projects of accepted (or endorsed) tambon plans in the user's area: the ones progress is reported on."""
    return (
        Project.objects.visible_to(user)
        .filter(plan__status__in=CONSOLIDATED_STATUSES)
        .select_related("plan__tambon__district", "plan__tambon__province", "programme")
        .order_by("plan__tambon__code", "plan__period_start_be", "number")
    )


def reports_for(user):
    """Reports the user may see, with what their pages show."""
    return ProjectProgress.objects.visible_to(user).select_related(
        "project__plan__tambon__province", "project__plan__tambon__district", "project__workstream"
    )


def review_queue(user):
    """Reports awaiting review in the user's area, oldest first."""
    return reports_for(user).awaiting_review().order_by("status_changed_at", "id")


def report_detail(report: ProjectProgress) -> dict:
    """What the detail page shows: actuals with their indicators, spending, evidence, the moves and the history."""
    from .models import PROGRESS_WORKFLOW

    return {
        "actuals": list(report.actuals.select_related("indicator")),
        "spending": list(report.spending.all()),
        "evidence": list(ProgressEvidence.objects.filter(report=report).select_related("uploaded_by")),
        "transitions": list(PROGRESS_WORKFLOW.history(report)),
        "versions": list(report.history.select_related("history_user").order_by("-history_date")[:20]),
    }
