"""Benchmark: the indicators API on the national data set (7,436 tambons × 4 quarters × the tambon indicators).

Reads the shared benchmark database (bench/common.py: created, migrated and filled with the national data set
by `build_national_dataset` when missing), whose approved FY2565 results cover every tambon-level indicator for
four quarters, then times, for one of the data set's API-client tokens:
- a 100-row page of the results endpoint (one indicator, one quarter, the whole country; and one province),
- the national roll-up of one indicator by region (the count of tambons meeting a condition, cumulative:
  the most expensive aggregation), through the API and as a direct call,
each beside a hand-written SQL query returning the same data on the same connection in the same run.
Prints a Markdown table and keeps it in bench/results/indicators.md.

    .venv/bin/python bench/indicators_api.py               # PostgreSQL database codi_bench (created if missing)
    .venv/bin/python bench/indicators_api.py --repeats 50 --rebuild
"""

import sys
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

FISCAL_YEAR = 2565  # the national data set's fiscal year
INDICATOR_COUNT = 10
ROLLUP_INDICATOR = "ECON-TAMBONS-UPGRADED"
PAGE_INDICATOR = "ECON-SOCIAL-ENTREPRENEURS"
PROVINCE = "50"


# --- hand-written SQL returning the same data ---------------------------------------------------------------------

PAGE_SQL = """
SELECT r.id, i.code, r.fiscal_year, r.quarter, r.level, t.code, t.name_th, t.name_en, t.code, d.code, p.code,
       g.number, rg.key, r.value, r.note, r.evidence, r.status, r.status_reason, r.revision,
       r.created_at, r.updated_at, r.submitted_at, r.reviewed_at
FROM indicators_result r
JOIN indicators_indicator i ON i.id = r.indicator_id
LEFT JOIN areas_subdistrict t ON t.id = r.tambon_id
LEFT JOIN areas_district d ON d.id = r.district_id
LEFT JOIN areas_province p ON p.id = r.province_id
LEFT JOIN areas_provincegroup g ON g.id = p.group_id
LEFT JOIN areas_region rg ON rg.id = p.region_id
WHERE r.indicator_id = %s AND r.fiscal_year = %s AND r.quarter = %s AND r.status = 'approved' {extra}
ORDER BY r.id
LIMIT 101
"""

# The leanest hand-written version: only the joins the API's query has, and the same area directory.
LEAN_PAGE_SQL = """
SELECT r.id, i.code, r.fiscal_year, r.quarter, r.level, t.code, t.name_th, t.name_en, d.code, d.name_th, d.name_en,
       r.province_id, r.province_group_id, r.region_id, r.value, r.note, r.evidence, r.status, r.status_reason,
       r.revision, r.created_at, r.updated_at, r.submitted_at, r.reviewed_at
FROM indicators_result r
JOIN indicators_indicator i ON i.id = r.indicator_id
LEFT JOIN areas_subdistrict t ON t.id = r.tambon_id
LEFT JOIN areas_district d ON d.id = r.district_id
WHERE r.indicator_id = %s AND r.fiscal_year = %s AND r.quarter = %s AND r.status = 'approved'
ORDER BY r.id
LIMIT 101
"""
LOOKUP_SQL = [
    "SELECT 'p', id, code, name_th, name_en, group_id, region_id FROM areas_province"
    " UNION ALL SELECT 'g', id, CAST(number AS TEXT), name_th, name_en, NULL, region_id FROM areas_provincegroup"
    " UNION ALL SELECT 'r', id, key, name_th, name_en, NULL, NULL FROM areas_region"
]

ROLLUP_SQL = """
WITH latest AS (
    SELECT DISTINCT ON (r.tambon_id) r.tambon_id, r.province_id, r.value
    FROM indicators_result r
    WHERE r.indicator_id = %(indicator)s AND r.status = 'approved' AND r.period BETWEEN %(start)s AND %(end)s
    ORDER BY r.tambon_id, r.period DESC
)
SELECT rg.key, count(*) FILTER (WHERE l.value >= %(threshold)s), count(*)
FROM latest l JOIN areas_province p ON p.id = l.province_id LEFT JOIN areas_region rg ON rg.id = p.region_id
GROUP BY rg.key
"""
TARGET_SQL = """
SELECT t.level, t.fiscal_year, t.quarter, t.value FROM indicators_target t WHERE t.indicator_id = %(indicator)s
"""


def raw(sql: str, params) -> list:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def measure(args) -> list[list]:
    from django.core.cache import cache
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from accounts.models import Role, User
    from indicators import selectors
    from indicators.models import Indicator
    from nationaldata.dataset import LOAD_USERS

    user = User.objects.get(username=LOAD_USERS["api"].format(n=1), role=Role.API_CLIENT)
    token = Token.objects.get(user=user)
    client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    rows = []

    def api(url, params):
        def call():
            cache.clear()  # the throttle's counter: keep the bench under the rate it would hit
            response = client.get(url, params)
            assert response.status_code == 200, response.content[:300]
            return response.json()

        return call

    def interleaved(*fns) -> list[list[float]]:
        """Time the functions in turn, run after run, so the machine's other load falls on each alike."""
        for _ in range(3):
            for fn in fns:
                fn()
        times = [[] for _ in fns]
        for _ in range(args.repeats):
            for fn, bucket in zip(fns, times, strict=True):
                started = time.perf_counter()
                fn()
                bucket.append((time.perf_counter() - started) * 1000)
        return times

    def add(what, page, page_times, sql, raw_times, rows_on_page, same):
        ratio = common.median(page_times) / common.median(raw_times) if raw_times else None
        rows.append(
            [
                what + ("" if same else " (rows differ!)"),
                rows_on_page,
                f"{common.median(page_times):.1f}",
                f"{common.p95(page_times):.1f}",
                common.count_queries(page),
                f"{common.median(raw_times):.2f}" if raw_times else "–",
                f"{common.p95(raw_times):.2f}" if raw_times else "–",
                f"{ratio:.1f}×" if ratio else "–",
            ]
        )

    def line(what, page, sql, rows_on_page, same):
        page_times, raw_times = interleaved(page, sql)
        add(what, page, page_times, sql, raw_times, rows_on_page, same)

    # 0. What any API request costs: middleware, token, throttle, DRF, a 6-row list.
    regions = api("/api/v1/regions/", {})
    (region_times,) = interleaved(regions)
    add(
        "reference: /api/v1/regions/ (6 rows), the fixed cost of any API request",
        regions,
        region_times,
        None,
        [],
        6,
        True,
    )

    # 1. A 100-row page of results: the whole country, then one province.
    for label, extra, params in [
        ("results page: 1 indicator, FY2565 Q2, whole country", "", {}),
        (f"results page: 1 indicator, FY2565 Q2, province {PROVINCE}", "AND p.code = %s", {"province": PROVINCE}),
    ]:
        query = {
            "indicator": PAGE_INDICATOR,
            "fiscal_year": FISCAL_YEAR,
            "quarter": 2,
            "status": "approved",
            "page_size": 100,
            **params,
        }
        page = api("/api/v1/results/", query)
        tail = [FISCAL_YEAR, 2] + ([PROVINCE] if params else [])

        def sql(extra=extra, tail=tail):
            # As the API does: the indicator's id first (its code is unique), then the page by that id.
            (indicator_id,) = raw("SELECT id FROM indicators_indicator WHERE code = %s", [PAGE_INDICATOR])[0]
            return raw(PAGE_SQL.format(extra=extra), [indicator_id, *tail])

        api_rows = page()["results"]
        sql_rows = sql()[:100]
        same = [(r["id"], r["tambon"], r["value"]) for r in api_rows] == [
            (r[0], r[5], f"{r[13]:.2f}") for r in sql_rows
        ]
        if params:
            line(label, page, sql, len(api_rows), same)
            continue

        def lean_sql():
            (indicator_id,) = raw("SELECT id FROM indicators_indicator WHERE code = %s", [PAGE_INDICATOR])[0]
            page_rows = raw(LEAN_PAGE_SQL, [indicator_id, FISCAL_YEAR, 2])
            return page_rows, [raw(q, []) for q in LOOKUP_SQL]

        lean_same = [r["id"] for r in api_rows] == [r[0] for r in lean_sql()[0][:100]]
        page_times, raw_times, lean_times = interleaved(page, sql, lean_sql)
        add(label, page, page_times, sql, raw_times, len(api_rows), same)
        add(
            label + " — vs the leanest SQL (3 joins + the area directory)",
            page,
            page_times,
            lean_sql,
            lean_times,
            len(api_rows),
            lean_same,
        )

    # 2. The national roll-up by region of the headline indicator.
    indicator = Indicator.objects.get(code=ROLLUP_INDICATOR)
    start, end = selectors.window(indicator, FISCAL_YEAR, 4)
    sql_params = {"indicator": indicator.id, "start": start, "end": end, "threshold": indicator.condition_threshold}

    def rollup_sql():
        return raw(ROLLUP_SQL, sql_params), raw(TARGET_SQL, sql_params)

    rollup_api = api(f"/api/v1/indicators/{ROLLUP_INDICATOR}/rollup/", {"fiscal_year": FISCAL_YEAR, "quarter": 4})
    data = rollup_api()
    by_region, _targets = rollup_sql()
    sql_counts = {key or "": (Decimal(meeting), reporting) for key, meeting, reporting in by_region}
    api_counts = {r["area"]["code"]: (Decimal(r["actual"]), r["reporting"]) for r in data["rows"]}
    same = sql_counts == api_counts and Decimal(data["total"]["actual"]) == sum(v[0] for v in sql_counts.values())
    line("national roll-up by region (API, 1 indicator)", rollup_api, rollup_sql, len(data["rows"]), same)

    def rollup_direct():
        return selectors.drilldown(indicator, FISCAL_YEAR, 4)

    line("national roll-up by region (drilldown, no HTTP)", rollup_direct, rollup_sql, len(data["rows"]), same)

    # 3. Every indicator's national figure up the plan tree (the dashboard's first chart).
    progress_api = api("/api/v1/indicators/plan-progress/", {"fiscal_year": FISCAL_YEAR, "quarter": 4})
    indicators = list(Indicator.objects.filter(reporting_level="tambon").order_by("number")[:INDICATOR_COUNT])

    def all_sql():
        out = []
        for ind in indicators:
            s, e = selectors.window(ind, FISCAL_YEAR, 4)
            out.append(
                raw(
                    ROLLUP_SQL,
                    {"indicator": ind.id, "start": s, "end": e, "threshold": ind.condition_threshold or 0},
                )
            )
        return out

    line(
        f"plan-tree progress, {Indicator.objects.count()} indicators (API)",
        progress_api,
        all_sql,
        len(progress_api()["indicators"]),
        True,
    )
    return rows


def main():
    args = common.parse_args(__doc__.splitlines()[0])
    if args.sqlite:
        print("Skipped: this benchmark runs on PostgreSQL only (its goals are for production's database).")
        return
    url = common.setup(args)
    common.analyze()
    from indicators.models import AreaLevel, Indicator, Result
    from nationaldata.dataset import existing_marker

    print(f"Timing {args.repeats} runs of each (after 3 untimed warm-up runs)…")
    host = common.machine()
    rows = measure(args)
    headers = [
        "what",
        "rows",
        "median ms",
        "p95 ms",
        "SQL queries",
        "raw SQL median ms",
        "raw SQL p95 ms",
        "API ÷ raw",
    ]
    tambon_indicators = Indicator.objects.filter(reporting_level=AreaLevel.TAMBON).count()
    text = "\n".join(
        [
            "# Indicators API benchmark",
            "",
            f"- {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {host}, database `{url}`",
            f"- national data set `{existing_marker()}`: {Result.objects.count():,} approved results,"
            f" {tambon_indicators} tambon-level indicators × its tambons × 4 quarters of FY{FISCAL_YEAR}",
            f"- {args.repeats} timed runs per line after 3 warm-up runs, the API call and its raw SQL alternating run"
            " by run; Django settings as in production (DEBUG off,"
            " persistent connections); each API call is a full request through the middleware with an API-client"
            " token (token lookup, throttle, filters, serializer, JSON)",
            "- raw SQL: hand-written queries on the same connection returning the same rows: the indicator's id by"
            " its code, then the page with all its joins in one statement (LIMIT 101, as the cursor paginator asks;"
            " PostgreSQL spends most of its time planning the seven joins), and once the leanest version: the"
            " API's own three joins plus the one area-directory query it sends; for the roll-up,"
            " each tambon's latest value by DISTINCT ON, counted per region, and the indicator's targets",
            "- goals: an API page within 3× of its raw SQL; the national roll-up under 1 s",
            "",
            common.markdown_table(headers, rows),
        ]
    )
    common.write_results("indicators", text)


if __name__ == "__main__":
    main()
