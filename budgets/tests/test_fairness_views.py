"""The fair-distribution page and API per role, on the data set of test_fairness (hand computation there)."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests import factories as users
from budgets.models import RequestStatus
from budgets.tests.factories import FISCAL_YEAR, accepted_projects
from budgets.tests.test_fairness import fair_data, request  # noqa: F401 - the fixture and its request builder

pytestmark = pytest.mark.django_db
URL = f"/budgets/fairness/?fiscal_year={FISCAL_YEAR}"


def test_the_page_shows_the_measures_flags_and_lorenz_curve(client, fair_data):  # noqa: F811
    client.force_login(fair_data)
    body = client.get(URL + "&province=90", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-measure="rate">63.75<' in body
    assert 'data-measure="gini-provinces">0.2525<' in body
    assert 'data-measure="gini-tambons">0.3700<' in body
    assert 'data-measure="decile-ratio">10.0000<' in body
    assert '<tr data-key="40" data-flag="low">' in body
    # The Lorenz curve is server-side SVG with a title, a description and a table of its points; no style attribute.
    assert '<polyline class="curve" points="0.00,100.00 12.50,100.00' not in body  # KK is not at zero
    assert 'points="0.00,100.00 12.50,98.04 62.50,58.82 87.50,19.61 100.00,0.00"' in body
    assert '<title id="lorenz-title">' in body and '<desc id="lorenz-desc">' in body
    assert " style=" not in body.split("</head>")[1]
    # The province's tambons, and its tambons without a funded project (900102 has none, 900101 has one).
    tambons = body.split('id="tambons"')[1].split("</section>")[0]
    assert 'data-key="900101"' in tambons and "166.67" in tambons
    unfunded = body.split('id="unfunded"')[1].split("</section>")[0]
    assert 'data-key="900102"' in unfunded and 'data-key="900101"' not in unfunded


def test_the_unfunded_tambons_are_paginated(client, fair_data):  # noqa: F811
    client.force_login(fair_data)
    body = client.get(URL + "&page=2", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    unfunded = body.split('id="unfunded"')[1].split("</section>")[0]
    assert unfunded.count("<tr data-key=") == 50
    assert "page=1" in unfunded and "page=3" in unfunded  # links to the pages either side


@pytest.mark.parametrize(
    "make_user",
    [
        lambda: users.provincial_coordinator("50"),
        lambda: users.regional_staff("north"),
        lambda: users.budget_viewer(),
        lambda: users.community_rep("500105"),
    ],
)
def test_every_signed_in_role_sees_the_page_within_its_area(client, fair_data, make_user):  # noqa: F811
    user = make_user()
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    provinces = response.content.decode().split('id="by-province"')[1].split("</section>")[0]
    if user.is_national:
        assert 'data-key="10"' in provinces
    else:
        assert 'data-key="10"' not in provinces  # Bangkok's money is outside the area


def test_anonymous_visitors_are_sent_to_log_in(client, fair_data):  # noqa: F811
    assert client.get(URL).status_code == 302
    assert client.get("/api/v1/fairness/").status_code in (401, 403)


def test_the_api_summary_provinces_and_tambons(client, fair_data):  # noqa: F811
    client.force_login(fair_data)
    summary = client.get(f"/api/v1/fairness/?fiscal_year={FISCAL_YEAR}").json()
    assert (summary["gini_provinces"], summary["gini_tambons"], summary["decile_ratio"]) == (
        "0.2525",
        "0.3700",
        "10.0000",
    )
    assert summary["national_rate"] == "63.75" and summary["flagged_provinces"] == ["40"]
    assert summary["lorenz"][1] == {"population_share": "0.1250", "approved_share": "0.0196"}
    provinces = {r["key"]: r for r in client.get("/api/v1/fairness/provinces/").json()["results"]}
    assert provinces["50"]["approved_per_head"] == "100.00" and provinces["50"]["requested"] == "170000.00"
    page = client.get("/api/v1/fairness/tambons/?province=50&funded=true").json()
    assert page["count"] == 2
    assert {r["key"]: r["approved"] for r in page["results"]} == {"500105": "75000.00", "500106": "25000.00"}
    without = client.get("/api/v1/fairness/tambons/?province=90&funded=false").json()
    assert "900102" in [r["key"] for r in without["results"]] and "900101" not in [r["key"] for r in without["results"]]


def test_the_api_lists_rows_as_csv(client, fair_data):  # noqa: F811
    client.force_login(fair_data)
    response = client.get("/api/v1/fairness/tambons/?province=50&funded=true&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["key"], r["approved_per_head"]) for r in rows] == [("500105", "187.50"), ("500106", "250.00")]
    response = client.get("/api/v1/fairness/provinces/?format=csv")
    rows = {r["key"]: r for r in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))}
    assert rows["40"]["flag"] == "low"


@pytest.mark.parametrize(
    "query",
    ["fiscal_year=abc", "fiscal_year=1999", "workstream=NOPE", "funded=maybe", "province=123"],
)
def test_bad_parameters_are_a_400(client, fair_data, query):  # noqa: F811
    client.force_login(fair_data)
    response = client.get(f"/api/v1/fairness/tambons/?{query}")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]


def test_a_coordinator_gets_their_province_only_from_the_api(client, fair_data):  # noqa: F811
    client.force_login(users.provincial_coordinator("50"))
    provinces = client.get("/api/v1/fairness/provinces/").json()["results"]
    assert [p["key"] for p in provinces] == ["50"]


def test_the_page_and_api_take_as_many_queries_for_many_requests(client, fair_data):  # noqa: F811
    client.force_login(fair_data)
    with CaptureQueriesContext(connection) as few:
        client.get(URL + "&province=50")
        client.get("/api/v1/fairness/")
    for p in accepted_projects("500107", "500108", "500109"):
        request("50", RequestStatus.APPROVED, "1000", "1000", projects=[p])
    with CaptureQueriesContext(connection) as many:
        client.get(URL + "&province=50")
        client.get("/api/v1/fairness/")
    assert len(many.captured_queries) == len(few.captured_queries)
