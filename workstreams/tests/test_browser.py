"""The tambon plan loop in real headless Chromium, from a representative's phone to regional endorsement."""

import re

import pytest

from accounts.tests import factories as users
from accounts.tests.factories import PASSWORD
from strategies.models import PlanNode
from strategies.selectors import plan_period_in_force
from workstreams.models import PlanStatus, TambonPlan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def log_in(page, user, viewport=DESKTOP):
    """Sign in through the real login page, as a fresh visitor."""
    page.context.clear_cookies()
    page.set_viewport_size(viewport)
    page.goto("/accounts/login/?next=/tambon-plans/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    click_and_wait(page, "form.stack button[type=submit]")
    page.wait_for_url(re.compile(r"/tambon-plans/$"))


def click_and_wait(page, selector):
    """Click a link or submit button and wait for the page it leads to (often the URL the form was on)."""
    with page.expect_navigation():
        page.click(selector)


def assert_fits_the_phone(page):
    """No sideways page scroll at 360 px: wide tables scroll inside their own box."""
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"


def node_id(code):
    return str(PlanNode.objects.get(code=code).pk)


def fill_project(page, *, klass, workstream, goal, programme, name, budget, indicator):
    page.check(f"input[name=project_class][value={klass}]")
    page.select_option("select[name=workstream]", node_id(workstream))
    page.select_option("select[name=goal]", node_id(goal))
    page.select_option("select[name=programme]", node_id(programme))
    page.fill("input[name=name]", name)
    page.fill("textarea[name=rationale]", f"เหตุผลของ{name}")
    page.fill("textarea[name=objectives]", "เพื่อให้ชุมชนพึ่งตนเองได้")
    page.fill("input[name=start_date]", "2020-10-01")
    page.fill("input[name=end_date]", "2022-09-30")
    page.fill("input[name=responsible_body]", "สภาองค์กรชุมชนตำบลช้างคลาน")
    for i, (year, source, amount) in enumerate(budget):
        if not page.locator(f"select[name=budget-{i}-fiscal_year]").count():
            page.click("#budget-formset [data-add-row]")
        page.select_option(f"select[name=budget-{i}-fiscal_year]", str(year))
        page.select_option(f"select[name=budget-{i}-source]", source)
        page.fill(f"input[name=budget-{i}-amount]", amount)
    page.fill("input[name=indicators-0-name]", indicator[0])
    page.fill("input[name=indicators-0-unit]", indicator[1])
    page.fill("input[name=indicators-0-target_value]", indicator[2])
    page.select_option("select[name=indicators-0-target_year_be]", "2565")


@pytest.fixture
def page(browser_page):
    return browser_page


def test_the_tambon_plan_loop_from_a_phone_to_regional_endorsement(page):
    rep = users.community_rep("500105", username="rep-changkhlan", first_name="สมศรี")
    coordinator = users.provincial_coordinator("50", username="coord-cm", first_name="ผู้ประสานเชียงใหม่")
    regional = users.regional_staff("north", username="region-north", first_name="ภาคเหนือ")

    # The representative, on a phone, starts the plan for their tambon with the default period.
    log_in(page, rep, PHONE)
    assert_fits_the_phone(page)
    # The form offers the period in force (issue 12); this journey writes its plan for the seed's 2563–2565.
    assert page.input_value("input[name=period_start_be]") == str(plan_period_in_force()[0])
    page.fill("input[name=period_start_be]", "2563")
    page.fill("input[name=period_end_be]", "2565")
    page.select_option("select[name=tambon]", index=1)
    click_and_wait(page, "#start button[type=submit]")
    page.wait_for_url(re.compile(r"/tambon-plans/\d+/edit/$"))
    plan = TambonPlan.objects.get(tambon__code="500105")
    assert_fits_the_phone(page)
    page.fill("input[name=households]", "1240")
    page.fill("input[name=population]", "4105")
    page.fill("textarea[name=main_occupations]", "ทำนา ปลูกลำไย รับจ้าง")
    page.fill("input[name=average_household_income]", "185000.50")
    page.fill("textarea[name=capital_people]", "ปราชญ์ชาวบ้าน 12 คน")
    page.fill("textarea[name=vision]", "ช้างคลานน่าอยู่ ชุมชนพึ่งตนเอง")
    click_and_wait(page, "#profile-form button[type=submit]")
    page.wait_for_url(f"**/tambon-plans/{plan.pk}/")
    assert_fits_the_phone(page)
    assert "ช้างคลานน่าอยู่" in page.inner_text("main")

    click_and_wait(page, "#edit-problems")
    assert_fits_the_phone(page)
    page.fill("input[name=problems-0-title]", "หนี้นอกระบบ")
    page.fill("input[name=problems-1-title]", "น้ำท่วมซ้ำซาก")
    page.fill("input[name=problems-0-rank]", "2")
    page.fill("input[name=problems-1-rank]", "1")
    click_and_wait(page, "#problems-form button[type=submit]")
    page.wait_for_url(re.compile(rf"/tambon-plans/{plan.pk}/#problems$"))
    assert page.locator("ol.problems li").all_inner_texts() == ["น้ำท่วมซ้ำซาก", "หนี้นอกระบบ"]

    click_and_wait(page, "#add-project")
    assert_fits_the_phone(page)
    fill_project(
        page,
        klass="self",
        workstream="WS-ECONOMY",
        goal="WS-ECONOMY-G1",
        programme="WS-ECONOMY-G1-P1",
        name="กลุ่มออมทรัพย์และแปรรูปลำไย",
        budget=[(2563, "codi", "15000.50"), (2564, "community", "2500")],
        indicator=("ครัวเรือนที่เข้าร่วม", "ครัวเรือน", "120"),
    )
    assert_fits_the_phone(page)
    click_and_wait(page, "#project-form button[type=submit]")
    page.wait_for_url(re.compile(r"#project-1$"))

    click_and_wait(page, "#add-project")
    fill_project(
        page,
        klass="support",
        workstream="WS-HOUSING",
        goal="WS-HOUSING-G1",
        programme="WS-HOUSING-G1-P1",
        name="ซ่อมบ้านผู้มีรายได้น้อย",
        budget=[(2564, "local_government", "30000.25"), (2565, "codi", "1"), (2565, "community", "2")],
        indicator=("บ้านที่ซ่อมแล้ว", "หลัง", "25"),
    )
    click_and_wait(page, "#project-form button[type=submit]")
    page.wait_for_url(re.compile(r"#project-2$"))
    assert page.inner_text("#plan-total") == "47,503.75"
    assert "ยุทธศาสตร์ชาติ" in page.inner_text("#project-2 .chain")
    assert_fits_the_phone(page)

    click_and_wait(page, "#submit-form button[type=submit]")
    page.wait_for_url(f"**/tambon-plans/{plan.pk}/")
    assert page.locator(".plan-title .status-submitted").count() == 1
    assert_fits_the_phone(page)

    # The provincial coordinator finds it in the queue and returns it with a reason.
    log_in(page, coordinator)
    page.goto("/tambon-plans/review/")
    assert page.inner_text("[data-status=submitted]") == "1"
    province_url = page.get_attribute("#province-plan-link", "href")
    page.goto(province_url)
    assert page.inner_text("#province-total") == "0.00"
    page.goto("/tambon-plans/review/")
    click_and_wait(page, f"tr[data-plan='{plan.pk}'] a")
    page.fill("#return-form textarea[name=comment]", "งบซ่อมบ้านปี 2564 ต่ำเกินไป ขอทบทวนตามราคาวัสดุ")
    click_and_wait(page, "#return-form button[type=submit]")
    page.wait_for_url(f"**/tambon-plans/{plan.pk}/")
    assert page.locator(".plan-title .status-returned").count() == 1

    # The representative sees the reason on their list and on the plan, revises and resubmits.
    log_in(page, rep, PHONE)
    reason = page.inner_text(f"[data-plan='{plan.pk}'] .note.returned")
    assert "ขอทบทวนตามราคาวัสดุ" in reason and "ผู้ประสานเชียงใหม่" in reason
    assert_fits_the_phone(page)
    click_and_wait(page, f"[data-plan='{plan.pk}'] h2 a")
    assert "ขอทบทวนตามราคาวัสดุ" in page.inner_text("#where-it-stands")
    click_and_wait(page, f"a[href='/tambon-plans/{plan.pk}/projects/2/edit/']")
    assert page.input_value("input[name=budget-0-amount]") == "30000.25"
    page.fill("input[name=budget-0-amount]", "35000.25")
    assert_fits_the_phone(page)
    click_and_wait(page, "#project-form button[type=submit]")
    page.wait_for_url(re.compile(r"#project-2$"))
    page.fill("#submit-form textarea[name=comment]", "ปรับงบตามราคาวัสดุแล้ว")
    click_and_wait(page, "#submit-form button[type=submit]")
    page.wait_for_url(f"**/tambon-plans/{plan.pk}/")
    assert page.locator(".plan-title .status-resubmitted").count() == 1

    # The coordinator compares the two submissions side by side, then accepts.
    log_in(page, coordinator)
    page.goto(f"/tambon-plans/{plan.pk}/")
    click_and_wait(page, "#compare-button")
    page.wait_for_url(re.compile(r"/compare/\?a=1&b=2$"))
    compare = page.inner_text("table.compare")
    assert "30,000.25" in compare and "35,000.25" in compare
    page.goto(f"/tambon-plans/{plan.pk}/")
    page.fill("#accept-form textarea[name=comment]", "ผ่านการพิจารณา")
    click_and_wait(page, "#accept-form button[type=submit]")
    page.wait_for_url(f"**/tambon-plans/{plan.pk}/")
    assert page.locator(".plan-title .status-accepted").count() == 1

    # The province plan now counts this tambon's money, computed from its projects. The link opens the period in
    # force; the 2563–2565 plan is one click away in the list of periods.
    page.goto(province_url)
    click_and_wait(page, "#province-plan-periods a[href$='/2563/']")
    assert page.inner_text("#consolidated-count") == "1"
    assert page.inner_text("#province-total") == "52,503.75"
    by_year = page.inner_text("#totals-year")
    assert "15,000.50" in by_year and "37,500.25" in by_year and "3.00" in by_year
    assert "35,000.25" in page.inner_text("#totals-source")

    # Regional staff endorse it.
    log_in(page, regional)
    page.goto(f"/tambon-plans/{plan.pk}/")
    page.fill("#endorse-form textarea[name=comment]", "เห็นชอบ")
    click_and_wait(page, "#endorse-form button[type=submit]")
    page.wait_for_url(f"**/tambon-plans/{plan.pk}/")
    assert page.locator(".plan-title .status-endorsed").count() == 1
    history = page.inner_text("#history")
    for text in ("ขอทบทวนตามราคาวัสดุ", "ปรับงบตามราคาวัสดุแล้ว", "ผ่านการพิจารณา", "เห็นชอบ", "ภาคเหนือ"):
        assert text in history

    plan.refresh_from_db()
    assert plan.status == PlanStatus.ENDORSED
    assert list(plan.transitions.values_list("to_status", flat=True)) == [
        "submitted",
        "returned",
        "resubmitted",
        "accepted",
        "endorsed",
    ]
    assert plan.submissions.count() == 2


def test_a_rep_on_a_phone_types_dates_the_thai_way_and_picks_one_from_the_calendar(page):
    """01/10/2569 typed on a 360 px phone is read as 1 October 2569 (not the year 3112); the picker writes B.E."""
    from conftest import accessibility_problems
    from workstreams.models import Project
    from workstreams.tests.factories import TambonPlanFactory

    rep = users.community_rep("500105", username="rep-dates")
    plan = TambonPlanFactory(period_start_be=2569, period_end_be=2571, created_by=rep, updated_by=rep)
    log_in(page, rep, PHONE)
    page.goto(f"/tambon-plans/{plan.pk}/projects/new/")
    assert_fits_the_phone(page)

    page.check("input[name=project_class][value=self]")
    page.select_option("select[name=workstream]", node_id("WS-ECONOMY"))
    page.select_option("select[name=goal]", node_id("WS-ECONOMY-G1"))
    # Programmes narrow to the chosen goal: another goal's programme cannot be picked.
    other_goal_programme = page.locator(f"select[name=programme] option[value='{node_id('WS-ECONOMY-G2-P1')}']")
    assert other_goal_programme.is_disabled()
    page.select_option("select[name=programme]", node_id("WS-ECONOMY-G1-P1"))
    page.fill("input[name=name]", "ตลาดนัดชุมชน")

    start = page.locator("input[name=start_date]")
    start.fill("01/10/2569")
    words = page.locator(".thai-date:has(input[name=start_date]) .date-words")
    assert words.inner_text() == "1 ตุลาคม 2569"
    start.fill("01/10/3112")
    assert "ไม่ใช่วันที่" in words.inner_text()  # said at once, before the form is sent
    start.fill("๐๑/๑๐/๒๕๖๙")
    assert words.inner_text() == "1 ตุลาคม 2569"

    # The end date comes from the calendar: September 2570, the 30th.
    box = page.locator(".thai-date:has(input[name=end_date])")
    box.locator("button.date-toggle").click()
    panel = box.locator("[role=dialog]")
    assert panel.is_visible()
    assert_fits_the_phone(page)
    assert accessibility_problems(page) == []
    panel.locator("select").nth(1).select_option("2027")  # years are listed in B.E.: 2570
    panel.locator("select").nth(0).select_option("8")  # กันยายน
    assert panel.locator("select").nth(1).locator("option:checked").inner_text() == "2570"
    panel.locator("button[data-day='30']").click()
    assert page.locator("input[name=end_date]").input_value() == "30/09/2570"
    assert not panel.is_visible()

    page.select_option("select[name=budget-0-fiscal_year]", "2570")
    page.select_option("select[name=budget-0-source]", "codi")
    page.fill("input[name=budget-0-amount]", "๑,๕๐๐.๒๕")
    page.fill("input[name=indicators-0-name]", "ผู้ค้าในตลาด")
    page.fill("input[name=indicators-0-unit]", "ราย")
    page.fill("input[name=indicators-0-target_value]", "๔๐")
    page.select_option("select[name=indicators-0-target_year_be]", "2571")
    click_and_wait(page, "#project-form button[type=submit]")

    project = Project.objects.get(plan=plan)
    assert (project.start_date.isoformat(), project.end_date.isoformat()) == ("2026-10-01", "2027-09-30")
    assert str(project.budget_lines.get().amount) == "1500.25"
    body = page.locator("main").inner_text()
    assert "1 ต.ค. 2569" in body and "30 ก.ย. 2570" in body and "1,500.25" in body
    assert_fits_the_phone(page)
