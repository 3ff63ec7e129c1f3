"""Writes to development plans, budget requests, ceilings, spending plans, actuals and monitoring records.

Money rules hold here and in the database constraints behind them: no negative amounts, an approval
never above the request nor above any ceiling (ceiling rows are locked for the approval), a spending
plan that adds up to the approved amount, and overspending that is explained and flagged.
"""

import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Province, Subdistrict
from codi_plans.concurrency import bump_revision, check_revision
from strategies.models import PARENT_CHAIN, NodeKind, PlanNode
from workstreams.models import CONSOLIDATED_STATUSES, Project, workstream_of

from . import permissions
from .models import (
    ACTIVE_STATUSES,
    MONTH_QUARTER,
    NATIONAL_TARGET_KINDS,
    TRANSITIONS,
    BudgetCeiling,
    BudgetRequest,
    DevelopmentIndicator,
    DevelopmentIssue,
    ExpenseCategory,
    ExpenseLine,
    MonitoringPhase,
    MonitoringRecord,
    PilotTambon,
    ProvincialDevelopmentPlan,
    RequestIndicator,
    RequestStatus,
    RequestTransition,
    SpendingActivity,
    SpendingActual,
    SpendingPlanLine,
)

MAX_MONEY = Decimal("999999999999.99")
SATANG = Decimal("0.01")
ZERO = Decimal("0.00")


# ---------------------------------------------------------------------------------------------------
# Input shapes and money
# ---------------------------------------------------------------------------------------------------


def money(value, *, field_name: str = "amount", allow_none: bool = False) -> Decimal | None:
    """Return a baht amount as a Decimal with satang, refusing negatives, NaN, fractions of satang and floats."""
    if value is None or value == "":
        if allow_none:
            return None
        raise ValidationError({field_name: _("An amount is required.")})
    if isinstance(value, float):
        # Floats lose satang; the interfaces pass strings or Decimals.
        value = repr(value)
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field_name: _("“%(value)s” is not an amount of money.") % {"value": value}}) from None
    if not amount.is_finite():
        raise ValidationError({field_name: _("“%(value)s” is not an amount of money.") % {"value": value}})
    if amount < 0:
        raise ValidationError({field_name: _("An amount cannot be negative.")})
    if amount != amount.quantize(SATANG):
        raise ValidationError({field_name: _("Amounts are in baht and satang: at most two decimal places.")})
    if amount > MAX_MONEY:
        raise ValidationError({field_name: _("The amount is too large.")})
    return amount.quantize(SATANG)


@dataclass
class IndicatorInput:
    name: str
    unit: str
    target_value: Decimal
    baseline: Decimal | None = None
    target_year_be: int | None = None


@dataclass
class ExpenseInput:
    category: str
    amount: Decimal
    description: str = ""


@dataclass
class PeriodInput:
    """Planned or actual figures for a quarter, or for one calendar month of it."""

    quarter: int
    quantity: Decimal
    amount: Decimal
    month: int | None = None


@dataclass
class ActivityInput:
    name: str
    unit: str
    category: str
    periods: list[PeriodInput] = field(default_factory=list)


@dataclass
class ActualInput:
    activity_number: int
    quantity: Decimal
    amount: Decimal
    month: int | None = None
    explanation: str = ""


def _clean_indicators(indicators: list[IndicatorInput], *, year_field: bool) -> list[IndicatorInput]:
    cleaned = []
    for ind in indicators:
        name, unit = (ind.name or "").strip(), (ind.unit or "").strip()
        if not name and not unit and ind.target_value in (None, ""):
            continue
        if not name or not unit:
            raise ValidationError({"indicators": _("Every indicator needs a name and a unit.")})
        target = money(ind.target_value, field_name="indicators")
        baseline = money(ind.baseline, field_name="indicators", allow_none=True)
        year = ind.target_year_be if year_field else None
        if year is not None and not 2500 <= int(year) <= 2700:
            raise ValidationError({"indicators": _("Give the target year in the Buddhist Era, e.g. 2570.")})
        cleaned.append(IndicatorInput(name[:300], unit[:60], target, baseline, year))
    return cleaned


# ---------------------------------------------------------------------------------------------------
# Provincial and province-group development plans
# ---------------------------------------------------------------------------------------------------

DEVELOPMENT_PLAN_FIELDS = ["name", "period_start_be", "period_end_be", "vision", "development_target"]
ISSUE_FIELDS = ["title", "objectives", "targets", "strategies", "group_issue"]


def _save_development_plan(plan: ProvincialDevelopmentPlan, by, reason: str) -> None:
    bump_revision(plan, by)
    plan._change_reason = reason
    plan.save()


def _replace_plan_indicators(plan, issue, indicators: list[IndicatorInput]) -> None:
    DevelopmentIndicator.objects.filter(plan=plan, issue=issue).delete()
    DevelopmentIndicator.objects.bulk_create(
        DevelopmentIndicator(plan=plan, issue=issue, **ind.__dict__) for ind in indicators
    )


@transaction.atomic
def create_development_plan(
    *, by, province=None, province_group=None, indicators: list[IndicatorInput] = (), **fields
) -> ProvincialDevelopmentPlan:
    """Start a provincial (or province-group) development plan for a plan period."""
    if (province is None) == (province_group is None):
        raise ValidationError(_("A development plan belongs to one province or one province group."))
    if not permissions.can_create_development_plan_for(by, province=province, province_group=province_group):
        raise PermissionDenied(_("You may not write a development plan for this area."))
    unknown = set(fields) - set(DEVELOPMENT_PLAN_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    plan = ProvincialDevelopmentPlan(province=province, province_group=province_group, updated_by=by, **fields)
    plan.full_clean()
    plan._history_user = by
    plan.save()
    _replace_plan_indicators(plan, None, _clean_indicators(list(indicators), year_field=True))
    return plan


def _lock_development_plan(plan, by, expected_revision) -> ProvincialDevelopmentPlan:
    locked = (
        ProvincialDevelopmentPlan.objects.select_for_update(of=("self",))
        .select_related("province", "province_group")
        .get(pk=plan.pk)
    )
    if not permissions.can_edit_development_plan(by, locked):
        raise PermissionDenied(_("You may not change this development plan."))
    check_revision(locked, expected_revision)
    return locked


@transaction.atomic
def update_development_plan(
    *, plan: ProvincialDevelopmentPlan, by, expected_revision: int, indicators: list[IndicatorInput], **fields
) -> ProvincialDevelopmentPlan:
    """Change a development plan's name, period, vision, development target and its indicators."""
    plan = _lock_development_plan(plan, by, expected_revision)
    unknown = set(fields) - set(DEVELOPMENT_PLAN_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.full_clean()
    _replace_plan_indicators(plan, None, _clean_indicators(indicators, year_field=True))
    _save_development_plan(plan, by, "plan edited")
    return plan


@transaction.atomic
def save_development_issue(
    *,
    plan: ProvincialDevelopmentPlan,
    by,
    expected_revision: int,
    data: dict,
    indicators: list[IndicatorInput],
    aligns_to: list[PlanNode] = (),
    issue: DevelopmentIssue | None = None,
) -> DevelopmentIssue:
    """Create or change a numbered development issue with its objectives, targets, strategies and indicators."""
    plan = _lock_development_plan(plan, by, expected_revision)
    if issue is not None and issue.plan_id != plan.pk:
        raise PermissionDenied(_("This development issue belongs to another plan."))
    if not (data.get("title") or "").strip():
        raise ValidationError({"title": _("Name the development issue.")})
    group_issue = data.get("group_issue")
    if group_issue is not None:
        if plan.is_group_plan or group_issue.plan.province_group_id != plan.province.group_id:
            raise ValidationError({"group_issue": _("Choose an issue of this province's group plan.")})
    not_national = [n for n in aligns_to if not n.is_national]
    if not_national:
        raise ValidationError({"aligns_to": _("A development issue serves national plan items only.")})
    number = data.get("number")
    if issue is None:
        issue = DevelopmentIssue(plan=plan)
        if not number:
            number = max(plan.issues.values_list("number", flat=True), default=0) + 1
    if number:
        if plan.issues.filter(number=number).exclude(pk=issue.pk).exists():
            raise ValidationError({"number": _("Another issue of this plan has number %(n)s.") % {"n": number}})
        issue.number = number
    for name in ISSUE_FIELDS:
        if name in data:
            setattr(issue, name, data[name] if name == "group_issue" else (data[name] or "").strip())
    issue.full_clean(exclude=["plan"])
    issue._history_user = by
    issue.save()
    issue.aligns_to.set(aligns_to)
    _replace_plan_indicators(plan, issue, _clean_indicators(indicators, year_field=True))
    _save_development_plan(plan, by, f"issue {issue.number} saved")
    return issue


@transaction.atomic
def delete_development_issue(*, issue: DevelopmentIssue, by, expected_revision: int) -> None:
    """Remove a development issue no budget request refers to."""
    plan = _lock_development_plan(issue.plan, by, expected_revision)
    issue._history_user = by
    try:
        issue.delete()
    except ProtectedError:
        raise ValidationError(
            _("Budget requests serve this development issue; it cannot be removed."), code="protected"
        ) from None
    _save_development_plan(plan, by, f"issue {issue.number} deleted")


# ---------------------------------------------------------------------------------------------------
# Ceilings
# ---------------------------------------------------------------------------------------------------


def committed_total(*, fiscal_year: int, province=None, workstream=None) -> Decimal:
    """Sum the approved amounts counted against a province's or a workstream's ceiling."""
    qs = BudgetRequest.objects.committed().for_year(fiscal_year)
    qs = qs.filter(province=province) if province is not None else qs.filter(workstream=workstream)
    return qs.aggregate(total=Sum("approved_amount"))["total"] or ZERO


@transaction.atomic
def set_ceiling(*, by, fiscal_year: int, amount, province=None, workstream=None, note: str = "") -> BudgetCeiling:
    """Set the ceiling of a province or a workstream for a fiscal year; never below what is already approved."""
    if not permissions.can_set_ceiling(by):
        raise PermissionDenied(_("Only CODI central staff set ceilings."))
    if (province is None) == (workstream is None):
        raise ValidationError(_("A ceiling is for one province or one workstream."))
    if workstream is not None and workstream.kind != NodeKind.WORKSTREAM:
        raise ValidationError({"workstream": _("Choose a workstream.")})
    amount = money(amount)
    key = {"province": province} if province is not None else {"workstream": workstream}
    ceiling = BudgetCeiling.objects.select_for_update(of=("self",)).filter(fiscal_year=fiscal_year, **key).first()
    if ceiling is None:
        ceiling = BudgetCeiling(fiscal_year=fiscal_year, **key)
    committed = committed_total(fiscal_year=fiscal_year, **key)
    if amount < committed:
        raise ValidationError(
            {
                "amount": _("%(committed)s baht is already approved; the ceiling cannot be lower.")
                % {"committed": f"{committed:,.2f}"}
            }
        )
    ceiling.amount, ceiling.note, ceiling.updated_by = amount, note, by
    ceiling.full_clean()
    ceiling._history_user = by
    ceiling.save()
    return ceiling


# ---------------------------------------------------------------------------------------------------
# Budget requests: content
# ---------------------------------------------------------------------------------------------------

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
    if not 2500 <= int(fiscal_year) <= 2700:
        raise ValidationError({"fiscal_year": _("Give the fiscal year in the Buddhist Era, e.g. 2570.")})
    request = BudgetRequest(province=province, fiscal_year=int(fiscal_year), created_by=by, updated_by=by)
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


# ---------------------------------------------------------------------------------------------------
# Ex-ante check (monitoring before allocation)
# ---------------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------------
# Budget requests: workflow
# ---------------------------------------------------------------------------------------------------


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


@transaction.atomic
def submit_budget_request(*, request: BudgetRequest, by, comment: str = "") -> BudgetRequest:
    """Submit a draft to the province after the automatic ex-ante check, which is kept as a monitoring record."""
    request = _lock(request)
    if not permissions.can_write_budget_request_for(by, request.province):
        raise PermissionDenied(_("You may not submit this budget request."))
    _require_status(request, RequestStatus.DRAFT)
    findings = ex_ante_findings(request)
    failed = [f["message"] for f in findings if not f["ok"]]
    if failed:
        raise ValidationError(
            [_("The ex-ante check failed: %(what)s") % {"what": message} for message in failed], code="ex_ante"
        )
    _transition(request, RequestStatus.SUBMITTED, by, comment)
    MonitoringRecord.objects.create(
        request=request, phase=MonitoringPhase.EX_ANTE, passed=True, findings=findings, recorded_by=by
    )
    return request


@transaction.atomic
def return_budget_request(*, request: BudgetRequest, by, reason: str) -> BudgetRequest:
    """Send a submitted, prioritised or forwarded request back to draft, saying why; its rank is released."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the request is returned.")})
    request = _lock(request)
    if not permissions.can_return_budget_request(by, request):
        raise PermissionDenied(_("You may not return this budget request."))
    _require_status(request, RequestStatus.SUBMITTED, RequestStatus.PRIORITISED, RequestStatus.FORWARDED)
    request.rank = None
    _transition(request, RequestStatus.DRAFT, by, reason.strip())
    return request


@transaction.atomic
def prioritise_budget_request(
    *, request: BudgetRequest, by, rank: int, priority_note: str = "", redeployment_note: str = ""
) -> BudgetRequest:
    """Rank a submitted request within its province and fiscal year, with notes on priority and redeployment."""
    request = _lock(request)
    if not permissions.can_prioritise_budget_request(by, request):
        raise PermissionDenied(_("You may not prioritise this province's requests."))
    _require_status(request, RequestStatus.SUBMITTED, RequestStatus.PRIORITISED)
    try:
        rank = int(rank)
    except (TypeError, ValueError):
        rank = 0
    if rank < 1 or rank > 32767:
        raise ValidationError({"rank": _("The rank is a whole number from 1.")})
    holder = (
        BudgetRequest.objects.filter(province=request.province, fiscal_year=request.fiscal_year, rank=rank)
        .exclude(pk=request.pk)
        .first()
    )
    if holder is not None:
        raise ValidationError(
            {"rank": _("Rank %(rank)s is already given to “%(title)s”.") % {"rank": rank, "title": holder.title}}
        )
    request.rank = rank
    request.priority_note = (priority_note or "").strip()
    request.redeployment_note = (redeployment_note or "").strip()
    _transition(request, RequestStatus.PRIORITISED, by, _("Rank %(rank)s") % {"rank": rank})
    return request


@transaction.atomic
def forward_budget_request(*, request: BudgetRequest, by, comment: str = "") -> BudgetRequest:
    """Forward a prioritised request to CODI for a decision."""
    request = _lock(request)
    if not permissions.can_prioritise_budget_request(by, request):
        raise PermissionDenied(_("You may not forward this province's requests."))
    _require_status(request, RequestStatus.PRIORITISED)
    _transition(request, RequestStatus.FORWARDED, by, comment)
    return request


@transaction.atomic
def approve_budget_request(*, request: BudgetRequest, by, amount, comment: str = "") -> BudgetRequest:
    """Approve a forwarded request for an amount no larger than requested and within every ceiling."""
    amount = money(amount)
    request = _lock(request)
    if not permissions.can_decide_budget_request(by, request):
        raise PermissionDenied(_("Only CODI central staff approve budget requests."))
    _require_status(request, RequestStatus.FORWARDED)
    if amount <= 0:
        raise ValidationError({"amount": _("Approve a positive amount, or reject the request.")})
    if amount > request.requested_amount:
        raise ValidationError(
            {
                "amount": _("The approved amount cannot exceed the requested %(requested)s baht.")
                % {"requested": f"{request.requested_amount:,.2f}"}
            }
        )
    # Lock the ceilings this approval counts against, always in id order so that approvals never
    # deadlock; whoever holds the lock sees every approval committed before it.
    dimensions = Q(province_id=request.province_id)
    if request.workstream_id is not None:
        dimensions |= Q(workstream_id=request.workstream_id)
    ceilings = list(
        BudgetCeiling.objects.select_for_update(of=("self",))
        .filter(fiscal_year=request.fiscal_year)
        .filter(dimensions)
        .select_related("province", "workstream")
        .order_by("id")
    )
    for ceiling in ceilings:
        key = {"province": ceiling.province} if ceiling.province_id else {"workstream": ceiling.workstream}
        committed = committed_total(fiscal_year=request.fiscal_year, **key)
        if committed + amount > ceiling.amount:
            message = _(
                "This approval would exceed the fiscal year %(year)s ceiling of %(area)s: "
                "%(ceiling)s baht, of which %(committed)s is already approved."
            ) % {
                "year": request.fiscal_year,
                "area": ceiling.province or ceiling.workstream,
                "ceiling": f"{ceiling.amount:,.2f}",
                "committed": f"{committed:,.2f}",
            }
            raise ValidationError({"amount": ValidationError(message, code="ceiling")})
    request.approved_amount = amount
    request.decision_note = (comment or "").strip()
    _transition(request, RequestStatus.APPROVED, by, comment or "")
    return request


@transaction.atomic
def reject_budget_request(*, request: BudgetRequest, by, reason: str) -> BudgetRequest:
    """Reject a forwarded request, saying why."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the request is rejected.")})
    request = _lock(request)
    if not permissions.can_decide_budget_request(by, request):
        raise PermissionDenied(_("Only CODI central staff reject budget requests."))
    _require_status(request, RequestStatus.FORWARDED)
    request.decision_note = reason.strip()
    _transition(request, RequestStatus.REJECTED, by, reason.strip())
    return request


# ---------------------------------------------------------------------------------------------------
# Spending plan and actuals
# ---------------------------------------------------------------------------------------------------


def _check_period(quarter, month, where: str) -> tuple[int, int | None]:
    try:
        quarter = int(quarter)
        month = int(month) if month not in (None, "") else None
    except (TypeError, ValueError):
        raise ValidationError({where: _("Quarters are 1–4 and months 1–12.")}) from None
    if quarter not in (1, 2, 3, 4) or (month is not None and MONTH_QUARTER.get(month) != quarter):
        raise ValidationError({where: _("Quarters are 1–4 and each month must lie in its quarter.")})
    return quarter, month


def _check_no_mixing(keys: list[tuple[int, int | None]], where: str) -> None:
    """Within one quarter, figures are given for the quarter or for its months, never both, never twice."""
    if len(set(keys)) != len(keys):
        raise ValidationError({where: _("The same quarter or month appears twice.")})
    by_quarter = defaultdict(set)
    for quarter, month in keys:
        by_quarter[quarter].add(month is None)
    if any(len(kinds) > 1 for kinds in by_quarter.values()):
        raise ValidationError({where: _("Give a quarter's figures either for the quarter or by month, not both.")})


@transaction.atomic
def save_spending_plan(
    *, request: BudgetRequest, by, expected_revision: int, activities: list[ActivityInput]
) -> BudgetRequest:
    """Replace an approved request's spending plan (แบบ สงป. 301); it must add up to the approved amount."""
    request = _lock(request)
    if not permissions.can_run_budget_request(by, request):
        raise PermissionDenied(_("You may not enter this request's spending plan."))
    if request.status != RequestStatus.APPROVED:
        raise ValidationError(
            _("The spending plan is entered once the request is approved and fixed when execution starts."),
            code="bad_status",
        )
    check_revision(request, expected_revision)
    rows, total = [], ZERO
    for number, act in enumerate((a for a in activities if (a.name or "").strip()), start=1):
        where = "activities"
        if not (act.unit or "").strip():
            raise ValidationError({where: _("Give each activity a unit of output.")})
        if act.category not in ExpenseCategory.values:
            raise ValidationError({where: _("Unknown expenditure category “%(c)s”.") % {"c": act.category}})
        lines = []
        for period in act.periods:
            quarter, month = _check_period(period.quarter, period.month, where)
            quantity = money(period.quantity, field_name=where)
            amount = money(period.amount, field_name=where)
            if quantity == 0 and amount == 0:
                continue
            lines.append(
                SpendingPlanLine(quarter=quarter, month=month, planned_quantity=quantity, planned_amount=amount)
            )
            total += amount
        _check_no_mixing([(li.quarter, li.month) for li in lines], where)
        rows.append(
            (
                SpendingActivity(
                    request=request,
                    number=number,
                    name=act.name.strip()[:300],
                    unit=act.unit.strip()[:60],
                    category=act.category,
                ),
                lines,
            )
        )
    if not rows:
        raise ValidationError({"activities": _("The spending plan needs at least one activity.")})
    if total != request.approved_amount:
        raise ValidationError(
            {
                "activities": _(
                    "The spending plan adds up to %(total)s baht; it must equal the approved %(approved)s baht."
                )
                % {"total": f"{total:,.2f}", "approved": f"{request.approved_amount:,.2f}"}
            },
            code="plan_total",
        )
    request.activities.all().delete()
    for activity, lines in rows:
        activity.save()
        for line in lines:
            line.activity = activity
        SpendingPlanLine.objects.bulk_create(lines)
    _save_request(request, by, "spending plan saved")
    return request


@transaction.atomic
def start_execution(*, request: BudgetRequest, by, comment: str = "") -> BudgetRequest:
    """Start executing an approved request whose spending plan is in place."""
    request = _lock(request)
    if not permissions.can_run_budget_request(by, request):
        raise PermissionDenied(_("You may not start this request's execution."))
    _require_status(request, RequestStatus.APPROVED)
    planned = SpendingPlanLine.objects.filter(activity__request=request).aggregate(t=Sum("planned_amount"))["t"]
    if planned != request.approved_amount:
        raise ValidationError(_("Enter a spending plan that adds up to the approved amount first."), code="no_plan")
    _transition(request, RequestStatus.IN_EXECUTION, by, comment)
    return request


@transaction.atomic
def record_actuals(
    *, request: BudgetRequest, by, expected_revision: int, quarter: int, rows: list[ActualInput]
) -> BudgetRequest:
    """Record a quarter's actual output and money per activity (สงป. 302); spending over plan must be explained."""
    request = _lock(request)
    if not permissions.can_run_budget_request(by, request):
        raise PermissionDenied(_("You may not record this request's actuals."))
    _require_status(request, RequestStatus.IN_EXECUTION)
    check_revision(request, expected_revision)
    quarter, _m = _check_period(quarter, None, "quarter")
    activities = {a.number: a for a in request.activities.all()}
    new_rows = []
    for row in rows:
        activity = activities.get(int(row.activity_number))
        if activity is None:
            raise ValidationError({"rows": _("Unknown activity %(n)s.") % {"n": row.activity_number}})
        _q, month = _check_period(quarter, row.month, "rows")
        new_rows.append(
            SpendingActual(
                activity=activity,
                quarter=quarter,
                month=month,
                actual_quantity=money(row.quantity, field_name="rows"),
                actual_amount=money(row.amount, field_name="rows"),
                explanation=(row.explanation or "").strip(),
                recorded_by=by,
            )
        )
    for activity in activities.values():
        _check_no_mixing([(r.quarter, r.month) for r in new_rows if r.activity is activity], "rows")
    touched = {r.activity.pk for r in new_rows}
    SpendingActual.objects.filter(activity_id__in=touched, quarter=quarter).delete()
    SpendingActual.objects.bulk_create(new_rows)
    _flag_overspending(touched, recorded_quarter=quarter)
    request.spent_amount = (
        SpendingActual.objects.filter(activity__request=request).aggregate(t=Sum("actual_amount"))["t"] or ZERO
    )
    _save_request(request, by, f"actuals of quarter {quarter} recorded")
    return request


def _flag_overspending(activity_ids: set[int], *, recorded_quarter: int) -> None:
    """Flag every actual whose activity's cumulative spending through its quarter is over the cumulative plan."""
    planned = defaultdict(lambda: ZERO)
    for line in SpendingPlanLine.objects.filter(activity_id__in=activity_ids):
        planned[(line.activity_id, line.quarter)] += line.planned_amount
    actual_rows = list(SpendingActual.objects.filter(activity_id__in=activity_ids).order_by("quarter", "month"))
    spent = defaultdict(lambda: ZERO)
    for row in actual_rows:
        spent[(row.activity_id, row.quarter)] += row.actual_amount
    changed, unexplained = [], []
    for row in actual_rows:
        cum_plan = sum(planned[(row.activity_id, q)] for q in range(1, row.quarter + 1))
        cum_spent = sum(spent[(row.activity_id, q)] for q in range(1, row.quarter + 1))
        over = cum_spent > cum_plan
        if over and not row.explanation:
            unexplained.append(row)
        if over != row.overspent:
            row.overspent = over
            changed.append(row)
    if unexplained:
        quarters = sorted({r.quarter for r in unexplained})
        raise ValidationError(
            {
                "rows": _(
                    "Spending is over plan for %(activities)s (quarter %(quarters)s): explain why in the "
                    "explanation column."
                )
                % {
                    "activities": ", ".join(sorted({str(r.activity) for r in unexplained})),
                    "quarters": ", ".join(str(q) for q in quarters),
                }
            },
            code="overspent",
        )
    SpendingActual.objects.bulk_update(changed, ["overspent"])


# ---------------------------------------------------------------------------------------------------
# Monitoring during and after; closing
# ---------------------------------------------------------------------------------------------------


def spending_summary(request: BudgetRequest, *, through_quarter: int = 4) -> dict:
    """Return planned and actual money, each for the quarter and cumulative, per quarter up to the given one."""
    planned = defaultdict(lambda: ZERO)
    actual = defaultdict(lambda: ZERO)
    for q, amount in SpendingPlanLine.objects.filter(activity__request=request).values_list(
        "quarter", "planned_amount"
    ):
        planned[q] += amount
    for q, amount in SpendingActual.objects.filter(activity__request=request).values_list("quarter", "actual_amount"):
        actual[q] += amount
    quarters, cum_plan, cum_actual = [], ZERO, ZERO
    for q in range(1, through_quarter + 1):
        cum_plan += planned[q]
        cum_actual += actual[q]
        quarters.append(
            {
                "quarter": q,
                "planned": planned[q],
                "actual": actual[q],
                "cumulative_planned": cum_plan,
                "cumulative_actual": cum_actual,
            }
        )
    return {"quarters": quarters, "planned_total": cum_plan, "actual_total": cum_actual}


def _plain_summary(summary: dict) -> dict:
    return {
        "quarters": [{k: str(v) if isinstance(v, Decimal) else v for k, v in q.items()} for q in summary["quarters"]],
        "planned_total": str(summary["planned_total"]),
        "actual_total": str(summary["actual_total"]),
    }


@transaction.atomic
def record_quarterly_monitoring(
    *,
    request: BudgetRequest,
    by,
    quarter: int,
    progress: str,
    problems: str = "",
    obstacles: str = "",
    remedies: str = "",
) -> MonitoringRecord:
    """Record (or correct) the monitoring entry of a quarter of execution, with the money through that quarter."""
    request = _lock(request)
    if not permissions.can_run_budget_request(by, request):
        raise PermissionDenied(_("You may not report on this request."))
    _require_status(request, RequestStatus.IN_EXECUTION)
    quarter, _m = _check_period(quarter, None, "quarter")
    if not (progress or "").strip():
        raise ValidationError({"progress": _("Describe the progress of the quarter.")})
    record, _created = MonitoringRecord.objects.get_or_create(
        request=request, phase=MonitoringPhase.ONGOING, quarter=quarter, defaults={"recorded_by": by}
    )
    record.progress = progress.strip()
    record.problems, record.obstacles, record.remedies = problems.strip(), obstacles.strip(), remedies.strip()
    record.findings = _plain_summary(spending_summary(request, through_quarter=quarter))
    record.recorded_by = by
    record._history_user = by
    record.save()
    return record


@transaction.atomic
def record_ex_post_evaluation(
    *,
    request: BudgetRequest,
    by,
    achievements: dict[int, Decimal],
    progress: str,
    problems: str = "",
    obstacles: str = "",
    remedies: str = "",
) -> MonitoringRecord:
    """Evaluate a request after spending: achievement against each target, problems, obstacles and remedies."""
    request = _lock(request)
    if not permissions.can_run_budget_request(by, request):
        raise PermissionDenied(_("You may not evaluate this request."))
    _require_status(request, RequestStatus.IN_EXECUTION)
    if not (progress or "").strip():
        raise ValidationError({"progress": _("Summarise what the project achieved.")})
    achievements = {int(k): v for k, v in achievements.items()}
    indicators = list(request.indicators.all())
    missing = [i.name for i in indicators if achievements.get(i.pk) in (None, "")]
    if missing:
        raise ValidationError(
            {"achievements": _("Give what was achieved for: %(names)s.") % {"names": ", ".join(missing)}}
        )
    results = []
    for indicator in indicators:
        indicator.achieved_value = money(achievements[indicator.pk], field_name="achievements")
        results.append(
            {
                "indicator": indicator.name,
                "unit": indicator.unit,
                "target": str(indicator.target_value),
                "achieved": str(indicator.achieved_value),
                "percent": str(indicator.achievement_percent) if indicator.achievement_percent is not None else None,
            }
        )
    RequestIndicator.objects.bulk_update(indicators, ["achieved_value"])
    record, _created = MonitoringRecord.objects.get_or_create(
        request=request, phase=MonitoringPhase.EX_POST, defaults={"recorded_by": by}
    )
    summary = spending_summary(request)
    record.findings = {
        "indicators": results,
        "approved": str(request.approved_amount),
        "spent": str(summary["actual_total"]),
        "planned": str(summary["planned_total"]),
    }
    record.progress = progress.strip()
    record.problems, record.obstacles, record.remedies = problems.strip(), obstacles.strip(), remedies.strip()
    record.recorded_by = by
    record._history_user = by
    record.save()
    return record


@transaction.atomic
def close_budget_request(*, request: BudgetRequest, by, comment: str = "") -> BudgetRequest:
    """Close a request in execution once its ex-post evaluation is recorded."""
    request = _lock(request)
    if not permissions.can_run_budget_request(by, request):
        raise PermissionDenied(_("You may not close this request."))
    _require_status(request, RequestStatus.IN_EXECUTION)
    if not request.monitoring.filter(phase=MonitoringPhase.EX_POST).exists():
        raise ValidationError(_("Record the ex-post evaluation before closing the request."), code="no_ex_post")
    _transition(request, RequestStatus.CLOSED, by, comment)
    return request


# ---------------------------------------------------------------------------------------------------
# Demo content for a first run
# ---------------------------------------------------------------------------------------------------

DEMO_FILE = Path(__file__).parent / "data" / "demo_budgets.json"


@dataclass
class DemoLoadReport:
    plans: int = 0
    issues: int = 0
    ceilings: int = 0
    pilot_tambons: int = 0


def _demo_indicators(rows: list[dict]) -> list[IndicatorInput]:
    return [
        IndicatorInput(
            r["name"],
            r["unit"],
            Decimal(r["target_value"]),
            money(r.get("baseline"), allow_none=True),
            r.get("target_year_be"),
        )
        for r in rows
    ]


@transaction.atomic
def load_demo_budgets(*, path: Path = DEMO_FILE) -> DemoLoadReport:
    """Add the demo development plans, ceilings and pilot tambons that are missing; never change existing rows."""
    if not settings.DEMO_ACCOUNTS_ALLOWED:
        raise ImproperlyConfigured("Demo budgets are never loaded under production settings (DJANGO_DEBUG=False).")
    data = json.loads(path.read_text(encoding="utf-8"))
    report = DemoLoadReport()
    # Group plans first, so that provincial issues can say which group issue they feed.
    entries = sorted(data["development_plans"], key=lambda e: "province_group_of" not in e)
    for entry in entries:
        start, end = entry["period"]
        if "province" in entry:
            area = {"province": Province.objects.get(code=entry["province"])}
        else:
            group = Province.objects.get(code=entry["province_group_of"]).group
            if group is None:
                continue
            area = {"province_group": group}
        plan, created = ProvincialDevelopmentPlan.objects.get_or_create(
            **area,
            period_start_be=start,
            defaults={
                "name": entry["name"],
                "period_end_be": end,
                "vision": entry["vision"],
                "development_target": entry["development_target"],
            },
        )
        if created:
            report.plans += 1
            _replace_plan_indicators(plan, None, _demo_indicators(entry.get("indicators", [])))
        existing = set(plan.issues.values_list("number", flat=True))
        for row in entry["issues"]:
            if row["number"] in existing:
                continue
            group_issue = None
            if row.get("group_issue") and plan.province_id and plan.province.group_id:
                group_issue = DevelopmentIssue.objects.filter(
                    plan__province_group_id=plan.province.group_id,
                    plan__period_start_be=start,
                    number=row["group_issue"],
                ).first()
            issue = DevelopmentIssue.objects.create(
                plan=plan,
                number=row["number"],
                title=row["title"],
                objectives="\n".join(row.get("objectives", [])),
                targets="\n".join(row.get("targets", [])),
                strategies="\n".join(row.get("strategies", [])),
                group_issue=group_issue,
            )
            issue.aligns_to.set(PlanNode.objects.filter(code__in=row.get("aligns_to", [])))
            _replace_plan_indicators(plan, issue, _demo_indicators(row.get("indicators", [])))
            report.issues += 1
    ceilings = data.get("ceilings", {})
    for year in ceilings.get("fiscal_years", []):
        for code, amount in ceilings.get("provinces", {}).items():
            _, created = BudgetCeiling.objects.get_or_create(
                fiscal_year=year,
                province=Province.objects.get(code=code),
                defaults={"amount": Decimal(amount), "note": "demo"},
            )
            report.ceilings += created
        for code, amount in ceilings.get("workstreams", {}).items():
            _, created = BudgetCeiling.objects.get_or_create(
                fiscal_year=year,
                workstream=PlanNode.objects.get(code=code),
                defaults={"amount": Decimal(amount), "note": "demo"},
            )
            report.ceilings += created
    pilots = data.get("pilot_tambons")
    if pilots:
        for tambon in Subdistrict.objects.filter(code__in=pilots["codes"]):
            _, created = PilotTambon.objects.get_or_create(
                fiscal_year=pilots["fiscal_year"], tambon=tambon, defaults={"note": pilots.get("note", "")}
            )
            report.pilot_tambons += created
    return report
