"""Central staff enter a master plan's sub-plan and its target (Y1) in the browser, with Thai digits."""

import re

import pytest

from accounts.tests import factories as users
from accounts.tests.factories import PASSWORD
from conftest import AXE, accessibility_problems
from strategies.models import NodeKind, PlanNode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def click_and_wait(page, selector):
    with page.expect_navigation():
        page.click(selector)


def test_staff_enter_a_sub_plan_and_its_target_and_see_the_chain(browser_page):
    page = browser_page
    staff = users.central_staff(username="chain-staff")
    page.goto("/accounts/login/?next=/plans/MP-2566-16/")
    page.fill("input[name=username]", staff.username)
    page.fill("input[name=password]", PASSWORD)
    click_and_wait(page, "form.stack button[type=submit]")
    page.wait_for_url(re.compile(r"/plans/MP-2566-16/$"))
    assert page.locator(".emenscr-chain .missing").count() >= 2  # no Y2, no sub-plans yet

    click_and_wait(page, "[data-action=add-sub_plan]")
    page.fill("input[name=official_code]", "16")  # too short: refused, nothing saved
    page.fill("input[name=name_th]", "การยกระดับศักยภาพผู้ประกอบการ (ทดสอบ)")
    click_and_wait(page, "main form button[type=submit]")
    assert "1601" in page.content()  # the message shows the shape expected
    assert not PlanNode.objects.filter(kind=NodeKind.SUB_PLAN).exists()
    page.fill("input[name=official_code]", "๑๖๐๑")
    click_and_wait(page, "main form button[type=submit]")
    page.wait_for_url(re.compile(r"/plans/MP-2566-16-S1/$"))

    click_and_wait(page, "[data-action=add-sub_plan_target]")
    page.fill("input[name=official_code]", "๑๖๐๑๐๑")
    page.fill("input[name=name_th]", "เป้าหมายแผนย่อยทดสอบ")
    click_and_wait(page, "main form button[type=submit]")
    page.wait_for_url(re.compile(r"/plans/MP-2566-16-S1-T1/$"))
    chain = page.locator(".emenscr-chain").inner_text()
    assert "160101" in chain and "1601" in chain
    assert PlanNode.objects.get(code="MP-2566-16-S1-T1").official_code == "160101"
    if AXE.exists():
        assert accessibility_problems(page) == []
