"""SQLite, the embedded default: two saves of one record at the same moment give one success and one 409, never
"database is locked"; a save that waits too long for the lock gets a clear "busy" answer, not a 500.

The suite's own database is in memory (or PostgreSQL in CI), so each test runs `codi_plans/tests/sqlite_race.py`
in a process of its own against a fresh SQLite file, with the project's settings as they are.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
ERROR_KEYS = {"status", "code", "message", "fields"}


def run_scenario(tmp_path, *args, lock_timeout="10") -> dict:
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'codi.sqlite3'}",
        "DJANGO_SQLITE_TIMEOUT": lock_timeout,
        "DJANGO_SECRET_KEY": "test-only",
        "DJANGO_DEBUG": "True",
        "DJANGO_SETTINGS_MODULE": "codi_plans.settings",
    }
    env.pop("REDIS_URL", None)  # Celery runs eagerly, as in a first run
    process = subprocess.run(
        [sys.executable, "-m", "codi_plans.tests.sqlite_race", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert process.returncode == 0, process.stderr[-4000:]
    return json.loads(process.stdout.strip().splitlines()[-1])


def test_two_patches_of_one_plan_from_one_revision_give_one_200_and_one_409(tmp_path):
    rounds = run_scenario(tmp_path, "race", "--rounds", "8")["rounds"]

    assert len(rounds) == 8
    for result in rounds:
        statuses = sorted(o["status"] for o in result["outcome"])
        assert statuses == [200, 409], result
        loser = next(o["body"]["error"] for o in result["outcome"] if o["status"] == 409)
        assert loser["code"] == "conflict"
        assert loser["current_revision"] == result["revision_before"] + 1
        assert result["revision_after"] == result["revision_before"] + 1


def test_a_save_that_waits_too_long_for_the_lock_is_told_the_system_was_busy(tmp_path):
    outcome = run_scenario(tmp_path, "busy", lock_timeout="0.3")

    api = outcome["api"]
    assert api["status"] == 409
    assert set(api["body"]["error"]) == ERROR_KEYS
    assert api["body"]["error"]["code"] == "busy"
    assert "Nothing was saved" in api["body"]["error"]["message"]
    page = outcome["page"]
    assert page["status"] == 409
    assert "Not saved: the system was busy" in page["body"] and "try again" in page["body"]
    assert outcome["after"]["status"] == 200  # once the lock is released the same save goes through
