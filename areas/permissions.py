"""Who may change the geography. Reading it is open to everyone: it is public reference data."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def can_assign_region(user) -> bool:
    """CODI central staff decide which regional team looks after a province (Bangkok has none by default)."""
    # areas sits below accounts: the user's own predicates and scope (user.scope), never an import of accounts.
    return user.is_authenticated and user.is_central_staff and user.scope.may_write


def check_assign_region(user) -> None:
    """Refuse anyone but central staff the assignment of a province to a region."""
    if not can_assign_region(user):
        raise PermissionDenied(_("Only CODI central staff assign a province to a region."))


def check_correct_grouping(user) -> None:
    """Refuse anyone but central staff a correction of the province groups (which also moves a province's region)."""
    if not can_assign_region(user):
        raise PermissionDenied(_("Only CODI central staff correct the province groups."))


def can_import_population(user) -> bool:
    """CODI central staff import official population figures."""
    return user.is_authenticated and user.is_central_staff and user.scope.may_write


def check_import_population(user) -> None:
    if not can_import_population(user):
        raise PermissionDenied(_("Only CODI central staff import official population figures."))
