"""Reads that pages, the API and reports share: province-plan totals, plan lists with their totals, the chain up to
the National Strategy, and frozen copies of plans. Writes live in services.py."""

import operator
from decimal import Decimal
from functools import reduce

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import get_language

from codi_plans.thai_calendar import fiscal_year_of
from strategies.models import PARENT_CHAIN, NodeKind, PlanNode
from strategies.selectors import DEFAULT_PLAN_YEARS, latest_plan, plan_in_force, plan_period_in_force
from strategies.services import descendant_ids

from .models import (
    AWAITING_REVIEW_STATUSES,
    PLAN_FIELDS,
    PROJECT_FIELDS,
    FundingSource,
    PlanStatus,
    PlanTransition,
    Project,
    ProjectBudget,
    ProjectClass,
    ProvincePlan,
    TambonPlan,
)


def _workstream_label(row) -> str:
    english = (get_language() or "th").startswith("en")
    return (english and row["project__workstream__name_en"]) or row["project__workstream__name_th"]


# Each dimension: the fields to group by, then how to read a row's key and label.
TOTAL_DIMENSIONS = {
    "by_workstream": (
        (
            "project__workstream__code",
            "project__workstream__name_th",
            "project__workstream__name_en",
            "project__workstream__number",
        ),
        lambda row: (row["project__workstream__code"], _workstream_label(row)),
    ),
    "by_class": (
        ("project__project_class",),
        lambda row: (row["project__project_class"], ProjectClass(row["project__project_class"]).label),
    ),
    "by_fiscal_year": (("fiscal_year",), lambda row: (str(row["fiscal_year"]), str(row["fiscal_year"]))),
    "by_source": (("source",), lambda row: (row["source"], FundingSource(row["source"]).label)),
}


def province_plan_totals(plans) -> dict[int, dict]:
    """Sum each province plan's accepted tambon plans by workstream, class, year and source: five queries a page."""
    plans = list(plans)
    if not plans:
        return {}
    # One OR-ed queryset over the page whose every branch is exactly ProjectBudget.objects.in_province_plan(plan).
    lines = reduce(operator.or_, (ProjectBudget.objects.in_province_plan(p) for p in plans))
    owner = ("project__plan__tambon__province_id", "project__plan__period_start_be")
    plan_of = {(p.province_id, p.period_start_be): p.pk for p in plans}
    totals = {p.pk: {"tambon_plans": 0, "total": 0, **{name: [] for name in TOTAL_DIMENSIONS}} for p in plans}
    for name, (fields, key_label) in TOTAL_DIMENSIONS.items():
        for row in lines.totals_by(*owner, *fields):
            entry = totals[plan_of[row[owner[0]], row[owner[1]]]]
            key, label = key_label(row)
            entry[name].append(
                {
                    "key": key,
                    "label": str(label),
                    "total": row["total"],
                    "number": row.get("project__workstream__number"),
                }
            )
            if name == "by_source":
                entry["total"] += row["total"]
    consolidated = TambonPlan.objects.consolidated().filter(
        reduce(operator.or_, (Q(tambon__province_id=p.province_id, period_start_be=p.period_start_be) for p in plans))
    )
    for row in consolidated.values("tambon__province_id", "period_start_be").annotate(n=Count("pk")).order_by():
        totals[plan_of[row["tambon__province_id"], row["period_start_be"]]]["tambon_plans"] = row["n"]
    return totals


def province_totals(province_plan) -> dict:
    """The totals of one province plan, as its page shows them: workstreams in their own order."""
    totals = province_plan_totals([province_plan])[province_plan.pk]
    totals["by_workstream"] = sorted(totals["by_workstream"], key=lambda row: row["number"] or 0)
    return totals


def with_totals(plans, *, budget_name: str = "total_budget"):
    """Annotate each plan with its number of projects (project_count) and its total budget (`budget_name`), without a
    query per plan: correlated subqueries rather than joins, so no GROUP BY over the whole plan row."""
    projects = Project.objects.filter(plan=OuterRef("pk")).order_by().values("plan").annotate(n=Count("id")).values("n")
    money = (
        ProjectBudget.objects.filter(project__plan=OuterRef("pk"))
        .order_by()
        .values("project__plan")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    return plans.annotate(
        project_count=Coalesce(Subquery(projects, output_field=IntegerField()), Value(0)),
        **{
            budget_name: Coalesce(
                Subquery(money, output_field=DecimalField(max_digits=16, decimal_places=2)),
                Value(Decimal("0")),
                output_field=DecimalField(max_digits=16, decimal_places=2),
            )
        },
    )


def status_counts(plans) -> dict[str, int]:
    """Count the plans in each status (every status, zero included) in one aggregate query."""
    counts = plans.order_by().aggregate(
        **{f"n_{value}": Count("pk", filter=Q(status=value)) for value in PlanStatus.values}
    )
    return {value: counts[f"n_{value}"] or 0 for value in PlanStatus.values}


def awaiting_count(counts: dict[str, int]) -> int:
    """Of status_counts, the plans waiting for review (submitted or resubmitted)."""
    return sum(counts[status] for status in AWAITING_REVIEW_STATUSES)


def review_queue(plans):
    """The review queue's rows, oldest move first: each plan with its tambon, district and province (joined) and its
    project count and total budget (annotated). One query a page, whatever its length."""
    return with_totals(plans.select_related("tambon__district", "tambon__province")).order_by(
        "status_changed_at", "tambon__code"
    )


def with_last_transition(plans):
    """Fetch each plan's moves, latest first, as plan.recent_transitions (one query for a whole page)."""
    return plans.prefetch_related(
        Prefetch(
            "transitions",
            queryset=PlanTransition.objects.select_related("by").order_by("-at", "-id"),
            to_attr="recent_transitions",
        )
    )


def national_chains(node_ids) -> dict:
    """Map each plan item id to the national strategy chain (top first) of the strategic issue it serves."""
    through = PlanNode.aligns_to.through
    rows = (
        through.objects.filter(from_plannode_id__in=set(node_ids), to_plannode__kind=NodeKind.STRATEGIC_ISSUE)
        .select_related(f"to_plannode__{PARENT_CHAIN}")
        .order_by("to_plannode__code")
    )
    chains = {}
    for row in rows:
        chains.setdefault(row.from_plannode_id, row.to_plannode.ancestors() + [row.to_plannode])
    return chains


def attach_chains(projects) -> None:
    """Give each project its chain up: programme → goal → workstream → CODI plan → national strategy."""
    codi_chain = {p.pk: [n for n in p.chain() if n is not None] for p in projects}
    chains = national_chains(n.pk for chain in codi_chain.values() for n in chain)
    for project in projects:
        own = codi_chain[project.pk]
        national = next((chains[n.pk] for n in own if n.pk in chains), [])
        project.chain_up = own + list(reversed(national))


def plan_snapshot(plan: TambonPlan) -> dict:
    """Return the whole plan as plain data, the form a submission is kept in."""
    projects = plan.projects.select_related("workstream", "goal", "programme").prefetch_related(
        "budget_lines", "indicators"
    )
    return {
        "tambon": plan.tambon.code,
        "period": [plan.period_start_be, plan.period_end_be],
        "revision": plan.revision,
        "profile": {f: _plain(getattr(plan, f)) for f in PLAN_FIELDS},
        "problems": [{"rank": p.rank, "title": p.title, "description": p.description} for p in plan.problems.all()],
        "projects": [
            {
                "number": p.number,
                **{f: _plain(getattr(p, f)) for f in PROJECT_FIELDS if f not in {"workstream", "goal", "programme"}},
                "workstream": p.workstream.code,
                "goal": p.goal.code,
                "programme": p.programme.code,
                "budget": [
                    {"fiscal_year": b.fiscal_year, "source": b.source, "amount": str(b.amount)}
                    for b in p.budget_lines.all()
                ],
                "indicators": [
                    {
                        "name": i.name,
                        "unit": i.unit,
                        "baseline": _plain(i.baseline),
                        "target_value": str(i.target_value),
                        "target_year_be": i.target_year_be,
                    }
                    for i in p.indicators.all()
                ],
            }
            for p in projects
        ],
    }


def _plain(value):
    if value is None or isinstance(value, int | str):
        return value
    return str(value)


def diff_snapshots(older: dict, newer: dict) -> list[dict]:
    """List what changed between two submissions: profile fields, problems and projects, side by side."""
    changes = []
    for field, old in older["profile"].items():
        new = newer["profile"].get(field)
        if old != new:
            changes.append({"section": "profile", "item": field, "old": old, "new": new})
    old_problems = [p["title"] for p in older["problems"]]
    new_problems = [p["title"] for p in newer["problems"]]
    if old_problems != new_problems:
        changes.append({"section": "problems", "item": "ranking", "old": old_problems, "new": new_problems})
    old_projects = {p["number"]: p for p in older["projects"]}
    new_projects = {p["number"]: p for p in newer["projects"]}
    for number in sorted(set(old_projects) | set(new_projects)):
        old, new = old_projects.get(number), new_projects.get(number)
        if old is None or new is None:
            changes.append(
                {"section": "projects", "item": number, "old": old and old["name"], "new": new and new["name"]}
            )
            continue
        for key in sorted(set(old) | set(new)):
            if old.get(key) != new.get(key):
                changes.append(
                    {"section": "projects", "item": f"{number}.{key}", "old": old.get(key), "new": new.get(key)}
                )
    return changes


# --- Plan periods --------------------------------------------------------------------------------------------------


def offered_periods(fiscal_year: int | None = None) -> list[tuple[int, int]]:
    """Return the periods a new tambon or province plan may cover: the period in force first, then, when it differs,
    the period of the last CODI plan (for a community still writing to it)."""
    periods = [plan_period_in_force(fiscal_year)]
    last = latest_plan(fiscal_year)
    if last is not None and last.period_end_be and (last.period_start_be, last.period_end_be) not in periods:
        periods.append((last.period_start_be, last.period_end_be))
    return periods


def period_ending(start: int) -> int:
    """Return the last year of a plan period starting in `start`: the CODI plan's in force then, else the usual span."""
    plan = plan_in_force(start)
    if plan is not None and plan.period_start_be == start:
        return plan.period_end_be
    first, last = plan_period_in_force(start)
    return last if first == start else start + DEFAULT_PLAN_YEARS - 1


def province_plan_periods(province, user) -> list[dict]:
    """List a province's plan periods for navigation, newest first, in one query: every period a province plan or a
    tambon plan the user sees is written for, plus the period in force (whose plan may not be written yet)."""
    current = plan_period_in_force()
    province_plans = (
        ProvincePlan.objects.visible_to(user)
        .filter(province=province)
        .order_by()
        .values_list("period_start_be", "period_end_be")
    )
    tambon_plans = (
        TambonPlan.objects.visible_to(user)
        .filter(tambon__province=province)
        .order_by()
        .values_list("period_start_be", "period_end_be")
    )
    rows = {}
    for start, end in province_plans.union(tambon_plans):
        rows.setdefault(start, {"start": start, "end": end, "in_force": start == current[0]})
    rows.setdefault(current[0], {"start": current[0], "end": current[1], "in_force": True})
    return [rows[start] for start in sorted(rows, reverse=True)]


# --- Plan cycles ---------------------------------------------------------------------------------------------------


def lineage_map(plan: PlanNode) -> dict[int, PlanNode]:
    """Map every item a CODI plan's items were rolled forward from (at any remove) to the item in this plan."""
    found: dict[int, PlanNode] = {}
    nodes = list(PlanNode.objects.filter(pk__in={plan.pk} | descendant_ids(plan)))
    for node in nodes:
        found[node.pk] = node
    # One query per generation of copies: follow copied_from back from the whole plan at once.
    current = {node.pk: node for node in nodes}
    sources = {node.pk: node.copied_from_id for node in nodes if node.copied_from_id}
    while sources:
        for copy_id, source_id in sources.items():
            found.setdefault(source_id, current[copy_id])
        older = dict(PlanNode.objects.filter(pk__in=set(sources.values())).values_list("pk", "copied_from_id"))
        current = {source_id: current[copy_id] for copy_id, source_id in sources.items()}
        sources = {pk: source for pk, source in older.items() if source}
    return found


def is_finished(project, first_year: int) -> bool:
    """A project is finished when its last budget year, or the fiscal year of its end date, is before first_year."""
    years = [line.fiscal_year for line in project.budget_lines.all()]
    if project.end_date:
        years.append(fiscal_year_of(project.end_date))
    return bool(years) and max(years) < first_year


def links_outside_plan(plan: TambonPlan, projects=None) -> list:
    """Return the plan's projects still linked to a CODI plan other than the one for the plan's period.

    Pass the projects already fetched (with their workstream) to spare the query.
    """
    codi_plan = latest_plan(plan.period_start_be)
    if codi_plan is None:
        return []
    if projects is None:
        projects = plan.projects.select_related("workstream").order_by("number")
    return [project for project in projects if project.workstream.parent_id != codi_plan.pk]
