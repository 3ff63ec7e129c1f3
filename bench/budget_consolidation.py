"""Benchmark: consolidating a fiscal year's area-based budget requests at national scale.

Builds (once, deterministically from a fixed seed) an accepted 2568–2570 tambon plan for every one of
Thailand's 7,436 tambons with two projects each, a provincial development plan per province, and one
FY2570 budget request per tambon plan (one in ten also funds a project of the next tambon), each with
three expense lines, in a realistic mix of workflow statuses; approved requests get a quarterly spending
plan and those in execution or closed their actuals; ceilings for the 77 provinces and the 4 workstreams,
100 pilot tambons. Then it times `budgets.consolidation.consolidate` for the whole country (every
dimension: region, province group, province, workstream, national target, pilot, tambon) beside
hand-written SQL aggregates returning the same figures, in the same run, and the REST endpoint and the
HTML page around it. Prints a Markdown table and keeps it in bench/results/budget_consolidation.md.

    .venv/bin/python bench/budget_consolidation.py              # PostgreSQL database codi_bench_budget
    .venv/bin/python bench/budget_consolidation.py --sqlite     # bench/results/codi_bench_budget.sqlite3
    .venv/bin/python bench/budget_consolidation.py --repeats 50 --rebuild
"""

import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

SEED = 2570
DATASET = f"bench-budget-consolidation-v1-seed{SEED}"
FISCAL_YEAR = 2570
PERIOD = (2568, 2570)
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/codi_bench_budget"
# Share of requests in each status, in per cent: a fiscal year part-way through execution.
STATUS_MIX = {
    "submitted": 10,
    "prioritised": 8,
    "forwarded": 7,
    "rejected": 5,
    "approved": 15,
    "in_execution": 50,
    "closed": 5,
}
COMMITTED = ("approved", "in_execution", "closed")
WORKSTREAMS = {
    "WS-COUNCIL": ("WS-COUNCIL-G1", "WS-COUNCIL-P01", "MP-2561-15"),
    "WS-ECONOMY": ("WS-ECONOMY-G1", "WS-ECONOMY-G1-P1", "MP-2561-16"),
    "WS-WELFARE": ("WS-WELFARE-G1", "WS-WELFARE-G1-P1", "MP-2561-17"),
    "WS-HOUSING": ("WS-HOUSING-G1", "WS-HOUSING-G1-P1", "NS-4-I4"),
}
D = Decimal


def _database_url(args) -> str:
    """This benchmark's own database, so that its flush never touches another benchmark's data."""
    if args.sqlite:
        common.RESULTS_DIR.mkdir(exist_ok=True)
        return f"sqlite:///{common.RESULTS_DIR / 'codi_bench_budget.sqlite3'}"
    return os.environ.get("BENCH_BUDGET_DATABASE_URL", DEFAULT_DATABASE_URL)


common.database_url = _database_url


# --- the data set ------------------------------------------------------------------------------------------------


def _split(total: Decimal, parts: int, rng: random.Random) -> list[Decimal]:
    """Split an amount of baht into `parts` positive amounts that add up to it exactly."""
    from nationaldata.dataset import split_amount

    return split_amount(total, parts, rng)


def build_dataset() -> dict:
    """Create plans, requests, lines, spending and ceilings with bulk_create; return how many rows of each kind."""
    from accounts.models import Role, User
    from areas.models import Province, Subdistrict
    from budgets.models import (
        BudgetCeiling,
        BudgetRequest,
        DevelopmentIssue,
        ExpenseLine,
        PilotTambon,
        ProvincialDevelopmentPlan,
        RequestIndicator,
        SpendingActivity,
        SpendingActual,
        SpendingPlanLine,
    )
    from strategies.models import PlanNode
    from workstreams.models import Project, TambonPlan

    rng = random.Random(SEED)
    started = time.perf_counter()
    staff, _ = User.objects.get_or_create(username="bench-staff", defaults={"role": Role.CENTRAL_STAFF})
    User.objects.get_or_create(
        username="bench-coordinator-50",
        defaults={"role": Role.PROVINCIAL_COORDINATOR, "province": Province.objects.get(code="50")},
    )
    nodes = {n.code: n for n in PlanNode.objects.all()}
    tambons = list(Subdistrict.objects.order_by("code"))
    provinces = list(Province.objects.order_by("code"))

    plans = TambonPlan.objects.bulk_create(
        TambonPlan(
            tambon=t,
            period_start_be=PERIOD[0],
            period_end_be=PERIOD[1],
            status="accepted" if rng.random() < 0.7 else "endorsed",
            created_by=staff,
            updated_by=staff,
        )
        for t in tambons
    )
    codes = list(WORKSTREAMS)
    ws_of_plan = [codes[rng.randrange(4)] for _ in plans]
    projects = []
    for plan, ws in zip(plans, ws_of_plan, strict=True):
        goal, programme, _target = WORKSTREAMS[ws]
        for number in (1, 2):
            projects.append(
                Project(
                    plan=plan,
                    number=number,
                    workstream=nodes[ws],
                    goal=nodes[goal],
                    programme=nodes[programme],
                    project_class="support",
                    name=f"โครงการที่ {number} ตำบล{plan.tambon.name_th}",
                )
            )
    projects = Project.objects.bulk_create(projects)
    first_project = projects[0::2]
    second_project = projects[1::2]

    dev_plans = ProvincialDevelopmentPlan.objects.bulk_create(
        ProvincialDevelopmentPlan(
            province=p,
            name=f"แผนพัฒนาจังหวัด{p.name_th} พ.ศ. 2566–2570",
            period_start_be=2566,
            period_end_be=2570,
            vision="เมืองน่าอยู่ เศรษฐกิจมั่นคง สังคมเป็นสุข",
        )
        for p in provinces
    )
    issues = DevelopmentIssue.objects.bulk_create(
        DevelopmentIssue(plan=dp, number=n, title=f"ประเด็นการพัฒนาที่ {n}") for dp in dev_plans for n in (1, 2, 3)
    )
    issues_of = {}
    for issue in issues:
        issues_of.setdefault(issue.plan.province_id, []).append(issue)

    statuses = [s for s, share in STATUS_MIX.items() for _ in range(share)]
    requests, links = [], []
    for i, (plan, project, ws) in enumerate(zip(plans, first_project, ws_of_plan, strict=True)):
        goal, programme, target = WORKSTREAMS[ws]
        status = statuses[rng.randrange(len(statuses))]
        requested = D(rng.randrange(20, 400) * 1000)
        approved = None
        if status in COMMITTED:
            approved = (requested * D(rng.choice([60, 75, 80, 90, 100])) / 100).quantize(D("0.01"))
        requests.append(
            BudgetRequest(
                fiscal_year=FISCAL_YEAR,
                province_id=plan.tambon.province_id,
                title=f"ยกระดับ{nodes[ws].name_th}ตำบล{plan.tambon.name_th}",
                requesting_body=f"สภาองค์กรชุมชนตำบล{plan.tambon.name_th}",
                development_issue=rng.choice(issues_of[plan.tambon.province_id]),
                workstream=nodes[ws],
                programme=nodes[programme],
                national_target=nodes[target],
                targets="ครัวเรือนเป้าหมาย 100 ครัวเรือน",
                expected_benefits="รายได้ครัวเรือนเพิ่มขึ้น",
                requested_amount=requested,
                approved_amount=approved,
                status=status,
                rank=None,
                created_by=staff,
                updated_by=staff,
            )
        )
        links.append((i, project))
        nxt = i + 1
        if nxt < len(plans) and plans[nxt].tambon.province_id == plan.tambon.province_id and rng.random() < 0.1:
            links.append((i, second_project[nxt]))
    # Ranks within province: in order of creation, for every request past submission.
    next_rank = {}
    for r in requests:
        if r.status != "submitted":
            next_rank[r.province_id] = next_rank.get(r.province_id, 0) + 1
            r.rank = next_rank[r.province_id]
    requests = BudgetRequest.objects.bulk_create(requests)
    through = BudgetRequest.projects.through
    through.objects.bulk_create(through(budgetrequest_id=requests[i].pk, project_id=project.pk) for i, project in links)
    categories = ["operating", "subsidy", "investment"]
    ExpenseLine.objects.bulk_create(
        ExpenseLine(request=r, category=c, amount=a)
        for r in requests
        for c, a in zip(categories, _split(r.requested_amount, 3, rng), strict=True)
    )
    RequestIndicator.objects.bulk_create(
        RequestIndicator(request=r, name="ครัวเรือนที่มีรายได้เพิ่มขึ้น", unit="ครัวเรือน", target_value=D(100)) for r in requests
    )

    activities, plan_lines, actuals = [], [], []
    committed = [r for r in requests if r.status in COMMITTED]
    # Two activities per approved request, sharing its approved amount; each spread over the four quarters.
    amounts_of = {r.pk: _split(r.approved_amount, 2, rng) for r in committed}
    for r in committed:
        for number in (1, 2):
            activity = SpendingActivity(
                request=r, number=number, name=f"กิจกรรม {number}", unit="ครั้ง", category=categories[number - 1]
            )
            activities.append((r, activity))
    SpendingActivity.objects.bulk_create(a for _, a in activities)
    spent = {}
    for r, act in activities:
        activity_total = amounts_of[r.pk][act.number - 1]
        quarters = _split(activity_total, 4, rng)
        for q, amount in enumerate(quarters, start=1):
            plan_lines.append(SpendingPlanLine(activity=act, quarter=q, planned_quantity=D(1), planned_amount=amount))
        done = {"approved": 0, "in_execution": 2, "closed": 4}[r.status]
        for q in range(1, done + 1):
            actual = (quarters[q - 1] * D(rng.choice([85, 95, 100, 100, 104])) / 100).quantize(D("0.01"))
            cum_plan = sum(quarters[:q])
            cum_actual = sum(a.actual_amount for a in actuals if a.activity is act) + actual
            over = cum_actual > cum_plan
            actuals.append(
                SpendingActual(
                    activity=act,
                    quarter=q,
                    actual_quantity=D(1),
                    actual_amount=actual,
                    overspent=over,
                    explanation="ราคาวัสดุสูงขึ้น" if over else "",
                    recorded_by=staff,
                )
            )
            spent[r.pk] = spent.get(r.pk, D(0)) + actual
    SpendingPlanLine.objects.bulk_create(plan_lines, batch_size=5000)
    SpendingActual.objects.bulk_create(actuals, batch_size=5000)
    for r in committed:
        r.spent_amount = spent.get(r.pk, D(0))
    BudgetRequest.objects.bulk_update(committed, ["spent_amount"], batch_size=2000)

    # Ceilings above what is approved, as the approval service guarantees.
    approved_by_province, approved_by_ws = {}, {}
    for r in committed:
        approved_by_province[r.province_id] = approved_by_province.get(r.province_id, D(0)) + r.approved_amount
        approved_by_ws[r.workstream_id] = approved_by_ws.get(r.workstream_id, D(0)) + r.approved_amount
    ceilings = [
        BudgetCeiling(
            fiscal_year=FISCAL_YEAR,
            province=p,
            amount=(approved_by_province.get(p.id, D(0)) * D("1.2")).quantize(D("1")),
        )
        for p in provinces
    ] + [
        BudgetCeiling(
            fiscal_year=FISCAL_YEAR,
            workstream=nodes[c],
            amount=(approved_by_ws.get(nodes[c].id, D(0)) * D("1.1")).quantize(D("1")),
        )
        for c in WORKSTREAMS
    ]
    BudgetCeiling.objects.bulk_create(ceilings)
    PilotTambon.objects.bulk_create(
        PilotTambon(fiscal_year=FISCAL_YEAR, tambon=t, note=DATASET if i == 0 else "")
        for i, t in enumerate(rng.sample(tambons, 100))
    )
    counts = {
        "tambon plans": len(plans),
        "projects": len(projects),
        "budget requests": len(requests),
        "funded-project links": len(links),
        "expense lines": len(requests) * 3,
        "spending activities": len(activities),
        "plan lines": len(plan_lines),
        "actuals": len(actuals),
        "ceilings": len(ceilings),
    }
    print(f"Built the data set in {time.perf_counter() - started:.1f} s: {counts}")
    return counts


def dataset_counts() -> dict:
    from budgets.models import (
        BudgetCeiling,
        BudgetRequest,
        ExpenseLine,
        SpendingActivity,
        SpendingActual,
        SpendingPlanLine,
    )
    from workstreams.models import Project, TambonPlan

    return {
        "tambon plans": TambonPlan.objects.count(),
        "projects": Project.objects.count(),
        "budget requests": BudgetRequest.objects.count(),
        "funded-project links": BudgetRequest.projects.through.objects.count(),
        "expense lines": ExpenseLine.objects.count(),
        "spending activities": SpendingActivity.objects.count(),
        "plan lines": SpendingPlanLine.objects.count(),
        "actuals": SpendingActual.objects.count(),
        "ceilings": BudgetCeiling.objects.count(),
    }


def ensure_dataset(rebuild: bool) -> dict:
    from budgets.models import PilotTambon

    present = PilotTambon.objects.filter(note=DATASET).exists()
    if present and not rebuild:
        counts = dataset_counts()
        print(f"Reusing the data set {DATASET}: {counts}")
        return counts
    common.ensure_reference_data(flush=True)
    return build_dataset()


# --- hand-written SQL ------------------------------------------------------------------------------------------

FILTERS = "r.fiscal_year = %s AND r.status <> 'draft'"
SUMS = """count(DISTINCT r.id), coalesce(sum(r.requested_amount), 0),
          coalesce(sum(CASE WHEN r.status IN ('approved', 'in_execution', 'closed') THEN r.approved_amount END), 0),
          coalesce(sum(r.spent_amount), 0)"""
SHARE_SUMS = """count(DISTINCT r.id), coalesce(sum(r.requested_amount / n.n), 0),
          coalesce(sum(CASE WHEN r.status IN ('approved', 'in_execution', 'closed')
                       THEN r.approved_amount / n.n END), 0),
          coalesce(sum(r.spent_amount / n.n), 0)"""
RAW = {
    "total": f"SELECT {SUMS} FROM budgets_budgetrequest r WHERE {FILTERS}",
    "province": f"""SELECT p.code, {SUMS} FROM budgets_budgetrequest r JOIN areas_province p ON p.id = r.province_id
        WHERE {FILTERS} GROUP BY p.code ORDER BY p.code""",
    "province_group": f"""SELECT g.number, {SUMS} FROM budgets_budgetrequest r
        JOIN areas_province p ON p.id = r.province_id
        LEFT JOIN areas_provincegroup g ON g.id = p.group_id WHERE {FILTERS} GROUP BY g.number ORDER BY g.number""",
    "region": f"""SELECT g.number, {SUMS} FROM budgets_budgetrequest r JOIN areas_province p ON p.id = r.province_id
        LEFT JOIN areas_region g ON g.id = p.region_id WHERE {FILTERS} GROUP BY g.number ORDER BY g.number""",
    "workstream": f"""SELECT w.code, {SUMS} FROM budgets_budgetrequest r LEFT JOIN strategies_plannode w
        ON w.id = r.workstream_id WHERE {FILTERS} GROUP BY w.code ORDER BY w.code""",
    "national_target": f"""SELECT t.code, {SUMS} FROM budgets_budgetrequest r LEFT JOIN strategies_plannode t
        ON t.id = r.national_target_id WHERE {FILTERS} GROUP BY t.code ORDER BY t.code""",
    "pilot": f"""SELECT x.pilot, {SUMS.replace("r.", "x.")} FROM (
          SELECT r.*, EXISTS (SELECT 1 FROM budgets_budgetrequest_projects l
            JOIN workstreams_project pr ON pr.id = l.project_id JOIN workstreams_tambonplan tp ON tp.id = pr.plan_id
            JOIN budgets_pilottambon pt ON pt.tambon_id = tp.tambon_id AND pt.fiscal_year = r.fiscal_year
            WHERE l.budgetrequest_id = r.id) AS pilot
          FROM budgets_budgetrequest r WHERE {FILTERS}) x GROUP BY x.pilot ORDER BY x.pilot""",
    "tambon": f"""WITH n AS (SELECT budgetrequest_id, count(*) AS n FROM budgets_budgetrequest_projects
          GROUP BY budgetrequest_id)
        SELECT s.code, {SHARE_SUMS} FROM budgets_budgetrequest r JOIN n ON n.budgetrequest_id = r.id
        JOIN budgets_budgetrequest_projects l ON l.budgetrequest_id = r.id
        JOIN workstreams_project pr ON pr.id = l.project_id JOIN workstreams_tambonplan tp ON tp.id = pr.plan_id
        JOIN areas_subdistrict s ON s.id = tp.tambon_id WHERE {FILTERS} GROUP BY s.code ORDER BY s.code""",
    "ceilings": "SELECT c.province_id, c.workstream_id, c.amount FROM budgets_budgetceiling c WHERE c.fiscal_year = %s",
}


def raw_consolidation(fiscal_year: int) -> dict:
    from django.db import connection

    result = {}
    with connection.cursor() as cur:
        for key, sql in RAW.items():
            cur.execute(sql, [fiscal_year])
            result[key] = cur.fetchall()
    return result


def same_figures(orm: dict, raw: dict) -> bool:
    """Check the ORM's totals, provinces and tambons against the raw SQL, to the satang."""

    def q(x):
        return D(x).quantize(D("0.01"))

    total = raw["total"][0]
    t = orm["totals"]
    if (t.requests, q(t.requested), q(t.approved), q(t.spent)) != (total[0], q(total[1]), q(total[2]), q(total[3])):
        return False
    dims = {d.key: {r.key: r for r in d.rows} for d in orm["dimensions"]}
    for key in ("province", "tambon"):
        raw_rows = {row[0]: row for row in raw[key]}
        orm_rows = {k: r for k, r in dims[key].items() if r.requests}
        if set(raw_rows) != set(orm_rows):
            return False
        for code, row in raw_rows.items():
            r = orm_rows[code]
            if (r.requests, q(r.requested), q(r.approved), q(r.spent)) != (row[1], q(row[2]), q(row[3]), q(row[4])):
                return False
    return True


# --- timing --------------------------------------------------------------------------------------------------


def main() -> None:
    args = common.parse_args(__doc__.splitlines()[0], repeats=30)
    url = common.setup(args)
    counts = ensure_dataset(args.rebuild)
    if url.startswith("postgres"):
        common.analyze()

    from accounts.models import User
    from budgets.consolidation import consolidate

    staff = User.objects.get(username="bench-staff")
    coordinator = User.objects.get(username="bench-coordinator-50")

    def orm_national():
        return consolidate(user=staff, fiscal_year=FISCAL_YEAR)

    def orm_province():
        return consolidate(user=coordinator, fiscal_year=FISCAL_YEAR)

    def raw_national():
        return raw_consolidation(FISCAL_YEAR)

    ok = same_figures(orm_national(), raw_national())
    staff_client = common.login_client(staff)
    api_url = f"/api/v1/budget-consolidation/?fiscal_year={FISCAL_YEAR}"
    page_url = f"/budgets/consolidation/?fiscal_year={FISCAL_YEAR}"
    assert staff_client.get(api_url, secure=True).status_code == 200
    assert staff_client.get(page_url, secure=True).status_code == 200

    lines = []
    raw_times = common.time_calls(raw_national, args.repeats)
    raw_median = common.median(raw_times)
    measured = [
        ("consolidate(): whole country, every dimension", orm_national),
        ("consolidate(): Chiang Mai coordinator", orm_province),
        ("REST /api/v1/budget-consolidation/ (whole country)", lambda: staff_client.get(api_url, secure=True)),
        ("HTML /budgets/consolidation/ (whole country)", lambda: staff_client.get(page_url, secure=True)),
    ]
    for label, fn in measured:
        times = common.time_calls(fn, args.repeats)
        lines.append(
            [
                label,
                f"{common.median(times):.1f}",
                f"{common.p95(times):.1f}",
                common.count_queries(fn),
                f"{common.median(times) / raw_median:.2f}",
            ]
        )
    lines.append(
        [
            "hand-written SQL, same figures (9 statements)",
            f"{raw_median:.1f}",
            f"{common.p95(raw_times):.1f}",
            common.count_queries(raw_national),
            "1.00",
        ]
    )
    table = common.markdown_table(["what", "median ms", "p95 ms", "SQL queries", "÷ raw SQL"], lines)
    text = "\n".join(
        [
            f"# Budget consolidation, fiscal year {FISCAL_YEAR}",
            "",
            f"Data set `{DATASET}` on {url.split('@')[-1]}: "
            + ", ".join(f"{v:,} {k}" for k, v in counts.items())
            + ".",
            "",
            common.machine() + f"; {args.repeats} timed runs after 3 warm-ups.",
            "",
            table,
            "",
            "The ORM and the raw SQL agree on the totals, every province and every tambon to the satang."
            if ok
            else "**The ORM and the raw SQL disagree (rows differ!).**",
        ]
    )
    common.write_results("budget_consolidation", text)


if __name__ == "__main__":
    main()
