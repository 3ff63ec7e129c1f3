"""A person follows a programme page to what serves it, narrows it to a year and a province, at 1280 and 360 px.

With PROGRAMME_SCREENSHOT=docs/programme-page.png it also saves the README's picture of the drill page (1280 px).
"""

import os

import pytest
from django.db import connections

from accounts.tests import factories as users
from accounts.tests.factories import PASSWORD
from conftest import accessibility_problems

from .conftest import YEAR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOT = os.environ.get("PROGRAMME_SCREENSHOT")


def log_in(page, user):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/")
    page.locator("form.lang-switch button[value=en]").click()
    page.wait_for_load_state()


def test_programme_page_to_what_serves_it(browser_page, world):
    try:
        journey(browser_page)
    finally:
        connections.close_all()


def journey(page):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, users.central_staff())
    page.goto("/plans/WS-ECONOMY-G1-P1/")
    panel = page.locator("#served-by")
    assert "What serves this item" in panel.inner_text()
    panel.get_by_role("link", name="Projects, money and progress by area").click()
    page.wait_for_load_state()
    assert page.url.endswith("/plans/WS-ECONOMY-G1-P1/served-by/")
    page.select_option("select[name=fiscal_year]", str(YEAR))
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    assert page.locator("[data-total=projects]").inner_text() == "3"
    assert page.locator("[data-total=progress]").inner_text() == "46.7%"
    assert page.locator("[data-total=requested]").inner_text() == "66,000.00"
    assert page.locator("#project-table tbody tr").count() == 3
    assert accessibility_problems(page) == []
    if SCREENSHOT:
        page.screenshot(path=SCREENSHOT, full_page=True, clip={"x": 0, "y": 0, "width": 1280, "height": 1700})
    # Down to Chiang Mai through the area row, then on a phone.
    page.get_by_role("link", name="North", exact=False).first.click()
    page.wait_for_load_state()
    assert page.locator("[data-total=projects]").inner_text() == "2"
    page.set_viewport_size({"width": 360, "height": 740})
    page.select_option("select[name=province]", "50")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    assert page.locator("[data-total=projects]").inner_text() == "2"
    assert page.locator("#by-area-table [data-code='5001']").count() == 1
    assert accessibility_problems(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1
    # The coverage page with its map, on the phone.
    page.goto(f"/coverage/?fiscal_year={YEAR}")
    assert page.locator("#coverage-map").count() == 1
    assert accessibility_problems(page) == []
    # A province on the map opens the coverage of that province.
    page.locator("#coverage-map a.map-province[href*='province=50']").first.click()
    page.wait_for_load_state()
    assert "province=50" in page.url and page.locator("#share-table [data-code='5001']").count() == 1
