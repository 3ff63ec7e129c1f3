"""Benchmark: consolidating a fiscal year's area-based budget requests on the national data set.

Reads the shared benchmark database (bench/common.py: created, migrated and filled with the national data set
by `build_national_dataset` when missing): FY2565 budget requests for every accepted or endorsed tambon plan of
the country, one or two funded projects each, expense lines, ranks, development issues and provincial ceilings,
in the data set's mix of workflow statuses. Then it times `budgets.consolidation.consolidate` for the whole
country (every dimension: region, province group, province, workstream, national target, pilot, tambon) beside
hand-written SQL aggregates returning the same figures, in the same run, and the REST endpoint and the HTML page
around it. Prints a Markdown table and keeps it in bench/results/budget_consolidation.md.

    .venv/bin/python bench/budget_consolidation.py              # PostgreSQL database codi_bench (created if missing)
    .venv/bin/python bench/budget_consolidation.py --sqlite     # bench/results/codi_bench.sqlite3
    .venv/bin/python bench/budget_consolidation.py --repeats 50 --rebuild
"""

import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

FISCAL_YEAR = 2565  # the national data set's fiscal year
D = Decimal


def dataset_counts() -> dict:
    from budgets.models import BudgetCeiling, BudgetRequest, ExpenseLine
    from workstreams.models import Project, TambonPlan

    requests = BudgetRequest.objects.filter(fiscal_year=FISCAL_YEAR)
    return {
        "tambon plans": TambonPlan.objects.count(),
        "projects": Project.objects.count(),
        "budget requests": requests.count(),
        "funded-project links": BudgetRequest.projects.through.objects.filter(budgetrequest__in=requests).count(),
        "expense lines": ExpenseLine.objects.filter(request__in=requests).count(),
        "ceilings": BudgetCeiling.objects.filter(fiscal_year=FISCAL_YEAR).count(),
    }


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
    if url.startswith("postgres"):
        common.analyze()

    from accounts.models import User
    from budgets.consolidation import consolidate
    from nationaldata.dataset import LOAD_USERS, existing_marker

    counts = dataset_counts()
    staff = User.objects.get(username=LOAD_USERS["central"])
    coordinator = User.objects.get(username=LOAD_USERS["coordinator"])

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
            f"National data set `{existing_marker()}` on {url.split('@')[-1]}: "
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
