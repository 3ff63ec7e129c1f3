"""Benchmark: the public pages (no sign-in) for the country, a region, a province and a tambon on the national data.

Reads the shared benchmark database (bench/common.py). For an anonymous visitor it times `/open/`, the region and
the province with the most tambons with accepted plans, and one of that province's tambons, for the national data
set's fiscal year, each twice: "built" with the server-side page cache cleared before every run (the view, its
grouped queries and the template: what the first visitor after a change waits for) and "cached" (what every other
visitor gets until the cache entry expires after 300 s). Beside each built page it times a hand-written SQL
statement returning the same headline totals (accepted plans, their projects, the year's planned budget) and checks
they equal the page's selector's. Goal: a province page under 100 ms median, built. Prints a Markdown table and
keeps it in bench/results/public_pages.md.

    .venv/bin/python bench/public_pages.py                 # PostgreSQL database codi_bench (created if missing)
    .venv/bin/python bench/public_pages.py --scale 0.05 --repeats 1 --sqlite   # a quick check that it runs
"""

import sys
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

FISCAL_YEAR = 2565  # the national data set's fiscal year
GOAL_MS = 100

# The headline totals of an area in one statement: accepted plans covering the year, their projects, and the year's
# budget lines of those projects. {where} narrows the tambons (by province or region).
TOTALS_SQL = """
WITH plans AS (
    SELECT p.id FROM workstreams_tambonplan p JOIN areas_subdistrict t ON t.id = p.tambon_id
      LEFT JOIN areas_province pr ON pr.id = t.province_id
     WHERE p.status IN ('accepted', 'endorsed') AND p.period_start_be <= %s AND p.period_end_be >= %s {where}
)
SELECT (SELECT count(*) FROM plans),
       (SELECT count(*) FROM workstreams_project j WHERE j.plan_id IN (SELECT id FROM plans)),
       (SELECT coalesce(sum(b.amount), 0) FROM workstreams_projectbudget b
          JOIN workstreams_project j ON j.id = b.project_id
         WHERE b.fiscal_year = %s AND j.plan_id IN (SELECT id FROM plans))
"""


def raw_totals(level: str, obj) -> tuple:
    from django.db import connection

    where, params = "", [FISCAL_YEAR, FISCAL_YEAR]
    if level == "region":
        where, params = "AND pr.region_id = %s", [*params, obj.pk]
    elif level == "province":
        where, params = "AND t.province_id = %s", [*params, obj.pk]
    elif level == "tambon":
        where, params = "AND t.id = %s", [*params, obj.pk]
    with connection.cursor() as cur:
        cur.execute(TOTALS_SQL.format(where=where), [*params, FISCAL_YEAR])
        plans, projects, planned = cur.fetchone()
    return int(plans), int(projects), Decimal(planned).quantize(Decimal("0.01"))


def pages():
    """(label, level, area object, URL) for the country, the busiest region and province, and one of its tambons."""
    from django.db.models import Count

    from areas.models import Province, Subdistrict
    from public.selectors import public_plans

    busiest = public_plans(FISCAL_YEAR).values("tambon__province_id").annotate(n=Count("id")).order_by("-n").first()
    if busiest is None:
        sys.exit(f"No accepted tambon plan covers FY{FISCAL_YEAR}: build the national data set first.")
    province = Province.objects.select_related("region").get(pk=busiest["tambon__province_id"])
    tambon = Subdistrict.objects.get(pk=public_plans(FISCAL_YEAR).filter(tambon__province=province).first().tambon_id)
    query = f"?year={FISCAL_YEAR}"
    return [
        ("country", "country", None, f"/open/{query}"),
        (f"region {province.region.key}", "region", province.region, f"/open/region/{province.region.key}/{query}"),
        (f"province {province.code}", "province", province, f"/open/province/{province.code}/{query}"),
        (f"tambon {tambon.code}", "tambon", tambon, f"/open/tambon/{tambon.code}/{query}"),
    ]


def measure(args) -> list[list]:
    from django.core.cache import cache
    from django.test import Client

    from public import selectors

    client = Client()  # anonymous: no session, no cookie
    rows = []
    for label, level, obj, url in pages():

        def get(url=url):
            response = client.get(url, secure=True)
            if response.status_code != 200:
                sys.exit(f"GET {url} answered {response.status_code}")
            return response

        def built(get=get):
            cache.clear()
            return get()

        def raw(level=level, obj=obj):
            return raw_totals(level, obj)

        total = selectors.area_summary(
            selectors.find_area(level, getattr(obj, "code", None) or getattr(obj, "key", "")), FISCAL_YEAR
        )["total"]
        same = (total["plans"], total["projects"], total["planned"].quantize(Decimal("0.01"))) == raw()
        built_times = common.time_calls(built, args.repeats)
        cached_times = common.time_calls(get, args.repeats)
        raw_times = common.time_calls(raw, args.repeats)
        cache.clear()
        queries = common.count_queries(get)
        rows.append(
            [
                f"{label} `{url}`",
                f"{total['plans']}" + ("" if same else " (totals differ!)"),
                f"{common.median(built_times):.1f}",
                f"{common.p95(built_times):.1f}",
                queries,
                f"{common.median(cached_times):.2f}",
                f"{common.median(raw_times):.2f}",
                f"{common.median(built_times) / common.median(raw_times):.1f}×",
            ]
        )
        print(f"  {label}: built {rows[-1][2]} ms, cached {rows[-1][5]} ms median, {queries} queries")
    return rows


def main():
    args = common.parse_args(__doc__.splitlines()[0])
    url = common.setup(args)
    common.analyze()
    from nationaldata.dataset import existing_marker

    print(f"Timing {args.repeats} runs of each (after 3 untimed warm-up runs)…")
    host = common.machine()
    rows = measure(args)
    province_ms = float(next(r for r in rows if r[0].startswith("province"))[2])
    headers = [
        "page",
        "accepted plans",
        "built median ms",
        "built p95 ms",
        "SQL queries",
        "cached median ms",
        "raw SQL median ms",
        "built ÷ raw",
    ]
    text = "\n".join(
        [
            "# Public pages benchmark",
            "",
            f"- {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {host}, database `{url}`",
            f"- national data set `{existing_marker()}`; FY{FISCAL_YEAR}; anonymous visitor (no session)",
            f"- {args.repeats} timed runs per line after 3 warm-up runs; Django settings as in production (DEBUG off,"
            " persistent connections); each page is a full request through the middleware",
            "- built: the page cache cleared before every run; cached: served from the server-side cache (300 s)",
            "- raw SQL: one hand-written statement with the area's accepted plans, their projects and the year's"
            " planned budget; the script checks they equal the page's totals",
            f"- province page under {GOAL_MS} ms built: **{province_ms:.1f} ms**"
            f" {'✓' if province_ms < GOAL_MS else '✗'}",
            "",
            common.markdown_table(headers, rows),
        ]
    )
    common.write_results("public_pages", text)


if __name__ == "__main__":
    main()
