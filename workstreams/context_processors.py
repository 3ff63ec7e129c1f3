"""What the site's layout needs on every page: which menu entries the user can use."""

from django.contrib import admin

from . import permissions as plan_permissions


def navigation(request) -> dict:
    """Decide the main menu with the apps' permission predicates, so nobody is shown a page that refuses them."""
    user = request.user
    signed_in = user.is_authenticated
    return {
        "nav": {
            "signed_in": signed_in,
            "review_queue": signed_in and plan_permissions.can_use_review_queue(user),
            "back_office": admin.site.has_permission(request),
        }
    }
