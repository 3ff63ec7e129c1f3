"""The spending plan (แบบ สงป. 301), actuals per quarter (สงป. 302) and the overspending they flag."""

from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from codi_plans.concurrency import check_revision
from codi_plans.numbers import parse_whole, whole_number_rule

from .. import permissions
from ..models import (
    MONTH_QUARTER,
    BudgetRequest,
    ExpenseCategory,
    RequestStatus,
    SpendingActivity,
    SpendingActual,
    SpendingPlanLine,
)
from .inputs import ZERO, ActivityInput, ActualInput, money
from .requests import _lock, _require_in_execution, _save_request


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
            quantity = money(period.quantity, field_name=where, label=_("Planned quantity"))
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
def record_actuals(
    *, request: BudgetRequest, by, expected_revision: int, quarter: int, rows: list[ActualInput]
) -> BudgetRequest:
    """Record a quarter's actual output and money per activity (สงป. 302); spending over plan must be explained."""
    request = _lock(request)
    if not permissions.can_run_budget_request(by, request):
        raise PermissionDenied(_("You may not record this request's actuals."))
    _require_in_execution(request)
    check_revision(request, expected_revision)
    quarter, _m = _check_period(quarter, None, "quarter")
    activities = {a.number: a for a in request.activities.all()}
    new_rows = []
    for row in rows:
        try:
            number = parse_whole(row.activity_number, whole_number_rule(1, 32_767), label=_("Activity"))
        except ValidationError as error:
            raise ValidationError({"rows": error}) from None
        activity = activities.get(number)
        if activity is None:
            raise ValidationError({"rows": _("Unknown activity %(n)s.") % {"n": row.activity_number}})
        _q, month = _check_period(quarter, row.month, "rows")
        new_rows.append(
            SpendingActual(
                activity=activity,
                quarter=quarter,
                month=month,
                actual_quantity=money(row.quantity, field_name="rows", label=_("Actual quantity")),
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
