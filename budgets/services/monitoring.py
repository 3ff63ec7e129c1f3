"""Monitoring during execution (quarterly) and after it (the ex-post evaluation)."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from codi_plans.numbers import parse_whole, whole_number_rule

from .. import permissions
from ..models import (
    BudgetRequest,
    MonitoringPhase,
    MonitoringRecord,
    RequestIndicator,
)
from ..selectors import spending_summary
from .inputs import money
from .requests import _lock, _require_in_execution
from .spending import _check_period


def _plain_summary(summary: dict) -> dict:
    return {
        "quarters": [{k: str(v) if isinstance(v, Decimal) else v for k, v in q.items()} for q in summary["quarters"]],
        "planned_total": str(summary["planned_total"]),
        "actual_total": str(summary["actual_total"]),
    }


@transaction.atomic
def record_quarterly_monitoring(
    *,
    request: BudgetRequest,
    by,
    quarter: int,
    progress: str,
    problems: str = "",
    obstacles: str = "",
    remedies: str = "",
) -> MonitoringRecord:
    """Record (or correct) the monitoring entry of a quarter of execution, with the money through that quarter."""
    request = _lock(request)
    if not permissions.can_run_budget_request(by, request):
        raise PermissionDenied(_("You may not report on this request."))
    _require_in_execution(request)
    quarter, _m = _check_period(quarter, None, "quarter")
    if not (progress or "").strip():
        raise ValidationError({"progress": _("Describe the progress of the quarter.")})
    record, _created = MonitoringRecord.objects.get_or_create(
        request=request, phase=MonitoringPhase.ONGOING, quarter=quarter, defaults={"recorded_by": by}
    )
    record.progress = progress.strip()
    record.problems, record.obstacles, record.remedies = problems.strip(), obstacles.strip(), remedies.strip()
    record.findings = _plain_summary(spending_summary(request, through_quarter=quarter))
    record.recorded_by = by
    record._history_user = by
    record.save()
    return record


@transaction.atomic
def record_ex_post_evaluation(
    *,
    request: BudgetRequest,
    by,
    achievements: dict[int, Decimal],
    progress: str,
    problems: str = "",
    obstacles: str = "",
    remedies: str = "",
) -> MonitoringRecord:
    """Evaluate a request after spending: achievement against each target, problems, obstacles and remedies."""
    request = _lock(request)
    if not permissions.can_run_budget_request(by, request):
        raise PermissionDenied(_("You may not evaluate this request."))
    _require_in_execution(request)
    if not (progress or "").strip():
        raise ValidationError({"progress": _("Summarise what the project achieved.")})
    try:
        achievements = {
            parse_whole(k, whole_number_rule(1, 9_223_372_036_854_775_807), label=_("Indicator")): v
            for k, v in achievements.items()
        }
    except ValidationError as error:
        raise ValidationError({"achievements": error}) from None
    indicators = list(request.indicators.all())
    missing = [i.name for i in indicators if achievements.get(i.pk) in (None, "")]
    if missing:
        raise ValidationError(
            {"achievements": _("Give what was achieved for: %(names)s.") % {"names": ", ".join(missing)}}
        )
    results = []
    for indicator in indicators:
        indicator.achieved_value = money(achievements[indicator.pk], field_name="achievements", label=indicator.name)
        results.append(
            {
                "indicator": indicator.name,
                "unit": indicator.unit,
                "target": str(indicator.target_value),
                "achieved": str(indicator.achieved_value),
                "percent": str(indicator.achievement_percent) if indicator.achievement_percent is not None else None,
            }
        )
    RequestIndicator.objects.bulk_update(indicators, ["achieved_value"])
    record, _created = MonitoringRecord.objects.get_or_create(
        request=request, phase=MonitoringPhase.EX_POST, defaults={"recorded_by": by}
    )
    summary = spending_summary(request)
    record.findings = {
        "indicators": results,
        "approved": str(request.approved_amount),
        "spent": str(summary["actual_total"]),
        "planned": str(summary["planned_total"]),
    }
    record.progress = progress.strip()
    record.problems, record.obstacles, record.remedies = problems.strip(), obstacles.strip(), remedies.strip()
    record.recorded_by = by
    record._history_user = by
    record.save()
    return record
