"""Who may do what to development plans, budget requests and ceilings. Visibility lives in visible_to querysets."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.four_eyes import DECIDE_REQUEST, MESSAGES, check_not_own_work, is_own_work
from accounts.scope import PROVINCE_GROUP, scope_of

from .models import RequestStatus


def _staff_writer(user) -> bool:
    """Central staff, regional staff and provincial coordinators who may write."""
    return scope_of(user).may_write and (user.is_central_staff or user.is_area_staff)


def works_on_province(user, province) -> bool:
    """Central staff, the province's regional staff and its provincial coordinator work on a province."""
    return _staff_writer(user) and scope_of(user).contains_province(province)


def can_edit_development_plan(user, plan) -> bool:
    """Staff and the province's coordinator write a provincial plan; staff of the region write a group plan."""
    return can_create_development_plan_for(user, province=plan.province, province_group=plan.province_group)


def can_create_development_plan_for(user, *, province=None, province_group=None) -> bool:
    """Staff and the province's coordinator write a provincial plan; staff of the region write a group plan."""
    if province is not None:
        return works_on_province(user, province)
    return (
        province_group is not None and _staff_writer(user) and scope_of(user).contains(PROVINCE_GROUP, province_group)
    )


def can_write_budget_requests(user) -> bool:
    """Return whether the user writes budget requests for some province (coordinators, regional and central staff)."""
    return _staff_writer(user)


def can_write_budget_request_for(user, province) -> bool:
    """The province's coordinator, its regional staff and central staff write its requests."""
    return works_on_province(user, province)


def can_write_budget_request(user, request) -> bool:
    """Return whether the user writes for the request's province: changes its content and submits it."""
    return can_write_budget_request_for(user, request.province)


def can_edit_budget_request(user, request) -> bool:
    """Return whether the user may change the request's content now (drafts only)."""
    return request.is_editable and works_on_province(user, request.province)


def request_authors(request) -> tuple:
    """The people whose work a request is: whoever wrote it and whoever submitted it."""
    return (request.created_by_id, request.submitted_by_id)


def check_prioritise_budget_request(user, request) -> None:
    """The province ranks and forwards its requests (coordinator, regional or central staff), but nobody ranks
    or forwards a request they wrote or submitted (four-eyes)."""
    if not works_on_province(user, request.province):
        raise PermissionDenied(_("You may not prioritise this province's requests."))
    check_not_own_work(user, *request_authors(request), decision=DECIDE_REQUEST)


def can_prioritise_budget_request(user, request) -> bool:
    """Return whether the user may rank or forward the request (see check_prioritise_budget_request)."""
    return works_on_province(user, request.province) and not is_own_work(user, *request_authors(request))


def can_decide_budget_request(user, request) -> bool:
    """Only CODI central staff approve or reject a forwarded request."""
    return scope_of(user).may_write and user.is_central_staff


def check_approve_budget_request(user, request) -> None:
    """CODI central staff approve a forwarded request, but never one they wrote or submitted (four-eyes)."""
    if not can_decide_budget_request(user, request):
        raise PermissionDenied(_("Only CODI central staff approve budget requests."))
    check_not_own_work(user, *request_authors(request), decision=DECIDE_REQUEST)


def can_approve_budget_request(user, request) -> bool:
    """Return whether the user may approve the request (see check_approve_budget_request)."""
    return can_decide_budget_request(user, request) and not is_own_work(user, *request_authors(request))


def can_return_budget_request(user, request) -> bool:
    """Central staff return a forwarded request; the province returns one it has not forwarded yet."""
    if request.status == RequestStatus.FORWARDED:
        return can_decide_budget_request(user, request)
    return works_on_province(user, request.province)


def own_work_note(user, request) -> str | None:
    """Say why someone who could otherwise rank, forward or approve this request may not: it is their work."""
    deciding = (
        request.status in (RequestStatus.SUBMITTED, RequestStatus.PRIORITISED)
        and works_on_province(user, request.province)
    ) or (request.status == RequestStatus.FORWARDED and can_decide_budget_request(user, request))
    if deciding and is_own_work(user, *request_authors(request)):
        return str(MESSAGES[DECIDE_REQUEST])
    return None


def can_run_budget_request(user, request) -> bool:
    """The province's people enter the spending plan, actuals and monitoring of an approved request."""
    return works_on_province(user, request.province)


def can_set_ceiling(user) -> bool:
    """Only CODI central staff set ceilings."""
    return scope_of(user).may_write and user.is_central_staff
