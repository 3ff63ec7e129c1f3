"""Who may ask for which report. Which reports a user sees lives in Report.objects.visible_to."""

from accounts.scope import scope_of

from .scopes import Scope, user_reaches


def can_ask_for_reports(user) -> bool:
    """Every working role asks for reports; read-only roles (Budget Bureau viewers, API clients) read them."""
    area = scope_of(user)
    return area.may_write and area.works_somewhere


def can_request_report(user, scope: Scope) -> bool:
    """Ask for a report on a scope that reaches the user's area; the report holds only what the user sees."""
    return can_ask_for_reports(user) and user_reaches(user, scope)
