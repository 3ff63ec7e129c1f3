"""Take the snapshot a report is built from: every row it shows, as plain JSON, and its fingerprint.

The snapshot is taken when the report is asked for (or scheduled), through the requesting user's
visibility, and frozen: the builder never reads plans or results again, so a filed report does not
change when they do, and a rebuilt report is identical to the first build. Its sha256 is the data
fingerprint the report is keyed on: the same data gives the same fingerprint, hence the same report.

A fixed number of queries per snapshot (plus two or three per plan indicator): none grows with the
number of tambons or requests.
"""

import gzip
import hashlib
import json
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Max

from areas.models import Province, Region, Subdistrict
from budgets.fairness import distribution
from budgets.models import (
    COMMITTED_STATUSES,
    BudgetRequest,
    MonitoringPhase,
    MonitoringRecord,
    RequestIndicator,
)
from budgets.selectors import activity_spending
from codi_plans.thai_calendar import QUARTERS
from indicators import selectors as indicator_selectors
from indicators.models import AreaLevel, Indicator, Measure, PlanLevel, Result, ResultStatus
from strategies.models import PlanNode

from .models import ReportKind, ScopeLevel
from .scopes import Scope

SCHEMA = 1
ZERO = Decimal("0.00")
# The indicator levels a Budget Bureau report shows (tambon-project indicators are in the requests).
REPORTED_INDICATOR_LEVELS = [
    PlanLevel.NATIONAL_TARGET,
    PlanLevel.CODI_PLAN,
    PlanLevel.WORKSTREAM_GOAL,
    PlanLevel.PROGRAMME,
]
SCOPE_AREA_LEVEL = {
    ScopeLevel.COUNTRY: AreaLevel.COUNTRY,
    ScopeLevel.REGION: AreaLevel.REGION,
    ScopeLevel.PROVINCE_GROUP: AreaLevel.PROVINCE_GROUP,
    ScopeLevel.PROVINCE: AreaLevel.PROVINCE,
    ScopeLevel.WORKSTREAM: AreaLevel.COUNTRY,
}


def _num(value) -> str | None:
    """Write a number the one canonical way (two decimals), so equal data gives equal bytes."""
    if value is None:
        return None
    return str(Decimal(value).quantize(Decimal("0.01")))


def visible_requests(user):
    """Return the budget requests a report for this user may hold (every request for a scheduled report)."""
    if user is None:
        return BudgetRequest.objects.all()
    return BudgetRequest.objects.visible_to(user)


def report_requests(*, scope: Scope, fiscal_year: int, user):
    """Return the approved requests (approved, in execution or closed) of a fiscal year in scope and in view."""
    return (
        visible_requests(user)
        .filter(scope.requests_q(), fiscal_year=fiscal_year, status__in=COMMITTED_STATUSES)
        .order_by()
    )


def _programme_order(programmes) -> list:
    def key(node):
        parent = node.parent
        if parent is not None and parent.kind == "workstream":
            return ((parent.number or 0), 0, node.number or 0, node.code)
        workstream = parent.parent if parent is not None else None
        return (
            (workstream.number or 0) if workstream else 99,
            (parent.number or 0) if parent else 0,
            node.number or 0,
            node.code,
        )

    return sorted(programmes, key=key)


def _activity_rows(requests_qs) -> dict[int, list[dict]]:
    """Return each request's activities with planned and actual quantity and money per quarter and month."""

    def side(spending, qty: str, amt: str, months: str) -> dict:
        quarters = [spending.quarters[q] for q in QUARTERS]
        return {
            "qty": [_num(getattr(f, qty)) for f in quarters],
            "amt": [_num(getattr(f, amt)) for f in quarters],
            "months": {
                str(month): [_num(quantity), _num(amount)]
                for f in quarters
                for month, (quantity, amount) in getattr(f, months).items()
            },
        }

    return {
        request_id: [
            {
                "number": spending.activity.number,
                "name": spending.activity.name,
                "unit": spending.activity.unit,
                "category": spending.activity.category,
                "plan": side(spending, "planned_qty", "planned", "plan_months"),
                "actual": side(spending, "actual_qty", "actual", "actual_months"),
            }
            for spending in activities
        ]
        for request_id, activities in activity_spending(requests_qs).items()
    }


def _request_indicators(requests_qs) -> dict[int, list[dict]]:
    out = defaultdict(list)
    for request_id, name, unit, target, achieved in (
        RequestIndicator.objects.filter(request__in=requests_qs.values("pk"))
        .order_by("request_id", "id")
        .values_list("request_id", "name", "unit", "target_value", "achieved_value")
    ):
        out[request_id].append({"name": name, "unit": unit, "target": _num(target), "achieved": _num(achieved)})
    return out


def _monitoring(requests_qs, kind: str, quarter: int | None) -> dict[int, dict]:
    if kind == ReportKind.PROGRESS:
        records = MonitoringRecord.objects.filter(phase=MonitoringPhase.ONGOING, quarter=quarter)
    elif kind == ReportKind.EVALUATION:
        records = MonitoringRecord.objects.filter(phase=MonitoringPhase.EX_POST)
    else:
        return {}
    out = {}
    for request_id, progress, problems, obstacles, remedies in (
        records.filter(request__in=requests_qs.values("pk"))
        .order_by("request_id")
        .values_list("request_id", "progress", "problems", "obstacles", "remedies")
    ):
        out[request_id] = {"progress": progress, "problems": problems, "obstacles": obstacles, "remedies": remedies}
    return out


def _indicators(*, kind: str, scope: Scope, fiscal_year: int, quarter: int | None) -> list[dict]:
    """Return the plan indicators of the scope with their targets and, during and after, the official figures."""
    indicators = (
        Indicator.objects.active().filter(level__in=REPORTED_INDICATOR_LEVELS).exclude(measure=Measure.NARRATIVE)
    )
    if scope.level == ScopeLevel.WORKSTREAM:
        indicators = indicators.under(scope.area.code)
    level = SCOPE_AREA_LEVEL[ScopeLevel(scope.level)]
    area = None if level == AreaLevel.COUNTRY else scope.area
    as_at = quarter or 4
    rows = []
    for indicator in indicators.order_by("number", "code"):
        series, _children = indicator_selectors.target_series(indicator, fiscal_year, level=level, area=area, by=None)
        quarters = [series.get((fiscal_year, q)) for q in range(1, 5)]
        year_target = series.get((fiscal_year, None))
        row = {
            "code": indicator.code,
            "name_th": indicator.name_th,
            "name_en": indicator.name_en,
            "unit_th": indicator.unit_th,
            "unit_en": indicator.unit_en,
            "target_year": _num(year_target),
            "target_quarters": [_num(v) for v in quarters],
        }
        if kind != ReportKind.PLAN:
            drill = indicator_selectors.drilldown(indicator, fiscal_year, as_at, level=level, area=area, by=level)
            figure = drill.total
            if year_target is None:
                row["target_year"] = _num(figure.target)
            row.update(
                {
                    "expected": _num(figure.expected),
                    "actual": _num(figure.actual),
                    "reporting": figure.reporting,
                    "progress": _num(figure.progress),
                    "band": figure.band,
                    # Judged against this year's targets only: why there is no band, when there is none.
                    "reason": figure.reason,
                }
            )
            if row["target_year"] is None and not figure.reporting:
                continue
        elif year_target is None and not any(quarters):
            continue
        rows.append(row)
    return rows


def collect(*, kind: str, scope: Scope, fiscal_year: int, quarter: int | None, user) -> tuple[dict, dict]:
    """Return (the snapshot of everything the report shows, a summary of the source rows it came from)."""
    requests_qs = report_requests(scope=scope, fiscal_year=fiscal_year, user=user)
    rows = list(
        requests_qs.order_by("province__code", "rank", "id").values_list(
            "id",
            "title",
            "province__code",
            "programme_id",
            "status",
            "requesting_body",
            "requested_amount",
            "approved_amount",
            "spent_amount",
            "targets",
            "expected_benefits",
        )
    )
    activities = _activity_rows(requests_qs)
    request_indicators = _request_indicators(requests_qs)
    monitoring = _monitoring(requests_qs, kind, quarter)
    programme_ids = {r[3] for r in rows if r[3] is not None}
    programmes = _programme_order(PlanNode.objects.filter(id__in=programme_ids).select_related("parent__parent"))
    position = {p.id: i for i, p in enumerate(programmes)}
    rows.sort(key=lambda r: (position.get(r[3], len(position)), r[2]))
    provinces = {
        code: {"name_th": th, "name_en": en}
        for code, th, en in Province.objects.filter(code__in={r[2] for r in rows}).values_list(
            "code", "name_th", "name_en"
        )
    }
    requests = []
    for rid, title, province, programme, status, body, requested, approved, spent, targets, benefits in rows:
        requests.append(
            {
                "id": rid,
                "title": title,
                "province": province,
                "programme": programme,
                "status": status,
                "requesting_body": body,
                "requested": _num(requested),
                "approved": _num(approved),
                "spent": _num(spent),
                "targets": targets,
                "expected_benefits": benefits,
                "activities": activities.get(rid, []),
                "indicators": request_indicators.get(rid, []),
                "monitoring": monitoring.get(rid),
            }
        )
    snapshot = {
        "schema": SCHEMA,
        "kind": kind,
        "fiscal_year": fiscal_year,
        "quarter": quarter,
        "scope": {"level": scope.level, "key": scope.key, "name_th": scope.name_th, "name_en": scope.name_en},
        "programmes": [{"id": p.id, "code": p.code, "name_th": p.name_th, "name_en": p.name_en} for p in programmes],
        "provinces": provinces,
        "requests": requests,
        "indicators": _indicators(kind=kind, scope=scope, fiscal_year=fiscal_year, quarter=quarter),
    }
    if kind == ReportKind.EVALUATION:
        snapshot["fairness"] = fairness_snapshot(scope=scope, fiscal_year=fiscal_year, user=user)
    return snapshot, source_summary(snapshot, requests_qs, fiscal_year)


def fairness_snapshot(*, scope: Scope, fiscal_year: int, user) -> dict:
    """The fair-distribution measures and the per-region table of the annual report (budgets/fairness.py), over the
    scope's provinces in the asker's view (every province for a scheduled report)."""
    provinces = scope.provinces()
    tambons = Subdistrict.objects.all()
    if user is not None:
        provinces = provinces.filter(pk__in=Province.objects.in_scope_of(user).values("pk"))
        tambons = Subdistrict.objects.in_scope_of(user)
    result = distribution(
        requests=visible_requests(user).filter(scope.requests_q()),
        provinces=provinces,
        tambons=tambons,
        fiscal_year=fiscal_year,
    )
    summary = result.summary()

    def row(area, name_th, name_en):
        data = area.as_dict()
        return {
            "key": area.key,
            "name_th": name_th,
            "name_en": name_en,
            **{k: data[k] for k in ("population", "households", "tambons", "requested", "approved", "spent")},
            **{k: data[k] for k in ("approved_per_head", "approved_per_household", "approved_per_tambon")},
            "flag": area.flag,
        }

    # Names in both languages, whatever the asker's page language: the document picks one.
    names = {r.key: (r.name_th, r.name_en) for r in Region.objects.all()}
    province_names = {p.code: (p.name_th, p.name_en) for p in provinces}
    return {
        "measures": {k: summary[k] for k in ("gini_provinces", "gini_tambons", "decile_ratio", "decile_k")},
        "national_rate": result.national.extra.get("rate"),
        "approved_without_tambon": summary["approved_without_tambon"],
        "lorenz": [[p["population_share"], p["approved_share"]] for p in summary["lorenz"]],
        "unfunded_tambons": summary["unfunded_tambons"],
        "regions": [row(a, *names.get(a.key, (a.name, a.name))) for a in result.regions],
        "total": row(result.national, "รวมทั้งสิ้น", "Grand total"),
        "flagged": [row(a, *province_names.get(a.key, (a.name, a.name))) for a in result.flagged],
    }


def source_summary(snapshot: dict, requests_qs, fiscal_year: int) -> dict:
    """Say which data a report was built from: row counts, money totals and the latest change of the sources."""
    request_stats = requests_qs.aggregate(latest=Max("updated_at"), n=Count("id"))
    result_stats = Result.objects.filter(status=ResultStatus.APPROVED, fiscal_year=fiscal_year).aggregate(
        latest=Max("updated_at"), n=Count("id")
    )
    activities = [a for r in snapshot["requests"] for a in r["activities"]]
    return {
        "requests": request_stats["n"],
        "requests_updated": request_stats["latest"].isoformat() if request_stats["latest"] else None,
        "activities": len(activities),
        "approved_results_of_year": result_stats["n"],
        "results_updated": result_stats["latest"].isoformat() if result_stats["latest"] else None,
        "indicators": len(snapshot["indicators"]),
        "monitoring_records": sum(1 for r in snapshot["requests"] if r["monitoring"]),
        "approved_total": _num(sum((Decimal(r["approved"] or 0) for r in snapshot["requests"]), ZERO)),
        "planned_total": _num(sum((Decimal(v) for a in activities for v in a["plan"]["amt"]), ZERO)),
        "actual_total": _num(sum((Decimal(v) for a in activities for v in a["actual"]["amt"]), ZERO)),
    }


def canonical_bytes(snapshot: dict) -> bytes:
    """Serialise a snapshot one way only (sorted keys, no spaces), so equal data gives equal bytes."""
    return json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def compress(data: bytes) -> bytes:
    """Gzip without a timestamp, so the stored snapshot file is as reproducible as its content."""
    return gzip.compress(data, compresslevel=6, mtime=0)


def load(stored: bytes) -> dict:
    return json.loads(gzip.decompress(stored))
