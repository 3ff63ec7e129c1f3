import csv
import io

import pytest
import yaml
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.tests.factories import api_client_user, central_staff, community_rep, provincial_coordinator
from areas.models import Subdistrict
from codi_plans.thai_calendar import current_fiscal_year
from indicators.models import ResultStatus

from .factories import IndicatorFactory, ResultFactory, TargetFactory

pytestmark = pytest.mark.django_db

RESULT_FILTERS = [
    "indicator",
    "workstream",
    "plan_node",
    "fiscal_year",
    "quarter",
    "region",
    "province_group",
    "province",
    "district",
    "tambon",
    "area_level",
    "status",
    "updated_since",
]


def token_client(user=None):
    token = Token.objects.create(user=user or api_client_user())
    return APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")


def session_client(user):
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def q2_results(reference_data):
    """One indicator with approved FY2565 Q2 results in Chiang Mai, plus rows that must not come back."""
    indicator = IndicatorFactory(code="ECON-TEST", plan_node_id=_node("WS-ECONOMY-G7"))
    chiang_mai = list(Subdistrict.objects.filter(province__code="50").order_by("code")[:5])
    for i, tambon in enumerate(chiang_mai):
        ResultFactory(indicator=indicator, tambon_code=tambon.code, quarter=2, value=i + 1)
    ResultFactory(indicator=indicator, tambon_code="500101", quarter=1, value=99)  # other quarter
    ResultFactory(indicator=indicator, tambon_code="570101", quarter=2, value=99)  # other province
    ResultFactory(indicator=indicator, tambon_code="500110", quarter=2, value=99, status=ResultStatus.SUBMITTED)
    ResultFactory(indicator=IndicatorFactory(), tambon_code="500101", quarter=2, value=99)  # other indicator
    return indicator, [t.code for t in chiang_mai]


def _node(code):
    from strategies.models import PlanNode

    return PlanNode.objects.get(code=code).pk


QUERY = {"indicator": "ECON-TEST", "province": "50", "fiscal_year": 2565, "quarter": 2, "status": "approved"}


def test_token_client_pulls_approved_results_of_one_indicator_in_one_province_as_json(q2_results):
    _indicator, tambons = q2_results
    response = token_client().get("/api/v1/results/", QUERY)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["tambon"] for r in rows] == tambons
    assert [r["value"] for r in rows] == ["1.00", "2.00", "3.00", "4.00", "5.00"]
    first = rows[0]
    assert first["indicator"] == "ECON-TEST" and first["province"] == "50" and first["region"] == "north"
    assert first["fiscal_year"] == 2565 and first["quarter"] == 2 and first["status"] == "approved"
    assert first["district"] == tambons[0][:4] and first["area_level"] == "tambon"


def test_token_client_pulls_the_same_results_as_csv_by_format_or_accept_header(q2_results):
    _indicator, tambons = q2_results
    client = token_client()
    by_format = client.get("/api/v1/results/", {**QUERY, "format": "csv"})
    by_header = client.get("/api/v1/results/", QUERY, HTTP_ACCEPT="text/csv")
    for response in (by_format, by_header):
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert [r["tambon"] for r in rows] == tambons
        assert rows[0]["area_name_th"] == Subdistrict.objects.get(code=tambons[0]).name_th
        assert rows[0]["value"] == "1.00"


def test_csv_of_an_empty_page_still_has_its_header_and_errors_stay_json(q2_results):
    client = token_client()
    empty = client.get("/api/v1/results/", {**QUERY, "province": "57", "quarter": 3, "format": "csv"})
    assert empty.content.startswith("\ufeff".encode())  # a byte-order mark: Excel on Windows reads Thai
    assert empty.content.decode("utf-8-sig").splitlines()[0].startswith("id,indicator,fiscal_year")
    error = client.get("/api/v1/results/", {"province": "XX", "format": "csv"})
    assert error.status_code == 400
    assert error.json()["error"]["fields"] == {"province": ["ไม่พบรหัส XX"]}  # Thai is the default language


def test_api_client_sees_approved_results_only_and_cannot_write(q2_results):
    indicator, _tambons = q2_results
    client = token_client()
    statuses = {r["status"] for r in client.get("/api/v1/results/", {"page_size": 1000}).json()["results"]}
    assert statuses == {"approved"}
    response = client.post(
        "/api/v1/results/",
        {"indicator": indicator.code, "area_code": "500105", "fiscal_year": 2565, "quarter": 3, "value": "1"},
    )
    assert response.status_code == 403
    assert set(response.json()["error"]) == {"status", "code", "message", "fields"}


def test_anonymous_clients_get_the_common_error_body(reference_data):
    response = APIClient().get("/api/v1/results/")
    assert response.status_code == 401
    assert set(response.json()["error"]) == {"status", "code", "message", "fields"}


def test_rep_sees_own_tambons_drafts_but_not_other_tambons_drafts(reference_data):
    indicator = IndicatorFactory()
    mine = ResultFactory(indicator=indicator, tambon_code="500105", status=ResultStatus.DRAFT)
    theirs = ResultFactory(indicator=indicator, tambon_code="500106", status=ResultStatus.DRAFT)
    client = session_client(community_rep("500105"))
    ids = [r["id"] for r in client.get("/api/v1/results/").json()["results"]]
    assert ids == [mine.id]
    assert client.get(f"/api/v1/results/{theirs.id}/").status_code == 404


def test_results_workflow_over_the_api(reference_data):
    indicator = IndicatorFactory()
    rep = session_client(community_rep("500105"))
    created = rep.post(
        "/api/v1/results/",
        {"indicator": indicator.code, "area_code": "500105", "fiscal_year": 2565, "quarter": 3, "value": "7"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    result = created.json()
    assert result["status"] == "draft"
    patched = rep.patch(
        f"/api/v1/results/{result['id']}/", {"value": "8", "revision": result["revision"]}, format="json"
    )
    assert patched.json()["value"] == "8.00"
    stale = rep.patch(f"/api/v1/results/{result['id']}/", {"value": "9", "revision": result["revision"]}, format="json")
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    submitted = rep.post(f"/api/v1/results/{result['id']}/submit/", {}, format="json")
    assert submitted.json()["status"] == "submitted"
    coordinator = session_client(provincial_coordinator("50"))
    no_reason = coordinator.post(f"/api/v1/results/{result['id']}/return/", {}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["error"]["fields"]
    approved = coordinator.post(f"/api/v1/results/{result['id']}/approve/", {}, format="json")
    assert approved.json()["status"] == "approved"
    assert rep.post(f"/api/v1/results/{result['id']}/approve/", {}, format="json").status_code == 403
    changed = coordinator.post(
        f"/api/v1/results/{result['id']}/change/",
        {"value": "6", "reason": "miscount", "revision": approved.json()["revision"]},
        format="json",
    )
    assert changed.json()["value"] == "6.00" and changed.json()["status"] == "approved"
    withdrawn = coordinator.post(f"/api/v1/results/{result['id']}/withdraw/", {"reason": "duplicate"}, format="json")
    assert withdrawn.json()["status"] == "withdrawn"


def test_results_are_cursor_paginated(reference_data):
    indicator = IndicatorFactory()
    for tambon in Subdistrict.objects.filter(province__code="50").order_by("code")[:5]:
        ResultFactory(indicator=indicator, tambon_code=tambon.code)
    client = token_client()
    first = client.get("/api/v1/results/", {"page_size": 2}).json()
    assert len(first["results"]) == 2 and first["next"] and "cursor=" in first["next"]
    second = client.get(first["next"]).json()
    assert [r["id"] for r in second["results"]] != [r["id"] for r in first["results"]]
    csv_page = client.get("/api/v1/results/", {"page_size": 2, "format": "csv"})
    assert 'rel="next"' in csv_page["Link"]


@pytest.mark.parametrize("rows", [10, 100])
def test_results_endpoint_runs_the_same_number_of_queries_for_10_and_100_rows(
    reference_data, rows, django_assert_num_queries
):
    indicator = IndicatorFactory()
    for tambon in Subdistrict.objects.filter(province__region__key="central").order_by("code")[:rows]:
        ResultFactory(indicator=indicator, tambon_code=tambon.code)
    client = token_client()
    # Token and user; the indicator's code; the area directory (regions, groups, provinces); the page:
    # the same for any page size.
    with django_assert_num_queries(4):
        response = client.get(
            "/api/v1/results/",
            {"indicator": indicator.code, "region": "central", "status": "approved", "page_size": 100},
        )
    assert response.status_code == 200
    assert len(response.json()["results"]) == rows
    with django_assert_num_queries(3):
        response = client.get("/api/v1/results/", {"page_size": 100})
    assert len(response.json()["results"]) == rows


def test_schema_documents_every_filter(reference_data, tmp_path):
    path = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--file", str(path))
    schema = yaml.safe_load(path.read_text())
    params = {p["name"] for p in schema["paths"]["/api/v1/results/"]["get"]["parameters"]}
    assert set(RESULT_FILTERS) <= params and {"cursor", "page_size", "format"} <= params
    target_params = {p["name"] for p in schema["paths"]["/api/v1/targets/"]["get"]["parameters"]}
    assert set(RESULT_FILTERS) - {"status"} <= target_params
    indicator_params = {p["name"] for p in schema["paths"]["/api/v1/indicators/"]["get"]["parameters"]}
    assert {"workstream", "plan_node", "level", "updated_since"} <= indicator_params
    rollup = {p["name"] for p in schema["paths"]["/api/v1/indicators/{code}/rollup/"]["get"]["parameters"]}
    assert {"fiscal_year", "quarter", "region", "province_group", "province", "district", "by"} <= rollup
    assert "text/csv" in schema["paths"]["/api/v1/results/"]["get"]["responses"]["200"]["content"]


def test_rollup_endpoint_gives_totals_with_a_drilldown_to_each_part(reference_data):
    indicator = IndicatorFactory()
    TargetFactory(indicator=indicator, value=40, area_spec=("province", "50"))
    ResultFactory(indicator=indicator, tambon_code="500101", quarter=1, value=10)
    ResultFactory(indicator=indicator, tambon_code="500203", quarter=2, value=5)
    ResultFactory(indicator=indicator, tambon_code="400101", quarter=2, value=3)
    client = token_client()
    data = client.get(f"/api/v1/indicators/{indicator.code}/rollup/", {"fiscal_year": 2565, "quarter": 2}).json()
    assert data["total"]["actual"] == "18.00"
    north = next(r for r in data["rows"] if r["area"]["code"] == "north")
    assert north["actual"] == "15.00" and north["target"] == "40.00" and north["expected"] == "20.00"
    assert north["band"] == "at_risk"
    province = client.get(north["drilldown"]).json()
    assert province["level"] == "province_group"
    by_province = client.get(
        f"/api/v1/indicators/{indicator.code}/rollup/", {"fiscal_year": 2565, "quarter": 2, "province": "50"}
    ).json()
    districts = {r["area"]["code"]: r["actual"] for r in by_province["rows"] if r["actual"] != "0.00"}
    assert districts == {"5001": "10.00", "5002": "5.00"}
    tambons = client.get(next(r["drilldown"] for r in by_province["rows"] if r["area"]["code"] == "5001")).json()
    leaf = next(r for r in tambons["rows"] if r["area"]["code"] == "500101")
    results = client.get(leaf["drilldown"]).json()["results"]
    assert [(r["tambon"], r["value"]) for r in results] == [("500101", "10.00")]
    csv_rows = client.get(
        f"/api/v1/indicators/{indicator.code}/rollup/", {"fiscal_year": 2565, "quarter": 2, "format": "csv"}
    ).content.decode("utf-8-sig")
    assert csv_rows.splitlines()[0].startswith("area.level,area.code")
    # Without a fiscal year the roll-up is for the current one (issue 12: defaults follow the current year).
    current = client.get(f"/api/v1/indicators/{indicator.code}/rollup/", {"quarter": 2}).json()
    assert current["fiscal_year"] == current_fiscal_year()
    bad = client.get(f"/api/v1/indicators/{indicator.code}/rollup/", {"fiscal_year": "later"})
    assert bad.status_code == 400 and "fiscal_year" in bad.json()["error"]["fields"]


def test_plan_progress_endpoint_rolls_up_the_plan_tree(reference_data):
    from indicators.services import load_indicators

    load_indicators()
    data = token_client().get("/api/v1/indicators/plan-progress/", {"fiscal_year": 2565, "quarter": 4}).json()
    assert data["plan_node"] == "CODI-AP" and data["summary"]["indicators"] == 12
    parts = {p["code"]: p for p in data["parts"]}
    assert parts["WS-ECONOMY"]["summary"]["indicators"] == 5
    economy = token_client(api_client_user()).get(parts["WS-ECONOMY"]["drilldown"]).json()
    assert economy["plan_node"] == "WS-ECONOMY"
    upgraded = next(i for i in economy["indicators"] if i["indicator"] == "ECON-TAMBONS-UPGRADED")
    assert upgraded["figure"]["target"] == "3500.00"
    assert "/rollup/" in upgraded["figure"]["drilldown"]


def test_targets_are_listed_and_set_with_a_reason_to_change(reference_data):
    indicator = IndicatorFactory()
    staff = session_client(central_staff())
    created = staff.post(
        "/api/v1/targets/",
        {"indicator": indicator.code, "area_level": "province", "area_code": "50", "fiscal_year": 2565, "value": "40"},
        format="json",
    )
    assert created.status_code == 201 and created.json()["province"] == "50" and created.json()["region"] == "north"
    again = staff.post(
        "/api/v1/targets/",
        {"indicator": indicator.code, "area_level": "province", "area_code": "50", "fiscal_year": 2565, "value": "45"},
        format="json",
    )
    assert again.status_code == 400
    changed = staff.post(
        "/api/v1/targets/",
        {
            "indicator": indicator.code,
            "area_level": "province",
            "area_code": "50",
            "fiscal_year": 2565,
            "value": "45",
            "reason": "revised plan",
            "revision": created.json()["revision"],
        },
        format="json",
    )
    assert changed.json()["value"] == "45.00"
    listed = token_client().get("/api/v1/targets/", {"indicator": indicator.code, "region": "north"}).json()
    assert [t["value"] for t in listed["results"]] == ["45.00"]


def test_indicators_are_filtered_by_workstream(reference_data):
    from indicators.services import load_indicators

    load_indicators()
    client = token_client()
    welfare = client.get("/api/v1/indicators/", {"workstream": "WS-WELFARE"}).json()["results"]
    assert {i["code"] for i in welfare} == {"WELF-FUNDS-STRENGTHENED", "WELF-LEARNING-CLINICS"}
    assert all(i["workstream"] == "WS-WELFARE" for i in welfare)
    assert client.get("/api/v1/indicators/", {"workstream": "WS-WELFARE-G1"}).status_code == 400


def test_user_throttle_answers_429_with_the_common_error_body(reference_data, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"indicators_anon": "1/minute", "indicators_user": "2/minute"},
    }
    client = token_client()
    codes = [client.get("/api/v1/indicators/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    body = client.get("/api/v1/indicators/").json()
    assert body["error"]["status"] == 429


def test_anonymous_throttle_counts_by_the_client_address_not_a_spoofable_header(settings):
    from rest_framework.test import APIRequestFactory

    from accounts.tests.test_security import PROXY, behind_proxies
    from indicators.api import IndicatorAnonThrottle

    request = APIRequestFactory().get(
        "/api/v1/indicators/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7"
    )
    assert IndicatorAnonThrottle().get_ident(request) == PROXY  # no proxy configured: the header is the client's
    behind_proxies(settings, 1)
    assert IndicatorAnonThrottle().get_ident(request) == "198.51.100.7"


def test_results_set_on_groups_and_regions_list_with_their_codes(reference_data):
    from areas.models import Province

    group = Province.objects.get(code="50").group
    by_group = IndicatorFactory(reporting_level="province_group")
    by_region = IndicatorFactory(reporting_level="region")
    ResultFactory(indicator=by_group, area_spec=("province_group", str(group.number)))
    ResultFactory(indicator=by_region, area_spec=("region", "northeast"))
    rows = token_client().get("/api/v1/results/").json()["results"]
    assert [(r["area_level"], r["area_code"], r["province_group"], r["region"], r["province"]) for r in rows] == [
        ("province_group", str(group.number), group.number, "north", None),
        ("region", "northeast", None, "northeast", None),
    ]
    assert rows[1]["area_name_en"] == "Northeast"
    detail = token_client().get(f"/api/v1/results/{rows[0]['id']}/").json()
    assert {k: detail[k] for k in ("area_code", "province_group", "region")} == {
        k: rows[0][k] for k in ("area_code", "province_group", "region")
    }


def test_browsable_api_renders_the_results_list_for_people(reference_data):
    ResultFactory(indicator=IndicatorFactory(), tambon_code="500105")
    response = session_client(central_staff()).get("/api/v1/results/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and b"500105" in response.content
