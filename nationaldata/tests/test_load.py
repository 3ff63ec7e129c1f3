"""A bounded load test: gunicorn (2 workers) against the test database with a small national data set."""

import importlib.util
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

LOAD = Path(__file__).resolve().parents[2] / "bench" / "load.py"


def load_module():
    spec = importlib.util.spec_from_file_location("bench_load", LOAD)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_users_for_ten_seconds_get_no_errors(reference_data):
    call_command("load_indicators")
    call_command("build_national_dataset", scale=0.02, stdout=open("/dev/null", "w"))
    result = load_module().run_load(database_url=database_url(), users=10, seconds=10, log=lambda *a: None)
    total = result["total"]
    assert int(total["Request Count"]) > 20
    assert int(total["Failure Count"]) == 0, result["failures"]
    assert not result["server_errors_logged"]
