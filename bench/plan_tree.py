"""Benchmark: plan-tree progress (every indicator's national figure on a plan item and under it) on the national data.

Reads the shared benchmark database (bench/common.py: created, migrated and filled with the national data set by
`build_national_dataset` when missing). For central staff it times the plan-tree progress page
`/indicators/plan/<code>/` for CODI's action plan (all 12 seed indicators), for a workstream with 5 and for one
with 1, as at FY2565 Q4, and beside each a hand-written SQL statement returning the same national figures (each
tambon's or province's latest approved value, or the sum, per indicator, in one statement) on the same connection
in the same run. It checks that the page sends as many queries for 12 indicators as for 1. Prints a Markdown table
and keeps it in bench/results/plan_tree.md.

    .venv/bin/python bench/plan_tree.py                 # PostgreSQL database codi_bench (created if missing)
    .venv/bin/python bench/plan_tree.py --repeats 50
"""

import sys
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

FISCAL_YEAR, QUARTER = 2565, 4  # the national data set's fiscal year, as at its last quarter
# Plan items by the number of active indicators on them and under them (the seed's plan tree and indicators).
NODES = [("CODI-AP", "CODI action plan"), ("WS-ECONOMY", "economy workstream"), ("WS-COUNCIL", "council workstream")]
GOAL_MS = 100

# One statement: each indicator's figure from its approved results in its window; for latest and count_meeting,
# each unit's (tambon's or province's) latest result only. Each indicator's parameters come in as one VALUES row.
FIGURES_SQL = """
WITH ind(id, aggregation, start_period, end_period, threshold, lower, unit) AS (VALUES {values}),
rows AS (
    SELECT r.indicator_id, r.value, ind.aggregation, ind.threshold, ind.lower,
           CASE ind.unit WHEN 'province' THEN r.province_id ELSE r.tambon_id END AS unit_id,
           CASE WHEN ind.aggregation IN ('latest', 'count_meeting')
                THEN row_number() OVER (
                    PARTITION BY r.indicator_id, CASE ind.unit WHEN 'province' THEN r.province_id ELSE r.tambon_id END
                    ORDER BY r.period DESC)
                ELSE 1 END AS rank
      FROM indicators_result r JOIN ind ON ind.id = r.indicator_id
     WHERE r.status = 'approved' AND r.period BETWEEN ind.start_period AND ind.end_period
)
SELECT indicator_id,
       CASE WHEN min(aggregation) = 'count_meeting'
            THEN count(*) FILTER (WHERE CASE WHEN lower THEN value <= threshold ELSE value >= threshold END)
            ELSE sum(value) END,
       count(DISTINCT unit_id)
  FROM rows WHERE rank = 1 GROUP BY indicator_id
"""
TARGETS_SQL = """
SELECT indicator_id, fiscal_year, value FROM indicators_target
 WHERE indicator_id = ANY(%s) AND level = 'country' AND fiscal_year <= %s
"""


def figures_sql(indicators):
    """The hand-written statement's parameters: one VALUES row per indicator (window, condition, unit)."""
    from indicators import selectors
    from indicators.models import Direction

    values, params = [], []
    for i in indicators:
        start, end = selectors.window(i, FISCAL_YEAR, QUARTER)
        values.append("(%s, %s, %s, %s, %s::numeric, %s, %s)")
        params += [i.id, i.aggregation, start, end, i.condition_threshold, i.direction == Direction.LOWER]
        params.append(i.reporting_level)
    return FIGURES_SQL.format(values=", ".join(values)), params


def raw_figures(sql, params, ids):
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
        cur.execute(TARGETS_SQL, [ids, FISCAL_YEAR])
        cur.fetchall()
    return rows


def measure(args) -> tuple[list[list], dict]:
    from accounts.models import User
    from indicators import selectors
    from indicators.models import Indicator
    from nationaldata.dataset import LOAD_USERS
    from strategies.models import PlanNode

    staff = User.objects.get(username=LOAD_USERS["central"])
    client = common.login_client(staff)
    rows, queries = [], {}
    for code, label in NODES:
        node = PlanNode.objects.get(code=code)
        progress = selectors.plan_progress(node, FISCAL_YEAR, QUARTER)
        indicators = [i for i, _figure in progress.items]
        ids = [i.id for i in indicators]
        sql, params = figures_sql(Indicator.objects.filter(pk__in=ids))
        url = f"/indicators/plan/{code}/?fy={FISCAL_YEAR}&q={QUARTER}"

        def page(url=url):
            response = client.get(url, secure=True)
            if response.status_code != 200:
                sys.exit(f"GET {url} answered {response.status_code}")
            return response

        def raw(sql=sql, params=params, ids=ids):
            return raw_figures(sql, params, ids)

        page()
        # An indicator nobody reported on has a figure of nothing on the page and no row in the raw SQL.
        expected = {i.id: (f.actual, f.reporting) for i, f in progress.items if f.reporting}
        got = {row[0]: (Decimal(row[1]).normalize(), row[2]) for row in raw()}
        same = {k: (v[0].normalize(), v[1]) for k, v in expected.items()} == got
        page_times = common.time_calls(page, args.repeats)
        raw_times = common.time_calls(raw, args.repeats)
        queries[len(indicators)] = common.count_queries(page)
        rows.append(
            [
                f"{label} `{url}`",
                f"{len(indicators)}" + ("" if same else " (figures differ!)"),
                f"{common.median(page_times):.1f}",
                f"{common.p95(page_times):.1f}",
                queries[len(indicators)],
                f"{common.median(raw_times):.2f}",
                f"{common.p95(raw_times):.2f}",
                common.count_queries(raw),
                f"{common.median(page_times) / common.median(raw_times):.1f}×",
            ]
        )
        print(f"  {label}: {rows[-1][2]} ms median, {rows[-1][4]} queries")
    return rows, queries


def main():
    args = common.parse_args(__doc__.splitlines()[0])
    if args.sqlite:
        print("Skipped: this benchmark runs on PostgreSQL only (its goals are for production's database).")
        return
    url = common.setup(args)
    common.analyze()
    from nationaldata.dataset import existing_marker

    print(f"Timing {args.repeats} runs of each (after 3 untimed warm-up runs)…")
    host = common.machine()
    rows, queries = measure(args)
    most, fewest = max(queries), min(queries)
    constant = queries[most] == queries[fewest]
    twelve_ms = float(rows[0][2])
    headers = [
        "page",
        "indicators",
        "median ms",
        "p95 ms",
        "SQL queries",
        "raw SQL median ms",
        "raw SQL p95 ms",
        "raw queries",
        "page ÷ raw",
    ]
    text = "\n".join(
        [
            "# Plan-tree progress benchmark",
            "",
            f"- {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {host}, database `{url}`",
            f"- national data set `{existing_marker()}`; figures as at FY{FISCAL_YEAR} Q{QUARTER}, signed in as"
            " central staff",
            f"- {args.repeats} timed runs per line after 3 warm-up runs; Django settings as in production (DEBUG off,"
            " persistent connections); each page is a full request through the middleware with a signed-in session",
            "- raw SQL: one hand-written statement with every indicator's national figure (each unit's latest"
            " approved value in the indicator's window, counted against its condition or summed) and one for the"
            " country targets; the script checks the figures equal the page's",
            f"- query count constant in the number of indicators: **{queries[fewest]}** for {fewest},"
            f" **{queries[most]}** for {most} {'✓' if constant else '✗'}",
            f"- {most} indicators under {GOAL_MS} ms: **{twelve_ms:.1f} ms** {'✓' if twelve_ms < GOAL_MS else '✗'}",
            "",
            common.markdown_table(headers, rows),
        ]
    )
    common.write_results("plan_tree", text)


if __name__ == "__main__":
    main()
