"""The escalated item on a phone and on a desktop: each level's "my work" lists it, and the page passes axe-core."""

import datetime as dt

import pytest
import time_machine

from accounts.tests import factories as users
from accounts.tests.factories import PASSWORD
from areas.models import Subdistrict
from conftest import accessibility_problems
from indicators.tests.factories import IndicatorFactory
from workstreams.models import PlanStatus
from workstreams.tests.factories import TambonPlanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# FY2569 Q2 results were due on 15 April 2026; on 30 April they are 15 days late: with the region.
TODAY = dt.datetime(2026, 4, 30, 2, tzinfo=dt.UTC)
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def log_in(page, user):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("form.stack button[type=submit]").click()


def test_late_results_show_on_every_level_they_reached(browser_page, settings):
    settings.ESCALATION_INTERVAL_DAYS = 7
    settings.ESCALATION_REMINDER_DAYS = [7, 1]
    IndicatorFactory()
    tambon = Subdistrict.objects.get(code="500105")
    TambonPlanFactory(tambon=tambon, period_start_be=2568, period_end_be=2570, status=PlanStatus.ACCEPTED)
    key = f"results:2569:2:t{tambon.pk}"
    people = [
        ("representative", users.community_rep("500105"), PHONE),
        ("coordinator", users.provincial_coordinator("50"), PHONE),
        ("regional staff", users.regional_staff("north"), DESKTOP),
    ]
    page = browser_page
    failures = {}
    with time_machine.travel(TODAY, tick=True):
        for role, user, viewport in people:
            page.set_viewport_size(viewport)
            log_in(page, user)
            assert page.url.endswith("/my-work/"), page.url
            row = page.locator(f"table.overdue-items tr[data-key='{key}']")
            assert row.count() == 1, role
            assert "15 เม.ย. 2569" in row.inner_text() and "15" in row.locator("td.num").inner_text()
            assert row.locator("a").get_attribute("href").startswith("/indicators/results/?tambon=500105")
            problems = accessibility_problems(page)
            if problems:
                failures[role] = problems
        log_in(page, users.central_staff())
        assert page.locator(f"tr[data-key='{key}']").count() == 0  # not at the centre yet
    assert not failures, failures
