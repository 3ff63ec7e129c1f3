"""Project progress in real headless Chromium at 360 px: a rep reports two projects with photos from a phone (made
smaller in the browser before upload), and the coordinator returns one with a reason and approves the other; the
programme's page and the map of project progress then show the approved report.

The fixtures (`progress_plan`, `rep`, `coordinator` in conftest.py) and the helpers here are meant to be reused by
journeys that continue from this one (the programme page, the map)."""

import io
import re

import pytest
from PIL import Image

from conftest import accessibility_problems

from ..models import ProgressStatus, ProjectProgress
from .conftest import jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
PASSWORD = "test-password-123"


def log_in(page, user, viewport=PHONE, next_url="/progress/"):
    """Sign in through the real login page, as a fresh visitor, and land on next_url."""
    page.context.clear_cookies()
    page.set_viewport_size(viewport)
    page.goto(f"/accounts/login/?next={next_url}")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form.stack button[type=submit]")
    page.wait_for_url(re.compile(re.escape(next_url) + "$"))


def assert_fits_the_phone(page):
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"


def phone_photo() -> dict:
    """A photo as a phone takes it: 2400 × 1800 px, larger than the 1600 px the browser brings it down to."""
    return {"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(size=(2400, 1800))}


def report_project(page, project, *, status, actuals=(), spent_codi="", note="", photo=True):
    """From the rep's progress page, open a project's form, fill it in, attach a photo and submit it."""
    with page.expect_navigation():
        page.click(f"#project-{project.pk} a.button")
    page.check(f"input[name=activity_status][value={status}]")
    for indicator, value in actuals:
        page.fill(f"input[name=actual_{indicator.pk}]", value)
    page.fill("input[name=spent_codi]", spent_codi)
    page.fill("textarea[name=note]", note)
    if photo:
        page.set_input_files("input[name=evidence]", phone_photo())
        # the page says when the smaller photo is ready, and the buttons come back
        page.wait_for_function("() => document.querySelector('input[name=evidence]').dataset.resized === 'true'")
    assert_fits_the_phone(page)
    assert accessibility_problems(page) == []
    with page.expect_navigation():
        page.click("button[name=action][value=submit]")
    page.wait_for_url(re.compile(r"/progress/\?fy=\d{4}&q=[1-4]$"))


def test_rep_reports_two_projects_from_a_phone_and_the_coordinator_returns_one_and_approves_the_other(
    browser_page, progress_plan, rep, coordinator
):
    page = browser_page
    savings = progress_plan.projects.get(number=1)
    market = progress_plan.projects.get(number=2)
    members, deposits = savings.indicators.order_by("id")

    log_in(page, rep)
    assert_fits_the_phone(page)
    assert page.locator("#progress-projects > li").count() == 2
    report_project(
        page,
        savings,
        status="under_way",
        actuals=[(members, "๑๒๐"), (deposits, "25,000")],
        spent_codi="๑๕,๐๐๐",
        note="ประชุมสมาชิกและเปิดรับเงินออม",
    )
    report_project(page, market, status="done", spent_codi="8000", note="เปิดตลาดทุกวันเสาร์")

    reports = {r.project_id: r for r in ProjectProgress.objects.all()}
    assert {r.status for r in reports.values()} == {ProgressStatus.SUBMITTED}
    for report in reports.values():
        stored = report.evidence.get()
        with stored.file.open("rb") as handle:
            image = Image.open(io.BytesIO(handle.read()))
            assert max(image.size) == 1600 and image.format == "JPEG"  # made smaller in the browser
    assert reports[savings.pk].actuals.get(indicator=members).value == 120
    assert reports[savings.pk].spending.get().amount == 15000

    # The coordinator, on a phone too, returns the savings group's report with a reason and approves the market's.
    log_in(page, coordinator, next_url="/progress/queue/")
    assert_fits_the_phone(page)
    assert accessibility_problems(page) == []
    with page.expect_navigation():
        page.click(f"#progress-queue a:has-text('{savings.name}')")
    assert accessibility_problems(page) == []
    page.fill("textarea[name=reason]", "ขอรูปถ่ายการประชุมสมาชิกเพิ่ม")
    with page.expect_navigation():
        page.click("button#return")
    page.goto("/progress/queue/")
    with page.expect_navigation():
        page.click(f"#progress-queue a:has-text('{market.name}')")
    with page.expect_navigation():
        page.click("button#approve")
    assert_fits_the_phone(page)

    statuses = dict(ProjectProgress.objects.values_list("project_id", "status"))
    assert statuses == {savings.pk: ProgressStatus.RETURNED, market.pk: ProgressStatus.APPROVED}
    approved = ProjectProgress.objects.get(project=market)
    assert approved.approved_by == coordinator
    assert page.locator("#report-moves").inner_text().count(coordinator.first_name or coordinator.username) >= 1

    # The programme's page now counts the approved report: its projects, one reported, at 100 % (the market is done
    # and has no indicators of its own).
    programme = market.programme
    in_programme = progress_plan.projects.filter(programme=programme).count()
    page.goto(f"/plans/{programme.code}/")
    served = page.locator("#served-by")
    assert served.locator("[data-total=projects]").inner_text() == str(in_programme)
    assert served.locator("[data-total=reported]").inner_text() == "1"
    assert served.locator("[data-total=progress]").inner_text().startswith("100")
    assert_fits_the_phone(page)
    # And the map of tambon projects' progress shades Chiang Mai by it.
    page.goto(f"/map/?figure=projects&fiscal_year={approved.fiscal_year}")
    chiang_mai = page.locator("#map table tr:has(a[href='/areas/province/50/']) td.num")
    assert chiang_mai.inner_text().startswith("100")
    assert page.locator("#map svg a[href='/areas/province/50/']").get_attribute("aria-label").endswith("100 %")
    assert accessibility_problems(page) == []

    # Back on the rep's phone: the returned report shows its reason.
    log_in(page, rep)
    assert "ขอรูปถ่ายการประชุมสมาชิกเพิ่ม" in page.locator(f"#project-{savings.pk}").inner_text()
