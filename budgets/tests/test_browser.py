"""The journey of the issue's "Done when": from two tambon projects to a consolidated, half-spent budget."""

import pytest
from django.db import connections

from accounts.tests import factories as users
from accounts.tests.factories import PASSWORD
from budgets import services
from budgets.models import BudgetRequest, RequestStatus
from budgets.tests.factories import FISCAL_YEAR, DevelopmentIssueFactory, accepted_projects, node

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, user):
    page.goto("/")
    if page.locator("form[action$='/accounts/logout/'] button").count():
        page.locator("form[action$='/accounts/logout/'] button").click()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/")
    # Work in English so the test reads the source strings whatever the Thai catalogue says.
    page.locator("form.lang-switch button[value=en]").click()
    page.wait_for_load_state()


def move(page, name):
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


def test_from_two_tambon_projects_to_the_consolidated_budget(browser_page, reference_data):
    try:
        journey(browser_page)
    finally:
        # Playwright runs the test body in its own context, where Django opens a connection of its own;
        # close it so that PostgreSQL can drop the test database afterwards.
        connections.close_all()


def journey(page):
    coordinator = users.provincial_coordinator("50")
    staff = users.central_staff()
    issue = DevelopmentIssueFactory(title="การพัฒนาเศรษฐกิจฐานรากและชุมชนพึ่งตนเอง")
    projects = accepted_projects("500105", "500106")
    services.set_ceiling(by=staff, fiscal_year=FISCAL_YEAR, amount="1000000", province=coordinator.province)

    # A coordinator builds a request from two tambon projects, links it to a provincial issue and submits.
    log_in(page, coordinator)
    page.goto("/budgets/")
    page.get_by_role("link", name="New budget request").click()
    page.fill("input[name=fiscal_year]", str(FISCAL_YEAR))
    page.get_by_role("button", name="Continue").click()
    page.fill("input[name=title]", "ยกระดับเศรษฐกิจฐานรากตำบลช้างคลานและวัดเกต")
    page.fill("input[name=requesting_body]", "ขบวนองค์กรชุมชนจังหวัดเชียงใหม่")
    for project in projects:
        page.check(f"input[name=projects][value='{project.pk}']")
    page.select_option("select[name=development_issue]", str(issue.pk))
    page.select_option("select[name=workstream]", str(node("WS-ECONOMY").pk))
    page.select_option("select[name=programme]", str(node("WS-ECONOMY-G1-P1").pk))
    page.select_option("select[name=national_target]", str(node("MP-2561-16").pk))
    page.fill("textarea[name=targets]", "ครัวเรือน 200 ครัวเรือนมีรายได้เพิ่มขึ้น")
    page.fill("textarea[name=expected_benefits]", "รายได้ครัวเรือนเพิ่มขึ้น หนี้สินลดลง")
    page.fill("input[name=ind-0-name]", "ครัวเรือนที่มีรายได้เพิ่มขึ้น")
    page.fill("input[name=ind-0-unit]", "ครัวเรือน")
    page.fill("input[name=ind-0-target_value]", "200")
    page.select_option("select[name=exp-0-category]", "operating")
    page.fill("input[name=exp-0-amount]", "60000")
    page.select_option("select[name=exp-1-category]", "subsidy")
    page.fill("input[name=exp-1-amount]", "40000")
    assert page.locator("[data-total-of=exp]").inner_text() == "100,000.00"
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url("**/budgets/requests/*/")
    assert page.locator("#requested-amount").inner_text() == "100,000.00"
    assert page.locator("#funded-projects tbody tr").count() == 2
    move(page, "Submit to the province")
    request = BudgetRequest.objects.get()
    assert request.status == RequestStatus.SUBMITTED
    detail = f"/budgets/requests/{request.pk}/"

    # Staff prioritise it and approve a lower amount.
    log_in(page, staff)
    page.goto(detail)
    page.fill("input[name=rank]", "1")
    page.fill("textarea[name=priority_note]", "ตำบลนำร่อง ครัวเรือนยากจนสูง")
    page.fill("textarea[name=redeployment_note]", "ยุบรวมงบอบรมที่ซ้ำซ้อน")
    move(page, "Prioritise")
    assert page.locator("#rank").inner_text() == "1"
    move(page, "Forward to CODI")
    page.fill("input[name=amount]", "80000")
    move(page, "Approve")
    assert page.locator("#approved-amount").inner_text() == "80,000.00"

    # The quarterly plan is entered and execution starts.
    page.get_by_role("link", name="Enter the spending plan").click()
    page.fill("input[name=act-0-name]", "อบรมและแปรรูปผลผลิต")
    page.fill("input[name=act-0-unit]", "ครั้ง")
    for quarter, amount in zip((1, 2, 3, 4), ("20000", "30000", "20000", "10000"), strict=True):
        page.fill(f"input[name=act-0-q{quarter}_qty]", "1")
        page.fill(f"input[name=act-0-q{quarter}_amount]", amount)
    page.get_by_role("button", name="Save the spending plan").click()
    page.wait_for_url(f"**{detail}")
    move(page, "Start execution")

    # Actuals for Q1 and Q2 are recorded.
    for quarter, amount in ((1, "15000"), (2, "30000")):
        page.goto(f"{detail}actuals/{quarter}/")
        page.fill("input[name=act-0-quantity]", "1")
        page.fill("input[name=act-0-amount]", amount)
        page.get_by_role("button", name="Record the actuals").click()
        page.wait_for_url(f"**{detail}")
    assert page.locator("#spent-amount").inner_text() == "45,000.00"
    assert page.locator("#spending [data-quarter='2'] .cum-actual").inner_text() == "45,000.00"

    # The consolidation page shows the right totals.
    page.goto(f"/budgets/consolidation/?fiscal_year={FISCAL_YEAR}")
    totals = {k: page.locator(f"[data-total={k}]").inner_text() for k in ("requested", "approved", "spent")}
    assert totals == {"requested": "100,000.00", "approved": "80,000.00", "spent": "45,000.00"}
    province = page.locator("#by-province tr[data-key='50']")
    assert province.locator("[data-col=approved]").inner_text() == "80,000.00"
    assert province.locator("[data-col=ceiling]").inner_text() == "1,000,000.00"
    for tambon in ("500105", "500106"):
        row = page.locator(f"#by-tambon tr[data-key='{tambon}']")
        assert row.locator("[data-col=requested]").inner_text() == "50,000.00"
        assert row.locator("[data-col=approved]").inner_text() == "40,000.00"
        assert row.locator("[data-col=spent]").inner_text() == "22,500.00"
    assert page.locator("#by-workstream svg").count() >= 1
