"""The served-by and coverage API: figures, filters, cursor pagination, CSV, scope and the schema."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.tests.factories import api_client_user, central_staff, provincial_coordinator

from .conftest import YEAR

pytestmark = pytest.mark.django_db
SERVED = "/api/v1/plan-items/{code}/served-by/"


def client_for(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_served_by_lists_each_project_with_its_figures(world):
    response = client_for(central_staff()).get(SERVED.format(code="WS-ECONOMY-G1-P1"), {"fiscal_year": YEAR})
    assert response.status_code == 200
    rows = {r["id"]: r for r in response.json()["results"]}
    assert set(rows) == {world["a"].pk, world["b"].pk, world["d"].pk}
    a = rows[world["a"].pk]
    assert a["tambon"]["code"] == "500105" and a["province"]["code"] == "50"
    assert a["programme"] == "WS-ECONOMY-G1-P1"
    assert a["money"] == {"planned": "40000.00", "requested": "33000.00", "approved": "20000.00", "spent": "5000.00"}
    assert a["progress"]["percent"] == "100.00" and a["progress"]["quarter"] == 2
    assert a["progress"]["spent_reported"] == "8000.00"
    assert rows[world["d"].pk]["progress"]["stopped"] is True


def test_served_by_filters_paginates_with_a_cursor_and_exports_csv(world):
    client = client_for(central_staff())
    url = SERVED.format(code="WS-ECONOMY")
    assert len(client.get(url, {"fiscal_year": YEAR, "province": "50"}).json()["results"]) == 3
    assert len(client.get(url, {"fiscal_year": YEAR, "district": "5001"}).json()["results"]) == 2
    assert len(client.get(url, {"fiscal_year": YEAR, "region": "north"}).json()["results"]) == 3
    first = client.get(url, {"fiscal_year": YEAR, "page_size": 2}).json()
    assert len(first["results"]) == 2 and first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 2 and not second["next"]
    response = client.get(url, {"fiscal_year": YEAR, "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 4 and "money.requested" in rows[0] and "progress.percent" in rows[0]


def test_served_by_summary_gives_the_roll_ups(world):
    body = client_for(central_staff()).get(SERVED.format(code="WS-ECONOMY") + "summary/", {"fiscal_year": YEAR}).json()
    assert body["total"]["projects"] == 4
    assert body["total"]["money"]["requested"] == "69000.00"
    goals = {g["code"]: g for g in body["by_plan_item"]}
    assert goals["WS-ECONOMY-G1"]["progress"]["percent"] == "46.67"
    assert goals["WS-ECONOMY-G1"]["progress"]["reporting_rate"] == "100.00"
    assert body["by_area_level"] == "region"
    response = client_for(central_staff()).get(
        SERVED.format(code="WS-ECONOMY") + "summary/", {"fiscal_year": YEAR, "format": "csv"}
    )
    assert response.status_code == 200 and b"plan_item" in response.content


def test_bad_filters_are_400_and_other_areas_403(world):
    client = client_for(provincial_coordinator("50"))
    url = SERVED.format(code="WS-ECONOMY")
    assert client.get(url, {"fiscal_year": "abc"}).status_code == 400
    assert client.get(url, {"fiscal_year": 99999}).status_code == 400
    assert client.get(url, {"province": "99"}).status_code == 400
    assert client.get(url, {"province_group": 0}).status_code == 400
    assert client.get(url, {"province": "10"}).status_code == 403
    assert client.get(SERVED.format(code="NOPE")).status_code == 404
    assert client_for().get(url).status_code == 401
    rows = client.get(url, {"fiscal_year": YEAR}).json()["results"]
    assert {r["province"]["code"] for r in rows} == {"50"}


def test_served_by_list_queries_are_constant(world):
    client = client_for(central_staff())
    url = SERVED.format(code="WS-ECONOMY")
    with CaptureQueriesContext(connection) as queries:
        client.get(url, {"fiscal_year": YEAR, "page_size": 1})
    with CaptureQueriesContext(connection) as more:
        client.get(url, {"fiscal_year": YEAR, "page_size": 4})
    assert len(more.captured_queries) == len(queries.captured_queries)


def test_coverage_lists_items_with_their_holes_and_filters_by_gap(world):
    client = client_for(api_client_user())
    rows = {r["code"]: r for r in client.get("/api/v1/coverage/", {"fiscal_year": YEAR}).json()}
    assert rows["WS-ECONOMY-G2-P1"]["gaps"] == ["no_result"]
    assert rows["WS-ECONOMY-G2-P1"]["projects"] == 1
    assert rows["WS-COUNCIL-G1"]["gaps"] == ["no_project", "no_request", "no_result"]
    only = client.get("/api/v1/coverage/", {"fiscal_year": YEAR, "gap": "no_request"}).json()
    assert "WS-WELFARE-G1-P1" in {r["code"] for r in only} and "WS-ECONOMY-G1-P1" not in {r["code"] for r in only}
    assert client.get("/api/v1/coverage/", {"gap": "nothing"}).status_code == 400
    response = client.get("/api/v1/coverage/", {"fiscal_year": YEAR, "format": "csv"})
    assert response.status_code == 200 and b"has_request" in response.content


def test_coverage_shares(world):
    rows = client_for(central_staff()).get("/api/v1/coverage/shares/", {"fiscal_year": YEAR}).json()
    north = next(r for r in rows if r["code"] == "north")
    cells = {c["workstream"]: c for c in north["workstreams"]}
    assert north["projects"] == 4
    assert cells["WS-ECONOMY"] == {"workstream": "WS-ECONOMY", "projects": 3, "share": "75.00"}
    assert Decimal(cells["WS-WELFARE"]["share"]) == 100
    response = client_for(central_staff()).get("/api/v1/coverage/shares/", {"fiscal_year": YEAR, "format": "csv"})
    assert response.status_code == 200 and b"workstream" in response.content


def test_schema_lists_the_endpoints_without_warnings(world, capsys):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    assert "/api/v1/plan-items/{code}/served-by/" in paths
    assert "/api/v1/plan-items/{code}/served-by/summary/" in paths
    assert "/api/v1/coverage/" in paths and "/api/v1/coverage/shares/" in paths
    names = {p["name"] for p in paths["/api/v1/plan-items/{code}/served-by/"]["get"]["parameters"]}
    assert {"fiscal_year", "region", "province_group", "province", "district", "cursor", "code"} <= names
    captured = capsys.readouterr()
    assert "coverage" not in (captured.err + captured.out).lower()
