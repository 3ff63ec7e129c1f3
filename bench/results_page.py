"""Benchmark: the indicators results page for one province's coordinator, on the national data set.

Reads the shared benchmark database (bench/common.py: created, migrated and filled with the national data set by
`build_national_dataset` when missing). Signed in as the data set's provincial coordinator (Chiang Mai), it times
the results page for the province, `/indicators/results/?province=50` (newest first, 50 a page; every other
province's approved results are visible too, so the province is the page's filter), alone and with one indicator
and quarter, and beside each a hand-written SQL query returning the same rows (the row
count and the page with its indicator and area names) on the same connection in the same run. Prints a Markdown
table and keeps it in bench/results/results_page.md.

    .venv/bin/python bench/results_page.py              # PostgreSQL database codi_bench (created if missing)
    .venv/bin/python bench/results_page.py --sqlite     # SQLite file bench/results/codi_bench.sqlite3
    .venv/bin/python bench/results_page.py --repeats 50
"""

import re
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

FISCAL_YEAR = 2565  # the national data set's fiscal year
PAGE_SIZE = 50  # indicators.views.results_list
INDICATOR = "ECON-SOCIAL-ENTREPRENEURS"
GOAL_RATIO = 3

COUNT_SQL = "SELECT COUNT(*) FROM indicators_result r WHERE r.province_id = %s {extra}"
PAGE_SQL = """
SELECT r.id, r.fiscal_year, r.quarter, r.level, r.value, r.status, r.updated_at,
       i.code, i.name_th, i.name_en, i.unit_th, i.unit_en,
       t.code, t.name_th, t.name_en, d.code, d.name_th, d.name_en, p.code, p.name_th, p.name_en
  FROM indicators_result r
  JOIN indicators_indicator i ON i.id = r.indicator_id
  LEFT JOIN areas_subdistrict t ON t.id = r.tambon_id
  LEFT JOIN areas_district d ON d.id = r.district_id
  LEFT JOIN areas_province p ON p.id = r.province_id
 WHERE r.province_id = %s {extra}
 ORDER BY r.updated_at DESC, r.id DESC
 LIMIT {limit}
"""


def raw_page(province_id: int, extra: str, params: list):
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(COUNT_SQL.format(extra=extra), [province_id, *params])
        total = cur.fetchone()[0]
        cur.execute(PAGE_SQL.format(extra=extra, limit=PAGE_SIZE), [province_id, *params])
        rows = cur.fetchall()
    return [r[0] for r in rows], total


def _ids(response) -> list[int]:
    return [int(i) for i in re.findall(r'href="/indicators/results/(\d+)/"', response.content.decode())]


def measure(args) -> list[list]:
    from accounts.models import User
    from indicators.models import Indicator
    from nationaldata.dataset import LOAD_USERS

    coordinator = User.objects.get(username=LOAD_USERS["coordinator"])
    client = common.login_client(coordinator)
    indicator = Indicator.objects.get(code=INDICATOR)
    province = coordinator.province.code
    cases = [
        ("every result in the province", f"/indicators/results/?province={province}", "", []),
        (
            f"one indicator ({INDICATOR}), FY{FISCAL_YEAR} Q2",
            f"/indicators/results/?province={province}&indicator={INDICATOR}&fiscal_year={FISCAL_YEAR}&quarter=2",
            "AND r.indicator_id = %s AND r.fiscal_year = %s AND r.quarter = %s",
            [indicator.id, FISCAL_YEAR, 2],
        ),
    ]
    rows = []
    for label, url, extra, params in cases:

        def page(url=url):
            response = client.get(url, secure=True)
            if response.status_code != 200:
                sys.exit(f"GET {url} answered {response.status_code}")
            return response

        def raw(extra=extra, params=params):
            return raw_page(coordinator.province_id, extra, params)

        raw_ids, total = raw()
        same = _ids(page()) == raw_ids
        page_times = common.time_calls(page, args.repeats)
        raw_times = common.time_calls(raw, args.repeats)
        rows.append(
            [
                f"{label} `{url}`",
                f"{len(raw_ids)} of {total:,}" + ("" if same else " (rows differ!)"),
                f"{common.median(page_times):.1f}",
                f"{common.p95(page_times):.1f}",
                common.count_queries(page),
                f"{common.median(raw_times):.2f}",
                f"{common.p95(raw_times):.2f}",
                common.count_queries(raw),
                f"{common.median(page_times) / common.median(raw_times):.1f}×",
            ]
        )
        print(f"  {label}: {rows[-1][2]} ms median, {rows[-1][4]} queries")
    return rows


def main():
    args = common.parse_args(__doc__.splitlines()[0])
    url = common.setup(args)
    if url.startswith("postgres"):
        common.analyze()
    from nationaldata.dataset import existing_marker

    print(f"Timing {args.repeats} runs of each (after 3 untimed warm-up runs)…")
    host = common.machine()
    rows = measure(args)
    headers = [
        "page",
        "rows on page",
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
            "# Results page benchmark: one province's coordinator",
            "",
            f"- {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {host}, database `{url}`",
            f"- national data set `{existing_marker()}`; signed in as the provincial coordinator of Chiang Mai",
            f"- {args.repeats} timed runs per line after 3 warm-up runs; Django settings as in production (DEBUG off,"
            " persistent connections); each page is a full request through the middleware with a signed-in session",
            "- raw SQL: hand-written queries on the same connection: the province's row count and the page's rows"
            " with their indicator and area names; the script checks both return the same results in the same order",
            f"- goal: the page within {GOAL_RATIO}× of its raw SQL",
            "",
            common.markdown_table(headers, rows),
        ]
    )
    common.write_results("results_page", text)


if __name__ == "__main__":
    main()
