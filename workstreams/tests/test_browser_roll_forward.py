"""Plan cycles in real headless Chromium: central staff roll the CODI plan forward and publish it, then a
representative starts the tambon's next plan from the previous one, which stays unchanged."""

import re

import pytest

from accounts.tests import factories as users
from strategies.models import PlanNode
from workstreams.models import PlanStatus, TambonPlan
from workstreams.selectors import plan_snapshot
from workstreams.tests.factories import ProblemFactory, ProjectBudgetFactory, ProjectFactory, TambonPlanFactory

from .test_browser import DESKTOP, PHONE, assert_fits_the_phone, click_and_wait, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser_page):
    return browser_page


def test_roll_forward_publish_and_start_the_next_tambon_plan(page):
    from conftest import accessibility_problems

    staff = users.central_staff(username="staff-plans")
    rep = users.community_rep("500105", username="rep-next")
    previous = TambonPlanFactory(status=PlanStatus.ENDORSED, created_by=rep, updated_by=rep)
    ProblemFactory(plan=previous, rank=1, title="หนี้นอกระบบ")
    finished = ProjectFactory(plan=previous, number=1, name="โครงการที่จบแล้ว")
    ProjectBudgetFactory(project=finished, fiscal_year=2564)
    running = ProjectFactory(plan=previous, number=2, name="กองทุนข้าวชุมชน")
    ProjectBudgetFactory(project=running, fiscal_year=2570)
    before = plan_snapshot(previous)
    old_tree = sorted(PlanNode.objects.filter(is_draft=False).values_list())

    # Central staff roll the seed plan forward from its page, then publish the draft.
    log_in(page, staff, DESKTOP)
    page.goto("/plans/CODI-AP/")
    click_and_wait(page, "[data-action=roll-forward]")
    assert accessibility_problems(page) == []
    page.fill("input[name=period_start_be]", "2569")
    page.fill("input[name=period_end_be]", "2571")
    click_and_wait(page, "#roll-forward-form button[type=submit]")
    page.wait_for_url(re.compile(r"/plans/CODI-AP-2569/$"))
    assert page.locator("[data-plan-state=draft]").count() == 1
    click_and_wait(page, "[data-action=publish]")
    click_and_wait(page, "#publish-form button[type=submit]")
    page.wait_for_url(re.compile(r"/plans/CODI-AP-2569/$"))
    assert page.locator("[data-plan-state=in_force]").count() == 1
    page.goto("/plans/")
    assert page.locator("[data-plan=CODI-AP-2569] [data-plan-state=in_force]").count() == 1
    assert page.locator("[data-plan=CODI-AP] [data-plan-state=past]").count() == 1
    assert accessibility_problems(page) == []
    assert sorted(PlanNode.objects.filter(pk__in=[r[0] for r in old_tree]).values_list()) == old_tree

    # The representative, on a phone, starts the next plan from the endorsed one.
    log_in(page, rep, PHONE)
    page.goto(f"/tambon-plans/{previous.pk}/")
    click_and_wait(page, "[data-action=start-next]")
    assert_fits_the_phone(page)
    page.fill("input[name=period_start_be]", "2569")
    page.fill("input[name=period_end_be]", "2571")
    click_and_wait(page, "#next-plan-form button[type=submit]")
    new = TambonPlan.objects.get(tambon__code="500105", period_start_be=2569)
    page.wait_for_url(f"**/tambon-plans/{new.pk}/")
    assert_fits_the_phone(page)
    labels = page.locator(".carried-over").all_inner_texts()
    assert len(labels) == 1 and "2563–2565" in labels[0]
    assert "กองทุนข้าวชุมชน" in page.inner_text("main") and "โครงการที่จบแล้ว" not in page.inner_text("main")
    assert new.projects.get().workstream.code == "WS-ECONOMY-2569"
    assert accessibility_problems(page) == []
    assert plan_snapshot(TambonPlan.objects.get(pk=previous.pk)) == before
