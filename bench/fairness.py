"""Benchmark: the fair-distribution view (budget per head, Gini, decile ratio, Lorenz) on the national data set.

Reads the shared benchmark database (bench/common.py): FY2565 budget requests for every accepted or endorsed tambon
plan, one or two funded projects each, and the tambon plans' population profiles (no official figures). Times
`budgets.fairness.fairness_for` for the whole country and for the Chiang Mai coordinator beside hand-written SQL that
returns the per-province figures it starts from (approved by province, population by province from the tambon plans),
and the REST endpoints and HTML page around it. Checks that the ORM and the SQL agree on every province's approved
money and population, and on the Gini coefficient across provinces computed from the SQL rows. Prints a Markdown
table and keeps it in bench/results/fairness.md.

    .venv/bin/python bench/fairness.py              # PostgreSQL database codi_bench (created if missing)
    .venv/bin/python bench/fairness.py --sqlite     # bench/results/codi_bench.sqlite3
"""

import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

FISCAL_YEAR = 2565  # the national data set's fiscal year
D = Decimal

RAW_APPROVED = """SELECT p.code,
       coalesce(sum(CASE WHEN r.status IN ('approved', 'in_execution', 'closed') THEN r.approved_amount END), 0)
    FROM budgets_budgetrequest r JOIN areas_province p ON p.id = r.province_id
    WHERE r.fiscal_year = %s AND r.status <> 'draft' GROUP BY p.code ORDER BY p.code"""
# The population of a province from its tambons' plans covering the year (the latest such plan of each tambon).
RAW_POPULATION = """SELECT p.code, sum(tp.population) FROM workstreams_tambonplan tp
    JOIN areas_subdistrict s ON s.id = tp.tambon_id JOIN areas_province p ON p.id = s.province_id
    WHERE tp.period_start_be <= %s AND tp.period_end_be >= %s AND tp.population > 0
      AND NOT EXISTS (SELECT 1 FROM workstreams_tambonplan later WHERE later.tambon_id = tp.tambon_id
                      AND later.period_start_be > tp.period_start_be
                      AND later.period_start_be <= %s AND later.period_end_be >= %s)
      AND NOT EXISTS (SELECT 1 FROM areas_officialpopulation o WHERE o.province_id = p.id OR o.tambon_id = s.id)
    GROUP BY p.code ORDER BY p.code"""


def raw_figures(fiscal_year: int) -> dict:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(RAW_APPROVED, [fiscal_year])
        approved = {code: D(str(v)) for code, v in cur.fetchall()}
        cur.execute(RAW_POPULATION, [fiscal_year] * 4)
        population = {code: int(v) for code, v in cur.fetchall()}
    return {"approved": approved, "population": population}


def same_figures(result, raw: dict) -> bool:
    from budgets.fairness import gini

    for area in result.provinces:
        if raw["approved"].get(area.key, D(0)).quantize(D("0.01")) != area.approved.quantize(D("0.01")):
            return False
        if raw["population"].get(area.key) != area.population:
            return False
    raw_gini = gini([(people, raw["approved"].get(code, D(0))) for code, people in raw["population"].items()])
    return raw_gini == result.gini_provinces


def main() -> None:
    args = common.parse_args(__doc__.splitlines()[0], repeats=30)
    url = common.setup(args)
    if url.startswith("postgres"):
        common.analyze()

    from accounts.models import User
    from budgets.fairness import fairness_for
    from budgets.models import BudgetRequest
    from nationaldata.dataset import LOAD_USERS, existing_marker
    from workstreams.models import TambonPlan

    staff = User.objects.get(username=LOAD_USERS["central"])
    coordinator = User.objects.get(username=LOAD_USERS["coordinator"])
    counts = {
        "budget requests": BudgetRequest.objects.filter(fiscal_year=FISCAL_YEAR).count(),
        "tambon plans with a population": TambonPlan.objects.filter(population__gt=0).count(),
    }

    def orm_national():
        return fairness_for(user=staff, fiscal_year=FISCAL_YEAR)

    def orm_province():
        return fairness_for(user=coordinator, fiscal_year=FISCAL_YEAR)

    def raw_national():
        return raw_figures(FISCAL_YEAR)

    national = orm_national()
    ok = same_figures(national, raw_national())
    client = common.login_client(staff)
    urls = {
        "REST /api/v1/fairness/ (whole country)": f"/api/v1/fairness/?fiscal_year={FISCAL_YEAR}",
        "REST /api/v1/fairness/tambons/ (100 a page)": f"/api/v1/fairness/tambons/?fiscal_year={FISCAL_YEAR}",
        "CSV /api/v1/fairness/tambons/ (every tambon)": (
            f"/api/v1/fairness/tambons/?fiscal_year={FISCAL_YEAR}&page_size=10000&format=csv"
        ),
        "HTML /budgets/fairness/ (whole country)": f"/budgets/fairness/?fiscal_year={FISCAL_YEAR}",
    }
    for u in urls.values():
        assert client.get(u, secure=True).status_code == 200, u

    raw_times = common.time_calls(raw_national, args.repeats)
    raw_median = common.median(raw_times)
    measured = [
        ("fairness_for(): whole country", orm_national),
        ("fairness_for(): Chiang Mai coordinator", orm_province),
        *[(label, lambda u=u: client.get(u, secure=True)) for label, u in urls.items()],
    ]
    lines = []
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
            "hand-written SQL, province figures (2 statements)",
            f"{raw_median:.1f}",
            f"{common.p95(raw_times):.1f}",
            common.count_queries(raw_national),
            "1.00",
        ]
    )
    table = common.markdown_table(["what", "median ms", "p95 ms", "SQL queries", "÷ raw SQL"], lines)
    text = "\n".join(
        [
            f"# Fair distribution, fiscal year {FISCAL_YEAR}",
            "",
            f"National data set `{existing_marker()}` on {url.split('@')[-1]}: "
            + ", ".join(f"{v:,} {k}" for k, v in counts.items())
            + f". Gini across provinces {national.gini_provinces}, across tambons {national.gini_tambons}, "
            + f"decile ratio {national.deciles.ratio}.",
            "",
            common.machine() + f"; {args.repeats} timed runs after 3 warm-ups.",
            "",
            table,
            "",
            "The ORM and the raw SQL agree on every province's approved money and population and on the Gini."
            if ok
            else "**The ORM and the raw SQL disagree (rows differ!).**",
        ]
    )
    common.write_results("fairness", text)


if __name__ == "__main__":
    main()
