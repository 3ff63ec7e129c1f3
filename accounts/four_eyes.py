"""No one decides on their own work (four-eyes): the rule, and what people are told, in one place.

A decision (accepting or endorsing a tambon plan, approving a result, prioritising, forwarding or approving a
budget request) must be taken by someone other than the people whose work it is: whoever submitted or reported
it, wrote the request, or took the step before. Each app's permissions say who those people are for a record;
the pages, the API and the services ask this module, and the admin cannot change these records at all.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

ACCEPT_PLAN = "accept_plan"
ENDORSE_PLAN = "endorse_plan"
APPROVE_RESULT = "approve_result"
DECIDE_REQUEST = "decide_request"

MESSAGES = {
    ACCEPT_PLAN: _(
        "No one decides on their own work: you submitted this plan, so another coordinator or CODI staff member "
        "must accept it."
    ),
    ENDORSE_PLAN: _(
        "No one decides on their own work: you submitted or accepted this plan, so someone else must endorse it."
    ),
    APPROVE_RESULT: _(
        "No one decides on their own work: you reported or submitted this result, so another reviewer must approve it."
    ),
    DECIDE_REQUEST: _(
        "No one decides on their own work: you wrote or submitted this budget request, so someone else must "
        "prioritise, forward and approve it."
    ),
}


def is_own_work(user, *author_ids) -> bool:
    """Return whether the user is one of the people whose work a decision is about."""
    return bool(user is not None and user.is_authenticated and user.pk in {a for a in author_ids if a is not None})


def check_not_own_work(user, *author_ids, decision: str) -> None:
    """Refuse, with a message that says why, a decision on the user's own work."""
    if is_own_work(user, *author_ids):
        raise PermissionDenied(MESSAGES[decision])
