"""Each demo account signs in through the login page, lands on its own work, and that page passes axe-core."""

import re

import pytest

from accounts.services import DEMO_PASSWORD, create_demo_accounts
from areas.models import Subdistrict
from conftest import accessibility_problems
from indicators.tests.factories import IndicatorFactory
from mywork.selectors import period_now
from reports.tests.factories import ReportFactory
from workstreams.models import PlanStatus, PlanTransition
from workstreams.tests.factories import TambonPlanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}


def some_work(accounts) -> dict:
    """A returned plan in the demo rep's tambon, another tambon's plan awaiting review, an indicator and a report."""
    period = period_now()
    rep, coordinator = accounts["demo-rep"], accounts["demo-province"]

    def plan(code, status):
        return TambonPlanFactory(
            tambon=Subdistrict.objects.get(code=code),
            period_start_be=period.plan_start,
            period_end_be=period.plan_end,
            status=status,
            created_by=rep,
        )

    returned = plan("500105", PlanStatus.RETURNED)
    PlanTransition.objects.create(
        plan=returned,
        from_status=PlanStatus.SUBMITTED,
        to_status=PlanStatus.RETURNED,
        by=coordinator,
        comment="โปรดเพิ่มงบประมาณรายปีของโครงการ",
    )
    plan("500107", PlanStatus.SUBMITTED)
    indicator = IndicatorFactory(name_th="ครัวเรือนที่มีรายได้เพิ่มขึ้น", name_en="Households with more income")
    report = ReportFactory(requested_by=accounts["demo-staff"])
    return {"returned": returned, "indicator": indicator, "report": report}


def log_in(page, username):
    """Sign in through the login page with no ?next=, as after opening the site."""
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("form.stack button[type=submit]").click()


def test_each_demo_role_lands_on_its_own_work(browser_page, settings):
    settings.DEMO_ACCOUNTS_ALLOWED = True
    accounts = {u.username: u for u in create_demo_accounts()}
    work = some_work(accounts)
    page = browser_page
    failures = {}

    def check_axe(where):
        problems = accessibility_problems(page)
        if problems:
            failures[where] = problems

    # The representative, on a phone: their two tambons, the returned plan with its reason, one button per step.
    page.set_viewport_size(PHONE)
    log_in(page, "demo-rep")
    assert page.url.endswith("/my-work/"), page.url
    assert page.locator("section.tambon-work").count() == 2
    returned = page.locator("section.tambon-work[data-code='500105']")
    assert "โปรดเพิ่มงบประมาณรายปีของโครงการ" in returned.locator(".returned-reason").inner_text()
    assert returned.locator(f"a.button[href='/tambon-plans/{work['returned'].pk}/edit/']").count() == 1
    fresh = page.locator("section.tambon-work[data-code='500106']")
    assert fresh.locator("a.button[href='/tambon-plans/new/']").count() == 1
    assert fresh.locator(f"a[href*='indicator={work['indicator'].code}']").count() == 1
    assert page.locator("[data-code='500107']").count() == 0  # not their tambon
    check_axe("community representative at 360px")

    page.set_viewport_size(DESKTOP)
    # The coordinator of Chiang Mai: the plan awaiting review, overdue tambons, the province plan of the period.
    log_in(page, "demo-province")
    assert page.url.endswith("/my-work/"), page.url
    assert page.locator("#review-queue .value").inner_text().strip() == "1"
    assert page.locator("table.overdue-tambons tbody tr").count() > 0
    assert page.locator("#province-plan").get_attribute("href").startswith("/tambon-plans/province/50/")
    check_axe("provincial coordinator")

    # Regional and central staff: progress against the plan, queues, the provinces most late.
    for username in ("demo-region", "demo-staff"):
        log_in(page, username)
        assert page.url.endswith("/my-work/"), page.url
        assert page.locator("section.progress").count() == 1
        assert page.locator("#plans-review .value").inner_text().strip() == "1"
        late = set(page.locator("table.late-provinces tbody tr").evaluate_all("rows => rows.map(r => r.dataset.code)"))
        assert late
        if username == "demo-region":
            assert "10" not in late  # Bangkok is not the north's
        check_axe(username)

    # The Budget Bureau viewer: the latest reports.
    log_in(page, "demo-viewer")
    assert page.url.endswith("/my-work/"), page.url
    assert page.locator(f"table.latest-reports tr[data-pk='{work['report'].pk}']").count() == 1
    check_axe("Budget Bureau viewer")

    # The API client's account: a pointer to the API docs.
    log_in(page, "demo-api")
    assert re.search(r"/my-work/$", page.url), page.url
    assert page.locator("a[href='/api/docs/']").count() >= 1
    check_axe("API client")

    assert not failures, "axe-core found serious or critical WCAG 2.1 A/AA violations:\n" + "\n".join(
        f"{where}\n  " + "\n  ".join(problems) for where, problems in failures.items()
    )
