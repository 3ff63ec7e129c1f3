"""Load test: gunicorn (2 workers) on 127.0.0.1 against PostgreSQL with the national data set, driven by locust.

    .venv/bin/python bench/load.py                     # 50 users for 60 s on LOAD_DATABASE_URL (or DATABASE_URL)
    .venv/bin/python bench/load.py --users 10 --seconds 10 --scale 0.02

It creates the database when it is missing, migrates it, and builds the national data set when the database has
none (reference data, then `manage.py build_national_dataset --scale …`),
signs the data set's load-test accounts in (server-side sessions, API tokens), collects the static files,
starts gunicorn with production settings (DEBUG off, no HTTPS redirect: plain HTTP on 127.0.0.1), runs locust
headless (bench/locustfile.py), stops gunicorn, prints a Markdown table and keeps it in bench/results/load.md.
Exit status 1 when any request failed. Only 127.0.0.1 is ever contacted; the run is bounded in time.
"""

import argparse
import csv
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
VENV_BIN = Path(sys.executable).parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/codi_national"
P95_GOAL_MS = 500


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(database_url: str, static_root: Path) -> dict:
    """Production settings for gunicorn, minus the HTTPS redirect (plain HTTP on the loopback interface)."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="codi_plans.settings",
        DJANGO_DEBUG="False",
        DJANGO_SECURE_SSL_REDIRECT="False",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_CONN_MAX_AGE="600",
        DJANGO_LOG_LEVEL="ERROR",
        DJANGO_STATIC_ROOT=str(static_root),
    )
    env.setdefault("DJANGO_SECRET_KEY", "load-test-only-not-a-secret")
    env.pop("REDIS_URL", None)
    return env


def prepare_accounts(path: Path) -> dict:
    """Sign the load-test accounts in and write what locust needs to `path`; Django must be set up already."""
    from django.conf import settings
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from accounts.models import Role, User
    from indicators.models import AreaLevel, Indicator, Result
    from nationaldata import dataset
    from strategies.models import PlanNode
    from workstreams.models import TambonPlan

    def session(user) -> str:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    users = User.objects.filter(username__startswith="national-", is_active=True)
    reps = list(users.filter(role=Role.COMMUNITY_REP).prefetch_related("tambons").order_by("username"))
    # Results the reps reported in an earlier run: remove them so every run reports into empty quarters.
    Result.objects.filter(created_by__in=reps).delete()
    codes = list(
        Indicator.objects.filter(reporting_level=AreaLevel.TAMBON).order_by("number").values_list("code", flat=True)
    )
    years = [y for y in (2563, 2564, 2566, 2567) if y != dataset.FISCAL_YEAR]
    slots = [(c, y, q) for y in years for q in (1, 2, 3, 4) for c in codes]
    rep_accounts = []
    for rep in reps:
        tambon = rep.tambons.first()
        plan = TambonPlan.objects.filter(tambon=tambon, created_by__username=dataset.NATIONAL_WRITER).first()
        rep_accounts.append(
            {"session": session(rep), "plan_id": plan.pk, "tambon_code": tambon.code, "result_slots": slots}
        )
    coordinator = users.get(username=dataset.LOAD_USERS["coordinator"])
    plan_ids = list(TambonPlan.objects.order_by("?").values_list("pk", flat=True)[:500])
    accounts = {
        "central": [{"session": session(users.get(username=dataset.LOAD_USERS["central"]))}],
        "coordinator": [{"session": session(coordinator)}],
        "rep": rep_accounts,
        "api_tokens": [
            Token.objects.get_or_create(user=u)[0].key for u in users.filter(role=Role.API_CLIENT).order_by("username")
        ],
        "plan_ids": plan_ids,
        "coordinator_plan_ids": list(
            TambonPlan.objects.filter(tambon__province=coordinator.province).values_list("pk", flat=True)[:200]
        )
        or plan_ids,
        "node_codes": list(PlanNode.objects.order_by("code").values_list("code", flat=True)[:60]),
        "indicator_codes": codes,
        "fiscal_year": dataset.FISCAL_YEAR,
    }
    path.write_text(json.dumps(accounts), encoding="utf-8")
    return accounts


def wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/accounts/login/", timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer within a minute")


def run_load(
    *, database_url: str, users: int, seconds: int, spawn_rate: float = 10, workers: int = 2, log=print
) -> dict:
    """Start gunicorn, run locust against it, stop gunicorn; return the aggregated figures and the rows per URL.

    Django must already be set up on `database_url` (the accounts are signed in through it).
    """
    RESULTS_DIR.mkdir(exist_ok=True)
    static_root = RESULTS_DIR / "staticfiles"
    env = server_env(database_url, static_root)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True
    )
    with tempfile.TemporaryDirectory(prefix="codi-load-") as tmp:
        tmp = Path(tmp)
        prepare_accounts(tmp / "accounts.json")
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server_log = open(tmp / "gunicorn.log", "w+", encoding="utf-8")
        server = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "-c",
                "ops/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--access-logfile",
                "/dev/null",
                "codi_plans.wsgi",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=server_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_until_up(url, server)
            log(f"gunicorn ({workers} workers) on {url}; locust: {users} users for {seconds} s")
            started = time.perf_counter()
            subprocess.run(
                [
                    str(VENV_BIN / "locust"),
                    "-f",
                    str(BENCH_DIR / "locustfile.py"),
                    "--headless",
                    "--users",
                    str(users),
                    "--spawn-rate",
                    str(spawn_rate),
                    "--run-time",
                    f"{seconds}s",
                    "--stop-timeout",
                    "10",
                    "--host",
                    url,
                    "--csv",
                    str(tmp / "load"),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                cwd=BASE_DIR,
                env={**os.environ, "LOAD_ACCOUNTS": str(tmp / "accounts.json")},
                timeout=seconds + 120,
                check=False,
            )
            elapsed = time.perf_counter() - started
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
            server_log.seek(0)
            errors_logged = [line for line in server_log.read().splitlines() if "Traceback" in line or "ERROR" in line]
            server_log.close()
        with open(tmp / "load_stats.csv", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        failures = []
        if (tmp / "load_failures.csv").exists():
            with open(tmp / "load_failures.csv", encoding="utf-8") as f:
                failures = list(csv.DictReader(f))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    return {
        "rows": [r for r in rows if r["Name"] != "Aggregated"],
        "total": total,
        "failures": failures,
        "server_errors_logged": errors_logged,
        "elapsed": elapsed,
        "users": users,
        "seconds": seconds,
        "workers": workers,
    }


def report(result: dict, database_url: str) -> str:
    from nationaldata import dataset
    from workstreams.models import TambonPlan

    total = result["total"]
    headers = ["request", "count", "failures", "median ms", "p95 ms", "max ms", "req/s"]

    def line(r):
        return [
            r["Name"] if r["Type"] in ("", None) else f"{r['Type']} {r['Name']}",
            r["Request Count"],
            r["Failure Count"],
            r["50%"],
            r["95%"],
            f"{float(r['Max Response Time']):.0f}",
            f"{float(r['Requests/s']):.1f}",
        ]

    table = [line(r) for r in sorted(result["rows"], key=lambda r: -int(r["Request Count"]))]
    table.append(["**all**", *line(total)[1:]])
    lines = [
        "# Load test",
        "",
        f"- {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, database `{database_url}`"
        f" ({dataset.database_size()}, {TambonPlan.objects.count():,} tambon plans; {dataset.existing_marker()})",
        f"- gunicorn with {result['workers']} sync workers on 127.0.0.1, production settings (DEBUG off), "
        f"locust {result['users']} users for {result['seconds']} s (the client runs on the same machine)",
        "- mix (weights): central staff browsing plan lists, plans, the plan tree, dashboards 20; provincial "
        "coordinator on the review queues 10; community reps viewing and saving their plan and submitting results "
        "10; API clients (one token each) pulling 100-row pages of indicator results and following the cursor 10",
        f"- **{int(total['Request Count']):,} requests, {int(total['Failure Count'])} failures, "
        f"p95 {total['95%']} ms (goal ≤ {P95_GOAL_MS} ms), median {total['50%']} ms, "
        f"{float(total['Requests/s']):.1f} requests/s**",
        "",
        "| " + " | ".join(headers) + " |",
        "|" + "|".join("---" for _ in headers) + "|",
        *("| " + " | ".join(str(c) for c in row) + " |" for row in table),
    ]
    if result["failures"]:
        lines += ["", "Failures:", ""]
        lines += [f"- {f['Method']} {f['Name']}: {f['Error']} ×{f['Occurrences']}" for f in result["failures"]]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--scale", type=float, default=1.0, help="data set scale when it has to be built")
    args = parser.parse_args()
    database_url = os.environ.get("LOAD_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    if not database_url.startswith("postgres"):
        sys.exit("The load test runs on PostgreSQL: set LOAD_DATABASE_URL or DATABASE_URL.")
    os.environ.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="codi_plans.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "load-test-only-not-a-secret")
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(BASE_DIR))
    sys.path.insert(0, str(BENCH_DIR))
    os.chdir(BASE_DIR)
    import common

    common.create_database(database_url)  # a fresh machine has none yet
    import django

    django.setup()
    from django.core.management import call_command

    from nationaldata import dataset

    call_command("migrate", verbosity=0, interactive=False)
    if dataset.existing_marker() is None:
        call_command("load_geography")
        call_command("load_plan_hierarchy")
        call_command("load_indicators")
        call_command("build_national_dataset", scale=args.scale)
    result = run_load(database_url=database_url, users=args.users, seconds=args.seconds)
    text = report(result, database_url)
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / "load.md").write_text(text + "\n", encoding="utf-8")
    print(text)
    print(f"\nWritten to {(RESULTS_DIR / 'load.md').relative_to(BASE_DIR)}")
    if result["server_errors_logged"]:
        print("gunicorn logged errors:\n" + "\n".join(result["server_errors_logged"][:20]))
    sys.exit(1 if int(result["total"]["Failure Count"]) else 0)


if __name__ == "__main__":
    main()
