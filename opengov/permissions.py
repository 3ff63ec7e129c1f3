"""Who may export what. Which exports a person sees lives in EmenscrExport.objects.visible_to."""

from accounts.scope import scope_of


def can_export_emenscr(user) -> bool:
    """CODI central staff, regional staff and provincial coordinators export their area's projects for eMENSCR."""
    if not user.is_authenticated:
        return False
    return scope_of(user).may_write and (user.is_central_staff or user.is_area_staff)


def can_export_scope(user, scope) -> bool:
    """Export an area (a reports.scopes.Scope) only when it lies wholly inside the user's working area."""
    if not can_export_emenscr(user):
        return False
    area = scope_of(user)
    if area.is_national:
        return True
    if scope.area is None:
        return False
    return area.contains(scope.level, scope.area)
