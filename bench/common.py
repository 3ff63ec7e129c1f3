"""Shared set-up for the benchmarks: one national database, Django configured like production, timing helpers.

Each benchmark is a standalone script (`.venv/bin/python bench/<name>.py`). It imports this module first,
calls `setup()` before importing any model, and writes its table with `write_results()`.

Every benchmark reads the same database, which holds the national data set (`nationaldata`, built by
`manage.py build_national_dataset`): `setup()` creates the database when it is missing, migrates it, and builds
the data set when its marker is missing (`make bench-data` does only that). The database is never the one
`make run` uses: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/codi_bench) or, with --sqlite,
bench/results/codi_bench.sqlite3. Its name must contain "bench", because building the data set may flush it.
"""

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import urlparse

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/codi_bench"


def parser(description: str, repeats: int = 30) -> argparse.ArgumentParser:
    """The options every benchmark takes: the database, the timed runs, the national data set's scale and seed."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--sqlite", action="store_true", help="use bench/results/codi_bench.sqlite3, not PostgreSQL")
    parser.add_argument("--repeats", type=int, default=repeats, help=f"timed runs per measurement (default {repeats})")
    parser.add_argument("--rebuild", action="store_true", help="flush the benchmark database and build the data again")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="fraction of the tambons the national data set covers (default 1)"
    )
    parser.add_argument("--seed", type=int, default=2563, help="the national data set's seed (default 2563)")
    return parser


def parse_args(description: str, repeats: int = 30) -> argparse.Namespace:
    return parser(description, repeats).parse_args()


def database_url(args) -> str:
    if args.sqlite:
        RESULTS_DIR.mkdir(exist_ok=True)
        return f"sqlite:///{RESULTS_DIR / 'codi_bench.sqlite3'}"
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)


def _database_name(url: str) -> str:
    parsed = urlparse(url)
    return Path(parsed.path).name if parsed.scheme.startswith("sqlite") else parsed.path.lstrip("/")


def _create_postgres_database(url: str) -> None:
    """Create the PostgreSQL database when it is missing (connecting to the server's `postgres` database)."""
    import psycopg2
    from psycopg2 import sql

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    conn = psycopg2.connect(
        host=parsed.hostname,
        port=parsed.port or 5432,
        user=parsed.username,
        password=parsed.password,
        dbname="postgres",
    )
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cur.fetchone() is None:
                cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                print(f"Created database {name}")
    finally:
        conn.close()


def create_database(url: str) -> None:
    """Create the database when it is missing (PostgreSQL; an SQLite file is created on first connection)."""
    if url.startswith("postgres"):
        _create_postgres_database(url)


def setup(args, *, national_data: bool = True) -> str:
    """Point Django at the benchmark database with production-like settings, migrate it, build the national data
    set when it is missing (unless `national_data` is false); return the database's URL."""
    url = database_url(args)
    if "bench" not in _database_name(url):
        sys.exit(f"Refusing to use {url}: a benchmark database's name must contain 'bench' (it may be flushed).")
    create_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-not-a-secret")
    # Production settings (DEBUG off: no query log, cached templates), minus the HTTPS redirect the in-process
    # client cannot follow; persistent connections, as a production server keeps them.
    os.environ["DJANGO_DEBUG"] = "False"
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "False"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
    os.environ["DJANGO_CONN_MAX_AGE"] = "600"
    os.environ["DJANGO_LOG_LEVEL"] = "ERROR"
    os.environ.pop("REDIS_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "codi_plans.settings"
    sys.path.insert(0, str(BASE_DIR))
    os.chdir(BASE_DIR)

    import django

    django.setup()
    from django.conf import settings

    # Pages link static files by name: the hashed-name manifest would need a collectstatic run first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    warnings.filterwarnings("ignore", message="No directory at")
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"Database {url} migrated in {time.perf_counter() - started:.1f} s")
    if national_data:
        ensure_national_data(seed=args.seed, scale=args.scale, rebuild=args.rebuild)
    return url


def ensure_national_data(*, seed: int, scale: float, rebuild: bool = False) -> bool:
    """Make the benchmark database hold the national data set of this seed and scale; return whether it was built.

    The data set is built by its one command, `build_national_dataset`. When its marker is missing (or on
    --rebuild), the benchmark database is flushed first (it holds nothing else), the reference data loaded and the
    data set built.
    """
    from django.core.management import call_command

    from nationaldata import dataset

    wanted = dataset.marker_name(seed, scale)
    built = dataset.existing_marker()
    if built == wanted and not rebuild:
        print(f"Reusing the national data set {wanted} (--rebuild builds it again)")
        return False
    print(f"Building the national data set {wanted}" + (f" in place of {built}" if built else ""))
    started = time.perf_counter()
    ensure_reference_data(flush=True)
    call_command("load_indicators", verbosity=0)
    call_command("build_national_dataset", seed=seed, scale=scale)
    print(f"Built the national data set {wanted} in {time.perf_counter() - started:.1f} s")
    return True


def ensure_reference_data(flush: bool = False) -> None:
    """Load the geography and the plan hierarchy, after flushing every table when asked."""
    from django.core.management import call_command

    from areas.models import Subdistrict
    from areas.services import load_geography
    from strategies.models import PlanNode
    from strategies.services import load_plan_hierarchy

    if flush:
        started = time.perf_counter()
        call_command("flush", verbosity=0, interactive=False)
        print(f"Flushed the benchmark database in {time.perf_counter() - started:.1f} s")
    if not Subdistrict.objects.exists():
        load_geography()
    if not PlanNode.objects.exists():
        load_plan_hierarchy()


def analyze() -> None:
    """Refresh the planner's statistics, as autovacuum would after a bulk load, so plans match production."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def login_client(user):
    """A Django test client signed in as the user, speaking HTTPS like production."""
    from django.test import Client

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def time_calls(fn, repeats: int, warmup: int = 3) -> list[float]:
    """Run fn warmup times untimed, then `repeats` times; return each run's wall time in milliseconds."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def count_queries(fn) -> int:
    """Run fn once more and return how many SQL queries it sent."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx)


def median(times: list[float]) -> float:
    return statistics.median(times)


def p95(times: list[float]) -> float:
    """The 95th percentile by nearest rank."""
    ordered = sorted(times)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def machine() -> str:
    from django.db import connection

    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SHOW server_version")
            version = f"PostgreSQL {cur.fetchone()[0]}"
        else:
            cur.execute("SELECT sqlite_version()")
            version = f"SQLite {cur.fetchone()[0]}"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{version}, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {load} before timing"


def markdown_table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def write_results(name: str, text: str) -> Path:
    """Print the results and keep them in bench/results/<name>.md (git-ignored)."""
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{name}.md"
    path.write_text(text + "\n", encoding="utf-8")
    print(text)
    print(f"\nWritten to {path.relative_to(BASE_DIR)}")
    return path


if __name__ == "__main__":
    # `make bench-data`: create, migrate and fill the shared benchmark database, time nothing.
    setup(parse_args("Create the benchmark database and build the national data set in it when missing."))
