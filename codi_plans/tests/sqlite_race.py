"""Concurrent saves on a file-based SQLite database, run in a process of its own.

The test suite's SQLite database lives in memory, where locking works differently, and its PostgreSQL database
is not SQLite at all; `codi_plans/tests/test_sqlite_concurrency.py` therefore runs this module with
DATABASE_URL pointing at a fresh SQLite file:

    python -m codi_plans.tests.sqlite_race race --rounds 8   # two PATCHes of one plan from one revision, each round
    python -m codi_plans.tests.sqlite_race busy              # a save while another connection holds the write lock

It migrates the file, loads the reference data, makes two representatives of one tambon and their plan, runs the
scenario through the real WSGI stack (Django's test client, one thread and one database connection per request)
and prints what happened as JSON on its last line of output.
"""

import json
import os
import sqlite3
import sys
import threading


def _setup():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "codi_plans.settings")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3" or database["NAME"] in ("", ":memory:"):
        sys.exit("sqlite_race needs DATABASE_URL=sqlite:///<file>")
    setup_test_environment()  # the test client's host name, mail kept in memory
    call_command("migrate", verbosity=0, interactive=False)

    from rest_framework.authtoken.models import Token

    from accounts.tests.factories import community_rep
    from nationaldata.dataset import ensure_reference_data
    from workstreams.tests.factories import TambonPlanFactory

    ensure_reference_data()
    reps = [community_rep("500105", username=f"race-rep-{n}") for n in (1, 2)]
    tokens = [Token.objects.create(user=rep).key for rep in reps]
    plan = TambonPlanFactory(created_by=reps[0])
    return database["NAME"], reps, tokens, plan


def _english(client):
    """Switch the client to English (Thai is the default), so the messages read as their msgids."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _api_client(token):
    from django.test import Client

    # A server error comes back as the 500 response a client would get, not as an exception in this thread.
    return _english(Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {token}"))


def _body(response) -> dict:
    try:
        return json.loads(response.content)
    except ValueError:  # a server error page
        return {"raw": response.content.decode(errors="replace")[:300]}


def race(rounds: int) -> dict:
    """Each round, two people PATCH the same plan from the same revision at the same moment."""
    _, reps, tokens, plan = _setup()
    from django.db import connection

    url = f"/api/v1/tambon-plans/{plan.pk}/"
    results = []
    for round_number in range(rounds):
        plan.refresh_from_db()
        revision = plan.revision
        barrier, outcome = threading.Barrier(2), {}

        def save(n, revision=revision, barrier=barrier, outcome=outcome, round_number=round_number):
            client = _api_client(tokens[n])
            try:
                barrier.wait()
                response = client.patch(
                    url,
                    data=json.dumps({"revision": revision, "vision": f"วิสัยทัศน์รอบ {round_number} โดยคนที่ {n + 1}"}),
                    content_type="application/json",
                )
                outcome[n] = {"status": response.status_code, "body": _body(response)}
            finally:
                connection.close()

        threads = [threading.Thread(target=save, args=(n,)) for n in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        plan.refresh_from_db()
        results.append(
            {"revision_before": revision, "revision_after": plan.revision, "outcome": [outcome[0], outcome[1]]}
        )
    return {"rounds": results}


def busy() -> dict:
    """Save through the API and through the edit page while another connection holds SQLite's write lock."""
    path, reps, tokens, plan = _setup()
    from django.db import connection
    from django.test import Client

    from workstreams.forms import PlanProfileForm

    page = _english(Client(raise_request_exception=False))
    page.force_login(reps[0])
    form = PlanProfileForm(instance=plan)
    posted = {name: ("" if value is None else value) for name, value in form.initial.items()}
    posted |= {"revision": plan.revision, "vision": "วิสัยทัศน์ใหม่"}
    connection.close()

    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # someone else's long write
    try:
        api = _api_client(tokens[0]).patch(
            f"/api/v1/tambon-plans/{plan.pk}/",
            data=json.dumps({"revision": plan.revision, "vision": "วิสัยทัศน์ใหม่"}),
            content_type="application/json",
        )
        edit = page.post(f"/tambon-plans/{plan.pk}/edit/", posted)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    plan.refresh_from_db()
    after = _api_client(tokens[0]).patch(
        f"/api/v1/tambon-plans/{plan.pk}/",
        data=json.dumps({"revision": plan.revision, "vision": "วิสัยทัศน์ใหม่"}),
        content_type="application/json",
    )
    return {
        "api": {"status": api.status_code, "body": _body(api)},
        "page": {"status": edit.status_code, "body": edit.content.decode(errors="replace")},
        "after": {"status": after.status_code},
    }


if __name__ == "__main__":
    scenario = sys.argv[1]
    if scenario == "race":
        rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 8
        report = race(rounds)
    elif scenario == "busy":
        report = busy()
    else:
        sys.exit(f"unknown scenario {scenario!r}")
    print(json.dumps(report, ensure_ascii=False))
