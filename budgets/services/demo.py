"""Demo development plans, ceilings and pilot tambons for a first run."""

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from areas.models import Province, Subdistrict
from strategies.models import PlanNode

from ..models import (
    BudgetCeiling,
    DevelopmentIssue,
    PilotTambon,
    ProvincialDevelopmentPlan,
)
from .development_plans import _replace_plan_indicators
from .inputs import IndicatorInput, money

DEMO_FILE = Path(__file__).parent.parent / "data" / "demo_budgets.json"


@dataclass
class DemoLoadReport:
    plans: int = 0
    issues: int = 0
    ceilings: int = 0
    pilot_tambons: int = 0


def _demo_indicators(rows: list[dict]) -> list[IndicatorInput]:
    return [
        IndicatorInput(
            r["name"],
            r["unit"],
            Decimal(r["target_value"]),
            money(r.get("baseline"), allow_none=True),
            r.get("target_year_be"),
        )
        for r in rows
    ]


@transaction.atomic
def load_demo_budgets(*, path: Path = DEMO_FILE) -> DemoLoadReport:
    """Add the demo development plans, ceilings and pilot tambons that are missing; never change existing rows."""
    if not settings.DEMO_ACCOUNTS_ALLOWED:
        raise ImproperlyConfigured("Demo budgets are never loaded under production settings (DJANGO_DEBUG=False).")
    data = json.loads(path.read_text(encoding="utf-8"))
    report = DemoLoadReport()
    # Group plans first, so that provincial issues can say which group issue they feed.
    entries = sorted(data["development_plans"], key=lambda e: "province_group_of" not in e)
    for entry in entries:
        start, end = entry["period"]
        if "province" in entry:
            area = {"province": Province.objects.get(code=entry["province"])}
        else:
            group = Province.objects.get(code=entry["province_group_of"]).group
            if group is None:
                continue
            area = {"province_group": group}
        plan, created = ProvincialDevelopmentPlan.objects.get_or_create(
            **area,
            period_start_be=start,
            defaults={
                "name": entry["name"],
                "period_end_be": end,
                "vision": entry["vision"],
                "development_target": entry["development_target"],
            },
        )
        if created:
            report.plans += 1
            _replace_plan_indicators(plan, None, _demo_indicators(entry.get("indicators", [])))
        existing = set(plan.issues.values_list("number", flat=True))
        for row in entry["issues"]:
            if row["number"] in existing:
                continue
            group_issue = None
            if row.get("group_issue") and plan.province_id and plan.province.group_id:
                group_issue = DevelopmentIssue.objects.filter(
                    plan__province_group_id=plan.province.group_id,
                    plan__period_start_be=start,
                    number=row["group_issue"],
                ).first()
            issue = DevelopmentIssue.objects.create(
                plan=plan,
                number=row["number"],
                title=row["title"],
                objectives="\n".join(row.get("objectives", [])),
                targets="\n".join(row.get("targets", [])),
                strategies="\n".join(row.get("strategies", [])),
                group_issue=group_issue,
            )
            issue.aligns_to.set(PlanNode.objects.filter(code__in=row.get("aligns_to", [])))
            _replace_plan_indicators(plan, issue, _demo_indicators(row.get("indicators", [])))
            report.issues += 1
    ceilings = data.get("ceilings", {})
    for year in ceilings.get("fiscal_years", []):
        for code, amount in ceilings.get("provinces", {}).items():
            _, created = BudgetCeiling.objects.get_or_create(
                fiscal_year=year,
                province=Province.objects.get(code=code),
                defaults={"amount": Decimal(amount), "note": "demo"},
            )
            report.ceilings += created
        for code, amount in ceilings.get("workstreams", {}).items():
            _, created = BudgetCeiling.objects.get_or_create(
                fiscal_year=year,
                workstream=PlanNode.objects.get(code=code),
                defaults={"amount": Decimal(amount), "note": "demo"},
            )
            report.ceilings += created
    pilots = data.get("pilot_tambons")
    if pilots:
        for tambon in Subdistrict.objects.filter(code__in=pilots["codes"]):
            _, created = PilotTambon.objects.get_or_create(
                fiscal_year=pilots["fiscal_year"], tambon=tambon, defaults={"note": pilots.get("note", "")}
            )
            report.pilot_tambons += created
    return report
