"""The fair-distribution and population pages in a real browser: no WCAG 2.1 AA problem (axe), no CSP violation."""

import pytest
from django.db import connections

from accounts.tests.factories import PASSWORD
from budgets.tests.factories import FISCAL_YEAR
from budgets.tests.test_fairness import fair_data  # noqa: F401 - the fixture
from conftest import AXE, accessibility_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_fairness_pages_pass_axe_without_csp_violations(browser_page, fair_data):  # noqa: F811
    page = browser_page
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        if AXE.exists():
            page.context.add_init_script(path=str(AXE))
        page.goto("/accounts/login/")
        page.fill("input[name=username]", fair_data.username)
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.locator("form.stack button[type=submit]").click()
        problems = {}
        for url in [f"/budgets/fairness/?fiscal_year={FISCAL_YEAR}&province=50", "/areas/population/"]:
            page.goto(url)
            found = accessibility_problems(page)
            if found:
                problems[url] = found
        page.goto(f"/budgets/fairness/?fiscal_year={FISCAL_YEAR}")
        assert page.locator("svg.lorenz polyline.curve").count() == 1
        assert not problems, problems
        assert not violations, violations
    finally:
        connections.close_all()
