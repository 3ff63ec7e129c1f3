"""Budget requests: their content (text, funded projects, alignment, indicators, expense lines) and its checks."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from codi_plans.concurrency import bump_revision, check_revision
from codi_plans.thai_calendar import parse_be_year
from strategies.models import PARENT_CHAIN, NodeKind, PlanNode
from workstreams.models import CONSOLIDATED_STATUSES, Project, workstream_of

from .. import permissions
from ..models import (
    ACTIVE_STATUSES,
    NATIONAL_TARGET_KINDS,
    TRANSITIONS,
    BudgetRequest,
    ExpenseCategory,
    ExpenseLine,
    ProvincialDevelopmentPlan,
    RequestIndicator,
    RequestStatus,
    RequestTransition,
)
from .inputs import ZERO, ExpenseInput, IndicatorInput, _clean_indicators, money

REQUEST_FIELDS = [
    "title",
    "requesting_body",
    "host_agency",
    "related_agencies",
    "development_issue",
    "workstream",
    "programme",
    "national_target",
    "scope",
    "targets",
    "approach",
    "start_date",
    "end_date",
    "expected_benefits",
]


def _lock(request: BudgetRequest) -> BudgetRequest:
    return (
        BudgetRequest.objects.select_for_update(of=("self",))
        .select_related("province", "workstream", "programme", "national_target")
        .get(pk=request.pk)
    )


def _save_request(request: BudgetRequest, by, reason: str) -> None:
    bump_revision(request, by)
    request._change_reason = reason
    request.save()


def eligible_projects(*, province, fiscal_year: int, exclude_request: BudgetRequest | None = None):
    """Return the tambon-plan projects a request of this province and year may fund.

    They come from tambon plans of the province that the province accepted (or the region endorsed),
    whose plan period covers the fiscal year, and that no other live request of the year funds yet.
    """
    taken = BudgetRequest.projects.through.objects.filter(
        budgetrequest__fiscal_year=fiscal_year, budgetrequest__status__in=ACTIVE_STATUSES
    )
    if exclude_request is not None:
        taken = taken.exclude(budgetrequest=exclude_request)
    return (
        Project.objects.filter(
            plan__tambon__province=province,
            plan__status__in=CONSOLIDATED_STATUSES,
            plan__period_start_be__lte=fiscal_year,
            plan__period_end_be__gte=fiscal_year,
        )
        .exclude(pk__in=taken.values("project_id"))
        .select_related("plan__tambon__district", "workstream", "programme")
        .order_by("plan__tambon__code", "number")
    )


def _validate_projects(request: BudgetRequest, projects: list) -> None:
    ids = {p.pk for p in projects}
    ok = set(
        eligible_projects(province=request.province, fiscal_year=request.fiscal_year, exclude_request=request)
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )
    if ids - ok:
        raise ValidationError(
            {
                "projects": _(
                    "A request funds projects of accepted tambon plans of its own province whose plan period "
                    "covers the fiscal year, and that no other request of the year funds."
                )
            }
        )


def _validate_issue(request: BudgetRequest, issue) -> None:
    if issue is None:
        return
    plans = ProvincialDevelopmentPlan.objects.for_province(request.province).covering(request.fiscal_year)
    if not plans.filter(pk=issue.plan_id).exists():
        raise ValidationError(
            {
                "development_issue": _(
                    "Choose an issue of this province's (or its group's) development plan for fiscal year %(year)s."
                )
                % {"year": request.fiscal_year}
            }
        )


def _validate_policy(data: dict) -> None:
    errors = {}
    ws, prog, target = data.get("workstream"), data.get("programme"), data.get("national_target")
    if ws is not None and ws.kind != NodeKind.WORKSTREAM:
        errors["workstream"] = _("Choose a workstream.")
    if prog is not None and prog.kind != NodeKind.PROGRAMME:
        errors["programme"] = _("Choose a programme.")
    if target is not None and target.kind not in NATIONAL_TARGET_KINDS:
        errors["national_target"] = _("Choose a national strategy, strategic issue or master plan.")
    if not errors and ws is not None and prog is not None:
        prog = PlanNode.objects.select_related(PARENT_CHAIN).get(pk=prog.pk)
        if workstream_of(prog) != ws:
            errors["programme"] = _("This programme belongs to another workstream.")
    if errors:
        raise ValidationError(errors)


def _apply_content(request, by, data, projects, indicators, expense_lines) -> None:
    unknown = set(data) - set(REQUEST_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    for name in REQUEST_FIELDS:
        if name in data:
            value = data[name]
            setattr(request, name, value.strip() if isinstance(value, str) else value)
    _validate_policy({n: getattr(request, n) for n in ("workstream", "programme", "national_target")})
    _validate_issue(request, request.development_issue)
    cleaned_indicators = _clean_indicators(indicators, year_field=False)
    lines = []
    for line in expense_lines:
        if line.category not in ExpenseCategory.values:
            raise ValidationError({"expense_lines": _("Unknown expenditure category “%(c)s”.") % {"c": line.category}})
        lines.append(
            ExpenseLine(
                category=line.category,
                description=(line.description or "").strip()[:300],
                amount=money(line.amount, field_name="expense_lines"),
            )
        )
    request.requested_amount = sum((line.amount for line in lines), ZERO)
    money(request.requested_amount, field_name="expense_lines")
    request.full_clean(exclude=["created_by", "updated_by"])
    request.save()
    _validate_projects(request, projects)
    request.projects.set(projects)
    request.expense_lines.all().delete()
    for line in lines:
        line.request = request
    ExpenseLine.objects.bulk_create(lines)
    request.indicators.all().delete()
    RequestIndicator.objects.bulk_create(
        RequestIndicator(request=request, name=i.name, unit=i.unit, baseline=i.baseline, target_value=i.target_value)
        for i in cleaned_indicators
    )


@transaction.atomic
def create_budget_request(
    *,
    by,
    province,
    fiscal_year: int,
    data: dict,
    projects: list[Project] = (),
    indicators: list[IndicatorInput] = (),
    expense_lines: list[ExpenseInput] = (),
) -> BudgetRequest:
    """Start a draft budget request of a province for a fiscal year."""
    if not permissions.can_write_budget_request_for(by, province):
        raise PermissionDenied(_("You may not write budget requests for this province."))
    try:
        fiscal_year = parse_be_year(fiscal_year, label=_("Fiscal year (B.E.)"))
    except ValidationError as error:
        raise ValidationError({"fiscal_year": error}) from None
    if fiscal_year is None:
        raise ValidationError({"fiscal_year": _("Give the fiscal year in the Buddhist Era, e.g. 2570.")})
    request = BudgetRequest(province=province, fiscal_year=fiscal_year, created_by=by, updated_by=by)
    request._history_user = by
    request._change_reason = "created"
    _apply_content(request, by, data, list(projects), list(indicators), list(expense_lines))
    return request


@transaction.atomic
def update_budget_request(
    *,
    request: BudgetRequest,
    by,
    expected_revision: int,
    data: dict,
    projects: list[Project],
    indicators: list[IndicatorInput],
    expense_lines: list[ExpenseInput],
) -> BudgetRequest:
    """Change a draft request: its text, funded projects, alignment, indicators and expense lines, in one go."""
    request = _lock(request)
    if not permissions.can_write_budget_request_for(by, request.province):
        raise PermissionDenied(_("You may not change this budget request."))
    if not request.is_editable:
        raise ValidationError(
            _("A request that is %(status)s is read-only.") % {"status": request.get_status_display()},
            code="read_only",
        )
    check_revision(request, expected_revision)
    bump_revision(request, by)
    request._change_reason = "content edited"
    _apply_content(request, by, data, list(projects), list(indicators), list(expense_lines))
    return request


def national_items_served(workstream) -> set[int]:
    """Return the ids of the national items a workstream aligns to, with their parents (the targets it serves)."""
    served, master_plan_numbers = set(), set()
    for item in PlanNode.objects.filter(served_by=workstream).select_related(PARENT_CHAIN):
        for node in (item, *item.ancestors()):
            served.add(node.pk)
            if node.kind == NodeKind.MASTER_PLAN:
                master_plan_numbers.add(node.number)
    # Master plans were revised for 2566–2580: a master plan serves as its other edition with the same number.
    if master_plan_numbers:
        served.update(
            PlanNode.objects.filter(kind=NodeKind.MASTER_PLAN, number__in=master_plan_numbers).values_list(
                "pk", flat=True
            )
        )
    return served


def ex_ante_findings(request: BudgetRequest) -> list[dict]:
    """Check a request before allocation: content present and the policy and area dimensions aligned."""

    def finding(code, ok, message):
        return {"code": code, "ok": bool(ok), "message": str(message)}

    indicators = list(request.indicators.all())
    findings = [
        finding("projects", request.projects.exists(), _("Funds at least one tambon-plan project.")),
        finding("targets", request.targets.strip(), _("States its targets.")),
        finding("indicators", indicators, _("Has at least one indicator with a target value.")),
        finding("benefits", request.expected_benefits.strip(), _("States the expected benefits.")),
        finding("amount", request.requested_amount > 0, _("Asks for an amount in at least one expense category.")),
        finding(
            "development_issue", request.development_issue_id, _("Serves an issue of the provincial development plan.")
        ),
        finding("workstream", request.workstream_id, _("Names the workstream it serves.")),
        finding("programme", request.programme_id, _("Names the programme it serves.")),
        finding("national_target", request.national_target_id, _("Names the national target it serves.")),
    ]
    if request.workstream_id and request.programme_id:
        prog = PlanNode.objects.select_related(PARENT_CHAIN).get(pk=request.programme_id)
        findings.append(
            finding(
                "programme_in_workstream",
                workstream_of(prog) == request.workstream,
                _("The programme belongs to the workstream."),
            )
        )
    if request.workstream_id and request.national_target_id:
        findings.append(
            finding(
                "workstream_serves_target",
                request.national_target_id in national_items_served(request.workstream),
                _("The workstream serves the national target."),
            )
        )
    return findings


def _transition(request: BudgetRequest, to_status: str, by, comment: str = "") -> None:
    if to_status not in TRANSITIONS[RequestStatus(request.status)]:
        raise ValidationError(
            _("A request that is %(status)s cannot move to “%(to)s”.")
            % {"status": request.get_status_display(), "to": RequestStatus(to_status).label},
            code="bad_status",
        )
    RequestTransition.objects.create(
        request=request, from_status=request.status, to_status=to_status, by=by, comment=comment
    )
    request.status = to_status
    request.status_changed_at = timezone.now()
    _save_request(request, by, f"status → {to_status}")


def _require_status(request: BudgetRequest, *statuses) -> None:
    if request.status not in statuses:
        raise ValidationError(
            _("This cannot be done to a request that is %(status)s.") % {"status": request.get_status_display()},
            code="bad_status",
        )
