import datetime as dt
import hashlib
import io
import time

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.db.models import Sum
from django.utils import timezone
from openpyxl import load_workbook

from accounts.tests.factories import central_staff
from budgets.models import RequestStatus, SpendingPlanLine
from reports import services, tasks
from reports.models import Report, ReportKind, ReportStatus
from reports.scopes import COUNTRY, parse_scope

from .conftest import pdf_text, thai_key
from .factories import FISCAL_YEAR, sample_year

BUILD_TIMEOUT = 240


@pytest.fixture
def staff(reference_data):
    return central_staff(username="staff")


def ask(kind, by, scope=COUNTRY, quarter=2):
    return services.request_report(
        kind=kind, scope=scope, fiscal_year=FISCAL_YEAR, quarter=quarter if kind == ReportKind.PROGRESS else None, by=by
    )[0]


# Eager tasks (no broker) ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_build_task_builds_once_and_a_second_run_does_nothing(reference_data, staff):
    sample_year(by=staff)
    report = ask(ReportKind.PLAN, staff)  # not committed in this test: the task is run by hand

    assert tasks.build_report.delay(report.pk).get() == "built"
    report.refresh_from_db()
    sha = (report.pdf_sha256, report.xlsx_sha256)
    assert tasks.build_report.delay(report.pk).get() == "nothing to do"
    report.refresh_from_db()
    assert (report.pdf_sha256, report.xlsx_sha256) == sha and report.attempts == 1


@pytest.mark.django_db
@pytest.mark.parametrize("argument", ["abc", 10**30, -1, 1.5, "1e20", None, "๑" * 40])
def test_a_build_task_with_an_argument_that_names_no_report_is_refused_and_changes_nothing(
    reference_data, staff, argument
):
    sample_year(by=staff)
    report = ask(ReportKind.PLAN, staff)
    assert tasks.build_report.delay(argument).get() == "refused"
    report.refresh_from_db()
    assert report.status == ReportStatus.QUEUED and report.attempts == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fiscal_year", "quarter", "scope_key", "field"),
    [
        ("3112", 1, "country", "fiscal_year"),
        ("1e20", 1, "country", "fiscal_year"),
        (2569, "x", "country", "quarter"),
        (2569, 1, "province_group:99999999999999999999", "scope_code"),
    ],
)
def test_a_scheduled_report_with_bad_arguments_is_refused_with_a_message(
    reference_data, fiscal_year, quarter, scope_key, field
):
    with pytest.raises(ValidationError) as error:
        tasks.file_scheduled_report.delay(ReportKind.PROGRESS, scope_key, fiscal_year, quarter).get()
    assert field in error.value.message_dict
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_a_build_that_breaks_is_marked_failed_with_its_reason(reference_data, staff):
    sample_year(by=staff)
    report = ask(ReportKind.PLAN, staff)
    report.snapshot.storage.delete(report.snapshot.name)

    assert tasks.build_report.delay(report.pk).get() == "failed"
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert "FileNotFoundError" in report.status_reason


@pytest.mark.django_db
def test_a_passing_database_fault_gives_the_report_back_for_the_retry(reference_data, staff):
    sample_year(by=staff)
    report = ask(ReportKind.PLAN, staff)
    services.claim_report(report.pk)
    services.release_report(report_id=report.pk)  # what the task does before Celery retries it
    report.refresh_from_db()
    assert report.status == ReportStatus.QUEUED
    assert OperationalError in tasks.TRANSIENT and ConnectionError in tasks.TRANSIENT


def test_the_build_task_is_safe_to_run_twice_and_survives_lost_workers():
    task = tasks.build_report
    assert task.acks_late and task.reject_on_worker_lost
    assert task.max_retries == 5 and task.retry_backoff
    assert task.soft_time_limit < task.time_limit
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > task.time_limit


def test_beat_builds_the_quarterly_reports_on_the_first_day_after_each_quarter():
    entry = settings.CELERY_BEAT_SCHEDULE["reports-build-quarterly"]
    assert entry["task"] == "reports.tasks.build_quarterly_reports"
    assert entry["schedule"] == crontab(minute=30, hour=0, day_of_month=1, month_of_year="1,4,7,10")
    assert settings.CELERY_TIMEZONE == "Asia/Bangkok"


# A real worker on Redis -----------------------------------------------------------------------------


def wait_for(report_id, condition, timeout=BUILD_TIMEOUT, worker=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        report = Report.objects.get(pk=report_id)
        if condition(report):
            return report
        time.sleep(0.3)
    logs = worker.logs()[-4000:] if worker else ""
    raise AssertionError(f"report {report_id} stuck at {report.status} {report.progress}%\n{logs}")


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_each_kind_of_report(reference_data, celery_worker_factory):
    staff = central_staff(username="worker-staff")
    sample_year(by=staff)
    worker = celery_worker_factory()
    worker.start()

    reports = {kind: ask(kind, staff) for kind in ReportKind.values}
    headings = {
        ReportKind.PLAN: "แผนการปฏิบัติงานและแผนการใช้จ่ายงบประมาณ",
        ReportKind.PROGRESS: "รายงานผลการปฏิบัติงานและผลการใช้จ่ายงบประมาณ",
        ReportKind.EVALUATION: "รายงานการประเมินผลการดำเนินงานประจำปี",
    }
    planned = SpendingPlanLine.objects.filter(
        activity__request__fiscal_year=FISCAL_YEAR, activity__request__status=RequestStatus.IN_EXECUTION
    ).aggregate(s=Sum("planned_amount"))["s"]
    for kind, report in reports.items():
        done = wait_for(report.pk, lambda r: r.status in (ReportStatus.DONE, ReportStatus.FAILED), worker=worker)
        assert done.status == ReportStatus.DONE, done.status_reason
        with done.pdf_file.open("rb") as pdf, done.xlsx_file.open("rb") as xlsx:
            pdf_bytes, xlsx_bytes = pdf.read(), xlsx.read()
        assert hashlib.sha256(pdf_bytes).hexdigest() == done.pdf_sha256
        assert hashlib.sha256(xlsx_bytes).hexdigest() == done.xlsx_sha256
        assert done.attempts == 1
        text = thai_key(pdf_text(pdf_bytes))
        for expected in (headings[kind], f"พ.ศ. {FISCAL_YEAR}", f"{planned:,.2f}"):
            assert thai_key(expected) in text, (kind, expected)
        summary = load_workbook(io.BytesIO(xlsx_bytes), read_only=True)["สรุปภาพรวม"]
        totals = [r for r in summary.iter_rows(values_only=True) if len(r) > 1 and r[1] == "รวมทั้งสิ้น"]
        assert totals and totals[0][2] == 4  # four approved requests


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_report_leaves_exactly_one_finished_report_identical_to_a_clean_run(
    reference_data, celery_worker_factory
):
    staff = central_staff(username="crash-staff")
    sample_year(by=staff)
    slow = {
        "REPORTS_SECTION_DELAY": "1.5",  # each of the build's steps waits 1.5 s: time to kill it mid-way
        "REPORTS_LEASE_SECONDS": "4",
        "CELERY_VISIBILITY_TIMEOUT": "6",
        "CELERY_UNACKED_RESTORE_INTERVAL": "2",
        "CELERY_UNACKED_RESTORE_THROTTLE": "1",
    }
    worker = celery_worker_factory(**slow)
    worker.start()

    report = ask(ReportKind.PROGRESS, staff, scope=parse_scope("province", "50"))
    running = wait_for(report.pk, lambda r: r.status == ReportStatus.RUNNING and r.progress >= 20, worker=worker)
    worker.kill()
    assert Report.objects.get(pk=report.pk).status == ReportStatus.RUNNING
    assert running.pdf_sha256 == ""

    worker.start()  # the same worker comes back; Redis hands the unacknowledged task out again
    done = wait_for(report.pk, lambda r: r.status in (ReportStatus.DONE, ReportStatus.FAILED), worker=worker)

    assert done.status == ReportStatus.DONE, done.status_reason
    assert done.attempts == 2
    same = Report.objects.filter(
        kind=done.kind, scope_key=done.scope_key, fiscal_year=done.fiscal_year, quarter=done.quarter
    )
    assert same.count() == 1
    clean = services.render_files(done)
    assert hashlib.sha256(clean["pdf"]).hexdigest() == done.pdf_sha256
    assert hashlib.sha256(clean["xlsx"]).hexdigest() == done.xlsx_sha256
    with done.pdf_file.open("rb") as pdf:
        assert hashlib.sha256(pdf.read()).hexdigest() == done.pdf_sha256


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_build_held_by_a_silent_run_is_taken_over_when_its_lease_runs_out(reference_data, celery_worker_factory):
    staff = central_staff(username="held-staff")
    sample_year(by=staff)
    report = ask(ReportKind.PLAN, staff)  # queued; the worker is not up yet
    services.claim_report(report.pk)  # a run that then went silent (its worker hung or died)
    Report.objects.filter(pk=report.pk).update(lease_expires_at=timezone.now() + dt.timedelta(seconds=5))
    worker = celery_worker_factory()
    worker.start()

    done = wait_for(report.pk, lambda r: r.status in (ReportStatus.DONE, ReportStatus.FAILED), worker=worker)

    assert done.status == ReportStatus.DONE, done.status_reason
    assert done.attempts == 2
    assert "held by another run" in worker.logs()
