"""The map page in a real browser: axe-clean on a desktop and on a 360 px phone, a province opens on click, and the
figure form works with JavaScript switched off. MAP_SCREENSHOT=docs/map.png saves the README's picture."""

import os
from decimal import Decimal

import pytest
from django.db import connections

from accounts.tests import factories as users
from accounts.tests.factories import PASSWORD
from areas.models import Province, Subdistrict
from budgets.models import RequestStatus
from budgets.tests.factories import BudgetRequestFactory
from conftest import accessibility_problems
from indicators.models import AreaLevel
from indicators.tests.factories import IndicatorFactory, ResultFactory, TargetFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FY = 2565
URL = f"/map/?figure=progress&fiscal_year={FY}&quarter=4&indicator=MAP-IND"


def a_country_of_figures():
    """Every province a target of 100; a first tambon in six provinces of seven reports a value from 0 to 139;
    every third province has an approved budget request."""
    staff = users.central_staff(username="map-staff")
    indicator = IndicatorFactory(code="MAP-IND", name_th="ครัวเรือนที่มีรายได้เพิ่มขึ้น", name_en="Households")
    first_tambons = {}
    for code, tambon in Subdistrict.objects.order_by("province__code", "code").values_list("province__code", "code"):
        first_tambons.setdefault(code, tambon)
    for index, (code, tambon) in enumerate(sorted(first_tambons.items())):
        TargetFactory(indicator=indicator, fiscal_year=FY, value=Decimal(100), area_spec=(AreaLevel.PROVINCE, code))
        if index % 7:
            value = Decimal(int(code) * 37 % 140)
            ResultFactory(indicator=indicator, fiscal_year=FY, quarter=4, tambon_code=tambon, value=value)
        if index % 3 == 0:
            amount = 100_000 + 25_000 * (index % 11)
            BudgetRequestFactory(
                fiscal_year=FY,
                province=Province.objects.get(code=code),
                status=RequestStatus.APPROVED,
                requested_amount=amount,
                approved_amount=amount,
            )
    return staff


def log_in(page, user):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("form.stack button[type=submit]").click()


def test_the_map_page_in_a_browser(browser_page):
    try:
        walk(browser_page)
    finally:
        connections.close_all()


def walk(page):
    staff = a_country_of_figures()
    log_in(page, staff)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(URL)
    assert page.locator("svg.map-svg a.map-province").count() == 77
    assert page.locator(".province-map table tbody tr").count() == 77
    assert accessibility_problems(page) == []
    if os.environ.get("MAP_SCREENSHOT"):
        page.locator("main").screenshot(path=os.environ["MAP_SCREENSHOT"])

    # A province is a link to its page.
    page.locator('svg.map-svg a[href="/areas/province/50/"]').click()
    page.wait_for_url("**/areas/province/50/")

    # A 360 px phone: the drawing fits, nothing scrolls sideways, axe is still happy.
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(URL)
    box = page.locator("svg.map-svg").bounding_box()
    assert box["width"] <= 360 and box["height"] > 300
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    assert accessibility_problems(page) == []

    # The budget figure, for a coordinator, with JavaScript switched off: the GET form alone does it.
    context = page.context.browser.new_context(base_url=page.url.split("/map/")[0], java_script_enabled=False)
    plain = context.new_page()
    log_in(plain, users.provincial_coordinator("50", username="map-province"))
    plain.goto(f"/map/?fiscal_year={FY}")
    plain.select_option("select[name=figure]", "budget")
    with plain.expect_navigation():
        plain.locator("#map-form button[type=submit]").click()
    assert "figure=budget" in plain.url
    shaded = plain.locator("svg.map-svg a.map-value")
    outside = plain.locator("svg.map-svg a.map-outside")
    assert shaded.count() == 1 and outside.count() == 76
    assert shaded.first.get_attribute("href") == "/areas/province/50/"
    context.close()
