"""Asking for a report and following its build in real headless Chromium, on a desktop and on a phone."""

import re

import pytest

from accounts.tests import factories as users
from accounts.tests.factories import PASSWORD
from reports import services
from reports.models import Report, ReportStatus

from .factories import FISCAL_YEAR, sample_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
SCREENSHOTS = False


def log_in(page, user):
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    page.goto("/accounts/login/?next=/reports/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form.stack button[type=submit]")
    page.wait_for_url(re.compile(r"/reports/$"))


def fits_the_phone(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.fixture
def queue_without_worker():
    """Queue builds without running them (and where no worker listens), to watch the page follow a build."""
    from codi_plans.celery import app

    previous = app.conf.task_default_queue
    app.conf.task_always_eager = False
    app.conf.task_default_queue = "reports-browser-test-unconsumed"
    yield
    app.conf.task_default_queue = previous


def test_a_coordinator_asks_for_a_report_on_a_phone_and_gets_the_files_when_the_build_finishes(
    browser_page, queue_without_worker
):
    page = browser_page
    sample_year()
    coordinator = users.provincial_coordinator("50")
    log_in(page, coordinator)
    assert fits_the_phone(page)

    page.select_option("select[name=kind]", "progress")
    page.select_option("select[name=scope]", "province:50")
    page.select_option("select[name=fiscal_year]", str(FISCAL_YEAR))
    page.select_option("select[name=quarter]", "2")
    with page.expect_navigation():
        page.click("#ask button[type=submit]")

    report = Report.objects.get()
    assert page.url.endswith(f"/reports/{report.pk}/")
    assert report.status == ReportStatus.QUEUED
    assert page.locator('[data-role="files"]').is_hidden()
    assert fits_the_phone(page)
    page.screenshot(path="/tmp/rep/phone-queued.png", full_page=True) if SCREENSHOTS else None

    services.build_report(report_id=report.pk)  # what the worker does

    page.wait_for_selector('[data-role="files"]:not([hidden])', timeout=20000)
    assert page.locator('[data-role="progress"]').get_attribute("value") == "100"
    with page.expect_download() as download:
        page.click('a[data-format="pdf"]')
    assert download.value.suggested_filename == f"codi-302-{FISCAL_YEAR}-q2-province-50.pdf"
    assert fits_the_phone(page)
    if SCREENSHOTS:
        page.screenshot(path="/tmp/rep/phone-done.png", full_page=True)
        page.goto("/reports/")
        page.screenshot(path="/tmp/rep/phone-list.png", full_page=True)
