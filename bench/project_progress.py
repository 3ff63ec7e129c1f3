"""Benchmark: project progress on the national data set: the figures of every consolidated project and their
roll-up (progress.selectors), nationally and for one province, and the progress-reports API, each beside a
hand-written SQL query that adds up the same approved reports. Prints a Markdown table and keeps it in
bench/results/project_progress.md.

    .venv/bin/python bench/project_progress.py              # PostgreSQL database codi_bench (created if missing)
    .venv/bin/python bench/project_progress.py --sqlite     # SQLite file bench/results/codi_bench.sqlite3
"""

import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

# The approved reports' spending of the year, and the number of projects reporting, by hand.
RAW_SQL = """
SELECT COUNT(DISTINCT r.project_id), COALESCE(SUM(s.amount), 0)
  FROM progress_projectprogress r
  JOIN workstreams_project p ON p.id = r.project_id
  JOIN workstreams_tambonplan tp ON tp.id = p.plan_id
  JOIN areas_subdistrict t ON t.id = tp.tambon_id
  LEFT JOIN progress_progressspending s ON s.report_id = r.id
 WHERE r.status = 'approved' AND r.fiscal_year = %s AND tp.status IN ('accepted', 'endorsed') {scope}
"""


def raw(fiscal_year: int, province_id):
    from django.db import connection

    scope, params = ("AND t.province_id = %s", [fiscal_year, province_id]) if province_id else ("", [fiscal_year])
    with connection.cursor() as cur:
        cur.execute(RAW_SQL.format(scope=scope), params)
        return cur.fetchone()


def measure(args) -> list[list]:
    from accounts.models import User
    from areas.models import Province
    from nationaldata.dataset import FISCAL_YEAR, LOAD_USERS
    from progress.selectors import project_progress, rollup
    from workstreams.models import CONSOLIDATED_STATUSES, Project

    rows = []
    chiang_mai = Province.objects.get(code="50")
    for label, province in (("whole country", None), ("Chiang Mai", chiang_mai)):
        projects = Project.objects.filter(plan__status__in=CONSOLIDATED_STATUSES)
        if province is not None:
            projects = projects.filter(plan__tambon__province=province)

        def figures(qs=projects):
            return rollup(project_progress(qs, FISCAL_YEAR).values())

        def by_hand(p=province):
            return raw(FISCAL_YEAR, p.pk if p else None)

        summary = figures()
        reported, spent = by_hand()
        same = (summary.reported, summary.spent_total) == (reported, spent)
        fn_times = common.time_calls(figures, args.repeats)
        raw_times = common.time_calls(by_hand, args.repeats)
        rows.append(
            [
                label,
                "project_progress + rollup",
                f"{summary.projects:,} projects, {summary.reported:,} reported, {summary.percent}%"
                + ("" if same else " (totals differ!)"),
                f"{common.median(fn_times):.1f}",
                f"{common.p95(fn_times):.1f}",
                common.count_queries(figures),
                f"{common.median(raw_times):.1f}",
            ]
        )
        print(f"  {label}: figures {rows[-1][3]} ms median")
    client = common.login_client(User.objects.get(username=LOAD_USERS["central"]))
    for what in (f"?fiscal_year={FISCAL_YEAR}&province=50", f"?fiscal_year={FISCAL_YEAR}&province=50&format=csv"):
        url = f"/api/v1/progress-reports/{what}"

        def page(u=url):
            response = client.get(u, secure=True)
            if response.status_code != 200:
                sys.exit(f"GET {u} answered {response.status_code}")
            return response

        times = common.time_calls(page, args.repeats)
        rows.append(
            [
                "central staff",
                f"API {url}",
                "one page (100 reports)",
                f"{common.median(times):.1f}",
                f"{common.p95(times):.1f}",
                common.count_queries(page),
                "",
            ]
        )
        print(f"  {url}: {rows[-1][3]} ms median")
    return rows


def main():
    args = common.parse_args(__doc__.splitlines()[0])
    url = common.setup(args)
    common.analyze()
    from nationaldata.dataset import existing_marker
    from progress.models import ProjectProgress

    print(f"Timing {args.repeats} runs of each (after 3 untimed warm-up runs)…")
    host = common.machine()
    rows = measure(args)
    headers = ["scope", "what", "rows", "median ms", "p95 ms", "SQL queries", "raw SQL median ms"]
    text = "\n".join(
        [
            "# Project progress benchmark",
            "",
            f"- {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {host}, database `{url}`",
            f"- national data set `{existing_marker()}`: {ProjectProgress.objects.count():,} approved progress reports",
            f"- {args.repeats} timed runs per line after 3 warm-up runs; Django settings as in production",
            "- raw SQL: one hand-written query counting the reporting projects and adding up their spending",
            "",
            common.markdown_table(headers, rows),
        ]
    )
    common.write_results("project_progress", text)


if __name__ == "__main__":
    main()
