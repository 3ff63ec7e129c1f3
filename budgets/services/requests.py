"""Budget requests: their content (text, funded projects, alignment, indicators, expense lines) and its checks."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from codi_plans.concurrency import bump_revision, check_revision
from codi_plans.thai_calendar import parse_be_year
from strategies.models import PARENT_CHAIN, NodeKind, PlanNode
from workstreams.models import Project, workstream_of

from .. import permissions
from ..models import (
    NATIONAL_TARGET_KINDS,
    BudgetRequest,
    ExpenseCategory,
    ExpenseLine,
    RequestIndicator,
    RequestStatus,
)
from ..selectors import development_issues_for, eligible_projects
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
    "primary_target",
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
        .select_related("province", "workstream", "programme", "national_target", "primary_target")
        .get(pk=request.pk)
    )


def _save_request(request: BudgetRequest, by, reason: str) -> None:
    bump_revision(request, by)
    request._change_reason = reason
    request.save()


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
    issues = development_issues_for(province=request.province, fiscal_year=request.fiscal_year)
    if not issues.filter(pk=issue.pk).exists():
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
    primary = data.get("primary_target")
    if primary is not None and (primary.kind != NodeKind.SUB_PLAN_TARGET or primary.is_draft):
        errors["primary_target"] = _("Choose a published sub-plan target (Y1).")
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
    _validate_policy({n: getattr(request, n) for n in ("workstream", "programme", "national_target", "primary_target")})
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
    if not permissions.can_write_budget_request(by, request):
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


def refusal() -> str:
    """The refusal of something a request's status does not allow (for Workflow.check and the in-execution work)."""
    return _("This cannot be done to a request that is %(status)s.")


def _require_in_execution(request: BudgetRequest) -> None:
    """Refuse work that only a request in execution takes: actuals, quarterly monitoring, the ex-post evaluation."""
    if request.status != RequestStatus.IN_EXECUTION:
        raise ValidationError(refusal() % {"status": request.get_status_display()}, code="bad_status")
