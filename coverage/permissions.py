"""Who may see what serves a plan item and the coverage: everyone signed in with a working area, inside it."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from accounts.scope import scope_of


def can_view_coverage(user) -> bool:
    """Signed-in people with a working area (every role but accounts without one); figures stay inside the area."""
    return scope_of(user).works_somewhere


def check_view_coverage(user) -> None:
    if not can_view_coverage(user):
        raise PermissionDenied(_("Your account has no working area, so it has no projects to show."))
