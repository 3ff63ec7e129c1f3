"""The menu entries of project progress, decided by its permission predicates."""

from . import permissions


def navigation(request) -> dict:
    user = request.user
    if not user.is_authenticated:
        return {"progress_nav": {"report": False, "review": False}}
    review = permissions.can_review_progress(user)
    return {"progress_nav": {"report": review or permissions.can_report_progress(user), "review": review}}
