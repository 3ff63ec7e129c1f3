import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from accounts.tests.factories import api_client_user, community_rep

pytestmark = pytest.mark.django_db


def test_anonymous_clients_get_401_with_the_scheme_and_the_common_error_body(reference_data):
    response = APIClient().get("/api/v1/plan-nodes/")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    assert set(response.json()["error"]) == {"status", "code", "message", "fields"}
    assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.parametrize("header", ["Token not-a-real-token", "Token", "Token two words", "Bearer abc"])
def test_bad_credentials_get_401_too(reference_data, header):
    response = APIClient(HTTP_AUTHORIZATION=header).get("/api/v1/plan-nodes/")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"


def test_the_browser_session_still_works_and_its_writes_need_the_csrf_token(reference_data):
    from django.test import Client

    from accounts.tests.factories import central_staff

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(central_staff())
    assert browser.get("/api/v1/plan-nodes/").status_code == 200
    refused = browser.post("/api/v1/tambon-plans/", {}, content_type="application/json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["error"]["message"]
    browser.get("/")  # the page sets the CSRF cookie, as a browser would get it
    token = browser.cookies["csrftoken"].value
    accepted = browser.post("/api/v1/tambon-plans/", {}, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 400  # past authentication and CSRF; the empty body is what is refused


def test_api_client_reads_plan_nodes_and_areas_with_a_token(reference_data):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=api_client_user())
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")
    workstreams = client.get("/api/v1/plan-nodes/", {"kind": "workstream"}).json()
    assert [n["code"] for n in workstreams["results"]] == ["WS-COUNCIL", "WS-ECONOMY", "WS-WELFARE", "WS-HOUSING"]
    goals = client.get("/api/v1/plan-nodes/", {"parent": "WS-HOUSING", "kind": "goal"}).json()
    assert goals["count"] == 10
    tambons = client.get("/api/v1/subdistricts/", {"district": "5001"}).json()
    assert tambons["count"] > 0 and all(t["province"] == "50" for t in tambons["results"])


def test_api_is_read_only_for_plan_nodes(reference_data):
    from accounts.tests.factories import central_staff

    client = APIClient()
    client.force_authenticate(central_staff())
    assert client.post("/api/v1/plan-nodes/", {"code": "X"}).status_code == 405


def test_read_only_roles_are_refused_before_any_input_is_read(reference_data):
    client = APIClient()
    client.force_authenticate(api_client_user())
    response = client.post("/api/v1/tambon-plans/", {"nonsense": True})
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"


def test_in_my_area_filter_scopes_tambons(reference_data):
    client = APIClient()
    client.force_authenticate(community_rep("500105", "500106"))
    data = client.get("/api/v1/subdistricts/", {"in_my_area": "true"}).json()
    assert sorted(t["code"] for t in data["results"]) == ["500105", "500106"]


def test_bad_filter_value_is_a_400_with_field_errors(reference_data):
    client = APIClient()
    client.force_authenticate(api_client_user())
    response = client.get("/api/v1/plan-nodes/", {"kind": "nonsense"})
    assert response.status_code == 400
    assert "kind" in response.json()["error"]["fields"]


def test_openapi_schema_validates_without_warnings(tmp_path):
    schema = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(schema))
    assert schema.read_text(encoding="utf-8").startswith("openapi: 3")
