"""Benchmark: the indicator dashboard `/indicators/` at national scale, cached and recomputed.

Reads the shared benchmark database (bench/common.py). Signed in as the national data set's central staff and
Chiang Mai's provincial coordinator, it times the dashboard for FY2565 Q4 (the data set's year): served from the
figures cache (indicators/freshness.py: the figures stay cached until a write changes the figures token), and
recomputed (the cache cleared before every run: what the first reader after an approval waits). The cache is Redis
(BENCH_REDIS_URL, default redis://127.0.0.1:6379/14), as in production; without Redis, Django's local-memory
cache, said so in the results. Prints a Markdown table and keeps it in bench/results/dashboard.md.

    .venv/bin/python bench/dashboard.py              # PostgreSQL database codi_bench (created if missing)
    .venv/bin/python bench/dashboard.py --repeats 50
"""

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

URL = "/indicators/?fy=2565&q=4"
GOAL_MS = 100


def use_redis() -> str:
    from django.conf import settings
    from django.core.cache import caches

    location = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location}}
    caches._settings = caches.settings = settings.CACHES  # rebuild the handler's view of the settings
    try:
        caches["default"].get("ping")
    except Exception:  # noqa: BLE001  (no Redis here: fall back and say so)
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
        caches._settings = caches.settings = settings.CACHES
        return "local memory (Redis unreachable)"
    return f"Redis {location}"


def measure(args) -> list[list]:
    from django.core.cache import cache

    from accounts.models import User
    from nationaldata.dataset import LOAD_USERS

    rows = []
    signed_in = (("central staff", LOAD_USERS["central"]), ("coordinator, Chiang Mai", LOAD_USERS["coordinator"]))
    for label, username in signed_in:
        client = common.login_client(User.objects.get(username=username))

        def page(client=client):
            response = client.get(URL, secure=True)
            if response.status_code != 200:
                sys.exit(f"GET {URL} answered {response.status_code}")
            return response

        def recomputed(page=page):
            cache.clear()
            return page()

        cached_times = common.time_calls(page, args.repeats)
        cold_times = common.time_calls(recomputed, max(3, args.repeats // 3))
        rows.append(
            [
                label,
                f"{common.median(cached_times):.1f}",
                f"{common.p95(cached_times):.1f}",
                common.count_queries(page),
                f"{common.median(cold_times):.1f}",
                f"{common.p95(cold_times):.1f}",
                common.count_queries(recomputed),
            ]
        )
        print(f"  {label}: cached {rows[-1][1]} ms, recomputed {rows[-1][4]} ms")
    return rows


def main():
    args = common.parse_args(__doc__.splitlines()[0])
    url = common.setup(args)
    if url.startswith("postgres"):
        common.analyze()
    cache_name = use_redis()
    from nationaldata.dataset import existing_marker

    host = common.machine()
    rows = measure(args)
    headers = [
        "signed in as",
        "cached median ms",
        "cached p95 ms",
        "cached SQL queries",
        "recomputed median ms",
        "recomputed p95 ms",
        "recomputed SQL queries",
    ]
    text = "\n".join(
        [
            f"# Indicator dashboard benchmark `{URL}`",
            "",
            f"- {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {host}, database `{url}`, cache: {cache_name}",
            f"- national data set `{existing_marker()}`",
            f"- {args.repeats} timed runs per cached line after 3 warm-up runs; the recomputed lines clear the cache"
            " before every run (what the first reader after an approval waits)",
            f"- goal: cached median under {GOAL_MS} ms with a constant number of queries",
            "",
            common.markdown_table(headers, rows),
        ]
    )
    common.write_results("dashboard", text)


if __name__ == "__main__":
    main()
