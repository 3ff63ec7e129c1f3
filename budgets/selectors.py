"""Reads that pages, the API, the services and reports share: committed money, fundable projects, the ex-ante check,
spending per quarter and ceilings with their headroom. Writes live in services/."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, Min, Sum
from django.utils.translation import gettext as _

from codi_plans.thai_calendar import QUARTERS, selectable_years
from strategies.models import PARENT_CHAIN, NodeKind, PlanNode
from strategies.selectors import chain_for_targets, project_targets
from workstreams.models import CONSOLIDATED_STATUSES, Project, workstream_of

from .models import (
    ACTIVE_STATUSES,
    BudgetCeiling,
    BudgetRequest,
    DevelopmentIssue,
    ProvincialDevelopmentPlan,
    SpendingActivity,
    SpendingActual,
    SpendingPlanLine,
)

ZERO = Decimal("0.00")


# --- Years ------------------------------------------------------------------------------------------------------


def data_years() -> tuple[int | None, int | None]:
    """Return the first and last fiscal years any budget request is made for, in one query."""
    bounds = BudgetRequest.objects.order_by().aggregate(first=Min("fiscal_year"), last=Max("fiscal_year"))
    return bounds["first"], bounds["last"]


def year_choices(today=None) -> list[int]:
    """Return the fiscal years budget pages offer: every year with requests, this year and the next, newest first."""
    return selectable_years(*data_years(), today=today)


# --- Ceilings ---------------------------------------------------------------------------------------------------


def committed_total(*, fiscal_year: int, province=None, workstream=None) -> Decimal:
    """Sum the approved amounts counted against a province's or a workstream's ceiling."""
    qs = BudgetRequest.objects.committed().for_year(fiscal_year)
    qs = qs.filter(province=province) if province is not None else qs.filter(workstream=workstream)
    return qs.aggregate(total=Sum("approved_amount"))["total"] or ZERO


def ceilings_with_headroom(*, user, fiscal_year: int) -> list[BudgetCeiling]:
    """Return the user's ceilings of a fiscal year, each with `committed` (approved money) and `headroom`."""
    rows = list(
        BudgetCeiling.objects.visible_to(user)
        .filter(fiscal_year=fiscal_year)
        .select_related("province", "workstream", "updated_by")
    )
    committed = BudgetRequest.objects.committed().for_year(fiscal_year)
    by_province = dict(committed.values_list("province").annotate(t=Sum("approved_amount")))
    by_workstream = dict(committed.values_list("workstream").annotate(t=Sum("approved_amount")))
    for row in rows:
        row.committed = (
            by_province.get(row.province_id) if row.province_id else by_workstream.get(row.workstream_id)
        ) or ZERO
        row.headroom = row.amount - row.committed
    return rows


# --- Request content ----------------------------------------------------------------------------------------------


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


def development_issues_for(*, province, fiscal_year: int):
    """Return the development issues a request of this province and year may serve: those of the province's (or its
    group's) development plans whose period covers the fiscal year."""
    return (
        DevelopmentIssue.objects.filter(
            plan__in=ProvincialDevelopmentPlan.objects.for_province(province).covering(fiscal_year)
        )
        .select_related("plan")
        .order_by("plan__province_group", "plan__id", "number")
    )


def next_rank(request: BudgetRequest) -> int:
    """Return the first rank after every rank already given in the request's province and fiscal year."""
    taken = BudgetRequest.objects.filter(province=request.province, fiscal_year=request.fiscal_year).exclude(rank=None)
    return max(taken.values_list("rank", flat=True), default=0) + 1


# --- Ex-ante check (monitoring before allocation) -----------------------------------------------------------------


def national_items_served(*items) -> set[int]:
    """Return the ids of the national items these CODI items align to, with their parents (the targets they serve)."""
    served, master_plan_numbers = set(), set()
    items = [i for i in items if i is not None]
    for item in PlanNode.objects.filter(served_by__in=items).select_related(PARENT_CHAIN):
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
    findings += chain_findings(request)
    return findings


def _master_plan_label(node) -> str:
    return _("master plan %(number)s (%(name)s)") % {"number": node.number, "name": node.name}


def chain_findings(request: BudgetRequest) -> list[dict]:
    """Check the request against the eMENSCR chain (Z → Y2 → Y1): it names a sub-plan target (Y1) once any are
    entered for its year, the target's master plan is one its workstream or programme serves, and its national
    target, when a master plan, is the target's own."""
    findings = []
    if request.primary_target_id is None:
        entered = project_targets(fiscal_year=request.fiscal_year).exists()
        message = (
            _("Names the sub-plan target (Y1) it serves.")
            if entered
            else _("Names the sub-plan target (Y1) it serves (none are entered for this year yet, so not required).")
        )
        return [{"code": "primary_target", "ok": not entered, "message": str(message)}]
    findings.append(
        {"code": "primary_target", "ok": True, "message": str(_("Names the sub-plan target (Y1) it serves."))}
    )
    chain = chain_for_targets([request.primary_target_id]).get(request.primary_target_id)
    master = chain.master_plan if chain else None
    if master is None:
        return findings
    served_by = [request.workstream, request.programme]
    served = national_items_served(*served_by) if request.workstream_id or request.programme_id else set()
    if served:
        ok = master.pk in served
        if ok:
            message = _("The sub-plan target %(code)s belongs to %(master)s, which the workstream serves.") % {
                "code": chain.y1.official_code,
                "master": _master_plan_label(master),
            }
        else:
            serving = sorted(
                {n.number for n in PlanNode.objects.filter(pk__in=served, kind=NodeKind.MASTER_PLAN)} - {None}
            )
            message = _(
                "The sub-plan target %(code)s belongs to %(master)s, but the workstream and programme serve "
                "%(serving)s: choose a target of a master plan they serve, or ask central staff to align them."
            ) % {
                "code": chain.y1.official_code,
                "master": _master_plan_label(master),
                "serving": (_("master plans %(numbers)s") % {"numbers": ", ".join(map(str, serving))})
                if serving
                else _("no master plan"),
            }
        findings.append({"code": "target_in_served_master_plan", "ok": ok, "message": str(message)})
    target = request.national_target
    if target is not None and target.kind == NodeKind.MASTER_PLAN:
        ok = target.number == master.number
        message = (
            _("The national target is the sub-plan target's own master plan.")
            if ok
            else _("The national target is %(target)s, but the sub-plan target %(code)s belongs to %(master)s.")
            % {
                "target": _master_plan_label(target),
                "code": chain.y1.official_code,
                "master": _master_plan_label(master),
            }
        )
        findings.append({"code": "national_target_matches_chain", "ok": ok, "message": str(message)})
    return findings


# --- Spending: plan against actuals ---------------------------------------------------------------------------------


@dataclass
class QuarterFigures:
    """An activity's planned and actual output and money in one fiscal quarter, with the month lines behind them."""

    planned_qty: Decimal = ZERO
    planned: Decimal = ZERO
    actual_qty: Decimal = ZERO
    actual: Decimal = ZERO
    plan_months: dict[int, tuple[Decimal, Decimal]] = field(default_factory=dict)  # month: (quantity, amount)
    actual_months: dict[int, tuple[Decimal, Decimal]] = field(default_factory=dict)
    recorded: bool = False  # any actuals entered for the quarter
    overspent: bool = False
    explanations: list[str] = field(default_factory=list)


@dataclass
class ActivitySpending:
    activity: SpendingActivity
    quarters: dict[int, QuarterFigures]


def activity_spending(requests) -> dict[int, list[ActivitySpending]]:
    """Return, per request id, its activities in number order with planned and actual figures per quarter and month.

    Three queries, whatever the number of requests (a queryset of requests, or one request's own queryset).
    """
    ids = requests.values("pk")
    activities = {}
    by_request = defaultdict(list)
    for activity in SpendingActivity.objects.filter(request__in=ids).order_by("request_id", "number"):
        spending = ActivitySpending(activity, {q: QuarterFigures() for q in QUARTERS})
        activities[activity.pk] = spending
        by_request[activity.request_id].append(spending)
    plan_lines = (
        SpendingPlanLine.objects.filter(activity__request__in=ids)
        .order_by("activity_id", "quarter", "month")
        .values_list("activity_id", "quarter", "month", "planned_quantity", "planned_amount")
    )
    for activity_id, quarter, month, quantity, amount in plan_lines:
        figures = activities[activity_id].quarters[quarter]
        figures.planned_qty += quantity
        figures.planned += amount
        if month is not None:
            figures.plan_months[month] = (quantity, amount)
    actuals = (
        SpendingActual.objects.filter(activity__request__in=ids)
        .order_by("activity_id", "quarter", "month")
        .values_list("activity_id", "quarter", "month", "actual_quantity", "actual_amount", "overspent", "explanation")
    )
    for activity_id, quarter, month, quantity, amount, overspent, explanation in actuals:
        figures = activities[activity_id].quarters[quarter]
        figures.actual_qty += quantity
        figures.actual += amount
        figures.recorded = True
        figures.overspent = figures.overspent or overspent
        if explanation:
            figures.explanations.append(explanation)
        if month is not None:
            figures.actual_months[month] = (quantity, amount)
    return by_request


def spending_table(request: BudgetRequest) -> dict:
    """Return the spending plan and actuals as rows per activity, with per-quarter and cumulative figures.

    `rows` has, per activity, each quarter's planned and actual quantity and money, whether actuals are recorded,
    overspending and its explanations; `quarters` has the request's totals per quarter, each for the quarter and
    cumulative; `planned` and `actual` are the request's totals.
    """
    rows = []
    totals = {q: {"planned": ZERO, "actual": ZERO} for q in QUARTERS}
    for spending in activity_spending(BudgetRequest.objects.filter(pk=request.pk)).get(request.pk, []):
        quarters, cum_plan, cum_actual = [], ZERO, ZERO
        for q in QUARTERS:
            figures = spending.quarters[q]
            cum_plan += figures.planned
            cum_actual += figures.actual
            totals[q]["planned"] += figures.planned
            totals[q]["actual"] += figures.actual
            quarters.append(
                {
                    "quarter": q,
                    "planned_qty": figures.planned_qty,
                    "planned": figures.planned,
                    "actual_qty": figures.actual_qty,
                    "actual": figures.actual,
                    "recorded": figures.recorded,
                    "cum_planned": cum_plan,
                    "cum_actual": cum_actual,
                    "overspent": figures.overspent,
                    "explanations": figures.explanations,
                }
            )
        rows.append({"activity": spending.activity, "quarters": quarters, "planned": cum_plan, "actual": cum_actual})
    cumulative, cum_plan, cum_actual = [], ZERO, ZERO
    for q in QUARTERS:
        cum_plan += totals[q]["planned"]
        cum_actual += totals[q]["actual"]
        cumulative.append({"quarter": q, **totals[q], "cum_planned": cum_plan, "cum_actual": cum_actual})
    return {"rows": rows, "quarters": cumulative, "planned": cum_plan, "actual": cum_actual}


def spending_summary(request: BudgetRequest, *, through_quarter: int = 4) -> dict:
    """Return planned and actual money, each for the quarter and cumulative, per quarter up to the given one."""
    quarters = [
        {
            "quarter": q["quarter"],
            "planned": q["planned"],
            "actual": q["actual"],
            "cumulative_planned": q["cum_planned"],
            "cumulative_actual": q["cum_actual"],
        }
        for q in spending_table(request)["quarters"][:through_quarter]
    ]
    last = quarters[-1] if quarters else {"cumulative_planned": ZERO, "cumulative_actual": ZERO}
    return {
        "quarters": quarters,
        "planned_total": last["cumulative_planned"],
        "actual_total": last["cumulative_actual"],
    }


def approved_by_province(*, user, fiscal_year: int) -> dict[str, Decimal]:
    """Return {province code: approved money} of the requests the user may see for the year (approved, in execution
    or closed, as the consolidation counts them), in one query."""
    return dict(
        BudgetRequest.objects.visible_to(user)
        .for_year(fiscal_year)
        .committed()
        .order_by()
        .values("province__code")
        .annotate(approved=Sum("approved_amount"))
        .values_list("province__code", "approved")
    )
