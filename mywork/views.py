"""Each role's home page after signing in: their own work, with one link per next step."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from escalation.selectors import work_for
from indicators import permissions as indicator_permissions
from workstreams import permissions as plan_permissions

from . import selectors


@login_required
@require_safe
def home(request):
    user = request.user
    period = selectors.period_now()
    # Due soon and overdue at the person's level of the escalation ladder (None for people off the ladder).
    context = {"period": period, "due": work_for(user, period.today)}
    if user.is_community_rep:
        context["tambons"] = selectors.representative_work(user, period)
        context["can_start"] = plan_permissions.can_start_tambon_plan(user)
        context["can_report"] = indicator_permissions.can_report_results(user)
        template = "mywork/representative.html"
    elif user.is_provincial_coordinator:
        context["work"] = selectors.coordinator_work(user, period)
        template = "mywork/coordinator.html"
    elif user.is_central_staff or user.is_regional_staff:
        context["work"] = selectors.staff_work(user, period)
        template = "mywork/staff.html"
    elif user.is_budget_viewer:
        context["reports"] = selectors.latest_reports(user)
        template = "mywork/viewer.html"
    else:  # API clients, and accounts with no working role yet
        template = "mywork/other.html"
    return render(request, template, context)
