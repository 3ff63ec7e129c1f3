"""Who may report, review and set targets. Visibility itself lives in the visible_to querysets."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.four_eyes import APPROVE_RESULT, MESSAGES, check_not_own_work, is_own_work
from accounts.models import Role

from .models import AreaLevel

AREA_ROLES = (Role.COMMUNITY_REP, Role.PROVINCIAL_COORDINATOR, Role.REGIONAL_STAFF)
REVIEWER_ROLES = (Role.PROVINCIAL_COORDINATOR, Role.REGIONAL_STAFF)


def _writer(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and not user.is_read_only)


def can_report_results(user) -> bool:
    """Return whether the user reports results for some area (entry form, Excel upload)."""
    return _writer(user) and (user.is_central_staff or user.role in AREA_ROLES)


def can_review_results(user) -> bool:
    """Return whether the user approves results somewhere (the approval queue)."""
    return _writer(user) and (user.is_central_staff or user.role in REVIEWER_ROLES)


def can_set_targets(user) -> bool:
    """Return whether the user sets targets for some area."""
    return _writer(user) and (user.is_central_staff or user.role in REVIEWER_ROLES)


def area_in_scope(user, level: str, area) -> bool:
    """Return whether an area lies wholly inside the user's working area."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_national:
        return True
    if level == AreaLevel.COUNTRY or area is None:
        return False
    if user.role == Role.COMMUNITY_REP:
        return level == AreaLevel.TAMBON and area.id in user.tambon_ids
    if user.role == Role.PROVINCIAL_COORDINATOR:
        if level == AreaLevel.PROVINCE:
            return area.id == user.province_id
        return level in (AreaLevel.DISTRICT, AreaLevel.TAMBON) and area.province_id == user.province_id
    if user.role == Role.REGIONAL_STAFF:
        if level == AreaLevel.REGION:
            return area.id == user.region_id
        if level == AreaLevel.PROVINCE_GROUP:
            return area.region_id == user.region_id
        province = area if level == AreaLevel.PROVINCE else area.province
        return province.region_id == user.region_id
    return False


def can_report_result(user, level: str, area) -> bool:
    """Representatives report for their tambons; coordinators, regional and central staff inside their area."""
    if not _writer(user):
        return False
    if user.is_central_staff:
        return True
    if user.role in AREA_ROLES:
        return area_in_scope(user, level, area)
    return False


def can_edit_result(user, result) -> bool:
    """Return whether the user may change a result that is still with the reporting side."""
    return result.is_editable and can_report_result(user, result.level, result.area)


def can_review_result(user, result) -> bool:
    """Coordinators of the result's province, staff of its region, and central staff approve or return it."""
    if not _writer(user):
        return False
    if user.is_central_staff:
        return True
    if user.role == Role.COMMUNITY_REP:
        return False
    if user.role == Role.PROVINCIAL_COORDINATOR:
        return result.province_id is not None and result.province_id == user.province_id
    if user.role == Role.REGIONAL_STAFF:
        return area_in_scope(user, result.level, result.area)
    return False


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
    if not _writer(user):
        return False
    if user.is_central_staff:
        return True
    if user.role in REVIEWER_ROLES:
        return area_in_scope(user, level, area)
    return False
