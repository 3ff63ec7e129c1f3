"""Backup and restore as an operator runs them: ops/backup.sh, then ops/restore.sh into a fresh database."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from accounts.tests.factories import community_rep

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def url_for(name: str) -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def test_backup_restores_into_a_fresh_database_with_identical_rows(reference_data, tmp_path):
    community_rep("500105")  # some non-reference rows too
    source = url_for(connection.settings_dict["NAME"])
    target_name = f"codi_restore_{uuid.uuid4().hex[:8]}"
    env = os.environ | {"DATABASE_URL": source, "PYTHON": sys.executable, "DJANGO_SECRET_KEY": "backup-test"}
    env.pop("DJANGO_MEDIA_ROOT", None)
    backup = subprocess.run(
        ["bash", "ops/backup.sh", str(tmp_path)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert backup.returncode == 0, backup.stderr
    dump = Path(backup.stdout.strip().splitlines()[-1])
    saved = json.loads(dump.with_suffix(".fingerprint.json").read_text())
    assert saved["areas_subdistrict"]["rows"] == 7436 and saved["accounts_user"]["rows"] >= 1
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{target_name}"')
    try:
        restore = subprocess.run(
            ["bash", "ops/restore.sh", str(dump), url_for(target_name)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert restore.returncode == 0, restore.stdout + restore.stderr
        assert "tables match the backup" in restore.stdout
        # And the comparison really compares: a changed row in the restored copy is caught.
        subprocess.run(
            ["psql", url_for(target_name), "-c", "UPDATE areas_subdistrict SET name_th = 'x' WHERE code = '500105'"],
            check=True,
            capture_output=True,
        )
        compare = subprocess.run(
            [sys.executable, "manage.py", "db_fingerprint", "--compare", str(dump.with_suffix(".fingerprint.json"))],
            cwd=ROOT,
            env=env | {"DATABASE_URL": url_for(target_name)},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert compare.returncode != 0 and "areas_subdistrict" in compare.stderr
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target_name}" WITH (FORCE)')
