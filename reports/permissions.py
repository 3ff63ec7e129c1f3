"""Who may ask for which report. Which reports a user sees lives in Report.objects.visible_to."""

from .scopes import Scope, user_reaches


def can_ask_for_reports(user) -> bool:
    """Every working role asks for reports; read-only roles (Budget Bureau viewers, API clients) read them."""
    if not user.is_authenticated or not user.is_active or user.is_read_only:
        return False
    return bool(user.role or user.is_superuser)


def can_request_report(user, scope: Scope) -> bool:
    """Ask for a report on a scope that reaches the user's area; the report holds only what the user sees."""
    return can_ask_for_reports(user) and user_reaches(user, scope)
