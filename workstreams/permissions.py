"""Who may do what to tambon and province plans. Visibility itself lives in the visible_to querysets."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.four_eyes import ACCEPT_PLAN, ENDORSE_PLAN, MESSAGES, check_not_own_work, is_own_work
from accounts.scope import scope_of


def can_start_tambon_plan(user) -> bool:
    """Representatives with tambons and central staff start plans; nobody else writes one."""
    scope = scope_of(user)
    return scope.may_write and (user.is_central_staff or (user.is_community_rep and bool(scope.tambon_ids)))


def can_use_review_queue(user) -> bool:
    """Provincial coordinators, regional staff and central staff review plans."""
    return scope_of(user).may_write and (user.is_central_staff or user.is_area_staff)


def can_write_plan_for_tambon(user, tambon) -> bool:
    """A tambon's own representatives (and central staff) write its plan."""
    writes_plans = user.is_authenticated and (user.is_central_staff or user.is_community_rep)
    return writes_plans and scope_of(user).may_write and scope_of(user).contains_tambon(tambon)


def can_edit_tambon_plan(user, plan) -> bool:
    """Return whether the user may change the plan's content now (drafts and returned plans only)."""
    return plan.is_editable and can_write_plan_for_tambon(user, plan.tambon)


def can_submit_tambon_plan(user, plan) -> bool:
    """The plan's writers submit it."""
    return can_edit_tambon_plan(user, plan)


def can_review_tambon_plan(user, plan) -> bool:
    """The tambon's provincial coordinator (or central staff) returns or accepts it."""
    reviews_plans = user.is_authenticated and (user.is_central_staff or user.is_provincial_coordinator)
    return reviews_plans and scope_of(user).may_write and scope_of(user).contains_tambon(plan.tambon)


def check_accept_tambon_plan(user, plan) -> None:
    """The tambon's reviewers accept a submitted plan, but never the person who submitted it (four-eyes)."""
    if not can_review_tambon_plan(user, plan):
        raise PermissionDenied(_("You may not review this tambon's plan."))
    check_not_own_work(user, plan.submitted_by_id, decision=ACCEPT_PLAN)


def can_accept_tambon_plan(user, plan) -> bool:
    """Return whether the user may accept the plan (see check_accept_tambon_plan)."""
    return can_review_tambon_plan(user, plan) and not is_own_work(user, plan.submitted_by_id)


def _endorses_in_region(user, plan) -> bool:
    endorses_plans = user.is_authenticated and (user.is_central_staff or user.is_regional_staff)
    return endorses_plans and scope_of(user).may_write and scope_of(user).contains_tambon(plan.tambon)


def check_endorse_tambon_plan(user, plan) -> None:
    """Regional staff of the tambon's region (or central staff) endorse an accepted plan, but not one they
    submitted or accepted themselves (four-eyes)."""
    if not _endorses_in_region(user, plan):
        raise PermissionDenied(_("You may not endorse this tambon's plan."))
    check_not_own_work(user, plan.submitted_by_id, plan.accepted_by_id, decision=ENDORSE_PLAN)


def can_endorse_tambon_plan(user, plan) -> bool:
    """Return whether the user may endorse the plan (see check_endorse_tambon_plan)."""
    return _endorses_in_region(user, plan) and not is_own_work(user, plan.submitted_by_id, plan.accepted_by_id)


def own_work_note(user, plan) -> str | None:
    """Say why a reviewer who could otherwise decide on this plan now may not: it is their own work."""
    from .models import AWAITING_REVIEW_STATUSES, PlanStatus

    if plan.status in AWAITING_REVIEW_STATUSES and can_review_tambon_plan(user, plan):
        if is_own_work(user, plan.submitted_by_id):
            return str(MESSAGES[ACCEPT_PLAN])
    if plan.status == PlanStatus.ACCEPTED and _endorses_in_region(user, plan):
        if is_own_work(user, plan.submitted_by_id, plan.accepted_by_id):
            return str(MESSAGES[ENDORSE_PLAN])
    return None


def can_edit_province_plan(user, province_plan) -> bool:
    """The province's coordinator (or central staff) writes the province plan's narrative."""
    writes = user.is_authenticated and (user.is_central_staff or user.is_provincial_coordinator)
    return writes and scope_of(user).may_write and scope_of(user).contains_province(province_plan.province)


def can_start_next_tambon_plan(user, previous) -> bool:
    """The tambon's writers start its next plan from a plan the province accepted (or the region endorsed)."""
    from .models import CONSOLIDATED_STATUSES

    return (
        previous.status in CONSOLIDATED_STATUSES
        and can_start_tambon_plan(user)
        and can_write_plan_for_tambon(user, previous.tambon)
    )
