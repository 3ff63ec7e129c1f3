"""Writes to provincial and province-group development plans and their numbered issues."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from codi_plans.concurrency import bump_revision, check_revision
from strategies.models import PlanNode

from .. import permissions
from ..models import (
    DevelopmentIndicator,
    DevelopmentIssue,
    ProvincialDevelopmentPlan,
)
from .inputs import IndicatorInput, _clean_indicators

DEVELOPMENT_PLAN_FIELDS = ["name", "period_start_be", "period_end_be", "vision", "development_target"]
ISSUE_FIELDS = ["title", "objectives", "targets", "strategies", "group_issue"]


def _save_development_plan(plan: ProvincialDevelopmentPlan, by, reason: str) -> None:
    bump_revision(plan, by)
    plan._change_reason = reason
    plan.save()


def _replace_plan_indicators(plan, issue, indicators: list[IndicatorInput]) -> None:
    DevelopmentIndicator.objects.filter(plan=plan, issue=issue).delete()
    DevelopmentIndicator.objects.bulk_create(
        DevelopmentIndicator(plan=plan, issue=issue, **ind.__dict__) for ind in indicators
    )


@transaction.atomic
def create_development_plan(
    *, by, province=None, province_group=None, indicators: list[IndicatorInput] = (), **fields
) -> ProvincialDevelopmentPlan:
    """Start a provincial (or province-group) development plan for a plan period."""
    if (province is None) == (province_group is None):
        raise ValidationError(_("A development plan belongs to one province or one province group."))
    if not permissions.can_create_development_plan_for(by, province=province, province_group=province_group):
        raise PermissionDenied(_("You may not write a development plan for this area."))
    unknown = set(fields) - set(DEVELOPMENT_PLAN_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    plan = ProvincialDevelopmentPlan(province=province, province_group=province_group, updated_by=by, **fields)
    plan.full_clean()
    plan._history_user = by
    plan.save()
    _replace_plan_indicators(plan, None, _clean_indicators(list(indicators), year_field=True))
    return plan


def _lock_development_plan(plan, by, expected_revision) -> ProvincialDevelopmentPlan:
    locked = (
        ProvincialDevelopmentPlan.objects.select_for_update(of=("self",))
        .select_related("province", "province_group")
        .get(pk=plan.pk)
    )
    if not permissions.can_edit_development_plan(by, locked):
        raise PermissionDenied(_("You may not change this development plan."))
    check_revision(locked, expected_revision)
    return locked


@transaction.atomic
def update_development_plan(
    *, plan: ProvincialDevelopmentPlan, by, expected_revision: int, indicators: list[IndicatorInput], **fields
) -> ProvincialDevelopmentPlan:
    """Change a development plan's name, period, vision, development target and its indicators."""
    plan = _lock_development_plan(plan, by, expected_revision)
    unknown = set(fields) - set(DEVELOPMENT_PLAN_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.full_clean()
    _replace_plan_indicators(plan, None, _clean_indicators(indicators, year_field=True))
    _save_development_plan(plan, by, "plan edited")
    return plan


@transaction.atomic
def save_development_issue(
    *,
    plan: ProvincialDevelopmentPlan,
    by,
    expected_revision: int,
    data: dict,
    indicators: list[IndicatorInput],
    aligns_to: list[PlanNode] = (),
    issue: DevelopmentIssue | None = None,
) -> DevelopmentIssue:
    """Create or change a numbered development issue with its objectives, targets, strategies and indicators."""
    plan = _lock_development_plan(plan, by, expected_revision)
    if issue is not None and issue.plan_id != plan.pk:
        raise PermissionDenied(_("This development issue belongs to another plan."))
    if not (data.get("title") or "").strip():
        raise ValidationError({"title": _("Name the development issue.")})
    group_issue = data.get("group_issue")
    if group_issue is not None:
        if plan.is_group_plan or group_issue.plan.province_group_id != plan.province.group_id:
            raise ValidationError({"group_issue": _("Choose an issue of this province's group plan.")})
    not_national = [n for n in aligns_to if not n.is_national]
    if not_national:
        raise ValidationError({"aligns_to": _("A development issue serves national plan items only.")})
    number = data.get("number")
    if issue is None:
        issue = DevelopmentIssue(plan=plan)
        if not number:
            number = max(plan.issues.values_list("number", flat=True), default=0) + 1
    if number:
        if plan.issues.filter(number=number).exclude(pk=issue.pk).exists():
            raise ValidationError({"number": _("Another issue of this plan has number %(n)s.") % {"n": number}})
        issue.number = number
    for name in ISSUE_FIELDS:
        if name in data:
            setattr(issue, name, data[name] if name == "group_issue" else (data[name] or "").strip())
    issue.full_clean(exclude=["plan"])
    issue._history_user = by
    issue.save()
    issue.aligns_to.set(aligns_to)
    _replace_plan_indicators(plan, issue, _clean_indicators(indicators, year_field=True))
    _save_development_plan(plan, by, f"issue {issue.number} saved")
    return issue


@transaction.atomic
def delete_development_issue(*, issue: DevelopmentIssue, by, expected_revision: int) -> None:
    """Remove a development issue no budget request refers to."""
    plan = _lock_development_plan(issue.plan, by, expected_revision)
    issue._history_user = by
    try:
        issue.delete()
    except ProtectedError:
        raise ValidationError(
            _("Budget requests serve this development issue; it cannot be removed."), code="protected"
        ) from None
    _save_development_plan(plan, by, f"issue {issue.number} deleted")
