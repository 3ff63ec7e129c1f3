"""Benchmark: the national map page (/map/) for each figure, at national scale, as CODI central staff.

Reads the shared benchmark database (bench/common.py: created, migrated and filled with the national data set by
`build_national_dataset` when missing): approved FY2565 results of every tambon-level indicator for every tambon,
targets, and FY2565 budget requests. Times the whole HTML page for each figure (a headline indicator's progress,
the approved budget per tambon, the reporting rate), the map builders alone, and the SVG renderer with no database
at all (areas.maps.province_map given its names), with the number of SQL queries. Target: < 150 ms median per page.
Prints a Markdown table and keeps it in bench/results/map_page.md.

    .venv/bin/python bench/map_page.py              # PostgreSQL database codi_bench (created if missing)
    .venv/bin/python bench/map_page.py --sqlite     # bench/results/codi_bench.sqlite3
    .venv/bin/python bench/map_page.py --scale 0.05 --repeats 1 --sqlite   # a quick check that it runs
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

FISCAL_YEAR = 2565  # the national data set's fiscal year
QUARTER = 4
TARGET_MS = 150


def main() -> None:
    args = common.parse_args(__doc__.splitlines()[0], repeats=30)
    url = common.setup(args)
    if url.startswith("postgres"):
        common.analyze()

    from django.template.loader import render_to_string

    from accounts.models import User
    from areas.maps import geometry, province_map
    from areas.selectors import tambon_counts
    from budgets.maps import budget_map
    from indicators.maps import progress_map, reporting_map
    from indicators.models import Result
    from indicators.selectors import headline_indicators
    from nationaldata.dataset import LOAD_USERS, existing_marker
    from strategies.selectors import latest_plan, plan_in_force

    staff = User.objects.get(username=LOAD_USERS["central"])
    root = plan_in_force(FISCAL_YEAR) or latest_plan(FISCAL_YEAR)
    indicators = headline_indicators(root, staff)
    # The indicator with the most approved results: the heaviest progress map.
    busiest = max(
        indicators, key=lambda i: Result.objects.filter(indicator=i, fiscal_year=FISCAL_YEAR).count(), default=None
    )
    if busiest is None:
        raise SystemExit("The national data set has no headline indicator.")
    results = Result.objects.filter(fiscal_year=FISCAL_YEAR).count()
    geometry()  # decoded once per process, as a server worker does on its first map

    client = common.login_client(staff)
    base = f"/map/?fiscal_year={FISCAL_YEAR}&quarter={QUARTER}"
    pages = [
        ("progress", f"{base}&figure=progress&indicator={busiest.code}"),
        ("budget", f"{base}&figure=budget"),
        ("reporting", f"{base}&figure=reporting"),
    ]
    for _figure, page in pages:
        response = client.get(page, secure=True)
        assert response.status_code == 200 and response.content.count(b'class="map-province') == 77, page

    names = {code: code for code in geometry().paths}
    values = {code: index for index, code in enumerate(sorted(names))}

    def render_only():
        shown = province_map(values, title="bench", unit="%", names=names, link=lambda code: f"/areas/province/{code}/")
        return render_to_string("areas/includes/province_map.html", {"map": shown})

    measured = [
        (f"HTML /map/ — {figure} (whole country)", lambda p=page: client.get(p, secure=True)) for figure, page in pages
    ]
    measured += [
        ("progress_map() alone", lambda: progress_map(busiest, FISCAL_YEAR, QUARTER)),
        ("budget_map() alone", lambda: budget_map(user=staff, fiscal_year=FISCAL_YEAR)),
        ("reporting_map() alone", lambda: reporting_map(FISCAL_YEAR, QUARTER, tambon_counts())),
        ("SVG, legend and table only (no database)", render_only),
    ]
    lines = []
    for label, fn in measured:
        times = common.time_calls(fn, args.repeats)
        median = common.median(times)
        verdict = ("yes" if median < TARGET_MS else "**no**") if label.startswith("HTML") else ""
        lines.append([label, f"{median:.1f}", f"{common.p95(times):.1f}", common.count_queries(fn), verdict])
    table = common.markdown_table(["what", "median ms", "p95 ms", "SQL queries", f"< {TARGET_MS} ms"], lines)
    size = len(client.get(pages[0][1], secure=True).content)
    text = "\n".join(
        [
            f"# The map of Thailand, fiscal year {FISCAL_YEAR}, quarter {QUARTER}",
            "",
            f"National data set `{existing_marker()}` on {url.split('@')[-1]}: {results:,} results of FY{FISCAL_YEAR}; "
            f"progress of `{busiest.code}`, the headline indicator with the most of them; central staff.",
            "",
            common.machine() + f"; {args.repeats} timed runs after 3 warm-ups.",
            "",
            table,
            "",
            f"The progress page weighs {size / 1024:.0f} KiB of HTML (the SVG paths are decoded and simplified "
            "once per process; a request only joins strings).",
        ]
    )
    common.write_results("map_page", text)


if __name__ == "__main__":
    main()
