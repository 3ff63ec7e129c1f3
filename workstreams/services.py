"""Writes to tambon and province plans: content edits under an optimistic lock, and the review workflow."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from codi_plans.concurrency import EditConflict, bump_revision, check_revision
from codi_plans.thai_calendar import fiscal_year_range
from strategies.models import NodeKind
from strategies.selectors import latest_plan
from strategies.services import check_plan_period

from . import permissions, selectors
from .models import (
    PLAN_FIELDS,
    PLAN_WORKFLOW,
    PROJECT_FIELDS,
    PlanStatus,
    PlanSubmission,
    Problem,
    Project,
    ProjectBudget,
    ProjectIndicator,
    ProvincePlan,
    TambonPlan,
    plan_event,
)


def _lock(plan: TambonPlan) -> TambonPlan:
    return TambonPlan.objects.select_for_update().select_related("tambon__province").get(pk=plan.pk)


def _lock_for_edit(plan: TambonPlan, by, expected_revision) -> TambonPlan:
    locked = _lock(plan)
    if not permissions.can_write_plan_for_tambon(by, locked.tambon):
        raise PermissionDenied(_("You may not change this tambon's plan."))
    if not locked.is_editable:
        raise ValidationError(
            _("A plan that is %(status)s is read-only until it is returned for revision.")
            % {"status": locked.get_status_display()},
            code="read_only",
        )
    check_revision(locked, expected_revision)
    return locked


def _save_plan(plan: TambonPlan, by, reason: str) -> None:
    bump_revision(plan, by)
    plan._change_reason = reason
    plan.save()


@transaction.atomic
def create_tambon_plan(*, tambon, period_start_be: int, period_end_be: int, by, **fields) -> TambonPlan:
    """Start a draft plan for a tambon and plan period."""
    if not permissions.can_write_plan_for_tambon(by, tambon):
        raise PermissionDenied(_("You may not write a plan for this tambon."))
    if period_end_be < period_start_be:
        raise ValidationError({"period_end_be": _("The plan period ends before it starts.")})
    if TambonPlan.objects.filter(tambon=tambon, period_start_be=period_start_be).exists():
        raise ValidationError(_("This tambon already has a plan for this period."), code="duplicate")
    plan = TambonPlan(
        tambon=tambon,
        period_start_be=period_start_be,
        period_end_be=period_end_be,
        created_by=by,
        updated_by=by,
        **{k: v for k, v in fields.items() if k in PLAN_FIELDS},
    )
    plan.full_clean()
    plan._history_user = by
    plan.save()
    return plan


@transaction.atomic
def update_tambon_plan(*, plan: TambonPlan, by, expected_revision: int, **fields) -> TambonPlan:
    """Change a plan's profile, community capital and vision."""
    plan = _lock_for_edit(plan, by, expected_revision)
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.full_clean()
    _save_plan(plan, by, plan_event("profile_edited"))
    return plan


@transaction.atomic
def set_problems(*, plan: TambonPlan, by, expected_revision: int, problems: list[dict]) -> TambonPlan:
    """Replace the plan's ranked problems; ranks are taken from the list order (1 = most pressing)."""
    plan = _lock_for_edit(plan, by, expected_revision)
    rows = [p for p in problems if (p.get("title") or "").strip()]
    plan.problems.all().delete()
    Problem.objects.bulk_create(
        Problem(plan=plan, rank=i, title=p["title"].strip(), description=(p.get("description") or "").strip())
        for i, p in enumerate(rows, start=1)
    )
    _save_plan(plan, by, plan_event("problems_edited"))
    return plan


@dataclass
class BudgetLineInput:
    fiscal_year: int
    source: str
    amount: Decimal


@dataclass
class IndicatorInput:
    name: str
    unit: str
    target_value: Decimal
    target_year_be: int
    baseline: Decimal | None = None


def _validate_lines(plan: TambonPlan, budget_lines: list[BudgetLineInput]) -> None:
    seen = set()
    for line in budget_lines:
        if line.fiscal_year not in plan.fiscal_years:
            raise ValidationError(
                {
                    "budget_lines": _("Fiscal year %(year)s is outside the plan period %(start)s–%(end)s.")
                    % {"year": line.fiscal_year, "start": plan.period_start_be, "end": plan.period_end_be}
                }
            )
        if line.amount is None or Decimal(line.amount) < 0:
            raise ValidationError({"budget_lines": _("A budget amount cannot be negative.")})
        key = (line.fiscal_year, line.source)
        if key in seen:
            raise ValidationError({"budget_lines": _("The same fiscal year and source of funds appear twice.")})
        seen.add(key)


def _check_targets(project: Project, data: dict):
    """Take the project's eMENSCR targets from data: a primary sub-plan target (Y1) and others it also serves.

    Return the secondary targets to set after saving (None when data does not name them).
    """
    if "primary_target" in data:
        project.primary_target = data["primary_target"]
    secondary = data.get("secondary_targets")
    chosen = ([project.primary_target] if project.primary_target is not None else []) + list(secondary or [])
    for target in chosen:
        if target.kind != NodeKind.SUB_PLAN_TARGET or target.is_draft:
            raise ValidationError(
                {
                    "primary_target": _("Choose a published sub-plan target (Y1): %(name)s is not one.")
                    % {"name": target}
                }
            )
    if secondary is not None and project.primary_target is not None and project.primary_target in secondary:
        secondary = [t for t in secondary if t.pk != project.primary_target.pk]
    if secondary and project.primary_target is None:
        raise ValidationError({"primary_target": _("Choose the primary target before the secondary ones.")})
    return secondary


@transaction.atomic
def save_project(
    *,
    plan: TambonPlan,
    by,
    expected_revision: int,
    data: dict,
    budget_lines: list[BudgetLineInput],
    indicators: list[IndicatorInput],
    project: Project | None = None,
) -> Project:
    """Create or change a project with its budget by fiscal year and source, and its indicators, in one go."""
    plan = _lock_for_edit(plan, by, expected_revision)
    if project is not None and project.plan_id != plan.pk:
        raise PermissionDenied(_("This project belongs to another plan."))
    if not indicators:
        raise ValidationError({"indicators": _("A project needs at least one indicator with a target.")})
    _validate_lines(plan, budget_lines)
    if project is None:
        number = (plan.projects.aggregate(n=Max("number"))["n"] or 0) + 1
        project = Project(plan=plan, number=number)
    for name in PROJECT_FIELDS:
        if name in data:
            setattr(project, name, data[name])
    secondary = _check_targets(project, data)
    project.full_clean()
    project._history_user = by
    project.save()
    if secondary is not None:
        project.secondary_targets.set(secondary)
    project.budget_lines.all().delete()
    ProjectBudget.objects.bulk_create(
        ProjectBudget(project=project, fiscal_year=li.fiscal_year, source=li.source, amount=li.amount)
        for li in budget_lines
    )
    project.indicators.all().delete()
    for ind in indicators:
        row = ProjectIndicator(project=project, **ind.__dict__)
        row.full_clean(exclude=["project"])
        row.save()
    _save_plan(plan, by, plan_event("project_saved", number=project.number))
    return project


@transaction.atomic
def delete_project(*, project: Project, by, expected_revision: int) -> None:
    """Remove a project from a plan that is still being written."""
    plan = _lock_for_edit(project.plan, by, expected_revision)
    project._history_user = by
    project.delete()
    _save_plan(plan, by, plan_event("project_deleted", number=project.number))


def _transition(plan: TambonPlan, to_status: str, by, comment: str = "") -> None:
    PLAN_WORKFLOW.move(plan, to_status, by=by, reason=comment)
    _save_plan(plan, by, plan_event("status", to=to_status))


@transaction.atomic
def submit_tambon_plan(*, plan: TambonPlan, by, comment: str = "") -> TambonPlan:
    """Submit a draft, or resubmit a returned plan, keeping a frozen copy of what was submitted."""
    plan = _lock(plan)
    if not permissions.can_write_plan_for_tambon(by, plan.tambon):
        raise PermissionDenied(_("You may not submit this tambon's plan."))
    to_status = PlanStatus.SUBMITTED if plan.status == PlanStatus.DRAFT else PlanStatus.RESUBMITTED
    PLAN_WORKFLOW.check(plan, to_status, _("Only a draft or a returned plan can be submitted; this one is %(status)s."))
    if not plan.projects.exists():
        raise ValidationError(_("Add at least one project before submitting."), code="no_projects")
    plan.submitted_by, plan.accepted_by = by, None
    _transition(plan, to_status, by, comment)
    number = (plan.submissions.aggregate(n=Max("number"))["n"] or 0) + 1
    PlanSubmission.objects.create(
        plan=plan, number=number, submitted_by=by, revision=plan.revision, content=selectors.plan_snapshot(plan)
    )
    return plan


def _lock_for_review(plan: TambonPlan, by) -> TambonPlan:
    plan = _lock(plan)
    if not permissions.can_review_tambon_plan(by, plan):
        raise PermissionDenied(_("You may not review this tambon's plan."))
    # Both review moves (return, accept) start from the same statuses.
    PLAN_WORKFLOW.check(plan, PlanStatus.ACCEPTED, _("Only a submitted plan can be reviewed; this one is %(status)s."))
    return plan


@transaction.atomic
def return_tambon_plan(*, plan: TambonPlan, by, reason: str) -> TambonPlan:
    """Send a submitted plan back to its writers, saying why."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the plan is returned.")})
    plan = _lock_for_review(plan, by)
    _transition(plan, PlanStatus.RETURNED, by, reason.strip())
    return plan


@transaction.atomic
def accept_tambon_plan(*, plan: TambonPlan, by, comment: str = "") -> TambonPlan:
    """Accept a submitted plan into the province plan; never by the person who submitted it."""
    plan = _lock_for_review(plan, by)
    permissions.check_accept_tambon_plan(by, plan)
    plan.accepted_by = by
    _transition(plan, PlanStatus.ACCEPTED, by, comment)
    return plan


@transaction.atomic
def endorse_tambon_plan(*, plan: TambonPlan, by, comment: str = "") -> TambonPlan:
    """Endorse an accepted plan on behalf of the region or CODI; never by whoever submitted or accepted it."""
    plan = _lock(plan)
    permissions.check_endorse_tambon_plan(by, plan)
    PLAN_WORKFLOW.check(plan, PlanStatus.ENDORSED, _("Only an accepted plan can be endorsed; this one is %(status)s."))
    _transition(plan, PlanStatus.ENDORSED, by, comment)
    return plan


@transaction.atomic
def get_or_create_province_plan(*, province, period_start_be: int, period_end_be: int, by) -> ProvincePlan:
    """Return the province plan of a period, starting an empty one when the coordinator first opens it."""
    plan, created = ProvincePlan.objects.get_or_create(
        province=province,
        period_start_be=period_start_be,
        defaults={"period_end_be": period_end_be, "updated_by": by if by.is_authenticated else None},
    )
    return plan


@transaction.atomic
def update_province_plan(
    *, plan: ProvincePlan, by, expected_revision: int, narrative: str, priorities: str
) -> ProvincePlan:
    """Change the province's own narrative and priorities."""
    plan = ProvincePlan.objects.select_for_update().get(pk=plan.pk)
    if not permissions.can_edit_province_plan(by, plan):
        raise PermissionDenied(_("You may not change this province's plan."))
    check_revision(plan, expected_revision)
    plan.narrative, plan.priorities = narrative, priorities
    bump_revision(plan, by)
    plan.save()
    return plan


@dataclass
class ProjectContentInput:
    number: int
    data: dict
    budget_lines: list[BudgetLineInput]
    indicators: list[IndicatorInput]


def _project_field_values(project: Project) -> dict:
    values = {
        name: getattr(project, f"{name}_id" if name in {"workstream", "goal", "programme"} else name)
        for name in PROJECT_FIELDS
    }
    values["primary_target"] = project.primary_target_id
    return values


@transaction.atomic
def replace_plan_content(
    *,
    plan: TambonPlan,
    by,
    expected_revision: int,
    profile: dict,
    problems: list[dict],
    projects: list[ProjectContentInput],
    reason: str = "content replaced",
) -> TambonPlan:
    """Replace a plan's profile, problems and projects at once, with one revision bump (an Excel upload).

    Profile fields left out of `profile` are cleared; projects are matched by number, so a project that is
    unchanged keeps its row and history, one missing from `projects` is deleted and a new number is added.
    """
    plan = _lock_for_edit(plan, by, expected_revision)
    unknown = set(profile) - set(PLAN_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    for name in PLAN_FIELDS:
        field = TambonPlan._meta.get_field(name)
        empty = None if field.null else ""
        setattr(plan, name, profile.get(name, empty))
    plan.full_clean()

    numbers = [p.number for p in projects]
    if any(not isinstance(n, int) or n < 1 for n in numbers):
        raise ValidationError({"projects": _("Project numbers are whole numbers from 1.")})
    if len(set(numbers)) != len(numbers):
        raise ValidationError({"projects": _("Two projects have the same number.")})
    for item in projects:
        if not item.indicators:
            raise ValidationError(
                {
                    "projects": _("Project %(number)s needs at least one indicator with a target.")
                    % {"number": item.number}
                }
            )
        try:
            _validate_lines(plan, item.budget_lines)
        except ValidationError as error:
            raise ValidationError(
                {
                    "projects": _("Project %(number)s: %(error)s")
                    % {"number": item.number, "error": " ".join(error.messages)}
                }
            ) from error

    existing = {p.number: p for p in plan.projects.prefetch_related("budget_lines", "indicators")}
    for number, project in existing.items():
        if number not in numbers:
            project._history_user = by
            project.delete()
    for item in projects:
        project = existing.get(item.number) or Project(plan=plan, number=item.number)
        before = None if project.pk is None else _project_field_values(project)
        for name in PROJECT_FIELDS:
            setattr(project, name, item.data.get(name, "" if name not in {"start_date", "end_date"} else None))
        # A workbook without the target columns (made before the eMENSCR chain) leaves the targets as they are.
        secondary = _check_targets(project, item.data) if "primary_target" in item.data else None
        project.full_clean()
        if before is None or before != _project_field_values(project):
            project._history_user = by
            project.save()
        if secondary is not None and {t.pk for t in secondary} != set(
            project.secondary_targets.values_list("pk", flat=True)
        ):
            project.secondary_targets.set(secondary)
        old_lines = sorted((b.fiscal_year, b.source, b.amount) for b in project.budget_lines.all()) if before else []
        new_lines = sorted((li.fiscal_year, li.source, Decimal(li.amount)) for li in item.budget_lines)
        if old_lines != new_lines:
            project.budget_lines.all().delete()
            ProjectBudget.objects.bulk_create(
                ProjectBudget(project=project, fiscal_year=li.fiscal_year, source=li.source, amount=li.amount)
                for li in item.budget_lines
            )
        old_indicators = (
            [(i.name, i.unit, i.baseline, i.target_value, i.target_year_be) for i in project.indicators.all()]
            if before
            else []
        )
        new_indicators = [(i.name, i.unit, i.baseline, i.target_value, i.target_year_be) for i in item.indicators]
        if old_indicators != new_indicators:
            project.indicators.all().delete()
            for ind in item.indicators:
                row = ProjectIndicator(project=project, **ind.__dict__)
                row.full_clean(exclude=["project"])
                row.save()

    plan.problems.all().delete()
    rows = [p for p in problems if (p.get("title") or "").strip()]
    Problem.objects.bulk_create(
        Problem(plan=plan, rank=i, title=p["title"].strip(), description=(p.get("description") or "").strip())
        for i, p in enumerate(rows, start=1)
    )
    _save_plan(plan, by, plan_event("content_replaced", via=reason))
    return plan


@dataclass
class NewProject:
    """A project written on the plan page: its fields, its budget lines and its indicators."""

    data: dict
    budget_lines: list[BudgetLineInput]
    indicators: list[IndicatorInput]


class ProjectRefused(Exception):
    """A new project the plan page's save refused (the whole save rolled back); `index` says which one."""

    def __init__(self, index: int, error: ValidationError):
        super().__init__(str(error))
        self.index, self.error = index, error


@transaction.atomic
def save_plan_page(
    *,
    plan: TambonPlan,
    by,
    expected_revision: int,
    profile: dict | None = None,
    problems: list[dict] | None = None,
    new_projects: list[NewProject] = (),
) -> list:
    """Save a plan page at once, all or nothing: its profile and problems (when given) and its new projects.

    Each part goes through its own service, which checks the revision it is given: the first against the revision
    the page was opened at, the next ones against the revision the previous save left. Return what was saved:
    "profile", "problems" and each new project's number.
    """
    saved, revision = [], expected_revision
    if profile is not None:
        plan = update_tambon_plan(plan=plan, by=by, expected_revision=revision, **profile)
        revision = plan.revision
        saved.append("profile")
    if problems is not None:
        plan = set_problems(plan=plan, by=by, expected_revision=revision, problems=problems)
        revision = plan.revision
        saved.append("problems")
    for index, new in enumerate(new_projects):
        try:
            project = save_project(
                plan=plan,
                by=by,
                expected_revision=revision,
                data=new.data,
                budget_lines=new.budget_lines,
                indicators=new.indicators,
            )
        except EditConflict:
            raise
        except ValidationError as error:
            raise ProjectRefused(index, error) from error
        revision = project.plan.revision
        saved.append(project.number)
    return saved


# --- Plan cycles ---------------------------------------------------------------------------------------------------


@dataclass
class NextPlanReport:
    plan: TambonPlan
    carried_over: list[Project]
    finished: list[Project]
    # Carried-over projects whose workstream, goal or programme has no successor in the CODI plan for the new
    # period: they keep their old links (a project must name all three), and the plan page asks to choose again.
    unmatched: list[Project]


@transaction.atomic
def start_next_tambon_plan(*, previous: TambonPlan, period_start_be, period_end_be, by) -> NextPlanReport:
    """Start a tambon's next plan from its previous one: profile, problems and the unfinished projects carried over.

    Carried-over projects are relinked to the items of the CODI plan for the new period that were rolled forward
    from their old workstream, goal and programme; the previous plan is not changed.
    """
    previous = _lock(previous)
    if not permissions.can_start_next_tambon_plan(by, previous):
        raise PermissionDenied(_("You may not start the next plan of this tambon from this plan."))
    first, last = check_plan_period(period_start_be, period_end_be)
    if first <= previous.period_start_be:
        message = _("The next plan must start after %(year)s, the first year of the previous plan.") % {
            "year": previous.period_start_be
        }
        raise ValidationError({"period_start_be": ValidationError(message, code="not_later")})
    plan = create_tambon_plan(
        tambon=previous.tambon,
        period_start_be=first,
        period_end_be=last,
        by=by,
        **{name: getattr(previous, name) for name in PLAN_FIELDS},
    )
    Problem.objects.bulk_create(
        Problem(plan=plan, rank=p.rank, title=p.title, description=p.description) for p in previous.problems.all()
    )
    codi_plan = latest_plan(first)
    successors = selectors.lineage_map(codi_plan) if codi_plan is not None else {}
    period_first, _unused = fiscal_year_range(first)
    _unused, period_last = fiscal_year_range(last)
    report = NextPlanReport(plan=plan, carried_over=[], finished=[], unmatched=[])
    old_projects = previous.projects.prefetch_related("budget_lines", "indicators").order_by("number")
    for old in old_projects:
        if selectors.is_finished(old, first):
            report.finished.append(old)
            continue
        links = [successors.get(pk) for pk in (old.workstream_id, old.goal_id, old.programme_id)]
        new = Project(
            plan=plan,
            number=len(report.carried_over) + 1,
            carried_over_from=old,
            # National targets are not rolled forward with CODI's plans: the same Y1 target still applies.
            primary_target_id=old.primary_target_id,
            **{name: getattr(old, name) for name in PROJECT_FIELDS},
        )
        if all(links):
            new.workstream, new.goal, new.programme = links
        # Dates the new period does not hold are left for the community to set again.
        if new.start_date and not (period_first <= new.start_date <= period_last):
            new.start_date = None
        if new.end_date and not (period_first <= new.end_date <= period_last):
            new.end_date = None
        new.full_clean()
        new._history_user = by
        new._change_reason = "carried over"
        new.save()
        ProjectBudget.objects.bulk_create(
            ProjectBudget(project=new, fiscal_year=b.fiscal_year, source=b.source, amount=b.amount)
            for b in old.budget_lines.all()
            if first <= b.fiscal_year <= last
        )
        ProjectIndicator.objects.bulk_create(
            ProjectIndicator(
                project=new,
                name=i.name,
                unit=i.unit,
                baseline=i.baseline,
                target_value=i.target_value,
                # A target year before the new period moves to its last year (the page offers only its years).
                target_year_be=min(max(i.target_year_be, first), last),
            )
            for i in old.indicators.all()
        )
        report.carried_over.append(new)
        if not all(links) or codi_plan is None:
            report.unmatched.append(new)
    return report
