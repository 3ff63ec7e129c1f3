"""Reads for the public pages and the open data: whitelisted fields and statuses only.

Nothing here starts from a staff selector or a `visible_to` queryset: every query names the statuses that are public
(tambon plans accepted or endorsed, budget requests approved / in execution / closed, results approved, plan items
published) and reads its fields with `.values(...)` from a list, so a field added to a model later is never published
by accident. Not read, ever: who wrote, changed, submitted, reviewed or accepted anything; history; transitions and
their comments; reviewers' and decision notes; evidence files; a tambon plan's lists of people (capital_people) and
its other community-capital texts; result notes. Free text that is published passes through
public.privacy.public_text (phone numbers, e-mail addresses and titled names masked).

Every page reads a constant number of queries whatever the size of the area (grouped sums, never one query per row).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Min, Q, Sum
from django.http import Http404

from areas.models import Province, Region, Subdistrict
from budgets.models import COMMITTED_STATUSES, BudgetRequest
from codi_plans.thai_calendar import current_fiscal_year, selectable_years
from indicators.models import AreaLevel, Result, ResultStatus, Target
from strategies.models import NodeKind, PlanNode
from strategies.selectors import plan_in_force
from workstreams.models import CONSOLIDATED_STATUSES, FundingSource, Project, ProjectBudget, TambonPlan

from .privacy import public_text

PUBLIC_PLAN_STATUSES = tuple(CONSOLIDATED_STATUSES)
PUBLIC_REQUEST_STATUSES = tuple(COMMITTED_STATUSES)
PUBLIC_RESULT_STATUS = ResultStatus.APPROVED
ZERO = Decimal("0")
# The funding sources in their declared order (columns of the budget tables).
SOURCES = [value for value, _label in FundingSource.choices]
SOURCE_LABELS = dict(FundingSource.choices)

LEVELS = ("country", "region", "province", "tambon")


# --- which plans, requests and results are public ------------------------------------------------------------


def public_plans(year: int):
    """Tambon plans accepted by the province (or endorsed) whose period covers the fiscal year."""
    return TambonPlan.objects.filter(
        status__in=PUBLIC_PLAN_STATUSES, period_start_be__lte=year, period_end_be__gte=year
    )


def public_budget_lines(year: int):
    """Budget lines of the fiscal year in the projects of accepted plans."""
    return ProjectBudget.objects.filter(fiscal_year=year, project__plan__status__in=PUBLIC_PLAN_STATUSES)


def public_requests(year: int):
    """Budget requests of the fiscal year with approved money: approved, in execution or closed."""
    return BudgetRequest.objects.filter(fiscal_year=year, status__in=PUBLIC_REQUEST_STATUSES)


def public_results(year: int):
    """Approved results of the fiscal year on indicators of published plan items."""
    return Result.objects.filter(fiscal_year=year, status=PUBLIC_RESULT_STATUS, indicator__plan_node__is_draft=False)


def public_targets(year: int):
    """Whole-year targets of the fiscal year on indicators of published plan items."""
    return Target.objects.filter(fiscal_year=year, quarter__isnull=True, indicator__plan_node__is_draft=False)


# --- the year --------------------------------------------------------------------------------------------------


def year_choices() -> list[int]:
    """The fiscal years the chooser offers: every year an accepted plan covers, this year and the next."""
    span = TambonPlan.objects.filter(status__in=PUBLIC_PLAN_STATUSES).aggregate(
        first=Min("period_start_be"), last=Max("period_end_be")
    )
    return selectable_years(span["first"], span["last"])


def parse_year(value) -> int | None:
    """A fiscal year (B.E.) from the URL, or None when absent or not a plausible B.E. year."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        return None
    year = int(text)
    return year if 2500 <= year <= 2700 else None


def default_year() -> int:
    return current_fiscal_year()


# --- areas -----------------------------------------------------------------------------------------------------


@dataclass
class Area:
    """An area a public page is about: its level, code, names and the areas above it (for breadcrumbs)."""

    level: str
    code: str = ""
    obj: object = None
    parents: list = field(default_factory=list)  # [(level, code, name)] from the country down

    @property
    def name(self) -> str:
        if self.obj is None:
            return ""
        return self.obj.full_name if self.level == "tambon" else self.obj.name


def find_area(level: str, code: str = "") -> Area:
    """Find a public area by level and code (region key, DOPA province or tambon code); 404 when unknown."""
    code = (code or "")[:40]
    if level == "country":
        return Area("country")
    if level == "region":
        region = Region.objects.filter(key=code).first()
        if region is None:
            raise Http404
        return Area("region", region.key, region)
    if level == "province":
        province = Province.objects.select_related("region").filter(code=code).first()
        if province is None:
            raise Http404
        parents = [("region", province.region.key, province.region.name)] if province.region else []
        return Area("province", province.code, province, parents)
    if level == "tambon":
        tambon = Subdistrict.objects.select_related("district", "province__region").filter(code=code).first()
        if tambon is None:
            raise Http404
        province = tambon.province
        parents = [("region", province.region.key, province.region.name)] if province.region else []
        parents.append(("province", province.code, province.name))
        return Area("tambon", tambon.code, tambon, parents)
    raise Http404


def _plan_area_q(area: Area, prefix: str) -> Q:
    """Filter rows whose tambon (reached through `prefix`, e.g. "plan__tambon__") lies in the area."""
    if area.level == "country":
        return Q()
    if area.level == "region":
        return Q(**{f"{prefix}province__region": area.obj})
    if area.level == "province":
        return Q(**{f"{prefix}province": area.obj})
    return Q(**{prefix.removesuffix("__") or "tambon": area.obj})


def _request_area_q(area: Area) -> Q:
    if area.level == "country":
        return Q()
    if area.level == "region":
        return Q(province__region=area.obj)
    if area.level == "province":
        return Q(province=area.obj)
    # A request is a province's; a tambon's share is the requests that fund one of its projects.
    return Q(projects__plan__tambon=area.obj)


def _result_area_q(area: Area) -> Q:
    """Results set on the area or on any area inside it."""
    if area.level == "country":
        return Q()
    if area.level == "region":
        return Q(region=area.obj) | Q(province__region=area.obj)
    if area.level == "province":
        return Q(province=area.obj)
    return Q(tambon=area.obj)


# --- summaries -------------------------------------------------------------------------------------------------


def _new_row() -> dict:
    return {
        "plans": 0,
        "projects": 0,
        "planned": ZERO,
        "by_source": dict.fromkeys(SOURCES, ZERO),
        "requests": 0,
        "approved": ZERO,
        "spent": ZERO,
        "results": 0,
    }


# How each level's children are keyed: (plan tambon path, request path, result path).
CHILD_KEYS = {
    "country": ("tambon__province__region_id", "province__region_id", "province__region_id"),
    "region": ("tambon__province_id", "province_id", "province_id"),
    "province": ("tambon_id", None, "tambon_id"),
    "tambon": (None, None, None),
}


def _grouped(queryset, keys: list, **aggregates) -> list[dict]:
    """Aggregate the queryset per value of `keys` (one GROUP BY query), or over all of it when there is no key."""
    if not keys:
        return [queryset.aggregate(**aggregates)]
    return list(queryset.values(*keys).annotate(**aggregates).order_by())


def area_summary(area: Area, year: int) -> dict:
    """Totals for the area and for each area one level down, in a constant number of grouped queries.

    Returns {"total": row, "children": {child id: row}}; a row holds accepted plans, their projects, the planned
    budget of the year by source, approved requests with their approved and spent amounts, and approved results.
    """
    plan_key, request_key, result_key = CHILD_KEYS[area.level]
    total, children = _new_row(), defaultdict(_new_row)

    plans = public_plans(year).filter(_plan_area_q(area, "tambon__"))
    for row in _grouped(plans, [plan_key] if plan_key else [], n=Count("id")):
        total["plans"] += row["n"]
        if plan_key:
            children[row[plan_key]]["plans"] += row["n"]

    project_key = f"plan__{plan_key}" if plan_key else None
    projects = Project.objects.filter(plan__in=plans)
    for row in _grouped(projects, [project_key] if project_key else [], n=Count("id")):
        total["projects"] += row["n"]
        if project_key:
            children[row[project_key]]["projects"] += row["n"]

    lines = public_budget_lines(year).filter(
        _plan_area_q(area, "project__plan__tambon__"),
        project__plan__period_start_be__lte=year,
        project__plan__period_end_be__gte=year,
    )
    keys = ["source"] + ([f"project__plan__{plan_key}"] if plan_key else [])
    for row in lines.values(*keys).annotate(total=Sum("amount")).order_by():
        amount = row["total"] or ZERO
        total["planned"] += amount
        total["by_source"][row["source"]] += amount
        if plan_key:
            child = children[row[f"project__plan__{plan_key}"]]
            child["planned"] += amount
            child["by_source"][row["source"]] += amount

    requests = public_requests(year).filter(_request_area_q(area))
    if area.level == "tambon":
        requests = public_requests(year).filter(pk__in=requests.values("pk"))
    request_keys = [request_key] if request_key else []
    for row in _grouped(
        requests, request_keys, n=Count("id"), approved=Sum("approved_amount"), spent=Sum("spent_amount")
    ):
        total["requests"] += row["n"]
        total["approved"] += row["approved"] or ZERO
        total["spent"] += row["spent"] or ZERO
        if request_key:
            child = children[row[request_key]]
            child["requests"] += row["n"]
            child["approved"] += row["approved"] or ZERO
            child["spent"] += row["spent"] or ZERO

    results = public_results(year).filter(_result_area_q(area))
    for row in _grouped(results, [result_key] if result_key else [], n=Count("id")):
        total["results"] += row["n"]
        if result_key and row[result_key] is not None:
            children[row[result_key]]["results"] += row["n"]
    return {"total": total, "children": children}


def child_rows(area: Area, summary: dict) -> list[dict]:
    """The areas one level down with their totals: regions, provinces, or the province's tambons that have data."""
    children = summary["children"]
    if area.level == "country":
        areas = [("region", r.key, r.name, r.pk) for r in Region.objects.order_by("number")]
    elif area.level == "region":
        areas = [("province", p.code, p.name, p.pk) for p in area.obj.provinces.order_by("code")]
    elif area.level == "province":
        tambons = Subdistrict.objects.filter(pk__in=list(children)).select_related("district").order_by("code")
        areas = [("tambon", t.code, f"{t.full_name} · {t.district.full_name}", t.pk) for t in tambons]
    else:
        return []
    return [
        {"level": lv, "code": code, "name": name, **(children.get(pk) or _new_row())} for lv, code, name, pk in areas
    ]


def plan_in_force_name(year: int) -> str:
    plan = plan_in_force(year)
    return plan.name if plan is not None else ""


def workstream_totals(area: Area, year: int) -> list[dict]:
    """The planned budget of the year per workstream of the area's accepted plans (one grouped query)."""
    lines = public_budget_lines(year).filter(
        _plan_area_q(area, "project__plan__tambon__"),
        project__plan__period_start_be__lte=year,
        project__plan__period_end_be__gte=year,
    )
    rows = lines.values("project__workstream_id").annotate(total=Sum("amount"), n=Count("project", distinct=True))
    by_id = {r["project__workstream_id"]: r for r in rows.order_by()}
    nodes = PlanNode.objects.filter(pk__in=list(by_id), is_draft=False, kind=NodeKind.WORKSTREAM).order_by(
        "number", "code"
    )
    return [
        {"name": n.name, "code": n.code, "total": by_id[n.pk]["total"], "projects": by_id[n.pk]["n"]} for n in nodes
    ]


def area_requests(area: Area, year: int, limit: int = 200) -> list[dict]:
    """Approved budget requests of the area and year: title, requesting body, amounts (free text masked)."""
    if area.level not in ("province", "tambon"):
        return []
    requests = public_requests(year)
    requests = requests.filter(pk__in=public_requests(year).filter(_request_area_q(area)).values("pk"))
    rows = requests.order_by("rank", "id").values(
        "id",
        "title",
        "requesting_body",
        "status",
        "approved_amount",
        "spent_amount",
        "workstream__name_th",
        "workstream__name_en",
        "workstream__is_draft",
    )[:limit]
    return [_public_request(r) for r in rows]


def _public_request(r: dict) -> dict:
    from django.utils.translation import get_language

    english = (get_language() or "th").startswith("en")
    workstream = ""
    if r["workstream__name_th"] and not r["workstream__is_draft"]:
        workstream = r["workstream__name_en"] if english and r["workstream__name_en"] else r["workstream__name_th"]
    return {
        "id": r["id"],
        "title": public_text(r["title"]),
        "requesting_body": public_text(r["requesting_body"]),
        "status": BudgetRequest(status=r["status"]).get_status_display(),
        "approved": r["approved_amount"],
        "spent": r["spent_amount"],
        "workstream": workstream,
    }


def area_results(area: Area, year: int, limit: int = 300) -> list[dict]:
    """Approved results set on the area itself (not those of the areas inside it), with the year's target there."""
    level = {"country": AreaLevel.COUNTRY, "region": AreaLevel.REGION, "province": AreaLevel.PROVINCE}.get(
        area.level, AreaLevel.TAMBON
    )
    exact = Q(level=level)
    if area.level != "country":
        exact &= Q(**{{"region": "region", "province": "province", "tambon": "tambon"}[area.level]: area.obj})
    fields = ("indicator_id", "quarter", "value")
    results = list(
        public_results(year)
        .filter(exact)
        .order_by("indicator__number", "indicator__code", "quarter")
        .values(*fields)[:limit]
    )
    targets = {
        t["indicator_id"]: t["value"] for t in public_targets(year).filter(exact).values("indicator_id", "value")
    }
    from indicators.models import Indicator

    indicators = {i.pk: i for i in Indicator.objects.filter(pk__in={r["indicator_id"] for r in results})}
    rows: dict[int, dict] = {}
    for r in results:
        indicator = indicators[r["indicator_id"]]
        row = rows.setdefault(
            indicator.pk,
            {
                "code": indicator.code,
                "name": indicator.name,
                "unit": indicator.unit,
                "quarters": {},
                "target": targets.get(indicator.pk),
            },
        )
        row["quarters"][r["quarter"]] = r["value"]
    for row in rows.values():
        row["by_quarter"] = [row["quarters"].get(q) for q in (1, 2, 3, 4)]
    return list(rows.values())


# --- a tambon's plan -------------------------------------------------------------------------------------------

# The profile fields of a tambon plan that are published (numbers, and texts about the place, never about people).
PLAN_PUBLIC_FIELDS = (
    "id",
    "period_start_be",
    "period_end_be",
    "status",
    "households",
    "population",
    "average_household_income",
    "average_household_debt",
    "main_occupations",
    "vision",
)
PLAN_PUBLIC_TEXT = ("main_occupations", "vision")
PROJECT_PUBLIC_FIELDS = (
    "id",
    "plan_id",
    "number",
    "name",
    "project_class",
    "start_date",
    "end_date",
    "responsible_body",
    "workstream__code",
    "workstream__name_th",
    "workstream__name_en",
    "programme__code",
    "programme__name_th",
    "programme__name_en",
    "workstream__is_draft",
    "programme__is_draft",
)


def _localised(row: dict, prefix: str) -> str:
    """The plan item's name in the page language; nothing for an item of a draft plan (not yet public)."""
    from django.utils.translation import get_language

    if row.get(f"{prefix}__is_draft"):
        return ""
    if (get_language() or "th").startswith("en") and row.get(f"{prefix}__name_en"):
        return row[f"{prefix}__name_en"]
    return row.get(f"{prefix}__name_th") or ""


def public_project(row: dict) -> dict:
    """A project row as published: names localised, free text masked."""
    from workstreams.models import ProjectClass

    return {
        "id": row["id"],
        "number": row["number"],
        "name": public_text(row["name"]),
        "project_class": row["project_class"],
        "project_class_label": ProjectClass(row["project_class"]).label if row["project_class"] else "",
        "workstream": _localised(row, "workstream"),
        "workstream_code": "" if row["workstream__is_draft"] else row["workstream__code"],
        "programme": _localised(row, "programme"),
        "programme_code": "" if row["programme__is_draft"] else row["programme__code"],
        "start_date": row["start_date"],
        "end_date": row["end_date"],
        "responsible_body": public_text(row["responsible_body"]),
    }


def tambon_plan(area: Area, year: int) -> dict | None:
    """The tambon's accepted plan covering the year with its projects and their budget lines (5 queries)."""
    plan = public_plans(year).filter(tambon=area.obj).values(*PLAN_PUBLIC_FIELDS).first()
    if plan is None:
        return None
    for name in PLAN_PUBLIC_TEXT:
        plan[name] = public_text(plan[name])
    plan["status_label"] = TambonPlan(status=plan["status"]).get_status_display()
    from workstreams.models import Problem

    plan["problems"] = [
        {"rank": p["rank"], "title": public_text(p["title"])}
        for p in Problem.objects.filter(plan_id=plan["id"]).order_by("rank").values("rank", "title")
    ]
    projects = [
        public_project(p)
        for p in Project.objects.filter(plan_id=plan["id"]).order_by("number").values(*PROJECT_PUBLIC_FIELDS)
    ]
    lines = defaultdict(list)
    for line in (
        ProjectBudget.objects.filter(project__plan_id=plan["id"])
        .order_by("fiscal_year", "source")
        .values("project_id", "fiscal_year", "source", "amount")
    ):
        lines[line["project_id"]].append({**line, "source_label": SOURCE_LABELS.get(line["source"], line["source"])})
    for project in projects:
        project["lines"] = lines.get(project["id"], [])
        project["year_total"] = sum((x["amount"] for x in project["lines"] if x["fiscal_year"] == year), ZERO)
        project["total"] = sum((x["amount"] for x in project["lines"]), ZERO)
    plan["projects"] = projects
    return plan


def public_project_detail(pk: int) -> dict | None:
    """One project of an accepted plan, with its plan's tambon and its budget lines; None when not public."""
    row = (
        Project.objects.filter(pk=pk, plan__status__in=PUBLIC_PLAN_STATUSES)
        .values(*PROJECT_PUBLIC_FIELDS, "plan__period_start_be", "plan__period_end_be", "plan__tambon__code")
        .first()
    )
    if row is None:
        return None
    project = public_project(row)
    project["period"] = (row["plan__period_start_be"], row["plan__period_end_be"])
    project["tambon_code"] = row["plan__tambon__code"]
    project["lines"] = [
        {**line, "source_label": SOURCE_LABELS.get(line["source"], line["source"])}
        for line in ProjectBudget.objects.filter(project_id=pk)
        .order_by("fiscal_year", "source")
        .values("fiscal_year", "source", "amount")
    ]
    project["total"] = sum((x["amount"] for x in project["lines"]), ZERO)
    return project


def sitemap_tambon_codes() -> list[str]:
    """Tambons with at least one accepted plan (any period): the tambon pages the sitemap lists."""
    return list(
        Subdistrict.objects.filter(
            pk__in=TambonPlan.objects.filter(status__in=PUBLIC_PLAN_STATUSES).values("tambon_id")
        )
        .order_by("code")
        .values_list("code", flat=True)
    )
