"""Bandit finds nothing in the project code, and every upload path caps the size and checks the content."""

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

ROOT = Path(__file__).resolve().parents[2]


def test_bandit_finds_no_issues_in_the_project_code():
    run = subprocess.run(
        [sys.executable, "-m", "bandit", "-c", "pyproject.toml", "-r", ".", "-f", "json", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(run.stdout)
    issues = [f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}" for r in report["results"]]
    assert issues == [], "\n".join(issues)
    assert report["errors"] == []
    scanned = {Path(name).parts[0] for name in report["metrics"] if name != "_totals"}
    # The scan really covers the apps (and skips the virtualenv, tests and migrations).
    assert {"accounts", "workstreams", "indicators", "budgets", "reports", "codi_plans"} <= scanned
    assert not any("/tests/" in name or "/migrations/" in name or ".venv" in name for name in report["metrics"])


def test_request_and_upload_memory_limits_are_sensible():
    assert 1024 * 1024 <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES <= 20


def _xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", b"\0" * (80 * 1024 * 1024))
    return buffer.getvalue()


PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def _indicator_workbook(name, data):
    from codi_plans.uploads import check_xlsx

    check_xlsx(SimpleUploadedFile(name, data))


def _workstreams_workbook(name, data):
    from codi_plans.uploads import check_xlsx

    check_xlsx(SimpleUploadedFile(name, data))


def _evidence(name, data):
    from codi_plans.uploads import evidence_content_type

    evidence_content_type(SimpleUploadedFile(name, data))


@pytest.mark.parametrize(
    ("check", "name", "data", "refusal"),
    [
        (_indicator_workbook, "results.xlsx", b"name,value\nx,1\n", "ไม่ใช่ไฟล์ Excel"),
        (_indicator_workbook, "results.xlsx", _zip_bomb(), "ถูกบีบอัดไว้มากผิดปกติ"),
        (_indicator_workbook, "results.xlsx", b"PK\x03\x04" + b"\0" * (6 * 1024 * 1024), "มีขนาดเกิน 5 MB"),
        (_workstreams_workbook, "plan.xlsx", b"name,value\nx,1\n", "ไม่ใช่ไฟล์ Excel"),
        (_workstreams_workbook, "plan.xlsx", _zip_bomb(), "zip bomb"),
        (_workstreams_workbook, "plan.xlsx", b"PK\x03\x04" + b"\0" * (6 * 1024 * 1024), "มีขนาดเกิน 5 MB"),
        (_evidence, "photo.pdf", PNG, "ชื่อไฟล์ไม่ตรงกับเนื้อหาของไฟล์"),
        (_evidence, "report.pdf", b"<html><script>alert(1)</script></html>", "หลักฐานต้องเป็นไฟล์ PDF"),
        (_evidence, "report.pdf", PDF + b"\0" * (11 * 1024 * 1024), "มีขนาดเกิน 10 MB"),
    ],
    ids=[
        "indicator-workbook-csv-named-xlsx",
        "indicator-workbook-zip-bomb",
        "indicator-workbook-too-large",
        "plan-workbook-csv-named-xlsx",
        "plan-workbook-zip-bomb",
        "plan-workbook-too-large",
        "evidence-png-named-pdf",
        "evidence-html-named-pdf",
        "evidence-too-large",
    ],
)
def test_uploads_are_refused_by_content_and_size_not_by_name(check, name, data, refusal):
    with pytest.raises(ValidationError, match=refusal):
        check(name, data)


@pytest.mark.parametrize(
    ("check", "name", "data"),
    [
        (_indicator_workbook, "results.xlsx", None),
        (_workstreams_workbook, "plan.xlsx", None),
        (_evidence, "report.pdf", PDF),
        (_evidence, "photo.png", PNG),
    ],
    ids=["indicator-workbook", "plan-workbook", "evidence-pdf", "evidence-png"],
)
def test_genuine_files_pass_the_upload_checks(check, name, data):
    check(name, data if data is not None else _xlsx_bytes())
