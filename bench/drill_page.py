"""Benchmark: what serves a programme (`/plans/<code>/served-by/`) and the coverage page at national scale.

Reads the shared benchmark database (bench/common.py: created, migrated and filled with the national data set by
`build_national_dataset` when missing). Signed in as the national data set's central staff and Chiang Mai's
provincial coordinator, it times, for FY2565 (the data set's year): the drill page of programme WS-ECONOMY-G1-P1 and
of workstream WS-ECONOMY (projects, money and progress rolled up the plan tree and the geography, first page of the
project list) and of master plan 16 (every project aligned to it), the programme's own page with its summary (for
the current fiscal year, as people open it), the drill's summary in the API, and the coverage page (holes of the
plan in force, projects per workstream by area, the province map). Beside each: the number of SQL queries (constant
whatever the number of projects). Prints a Markdown table and keeps it in bench/results/drill_page.md.

    .venv/bin/python bench/drill_page.py              # PostgreSQL database codi_bench (created if missing)
    .venv/bin/python bench/drill_page.py --repeats 50
    .venv/bin/python bench/drill_page.py --scale 0.05 --repeats 1 --sqlite   # a quick check that it runs
"""

import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

FISCAL_YEAR = 2565  # the national data set's fiscal year
PAGES = [
    ("drill, programme", f"/plans/WS-ECONOMY-G1-P1/served-by/?fiscal_year={FISCAL_YEAR}"),
    ("drill, workstream", f"/plans/WS-ECONOMY/served-by/?fiscal_year={FISCAL_YEAR}"),
    ("drill, master plan", f"/plans/MP-2561-16/served-by/?fiscal_year={FISCAL_YEAR}"),
    ("plan item page", "/plans/WS-ECONOMY-G1-P1/"),
    ("drill summary API", f"/api/v1/plan-items/WS-ECONOMY-G1-P1/served-by/summary/?fiscal_year={FISCAL_YEAR}"),
    ("coverage page", f"/coverage/?fiscal_year={FISCAL_YEAR}"),
]
GOAL_MS = 300


def measure(args) -> list[list]:
    from accounts.models import User
    from nationaldata.dataset import LOAD_USERS
    from workstreams.models import CONSOLIDATED_STATUSES, Project

    rows = []
    signed_in = (("central staff", LOAD_USERS["central"]), ("coordinator, Chiang Mai", LOAD_USERS["coordinator"]))
    for label, username in signed_in:
        user = User.objects.get(username=username)
        client = common.login_client(user)
        projects = (
            Project.objects.visible_to(user)
            .filter(
                plan__status__in=CONSOLIDATED_STATUSES,
                plan__period_start_be__lte=FISCAL_YEAR,
                plan__period_end_be__gte=FISCAL_YEAR,
            )
            .count()
        )
        for page_label, url in PAGES:

            def page(url=url, client=client):
                response = client.get(url, secure=True)
                if response.status_code != 200:
                    sys.exit(f"GET {url} answered {response.status_code}")
                return response

            times = common.time_calls(page, args.repeats)
            rows.append(
                [
                    label,
                    page_label,
                    f"`{url}`",
                    projects,
                    f"{common.median(times):.1f}",
                    f"{common.p95(times):.1f}",
                    common.count_queries(page),
                ]
            )
            print(f"  {label}, {page_label}: median {rows[-1][4]} ms, {rows[-1][6]} queries")
    return rows


def main():
    args = common.parse_args(__doc__.splitlines()[0])
    url = common.setup(args)
    if url.startswith("postgres"):
        common.analyze()
    from nationaldata.dataset import existing_marker

    host = common.machine()
    rows = measure(args)
    headers = ["signed in as", "page", "URL", "projects in reach", "median ms", "p95 ms", "SQL queries"]
    text = "\n".join(
        [
            "# What serves a plan item, and coverage: benchmark",
            "",
            f"- {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {host}, database `{url}`",
            f"- national data set `{existing_marker()}`",
            f"- {args.repeats} timed runs per line after 3 warm-up runs; fiscal year {FISCAL_YEAR}",
            f"- goal: median under {GOAL_MS} ms with a number of queries that does not grow with the projects",
            "",
            common.markdown_table(headers, rows),
        ]
    )
    common.write_results("drill_page", text)


if __name__ == "__main__":
    main()
