"""Deterministic bulk data builders: the national data set (`manage.py build_national_dataset`) and the benchmarks.

Everything here writes with bulk_create for speed, so it keeps by hand the invariants the services enforce:
a budget request funds projects of accepted or endorsed tambon plans of its own province whose period covers the
fiscal year, no project twice in a year; its requested amount is the sum of its expense lines; a committed request
has an approved amount within what was requested and within its province's ceiling; ranks are unique in a
province and year; the programme belongs to the workstream. Every row the national data set creates is written
by (or hangs off rows written by) the user `NATIONAL_WRITER`, so `reset_national_dataset()` finds exactly them.

It lives in its own app, above every domain app, so that the project package imports no app (but in urls.py).
"""

import random
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.db import connection, transaction

D = Decimal
NATIONAL_WRITER = "national-dataset-writer"
MARKER_PREFIX = "national-dataset-"
DEFAULT_SEED = 2563
PERIOD = (2563, 2565)
FISCAL_YEAR = 2565
DEV_PLAN_MARK = "national-dataset"
# Plans: mostly decided, as late in a plan period; the rest still under way so every queue has work.
NATIONAL_PLAN_MIX = {"draft": 8, "submitted": 8, "returned": 3, "resubmitted": 4, "accepted": 47, "endorsed": 30}
# Budget requests of the fiscal year, past the province's desk for most of them.
NATIONAL_REQUEST_MIX = {"submitted": 25, "prioritised": 20, "forwarded": 20, "rejected": 5, "approved": 30}
REQUEST_PATHS = {
    "submitted": ["draft", "submitted"],
    "prioritised": ["draft", "submitted", "prioritised"],
    "forwarded": ["draft", "submitted", "prioritised", "forwarded"],
    "rejected": ["draft", "submitted", "prioritised", "forwarded", "rejected"],
    "approved": ["draft", "submitted", "prioritised", "forwarded", "approved"],
}
COMMITTED = ("approved", "in_execution", "closed")
# Load-test accounts the command creates (password-less: the load test signs them in with server-side sessions).
LOAD_USERS = {
    "central": "national-central",
    "coordinator": "national-coordinator-50",
    "api": "national-api-{n}",
    "rep": "national-rep-{n}",
}
API_CLIENTS = 10
REPS = 20

PLAN_WORKFLOW_PATHS = {
    "draft": ["draft"],
    "submitted": ["draft", "submitted"],
    "returned": ["draft", "submitted", "returned"],
    "resubmitted": ["draft", "submitted", "returned", "resubmitted"],
    "accepted": ["draft", "submitted", "accepted"],
    "endorsed": ["draft", "submitted", "accepted", "endorsed"],
}


def ensure_reference_data() -> None:
    """Load the geography and the plan tree when missing (a transactional test may have flushed them)."""
    from areas.models import Subdistrict
    from areas.services import load_geography
    from strategies.models import PlanNode
    from strategies.services import load_plan_hierarchy

    if not Subdistrict.objects.exists():
        load_geography()
    if not PlanNode.objects.exists():
        load_plan_hierarchy()


def weighted(mix: dict) -> list[str]:
    """A list in which each key appears as many times as its share, for rng.choice."""
    return [s for s, share in mix.items() for _ in range(share)]


def split_amount(total: Decimal, parts: int, rng: random.Random) -> list[Decimal]:
    """Split an amount of baht into `parts` positive amounts that add up to it exactly."""
    weights = [rng.randint(1, 4) for _ in range(parts)]
    amounts = [(total * w / sum(weights)).quantize(D("0.01")) for w in weights]
    amounts[-1] += total - sum(amounts)
    return amounts


def plan_history(status: str, rng: random.Random) -> list[str]:
    """The statuses a plan passed through to reach `status`; three in ten decided plans were returned once first."""
    path = PLAN_WORKFLOW_PATHS[status]
    if status in ("accepted", "endorsed") and rng.random() < 0.3:
        path = ["draft", "submitted", "returned", "resubmitted", *path[2:]]
    return path


def policy_nodes():
    """Workstreams, their goals and their programmes (each programme under its own workstream)."""
    from strategies.models import NodeKind, PlanNode
    from workstreams.models import workstream_of

    nodes = list(
        PlanNode.objects.filter(kind__in=[NodeKind.WORKSTREAM, NodeKind.GOAL, NodeKind.PROGRAMME]).order_by("code")
    )
    by_id = {n.pk: n for n in nodes}
    for n in nodes:  # workstream_of climbs parents: give it the cached ones
        n.parent = by_id.get(n.parent_id, n.parent) if n.parent_id else None
    workstreams = [n for n in nodes if n.kind == NodeKind.WORKSTREAM]
    goals = {w.pk: [n for n in nodes if n.kind == NodeKind.GOAL and n.parent_id == w.pk] for w in workstreams}
    programmes = {
        w.pk: [n for n in nodes if n.kind == NodeKind.PROGRAMME and workstream_of(n) == w] for w in workstreams
    }
    workstreams = [w for w in workstreams if goals[w.pk] and programmes[w.pk]]
    return workstreams, goals, programmes


@dataclass
class PlanSet:
    plans: list = field(default_factory=list)
    projects: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)


def build_tambon_plans(
    tambons,
    *,
    rng: random.Random,
    writer,
    status_mix: dict,
    period: tuple[int, int] = PERIOD,
    projects_per_plan: tuple[int, int] = (3, 3),
    start: datetime = datetime(2019, 7, 1, tzinfo=UTC),
) -> PlanSet:
    """Bulk-create one plan per tambon with problems, projects, budget lines, an indicator each and its workflow."""
    from workstreams.models import (
        FundingSource,
        PlanTransition,
        Problem,
        Project,
        ProjectBudget,
        ProjectClass,
        ProjectIndicator,
        TambonPlan,
    )

    workstreams, goals, programmes = policy_nodes()
    statuses = weighted(status_mix)
    classes = [c for c, _ in ProjectClass.choices]
    sources = [s for s, _ in FundingSource.choices]
    low, high = projects_per_plan

    plans, paths = [], []
    for tambon in tambons:
        status = rng.choice(statuses)
        path = plan_history(status, rng)
        paths.append(path)
        plans.append(
            TambonPlan(
                tambon_id=tambon.pk,
                period_start_be=period[0],
                period_end_be=period[1],
                status=status,
                households=rng.randint(300, 6000),
                population=rng.randint(1000, 20000),
                main_occupations=rng.choice(["ทำนา", "ทำสวน", "รับจ้างทั่วไป", "ค้าขาย", "ประมง"]),
                average_household_income=Decimal(rng.randint(40_000, 300_000)),
                average_household_debt=Decimal(rng.randint(0, 400_000)),
                vision=f"ตำบล {tambon.code} น่าอยู่ ชุมชนพึ่งตนเอง",
                capital_groups="กลุ่มออมทรัพย์, กลุ่มอาชีพ",
                revision=len(path) + 3,
                created_by=writer,
                updated_by=writer,
                status_changed_at=None
                if status == "draft"
                else start + timedelta(minutes=rng.randint(0, 60 * 24 * 90)),
            )
        )
    TambonPlan.objects.bulk_create(plans, batch_size=1000)

    problems, projects, transitions = [], [], []
    for plan, path in zip(plans, paths, strict=True):
        for rank, title in enumerate(
            rng.sample(["หนี้สินครัวเรือน", "ที่ดินทำกิน", "น้ำไม่พอใช้", "ผู้สูงอายุถูกทิ้ง", "รายได้ไม่พอ"], 2), 1
        ):
            problems.append(Problem(plan_id=plan.pk, rank=rank, title=title))
        count = low if low == high else rng.randint(low, high)
        for number in range(1, count + 1):
            ws = rng.choice(workstreams)
            projects.append(
                Project(
                    plan_id=plan.pk,
                    number=number,
                    workstream_id=ws.pk,
                    goal_id=rng.choice(goals[ws.pk]).pk,
                    programme_id=rng.choice(programmes[ws.pk]).pk,
                    project_class=rng.choice(classes),
                    name=f"โครงการ {number} ของตำบล {plan.tambon_id}",
                    objectives="เพิ่มรายได้และลดหนี้สินของครัวเรือน",
                    responsible_body="สภาองค์กรชุมชนตำบล",
                )
            )
        for before, after in zip(path, path[1:], strict=False):
            transitions.append(PlanTransition(plan_id=plan.pk, from_status=before, to_status=after, by_id=writer.pk))
    Problem.objects.bulk_create(problems, batch_size=5000)
    Project.objects.bulk_create(projects, batch_size=2000)
    PlanTransition.objects.bulk_create(transitions, batch_size=5000)

    lines, indicators = [], []
    for project in projects:
        years = rng.sample(range(period[0], period[1] + 1), rng.randint(1, 3))
        for year in sorted(years):
            lines.append(
                ProjectBudget(
                    project_id=project.pk,
                    fiscal_year=year,
                    source=rng.choice(sources),
                    amount=Decimal(rng.randint(10, 600) * 500),
                )
            )
        indicators.append(
            ProjectIndicator(
                project_id=project.pk,
                name="ครัวเรือนที่เข้าร่วม",
                unit="ครัวเรือน",
                baseline=Decimal(rng.randint(0, 50)),
                target_value=Decimal(rng.randint(50, 500)),
                target_year_be=period[1],
            )
        )
    ProjectBudget.objects.bulk_create(lines, batch_size=5000)
    ProjectIndicator.objects.bulk_create(indicators, batch_size=5000)
    counts = {
        "tambon plans": len(plans),
        "projects": len(projects),
        "budget lines": len(lines),
        "indicators": len(indicators),
        "problems": len(problems),
        "transitions": len(transitions),
    }
    return PlanSet(plans=plans, projects=projects, counts=counts)


# Approved project progress of the fiscal year: the share of consolidated projects that reported, and how the
# last reported quarter's activity stands.
PROGRESS_SHARE = 0.6
PROGRESS_ACTIVITY_MIX = {"under_way": 60, "done": 25, "not_started": 10, "stopped": 5}
PROGRESS_REVIEWER = "national-reviewer"  # not "national-dataset-…": that prefix marks a built set


def build_progress(plan_set: PlanSet, *, rng: random.Random, fiscal_year: int, writer, reviewer) -> dict:
    """Bulk-create approved quarterly progress reports (with indicator actuals, spending and their workflow records)
    for a share of the projects of accepted or endorsed plans: quarters 1 up to a random latest quarter.

    Reported by `writer`, approved by `reviewer` (never the same person: four-eyes)."""
    from progress.models import IndicatorActual, ProgressSpending, ProgressTransition, ProjectProgress
    from workstreams.models import CONSOLIDATED_STATUSES, ProjectIndicator

    consolidated = {p.pk for p in plan_set.plans if p.status in CONSOLIDATED_STATUSES}
    projects = [p for p in plan_set.projects if p.plan_id in consolidated]
    chosen = [p for p in projects if rng.random() < PROGRESS_SHARE]
    targets: dict[int, list[tuple[int, Decimal]]] = {}
    for pk, project_id, target in ProjectIndicator.objects.filter(
        project__plan__created_by=writer, project__plan__status__in=CONSOLIDATED_STATUSES
    ).values_list("pk", "project_id", "target_value"):
        targets.setdefault(project_id, []).append((pk, target))
    activities = weighted(PROGRESS_ACTIVITY_MIX)
    start = datetime(2000 + fiscal_year - 2543 - 1, 10, 1, tzinfo=UTC)
    reports, plans = [], []
    for project in chosen:
        latest = rng.randint(1, 4)
        last_activity = rng.choice(activities)
        for quarter in range(1, latest + 1):
            activity = last_activity if quarter == latest else "under_way"
            at = start + timedelta(days=91 * quarter + rng.randint(0, 20))
            reports.append(
                ProjectProgress(
                    project_id=project.pk,
                    fiscal_year=fiscal_year,
                    quarter=quarter,
                    activity_status=activity,
                    stop_reason="ขาดงบประมาณสมทบ" if activity == "stopped" else "",
                    note=f"ความก้าวหน้าไตรมาส {quarter}",
                    status="approved",
                    revision=3,
                    created_by=writer,
                    updated_by=reviewer,
                    submitted_by=writer,
                    approved_by=reviewer,
                    approved_at=at,
                    status_changed_at=at,
                )
            )
            plans.append((project.pk, quarter, latest))
    ProjectProgress.objects.bulk_create(reports, batch_size=2000)
    actuals, spending, transitions = [], [], []
    for report, (project_id, quarter, _latest) in zip(reports, plans, strict=True):
        for indicator_id, target in targets.get(project_id, []):
            share = Decimal(quarter) / 4 * Decimal(rng.randint(50, 120)) / 100
            actuals.append(
                IndicatorActual(report_id=report.pk, indicator_id=indicator_id, value=(target * share).quantize(D(1)))
            )
        spending.append(ProgressSpending(report_id=report.pk, source="codi", amount=D(rng.randint(4, 80) * 500)))
        if rng.random() < 0.4:
            spending.append(
                ProgressSpending(report_id=report.pk, source="community", amount=D(rng.randint(1, 20) * 500))
            )
        transitions.append(
            ProgressTransition(report_id=report.pk, from_status="draft", to_status="submitted", by_id=writer.pk)
        )
        transitions.append(
            ProgressTransition(report_id=report.pk, from_status="submitted", to_status="approved", by_id=reviewer.pk)
        )
    IndicatorActual.objects.bulk_create(actuals, batch_size=5000)
    ProgressSpending.objects.bulk_create(spending, batch_size=5000)
    ProgressTransition.objects.bulk_create(transitions, batch_size=5000)
    return {
        "progress reports": len(reports),
        "projects with progress": len(chosen),
        "indicator actuals": len(actuals),
        "progress spending lines": len(spending),
    }


def build_results(indicators, tambons, *, rng: random.Random, fiscal_year: int, author) -> int:
    """Bulk-create four quarters of approved tambon results for each indicator; return how many."""
    from indicators.models import AreaLevel, Measure, Result, ResultStatus

    batch, total = [], 0
    for indicator in indicators:
        for tambon_id, district_id, province_id in tambons:
            for quarter in (1, 2, 3, 4):
                if indicator.measure == Measure.YES_NO:
                    value = Decimal(1 if rng.random() < 0.1 * quarter else 0)
                else:
                    value = Decimal(rng.randint(0, 20))
                batch.append(
                    Result(
                        indicator=indicator,
                        fiscal_year=fiscal_year,
                        quarter=quarter,
                        level=AreaLevel.TAMBON,
                        tambon_id=tambon_id,
                        district_id=district_id,
                        province_id=province_id,
                        value=value,
                        status=ResultStatus.APPROVED,
                        created_by=author,
                        updated_by=author,
                    )
                )
            if len(batch) >= 20_000:
                Result.objects.bulk_create(batch, batch_size=5_000)
                total += len(batch)
                batch = []
    Result.objects.bulk_create(batch, batch_size=5_000)
    return total + len(batch)


# --- the national data set ---------------------------------------------------------------------------------------


def marker_name(seed: int, scale: float) -> str:
    return f"{MARKER_PREFIX}seed{seed}-scale{scale:g}"


def existing_marker() -> str | None:
    """The marker of the national data set in the database, if one was built."""
    from accounts.models import User

    return (
        User.objects.filter(username__startswith=MARKER_PREFIX, is_active=False)
        .exclude(username=NATIONAL_WRITER)
        .values_list("username", flat=True)
        .first()
    )


def select_tambons(seed: int, scale: float):
    """The tambons the data set covers: all of them at scale 1, else a seeded sample, in code order."""
    from areas.models import Subdistrict

    tambons = list(Subdistrict.objects.order_by("code").only("id", "code", "district_id", "province_id"))
    if scale < 1.0:
        count = max(1, round(len(tambons) * scale))
        picked = set(random.Random(f"{seed}-tambons").sample(range(len(tambons)), count))  # nosec B311 # demo data
        tambons = [t for i, t in enumerate(tambons) if i in picked]
    return tambons


def _load_users(rng, tambons, plans):
    """Accounts the load test signs in as: central staff, a Chiang Mai coordinator, reps, API clients."""
    from rest_framework.authtoken.models import Token

    from accounts.models import Role, User
    from areas.models import Province

    users = [
        User(username=LOAD_USERS["central"], role=Role.CENTRAL_STAFF, first_name="National central staff"),
    ]
    province = Province.objects.filter(code="50").first()
    if province is not None:
        users.append(
            User(
                username=LOAD_USERS["coordinator"],
                role=Role.PROVINCIAL_COORDINATOR,
                province=province,
                first_name="National coordinator",
            )
        )
    editable = [p for p in plans if p.status in ("draft", "returned")] or plans
    rep_plans = rng.sample(editable, min(REPS, len(editable)))
    for n in range(1, len(rep_plans) + 1):
        users.append(User(username=LOAD_USERS["rep"].format(n=n), role=Role.COMMUNITY_REP, first_name=f"Rep {n}"))
    users += [
        User(username=LOAD_USERS["api"].format(n=n), role=Role.API_CLIENT, first_name=f"API client {n}")
        for n in range(1, API_CLIENTS + 1)
    ]
    for u in users:
        u.set_unusable_password()
    User.objects.bulk_create(users)
    reps = [u for u in users if u.role == Role.COMMUNITY_REP]
    through = User.tambons.through
    through.objects.bulk_create(
        through(user_id=u.pk, subdistrict_id=p.tambon_id) for u, p in zip(reps, rep_plans, strict=True)
    )
    Token.objects.bulk_create(Token(key=Token.generate_key(), user=u) for u in users if u.role == Role.API_CLIENT)
    return len(users)


def _development_plans(provinces, fiscal_year, rng):
    """A development plan covering the year, with three issues, per province that has none; issues by province."""
    from budgets.models import DevelopmentIssue, ProvincialDevelopmentPlan

    issues_of: dict[int, list] = {}
    for issue in DevelopmentIssue.objects.filter(
        plan__province__in=provinces, plan__period_start_be__lte=fiscal_year, plan__period_end_be__gte=fiscal_year
    ).order_by("plan__province_id", "plan_id", "number"):
        issues_of.setdefault(issue.plan.province_id, []).append(issue)
    missing = [p for p in provinces if p.pk not in issues_of]
    dev_plans = ProvincialDevelopmentPlan.objects.bulk_create(
        ProvincialDevelopmentPlan(
            province=p,
            name=f"แผนพัฒนาจังหวัด{p.name_th} พ.ศ. 2561–2565",
            period_start_be=2561,
            period_end_be=2565,
            vision=DEV_PLAN_MARK,
        )
        for p in missing
    )
    issues = DevelopmentIssue.objects.bulk_create(
        DevelopmentIssue(plan=dp, number=n, title=f"ประเด็นการพัฒนาที่ {n}") for dp in dev_plans for n in (1, 2, 3)
    )
    for issue in issues:
        issues_of.setdefault(issue.plan.province_id, []).append(issue)
    return issues_of, len(dev_plans), len(issues)


def build_budget_requests(plan_set: PlanSet, *, rng: random.Random, fiscal_year: int, writer) -> dict:
    """Bulk-create a request per accepted or endorsed plan, funding one or two projects, as services would."""
    from areas.models import Province, Subdistrict
    from budgets.models import (
        BudgetCeiling,
        BudgetRequest,
        ExpenseLine,
        RequestIndicator,
        RequestTransition,
    )
    from strategies.models import PlanNode

    eligible = [p for p in plan_set.plans if p.status in ("accepted", "endorsed")]
    projects_of: dict[int, list] = {}
    for project in plan_set.projects:
        projects_of.setdefault(project.plan_id, []).append(project)
    tambon_province = dict(
        Subdistrict.objects.filter(pk__in=[p.tambon_id for p in eligible]).values_list("pk", "province_id")
    )
    provinces = list(Province.objects.filter(pk__in=set(tambon_province.values())).order_by("code"))
    issues_of, dev_plan_count, issue_count = _development_plans(provinces, fiscal_year, rng)
    names = dict(PlanNode.objects.filter(kind="workstream").values_list("pk", "name_th"))
    # Provinces whose ceiling someone already set: commit nothing there, so no ceiling is exceeded.
    capped = set(
        BudgetCeiling.objects.filter(fiscal_year=fiscal_year, province__isnull=False).values_list(
            "province_id", flat=True
        )
    )
    ranks_taken = {}
    for province_id, rank in BudgetRequest.objects.filter(fiscal_year=fiscal_year, rank__isnull=False).values_list(
        "province_id", "rank"
    ):
        ranks_taken[province_id] = max(rank, ranks_taken.get(province_id, 0))

    statuses = weighted(NATIONAL_REQUEST_MIX)
    requests, funded = [], []
    for plan in eligible:
        province_id = tambon_province[plan.tambon_id]
        projects = projects_of[plan.pk]
        chosen = projects[: 1 + (len(projects) > 1 and rng.random() < 0.3)]
        lead = chosen[0]
        status = rng.choice(statuses)
        if status in COMMITTED and province_id in capped:
            status = "forwarded"
        requested = D(rng.randrange(20, 400) * 1000)
        approved = None
        if status in COMMITTED:
            approved = (requested * D(rng.choice([60, 75, 80, 90, 100])) / 100).quantize(D("0.01"))
        requests.append(
            BudgetRequest(
                fiscal_year=fiscal_year,
                province_id=province_id,
                title=f"ยกระดับ{names.get(lead.workstream_id, '')} ตำบล {plan.tambon_id}",
                requesting_body="สภาองค์กรชุมชนตำบล",
                development_issue=rng.choice(issues_of[province_id]),
                workstream_id=lead.workstream_id,
                programme_id=lead.programme_id,
                targets="ครัวเรือนเป้าหมาย 100 ครัวเรือน",
                expected_benefits="รายได้ครัวเรือนเพิ่มขึ้น",
                requested_amount=requested,
                approved_amount=approved,
                status=status,
                revision=len(REQUEST_PATHS[status]),
                created_by=writer,
                updated_by=writer,
            )
        )
        funded.append(chosen)
    for r in requests:  # ranks within the province, in order of creation, for every request past submission
        if r.status != "submitted":
            ranks_taken[r.province_id] = ranks_taken.get(r.province_id, 0) + 1
            r.rank = ranks_taken[r.province_id]
    BudgetRequest.objects.bulk_create(requests, batch_size=2000)
    through = BudgetRequest.projects.through
    links = [
        through(budgetrequest_id=r.pk, project_id=p.pk)
        for r, chosen in zip(requests, funded, strict=True)
        for p in chosen
    ]
    through.objects.bulk_create(links, batch_size=5000)
    categories = ["operating", "subsidy", "investment"]
    lines = [
        ExpenseLine(request=r, category=c, amount=a)
        for r in requests
        for c, a in zip(categories, split_amount(r.requested_amount, 3, rng), strict=True)
    ]
    ExpenseLine.objects.bulk_create(lines, batch_size=5000)
    RequestIndicator.objects.bulk_create(
        (
            RequestIndicator(request=r, name="ครัวเรือนที่มีรายได้เพิ่มขึ้น", unit="ครัวเรือน", target_value=D(100))
            for r in requests
        ),
        batch_size=5000,
    )
    transitions = [
        RequestTransition(request=r, from_status=a, to_status=b, by=writer)
        for r in requests
        for a, b in zip(REQUEST_PATHS[r.status], REQUEST_PATHS[r.status][1:], strict=False)
    ]
    RequestTransition.objects.bulk_create(transitions, batch_size=5000)
    # Ceilings above what is committed, as the approval service guarantees, where none is set yet.
    committed = {}
    for r in requests:
        if r.status in COMMITTED:
            committed[r.province_id] = committed.get(r.province_id, D(0)) + r.approved_amount
    ceilings = BudgetCeiling.objects.bulk_create(
        BudgetCeiling(
            fiscal_year=fiscal_year,
            province=p,
            amount=(committed.get(p.pk, D(0)) * D("1.2")).quantize(D("1")),
            note=DEV_PLAN_MARK,
        )
        for p in provinces
        if p.pk not in capped
    )
    return {
        "development plans": dev_plan_count,
        "development issues": issue_count,
        "budget requests": len(requests),
        "funded-project links": len(links),
        "expense lines": len(lines),
        "request indicators": len(requests),
        "request transitions": len(transitions),
        "ceilings": len(ceilings),
    }


def build_national_dataset(*, seed: int = DEFAULT_SEED, scale: float = 1.0, log=print) -> dict:
    """Build the national data set from a seed: plans, projects, budget requests, four quarters of results."""
    from accounts.models import Role, User
    from indicators.models import AreaLevel, Indicator
    from indicators.services import load_indicators
    from workstreams.models import TambonPlan

    rng = random.Random(seed)  # nosec B311 # deterministic demo data, not security
    counts: dict[str, int] = {}
    with transaction.atomic():
        if not Indicator.objects.exists():
            load_indicators()
        writer = User.objects.create(username=NATIONAL_WRITER, role=Role.CENTRAL_STAFF, is_active=False)
        writer.set_unusable_password()
        writer.save(update_fields=["password"])
        tambons = select_tambons(seed, scale)
        taken = set(
            TambonPlan.objects.filter(period_start_be=PERIOD[0], period_end_be=PERIOD[1]).values_list(
                "tambon_id", flat=True
            )
        )
        if taken:
            log(f"Skipping {len(taken & {t.pk for t in tambons}):,} tambons that already have a {PERIOD} plan")
            tambons = [t for t in tambons if t.pk not in taken]
        step = time.perf_counter()
        plan_set = build_tambon_plans(
            tambons, rng=rng, writer=writer, status_mix=NATIONAL_PLAN_MIX, projects_per_plan=(3, 8)
        )
        counts.update(plan_set.counts)
        log(f"  plans and projects in {time.perf_counter() - step:.1f} s")
        step = time.perf_counter()
        counts.update(build_budget_requests(plan_set, rng=rng, fiscal_year=FISCAL_YEAR, writer=writer))
        log(f"  budget requests in {time.perf_counter() - step:.1f} s")
        step = time.perf_counter()
        indicators = list(Indicator.objects.filter(reporting_level=AreaLevel.TAMBON).order_by("number"))
        counts["indicator results"] = build_results(
            indicators,
            [(t.pk, t.district_id, t.province_id) for t in tambons],
            rng=rng,
            fiscal_year=FISCAL_YEAR,
            author=writer,
        )
        log(f"  indicator results in {time.perf_counter() - step:.1f} s")
        step = time.perf_counter()
        reviewer = User.objects.create(username=PROGRESS_REVIEWER, role=Role.CENTRAL_STAFF, is_active=False)
        counts.update(build_progress(plan_set, rng=rng, fiscal_year=FISCAL_YEAR, writer=writer, reviewer=reviewer))
        log(f"  project progress in {time.perf_counter() - step:.1f} s")
        counts["load-test users"] = _load_users(rng, tambons, plan_set.plans)
        User.objects.create(username=marker_name(seed, scale), is_active=False)
    return counts


def reset_national_dataset() -> dict:
    """Delete every row the national data set created (and nothing else); return how many rows of each kind."""
    from rest_framework.authtoken.models import Token

    from accounts.models import User
    from budgets.models import (
        BudgetCeiling,
        BudgetRequest,
        DevelopmentIssue,
        ExpenseLine,
        ProvincialDevelopmentPlan,
        RequestIndicator,
        RequestTransition,
    )
    from indicators.models import Result
    from progress.models import (
        IndicatorActual,
        ProgressEvidence,
        ProgressSpending,
        ProgressTransition,
        ProjectProgress,
    )
    from workstreams.models import (
        PlanTransition,
        Problem,
        Project,
        ProjectBudget,
        ProjectIndicator,
        TambonPlan,
    )

    writer = User.objects.filter(username=NATIONAL_WRITER).first()
    counts = {}
    with transaction.atomic():
        if writer is not None:
            requests = BudgetRequest.objects.filter(created_by=writer)
            plans = TambonPlan.objects.filter(created_by=writer)
            projects = Project.objects.filter(plan__in=plans)
            steps = [
                ("indicator results", Result.objects.filter(created_by=writer)),
                ("request transitions", RequestTransition.objects.filter(request__in=requests)),
                ("request indicators", RequestIndicator.objects.filter(request__in=requests)),
                ("expense lines", ExpenseLine.objects.filter(request__in=requests)),
                ("funded-project links", BudgetRequest.projects.through.objects.filter(budgetrequest__in=requests)),
                ("budget requests", requests),
                ("ceilings", BudgetCeiling.objects.filter(note=DEV_PLAN_MARK)),
                ("development issues", DevelopmentIssue.objects.filter(plan__vision=DEV_PLAN_MARK)),
                ("development plans", ProvincialDevelopmentPlan.objects.filter(vision=DEV_PLAN_MARK)),
                ("progress spending", ProgressSpending.objects.filter(report__project__in=projects)),
                ("indicator actuals", IndicatorActual.objects.filter(report__project__in=projects)),
                ("progress transitions", ProgressTransition.objects.filter(report__project__in=projects)),
                ("progress evidence", ProgressEvidence.objects.filter(report__project__in=projects)),
                ("progress reports", ProjectProgress.objects.filter(project__in=projects)),
                ("budget lines", ProjectBudget.objects.filter(project__in=projects)),
                ("indicators", ProjectIndicator.objects.filter(project__in=projects)),
                ("projects", projects),
                ("problems", Problem.objects.filter(plan__in=plans)),
                ("transitions", PlanTransition.objects.filter(plan__in=plans)),
            ]
            for what, qs in steps:
                counts[what] = qs._raw_delete(qs.db)
            # Plans may have gained rows through the load test (submissions, history): let the ORM cascade.
            counts["tambon plans"] = plans.count()
            plans.delete()
        load_users = User.objects.filter(username__startswith="national-").exclude(username=NATIONAL_WRITER)
        Token.objects.filter(user__in=load_users)._raw_delete(Token.objects.db)
        counts["users"] = load_users.count()
        load_users.delete()
        if writer is not None:
            writer.delete()
    return counts


def database_size() -> str:
    """The database's size on disk (PostgreSQL), or the SQLite file's."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            return cur.fetchone()[0]
        cur.execute("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
        return f"{cur.fetchone()[0] / 1024 / 1024:.0f} MB"


def has_generated_rows() -> bool:
    """Whether rows of a (possibly half-built) national data set are in the database."""
    from accounts.models import User

    return User.objects.filter(username__startswith="national-").exists()


def analyze() -> None:
    """Refresh the planner's statistics after a bulk load, as autovacuum would later (PostgreSQL only)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
