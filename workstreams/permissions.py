"""Who may do what to tambon and province plans. Visibility itself lives in the visible_to querysets."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.four_eyes import ACCEPT_PLAN, ENDORSE_PLAN, MESSAGES, check_not_own_work, is_own_work
from accounts.models import Role

REVIEWER_ROLES = {Role.PROVINCIAL_COORDINATOR, Role.REGIONAL_STAFF, Role.CENTRAL_STAFF}


def can_start_tambon_plan(user) -> bool:
    """Representatives with tambons and central staff start plans; nobody else writes one."""
    if not user.is_authenticated or user.is_read_only:
        return False
    return user.is_central_staff or (user.role == Role.COMMUNITY_REP and bool(user.tambon_ids))


def can_use_review_queue(user) -> bool:
    """Provincial coordinators, regional staff and central staff review plans."""
    return user.is_authenticated and not user.is_read_only and (user.is_central_staff or user.role in REVIEWER_ROLES)


def can_write_plan_for_tambon(user, tambon) -> bool:
    """A tambon's own representatives (and central staff) write its plan."""
    if not user.is_authenticated or user.is_read_only:
        return False
    if user.is_central_staff:
        return True
    return user.role == Role.COMMUNITY_REP and tambon.id in user.tambon_ids


def can_edit_tambon_plan(user, plan) -> bool:
    """Return whether the user may change the plan's content now (drafts and returned plans only)."""
    return plan.is_editable and can_write_plan_for_tambon(user, plan.tambon)


def can_submit_tambon_plan(user, plan) -> bool:
    """The plan's writers submit it."""
    return can_edit_tambon_plan(user, plan)


def can_review_tambon_plan(user, plan) -> bool:
    """The tambon's provincial coordinator (or central staff) returns or accepts it."""
    if not user.is_authenticated or user.is_read_only:
        return False
    if user.is_central_staff:
        return True
    return user.role == Role.PROVINCIAL_COORDINATOR and user.province_id == plan.tambon.province_id


def check_accept_tambon_plan(user, plan) -> None:
    """The tambon's reviewers accept a submitted plan, but never the person who submitted it (four-eyes)."""
    if not can_review_tambon_plan(user, plan):
        raise PermissionDenied(_("You may not review this tambon's plan."))
    check_not_own_work(user, plan.submitted_by_id, decision=ACCEPT_PLAN)


def can_accept_tambon_plan(user, plan) -> bool:
    """Return whether the user may accept the plan (see check_accept_tambon_plan)."""
    return can_review_tambon_plan(user, plan) and not is_own_work(user, plan.submitted_by_id)


def _endorses_in_region(user, plan) -> bool:
    if not user.is_authenticated or user.is_read_only:
        return False
    if user.is_central_staff:
        return True
    return user.role == Role.REGIONAL_STAFF and user.region_id == plan.tambon.province.region_id


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
    if not user.is_authenticated or user.is_read_only:
        return False
    if user.is_central_staff:
        return True
    return user.role == Role.PROVINCIAL_COORDINATOR and user.province_id == province_plan.province_id
