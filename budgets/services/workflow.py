"""The budget request workflow: submit, return, prioritise, forward, approve, reject, start execution, close."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from codi_plans.numbers import parse_whole, whole_number_rule

from .. import permissions
from ..models import (
    REQUEST_WORKFLOW,
    BudgetCeiling,
    BudgetRequest,
    MonitoringPhase,
    MonitoringRecord,
    RequestStatus,
    SpendingPlanLine,
)
from ..selectors import committed_total, ex_ante_findings
from .inputs import money
from .requests import _lock, _save_request, refusal


def _check(request: BudgetRequest, to_status: str) -> None:
    """Refuse (code "bad_status") a move REQUEST_WORKFLOW does not allow from the request's status."""
    REQUEST_WORKFLOW.check(request, to_status, refusal())


def _move(request: BudgetRequest, to_status: str, by, reason: str = "") -> None:
    """Move a locked request along REQUEST_WORKFLOW, with its transition record, and save it."""
    REQUEST_WORKFLOW.move(request, to_status, by=by, reason=reason, refusal=refusal())
    _save_request(request, by, f"status → {to_status}")


@transaction.atomic
def submit_budget_request(*, request: BudgetRequest, by, comment: str = "") -> BudgetRequest:
    """Submit a draft to the province after the automatic ex-ante check, which is kept as a monitoring record."""
    request = _lock(request)
    if not permissions.can_write_budget_request(by, request):
        raise PermissionDenied(_("You may not submit this budget request."))
    _check(request, RequestStatus.SUBMITTED)
    findings = ex_ante_findings(request)
    failed = [f["message"] for f in findings if not f["ok"]]
    if failed:
        raise ValidationError(
            [_("The ex-ante check failed: %(what)s") % {"what": message} for message in failed], code="ex_ante"
        )
    request.submitted_by = by
    _move(request, RequestStatus.SUBMITTED, by, comment)
    MonitoringRecord.objects.create(
        request=request, phase=MonitoringPhase.EX_ANTE, passed=True, findings=findings, recorded_by=by
    )
    return request


def _required_reason(reason, message) -> str:
    """Return the reason given for a move, refused (on the "reason" field) when it is blank."""
    text = (reason or "").strip()
    if not text:
        raise ValidationError({"reason": message})
    return text


@transaction.atomic
def return_budget_request(*, request: BudgetRequest, by, reason: str) -> BudgetRequest:
    """Send a submitted, prioritised or forwarded request back to draft, saying why; its rank is released."""
    reason = _required_reason(reason, _("Say why the request is returned."))
    request = _lock(request)
    if not permissions.can_return_budget_request(by, request):
        raise PermissionDenied(_("You may not return this budget request."))
    _check(request, RequestStatus.DRAFT)
    request.rank = None
    _move(request, RequestStatus.DRAFT, by, reason)
    return request


@transaction.atomic
def prioritise_budget_request(
    *, request: BudgetRequest, by, rank: int, priority_note: str = "", redeployment_note: str = ""
) -> BudgetRequest:
    """Rank a submitted request within its province and fiscal year, with notes on priority and redeployment."""
    request = _lock(request)
    permissions.check_prioritise_budget_request(by, request)
    _check(request, RequestStatus.PRIORITISED)
    try:
        rank = parse_whole(rank, whole_number_rule(1, 32_767), label=_("Rank in the province"))
    except ValidationError as error:
        raise ValidationError({"rank": error}) from None
    if rank is None:
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
    _move(request, RequestStatus.PRIORITISED, by, _("Rank %(rank)s") % {"rank": rank})
    return request


@transaction.atomic
def forward_budget_request(*, request: BudgetRequest, by, comment: str = "") -> BudgetRequest:
    """Forward a prioritised request to CODI for a decision."""
    request = _lock(request)
    permissions.check_prioritise_budget_request(by, request)
    _check(request, RequestStatus.FORWARDED)
    _move(request, RequestStatus.FORWARDED, by, comment)
    return request


@transaction.atomic
def approve_budget_request(*, request: BudgetRequest, by, amount, comment: str = "") -> BudgetRequest:
    """Approve a forwarded request for an amount no larger than requested and within every ceiling."""
    amount = money(amount)
    request = _lock(request)
    permissions.check_approve_budget_request(by, request)
    _check(request, RequestStatus.APPROVED)
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
    _move(request, RequestStatus.APPROVED, by, comment or "")
    return request


@transaction.atomic
def reject_budget_request(*, request: BudgetRequest, by, reason: str) -> BudgetRequest:
    """Reject a forwarded request, saying why."""
    reason = _required_reason(reason, _("Say why the request is rejected."))
    request = _lock(request)
    if not permissions.can_decide_budget_request(by, request):
        raise PermissionDenied(_("Only CODI central staff reject budget requests."))
    _check(request, RequestStatus.REJECTED)
    request.decision_note = reason
    _move(request, RequestStatus.REJECTED, by, reason)
    return request


@transaction.atomic
def start_execution(*, request: BudgetRequest, by, comment: str = "") -> BudgetRequest:
    """Start executing an approved request whose spending plan is in place."""
    request = _lock(request)
    if not permissions.can_run_budget_request(by, request):
        raise PermissionDenied(_("You may not start this request's execution."))
    _check(request, RequestStatus.IN_EXECUTION)
    planned = SpendingPlanLine.objects.filter(activity__request=request).aggregate(t=Sum("planned_amount"))["t"]
    if planned != request.approved_amount:
        raise ValidationError(_("Enter a spending plan that adds up to the approved amount first."), code="no_plan")
    _move(request, RequestStatus.IN_EXECUTION, by, comment)
    return request


@transaction.atomic
def close_budget_request(*, request: BudgetRequest, by, comment: str = "") -> BudgetRequest:
    """Close a request in execution once its ex-post evaluation is recorded."""
    request = _lock(request)
    if not permissions.can_run_budget_request(by, request):
        raise PermissionDenied(_("You may not close this request."))
    _check(request, RequestStatus.CLOSED)
    if not request.monitoring.filter(phase=MonitoringPhase.EX_POST).exists():
        raise ValidationError(_("Record the ex-post evaluation before closing the request."), code="no_ex_post")
    _move(request, RequestStatus.CLOSED, by, comment)
    return request
