"""The drill page, the coverage page and the panel on a plan item's page."""

import re

import pytest
from django.urls import reverse

from accounts.tests.factories import budget_viewer, central_staff, community_rep, provincial_coordinator

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def page(client, user, url, **query):
    client.force_login(user)
    response = client.get(url, query)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def total(body, name):
    return re.search(rf'data-total="{name}">([^<]*)<', body).group(1).strip()


def test_programme_drill_page_shows_the_totals_tables_and_projects(client, world):
    body = page(client, central_staff(), reverse("coverage:served_by", args=["WS-ECONOMY-G1-P1"]), fiscal_year=YEAR)
    assert total(body, "projects") == "3"
    assert total(body, "progress") == "46.7%"
    assert total(body, "planned") == "60,000.00"
    assert total(body, "requested") == "66,000.00"
    assert total(body, "approved") == "40,000.00"
    assert total(body, "spent") == "10,000.00"
    assert 'id="by-area-table"' in body and 'data-code="north"' in body
    assert body.count('data-project="') == 3
    assert world["a"].name in body
    assert "/api/v1/plan-items/WS-ECONOMY-G1-P1/served-by/?fiscal_year=2564" in body


def test_drill_filters_by_area_and_links_rows_to_the_narrower_area(client, world):
    url = reverse("coverage:served_by", args=["WS-ECONOMY"])
    body = page(client, central_staff(), url, fiscal_year=YEAR, province="50")
    assert total(body, "projects") == "3"
    assert "?fiscal_year=2564&amp;district=5001&amp;province=50" in body
    assert 'id="by-plan-table"' in body and 'data-code="WS-ECONOMY-G2"' in body
    body = page(client, central_staff(), url, fiscal_year=YEAR, province="50", district="5001")
    assert total(body, "projects") == "2"


def test_drill_page_is_paginated(client, world, monkeypatch):
    from coverage import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    url = reverse("coverage:served_by", args=["WS-ECONOMY-G1-P1"])
    first = page(client, central_staff(), url, fiscal_year=YEAR)
    assert first.count('data-project="') == 2 and "page=2" in first
    second = page(client, central_staff(), url, fiscal_year=YEAR, page=2)
    assert second.count('data-project="') == 1


def test_coordinator_sees_their_province_and_is_refused_another(client, world):
    coordinator = provincial_coordinator("50")
    url = reverse("coverage:served_by", args=["WS-ECONOMY-G1-P1"])
    body = page(client, coordinator, url, fiscal_year=YEAR)
    assert total(body, "projects") == "2"
    # Bangkok is not among the choices: the form says so and the page keeps to the coordinator's province.
    body = page(client, coordinator, url, fiscal_year=YEAR, province="10")
    assert total(body, "projects") == "2" and 'class="error"' in body


def test_a_bad_year_is_an_error_on_the_form_and_the_current_year_is_shown(client, world):
    body = page(client, central_staff(), reverse("coverage:served_by", args=["WS-ECONOMY"]), fiscal_year="abc")
    assert 'class="error"' in body


def test_anonymous_is_sent_to_log_in_and_unknown_items_are_404(client, world):
    url = reverse("coverage:served_by", args=["WS-ECONOMY"])
    assert client.get(url).status_code == 302
    client.force_login(central_staff())
    assert client.get(reverse("coverage:served_by", args=["NOPE"])).status_code == 404


def test_plan_item_page_shows_the_summary_to_signed_in_people_only(client, world, monkeypatch):
    from coverage import views

    monkeypatch.setattr(views, "current_fiscal_year", lambda: YEAR)
    url = reverse("strategies:node", args=["WS-ECONOMY-G1-P1"])
    assert 'id="served-by"' not in client.get(url).content.decode()
    body = page(client, central_staff(), url)
    assert 'id="served-by"' in body and total(body, "requested").startswith("66,000.00 ")
    assert (total(body, "projects"), total(body, "reported"), total(body, "progress")) == ("3", "3", "46.7%")
    assert reverse("coverage:served_by", args=["WS-ECONOMY-G1-P1"]) in body
    body = page(client, community_rep("500105"), url)
    assert total(body, "planned").startswith("60,000.00 ")  # A and B only


def test_coverage_page_lists_holes_shares_and_the_map(client, world):
    body = page(client, central_staff(), reverse("coverage:index"), fiscal_year=YEAR)
    assert 'data-holes="' in body
    row = re.search(r'<tr data-code="WS-ECONOMY-G2-P1".*?</tr>', body, re.S).group(0)
    assert 'data-col="projects">1<' in row and 'class="gap"' in row  # funded, but no result
    assert 'id="share-table"' in body and 'data-code="north"' in body
    assert 'class="province-map"' in body and "geoBoundaries" in body


def test_coverage_page_for_a_budget_viewer_and_a_coordinator(client, world):
    body = page(client, budget_viewer(), reverse("coverage:index"), fiscal_year=YEAR)
    assert 'id="group-programme"' in body
    body = page(client, provincial_coordinator("50"), reverse("coverage:index"), fiscal_year=YEAR)
    assert 'data-code="5001"' in body  # rows are the province's districts
    assert "outside your area" in body or "นอกพื้นที่" in body
