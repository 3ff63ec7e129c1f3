"""A representative reports a quarter's result on a phone, the coordinator approves it, and it shows up."""

import pytest

from accounts.tests.factories import PASSWORD, community_rep, provincial_coordinator
from indicators import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, user):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()


def no_sideways_scroll(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_rep_reports_on_a_phone_and_the_coordinator_approves_it(browser_page):
    services.load_indicators()
    rep = community_rep("500105")
    coordinator = provincial_coordinator("50")
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})

    log_in(page, rep)
    page.goto("/indicators/results/new/?indicator=ECON-TAMBONS-UPGRADED")
    assert no_sideways_scroll(page)
    page.select_option("select[name=area]", "500105")
    page.select_option("select[name=fiscal_year]", "2565")
    page.select_option("select[name=quarter]", "2")
    page.fill("input[name=value]", "1")
    page.fill("textarea[name=note]", "กลุ่มวิสาหกิจชุมชนแปรรูปข้าว")
    page.locator("button[value=submit]").click()
    page.wait_for_url("**/indicators/results/*/")
    assert "status-submitted" in page.content()

    page.context.clear_cookies()
    log_in(page, coordinator)
    page.goto("/indicators/queue/")
    assert no_sideways_scroll(page)
    page.locator("input[name=result]").first.check()
    page.locator("form[action$='/queue/approve/'] button[type=submit]").click()
    page.wait_for_url("**/indicators/queue/")
    assert page.locator("input[name=result]").count() == 0

    page.goto("/indicators/indicator/ECON-TAMBONS-UPGRADED/?fy=2565&q=2&area=province:50")
    assert no_sideways_scroll(page)
    assert page.locator(".figure .big").first.inner_text() == "1"
    page.locator("table.data a", has_text="เมืองเชียงใหม่").click()
    page.locator("table.data a", has_text="ช้างคลาน").click()
    assert "กลุ่มวิสาหกิจชุมชนแปรรูปข้าว" not in page.content()  # the list shows the value; the note is one click on
    assert page.locator("table.data tbody tr").count() == 1

    page.goto("/indicators/?fy=2565&q=2")
    assert no_sideways_scroll(page)
    assert page.locator("svg.bar").count() > 0
    page.select_option("select[name=q]", "4")
    page.wait_for_url("**q=4**")


def test_a_coordinator_cannot_approve_a_result_they_reported_and_is_told_why(browser_page):
    from conftest import accessibility_problems
    from indicators.models import Result, ResultStatus

    services.load_indicators()
    coordinator = provincial_coordinator("50")
    colleague = provincial_coordinator("50")
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})

    # The coordinator reports a result for a tambon of the province and sends it for review.
    log_in(page, coordinator)
    page.goto("/indicators/results/new/?indicator=ECON-TAMBONS-UPGRADED")
    page.select_option("select[name=area]", "500105")
    page.select_option("select[name=fiscal_year]", "2565")
    page.select_option("select[name=quarter]", "2")
    page.fill("input[name=value]", "๑")  # Thai digits are fine
    page.locator("button[value=submit]").click()
    page.wait_for_url("**/indicators/results/*/")
    result = Result.objects.get()
    assert result.status == ResultStatus.SUBMITTED and result.value == 1

    # In the approval queue their own result carries no tick box, and the page says why.
    page.goto("/indicators/queue/")
    row = page.locator("table.data tbody tr").first
    assert row.locator("input[name=result]").count() == 0 and row.locator(".own-work").count() == 1
    assert "ไม่มีผู้ใดตัดสินงานของตนเองได้" in page.locator("#four-eyes").inner_text()
    assert accessibility_problems(page) == []

    # The result's own page shows no Approve button, only the reason.
    page.goto(f"/indicators/results/{result.pk}/")
    assert page.locator("form[action$='/approve/']").count() == 0
    assert "ไม่มีผู้ใดตัดสินงานของตนเองได้" in page.locator("#four-eyes").inner_text()

    # Sending the approval anyway (a crafted form) is refused with the same words; nothing changes.
    with page.expect_navigation():
        page.evaluate(
            """(url) => {
                const form = document.createElement('form');
                form.method = 'post';
                form.action = url;
                const token = document.querySelector('input[name=csrfmiddlewaretoken]').value;
                form.innerHTML = `<input name="csrfmiddlewaretoken" value="${token}">`;
                document.body.appendChild(form);
                form.submit();
            }""",
            f"/indicators/results/{result.pk}/approve/",
        )
    assert "ไม่มีผู้ใดตัดสินงานของตนเองได้" in page.locator("main").inner_text()
    result.refresh_from_db()
    assert result.status == ResultStatus.SUBMITTED

    # A colleague of the province approves it from the queue.
    page.context.clear_cookies()
    log_in(page, colleague)
    page.goto("/indicators/queue/")
    page.locator("input[name=result]").first.check()
    page.locator("form[action$='/queue/approve/'] button[type=submit]").click()
    page.wait_for_url("**/indicators/queue/")
    result.refresh_from_db()
    assert result.status == ResultStatus.APPROVED and result.reviewed_by == colleague
