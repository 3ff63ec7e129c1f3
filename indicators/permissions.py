"""Who may report, review and set targets. Visibility itself lives in the visible_to querysets."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.four_eyes import APPROVE_RESULT, MESSAGES, check_not_own_work, is_own_work
from accounts.scope import scope_of


def can_report_results(user) -> bool:
    """Return whether the user reports results for some area (entry form, Excel upload)."""
    return scope_of(user).may_write and (user.is_central_staff or user.is_area_staff or user.is_community_rep)


def can_review_results(user) -> bool:
    """Return whether the user approves results somewhere (the approval queue)."""
    return scope_of(user).may_write and (user.is_central_staff or user.is_area_staff)


def can_set_targets(user) -> bool:
    """Return whether the user sets targets for some area."""
    return can_review_results(user)


def can_report_result(user, level: str, area) -> bool:
    """Representatives report for their tambons; coordinators, regional and central staff inside their area."""
    return can_report_results(user) and scope_of(user).contains(level, area)


def can_edit_result(user, result) -> bool:
    """Return whether the user may change a result that is still with the reporting side."""
    return result.is_editable and can_report_result(user, result.level, result.area)


def can_review_result(user, result) -> bool:
    """Coordinators of the result's province, staff of its region, and central staff approve or return it."""
    return can_review_results(user) and scope_of(user).contains(result.level, result.area)


def result_authors(result) -> tuple:
    """The people whose work a result is: whoever reported it and whoever sent it for review."""
    return (result.created_by_id, result.submitted_by_id)


def check_approve_result(user, result) -> None:
    """A reviewer approves (or corrects) a result, but never one they reported or submitted (four-eyes)."""
    if not can_review_result(user, result):
        raise PermissionDenied(_("You may not review this result."))
    check_not_own_work(user, *result_authors(result), decision=APPROVE_RESULT)


def can_approve_result(user, result) -> bool:
    """Return whether the user may approve the result (see check_approve_result)."""
    return can_review_result(user, result) and not is_own_work(user, *result_authors(result))


def own_work_note(user, result) -> str | None:
    """Say why a reviewer may not approve this result: they reported or submitted it."""
    if can_review_result(user, result) and is_own_work(user, *result_authors(result)):
        return str(MESSAGES[APPROVE_RESULT])
    return None


def can_set_target(user, level: str, area) -> bool:
    """Central staff set any target; regional staff and coordinators set targets for areas inside their own."""
    return can_set_targets(user) and scope_of(user).contains(level, area)
