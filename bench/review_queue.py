"""Benchmark: the review queue on the national data set, a tambon plan for every one of Thailand's 7,436 tambons.

Reads the shared benchmark database (bench/common.py: created, migrated and filled with the national data set
by `build_national_dataset` when missing): one 2563–2565 plan per tambon with 3–8 projects each, their budget
lines, indicators, ranked problems and workflow history. For the data set's provincial coordinator (Chiang Mai)
and central staff, it times the HTML review queue page and the API list of plans awaiting review, and beside each
a hand-written SQL query returning the same rows, in the same run. Prints a Markdown table and keeps it in
bench/results/review_queue.md.

    .venv/bin/python bench/review_queue.py              # PostgreSQL database codi_bench (created if missing)
    .venv/bin/python bench/review_queue.py --sqlite     # SQLite file bench/results/codi_bench.sqlite3
    .venv/bin/python bench/review_queue.py --repeats 50 --rebuild
"""

import re
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

API_QUEUE_URL = "/api/v1/tambon-plans/?status=submitted&status=resubmitted"


# --- the data set ------------------------------------------------------------------------------------------------


def users() -> list[tuple[str, str]]:
    """The national data set's accounts the queue is timed for: (username, label)."""
    from nationaldata.dataset import LOAD_USERS

    return [
        (LOAD_USERS["coordinator"], "provincial coordinator (Chiang Mai)"),
        (LOAD_USERS["central"], "central staff"),
    ]


# --- hand-written SQL returning the same rows ------------------------------------------------------------------

# The page's rows, then their project counts and budget totals for those rows only.
PAGE_SQL = """
SELECT page.*,
       (SELECT COUNT(*) FROM workstreams_project pj WHERE pj.plan_id = page.id) AS project_count,
       (SELECT COALESCE(SUM(b.amount), 0) FROM workstreams_projectbudget b
          JOIN workstreams_project pj ON pj.id = b.project_id WHERE pj.plan_id = page.id) AS budget_total
  FROM (SELECT p.id, p.status, p.period_start_be, p.period_end_be, p.households, p.population, p.vision,
               p.revision, p.created_at, p.updated_at, p.status_changed_at,
               t.code AS tambon_code, t.name_th AS tambon_th, t.name_en AS tambon_en,
               d.code AS district_code, d.name_th AS district_th, d.name_en AS district_en,
               pr.code AS province_code, pr.name_th AS province_th, pr.name_en AS province_en
          FROM workstreams_tambonplan p
          JOIN areas_subdistrict t ON t.id = p.tambon_id
          JOIN areas_district d ON d.id = t.district_id
          JOIN areas_province pr ON pr.id = t.province_id
         WHERE p.status IN ('submitted', 'resubmitted') {scope}
         ORDER BY {order}
         LIMIT {limit}) AS page
 ORDER BY {outer_order}
"""
# (inner ORDER BY, outer ORDER BY): the HTML queue's oldest-first order, and the API's default ordering.
ORDERS = {
    "html": ("p.status_changed_at, t.code", "page.status_changed_at, page.tambon_code"),
    "api": ("t.code, p.period_start_be DESC", "page.tambon_code, page.period_start_be DESC"),
}
COUNT_SQL = (
    "SELECT COUNT(*) FROM workstreams_tambonplan p {join} WHERE p.status IN ('submitted', 'resubmitted') {scope}"
)
STATUS_COUNTS_SQL = (
    "SELECT p.status, COUNT(*) FROM workstreams_tambonplan p {join} WHERE 1 = 1 {scope} GROUP BY p.status"
)
PROBLEMS_SQL = (
    "SELECT plan_id, rank, title, description FROM workstreams_problem WHERE plan_id IN ({ids}) ORDER BY rank"
)


def raw_queue(province_id, order: str, limit: int, with_counts: bool, with_problems: bool):
    """Fetch a queue page by hand: status counts (HTML page), the row count, the rows, their problems (API)."""
    from django.db import connection

    scope, params = ("AND t.province_id = %s", [province_id]) if province_id else ("", [])
    join = "JOIN areas_subdistrict t ON t.id = p.tambon_id" if province_id else ""
    inner, outer = ORDERS[order]
    with connection.cursor() as cur:
        if with_counts:
            cur.execute(STATUS_COUNTS_SQL.format(join=join, scope=scope), params)
            cur.fetchall()
        cur.execute(COUNT_SQL.format(join=join, scope=scope), params)
        total = cur.fetchone()[0]
        cur.execute(PAGE_SQL.format(scope=scope, order=inner, outer_order=outer, limit=limit), params)
        rows = cur.fetchall()
        if with_problems and rows:
            cur.execute(PROBLEMS_SQL.format(ids=", ".join(str(int(r[0])) for r in rows)))
            cur.fetchall()
    return [r[0] for r in rows], total


# --- the measurements --------------------------------------------------------------------------------------------


def html_queue_url() -> str | None:
    from django.urls import NoReverseMatch, Resolver404, resolve, reverse

    try:
        return reverse("workstreams:review")
    except NoReverseMatch:
        pass
    try:
        resolve("/tambon-plans/queue/")
        return "/tambon-plans/queue/"
    except Resolver404:
        return None


def measure(args) -> list[list]:
    from django.conf import settings

    from accounts.models import User

    rows = []
    html_url = html_queue_url()
    api_page_size = settings.REST_FRAMEWORK["PAGE_SIZE"]
    html_page_size = _html_page_size()
    for username, label in users():
        user = User.objects.get(username=username)
        client = common.login_client(user)
        province_id = user.province_id
        cases = []
        if html_url:
            cases.append(
                (
                    f"HTML {html_url}",
                    lambda c=client, u=html_url: _get(c, u),
                    lambda p=province_id: raw_queue(p, "html", html_page_size, True, False),
                    _html_ids,
                )
            )
        cases.append(
            (
                f"API {API_QUEUE_URL}",
                lambda c=client: _get(c, API_QUEUE_URL),
                lambda p=province_id: raw_queue(p, "api", api_page_size, False, True),
                _api_ids,
            )
        )
        for what, page, raw, ids_of in cases:
            response = page()
            raw_ids, total = raw()
            same = ids_of(response) == raw_ids
            page_times = common.time_calls(page, args.repeats)
            raw_times = common.time_calls(raw, args.repeats)
            rows.append(
                [
                    label,
                    what,
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
            print(f"  {label}: {what}: {rows[-1][3]} ms median, {rows[-1][5]} queries")
    if not html_url:
        print("No HTML review queue page found: timed the API only.")
    return rows


def _get(client, url):
    response = client.get(url, secure=True)
    if response.status_code != 200:
        sys.exit(f"GET {url} answered {response.status_code}")
    return response


def _api_ids(response) -> list[int]:
    return [p["id"] for p in response.json()["results"]]


def _html_ids(response) -> list[int]:
    return [int(i) for i in re.findall(r'data-plan="(\d+)"', response.content.decode())]


def _html_page_size() -> int:
    try:
        from workstreams.views import PAGE_SIZE
    except ImportError:
        return 25
    return PAGE_SIZE


def main():
    args = common.parse_args(__doc__.splitlines()[0])
    url = common.setup(args)
    common.analyze()
    from django.db.models import Count

    from nationaldata.dataset import existing_marker
    from workstreams.models import Project, TambonPlan

    print(f"Timing {args.repeats} runs of each (after 3 untimed warm-up runs)…")
    host = common.machine()
    rows = measure(args)
    mix = ", ".join(
        f"{status} {n:,}"
        for status, n in TambonPlan.objects.order_by("status").values_list("status").annotate(n=Count("id"))
    )
    headers = [
        "who",
        "what",
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
            "# Review queue benchmark",
            "",
            f"- {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {host}, database `{url}`",
            f"- national data set `{existing_marker()}`: {TambonPlan.objects.count():,} tambon plans,"
            f" {Project.objects.count():,} projects;"
            f" statuses: {mix}",
            f"- {args.repeats} timed runs per line after 3 warm-up runs; Django settings as in production (DEBUG off,"
            " persistent connections); each page is a full request through the middleware with a signed-in session",
            "- raw SQL: hand-written queries on the same connection: the status counts (HTML page only), the row count,"
            " the page's rows with their project count and budget total, and the page's problems (API only)",
            "",
            common.markdown_table(headers, rows),
        ]
    )
    common.write_results("review_queue", text)


if __name__ == "__main__":
    main()
