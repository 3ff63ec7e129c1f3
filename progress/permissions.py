"""Who may report project progress and who reviews it. Visibility itself lives in ProjectProgress.visible_to."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.four_eyes import is_own_work
from accounts.scope import TAMBON, scope_of

OWN_WORK_MESSAGE = gettext_lazy(
    "No one decides on their own work: you wrote or submitted this progress report, so another reviewer must "
    "approve it."
)


def can_report_progress(user) -> bool:
    """Return whether the user reports project progress somewhere (the "/progress/" page, Excel, the API)."""
    return scope_of(user).may_write and (user.is_central_staff or user.is_area_staff or user.is_community_rep)


def can_review_progress(user) -> bool:
    """Return whether the user reviews progress reports somewhere (the review queue)."""
    return scope_of(user).may_write and (user.is_central_staff or user.is_area_staff)


def can_report_project(user, project) -> bool:
    """Representatives report for their tambons' projects; coordinators and staff for projects in their area."""
    return can_report_progress(user) and scope_of(user).contains(TAMBON, project.plan.tambon)


def can_edit_report(user, report) -> bool:
    """Return whether the user may change a report still with the reporting side (draft or returned)."""
    return report.is_editable and can_report_project(user, report.project)


def can_review_report(user, report) -> bool:
    """Coordinators of the project's province, staff of its region and central staff approve or return it."""
    return can_review_progress(user) and scope_of(user).contains(TAMBON, report.project.plan.tambon)


def report_authors(report) -> tuple:
    """The people whose work a report is: whoever wrote it and whoever sent it for review."""
    return (report.created_by_id, report.submitted_by_id)


def can_approve_report(user, report) -> bool:
    return can_review_report(user, report) and not is_own_work(user, *report_authors(report))


def check_approve_report(user, report) -> None:
    """A reviewer approves (or amends) a report, but never one they wrote or submitted (four-eyes)."""
    if not can_review_report(user, report):
        raise PermissionDenied(_("You may not review this progress report."))
    if is_own_work(user, *report_authors(report)):
        raise PermissionDenied(str(OWN_WORK_MESSAGE))


def own_work_note(user, report) -> str | None:
    """Say why a reviewer may not approve this report: they wrote or submitted it."""
    if can_review_report(user, report) and is_own_work(user, *report_authors(report)):
        return str(OWN_WORK_MESSAGE)
    return None
