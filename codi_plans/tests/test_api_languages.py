"""API error bodies speak the request's language: Thai by default, English for `Accept-Language: en`, and the
language cookie wins over the header. Pages keep ignoring Accept-Language (they open in Thai)."""

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.tests.factories import api_client_user, community_rep, provincial_coordinator

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def _error(response, status):
    assert response.status_code == status, response.content
    body = response.json()["error"]
    assert body["status"] == status and set(body) >= {"status", "code", "message", "fields"}
    return body


@pytest.fixture
def outside_plan(reference_data):
    from areas.models import Subdistrict
    from workstreams.tests.factories import TambonPlanFactory

    return TambonPlanFactory(tambon=Subdistrict.objects.filter(province__code="10").first())


@pytest.fixture
def own_plan(reference_data):
    from areas.models import Subdistrict
    from workstreams.models import PlanStatus
    from workstreams.tests.factories import TambonPlanFactory

    return TambonPlanFactory(tambon=Subdistrict.objects.get(code="500105"), status=PlanStatus.SUBMITTED)


def test_401_in_thai_by_default_and_in_english_on_request(reference_data):
    thai = _error(APIClient().get("/api/v1/plan-nodes/"), 401)
    english = _error(APIClient().get("/api/v1/plan-nodes/", **ENGLISH), 401)
    assert thai["message"] == "ไม่พบข้อมูลการเข้าสู่ระบบ"  # DRF's own Thai
    assert english["message"] == "Authentication credentials were not provided."
    assert thai["code"] == english["code"] == "not_authenticated"
    bad = {"HTTP_AUTHORIZATION": "Token not-a-real-token"}
    assert _error(APIClient().get("/api/v1/plan-nodes/", **bad), 401)["message"] == "Token ไม่ถูกต้อง"
    assert _error(APIClient().get("/api/v1/plan-nodes/", **bad, **ENGLISH), 401)["message"] == "Invalid token."


def test_403_in_both_languages(own_plan):
    client = APIClient()
    client.force_login(community_rep("500105"))  # a representative may not accept a plan
    url = f"/api/v1/tambon-plans/{own_plan.pk}/accept/"
    assert _error(client.post(url, {}, format="json"), 403)["message"] == "คุณไม่มีสิทธิ์พิจารณาแผนของตำบลนี้"
    english = _error(client.post(url, {}, format="json", **ENGLISH), 403)
    assert english["message"] == "You may not review this tambon's plan." and english["code"] == "permission_denied"


def test_403_of_read_only_roles_is_translatable(reference_data):
    token = Token.objects.create(user=api_client_user()).key
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token}")
    english = _error(client.post("/api/v1/tambon-plans/", {}, format="json", **ENGLISH), 403)
    assert english["message"] == "Your role may read but not change anything."
    from codi_plans.api import ReadOnlyRolesMayNotWrite

    # Marked for translation (a lazy gettext string), so the Thai arrives with the project's catalogue.
    assert type(ReadOnlyRolesMayNotWrite.message).__name__ == "__proxy__"


def test_404_in_both_languages_without_the_model_name(outside_plan):
    client = APIClient()
    client.force_login(provincial_coordinator("50"))
    url = f"/api/v1/tambon-plans/{outside_plan.pk}/"
    thai = _error(client.get(url), 404)
    english = _error(client.get(url, **ENGLISH), 404)
    assert thai["message"] == "ไม่พบข้อมูล" and english["message"] == "Not found."
    assert thai["code"] == english["code"] == "not_found"
    # A URL no route matches gets the same body from the 404 handler.
    assert _error(client.get("/api/v1/no-such-thing/"), 404)["message"] == "ไม่พบข้อมูล"
    assert _error(client.get("/api/v1/no-such-thing/", **ENGLISH), 404)["message"] == "Not found."


def test_400_field_messages_in_both_languages(reference_data):
    client = APIClient()
    client.force_login(community_rep("500105"))
    thai = _error(client.get("/api/v1/plan-nodes/", {"kind": "nonsense"}), 400)
    english = _error(client.get("/api/v1/plan-nodes/", {"kind": "nonsense"}, **ENGLISH), 400)
    assert thai["fields"]["kind"] == ["เลือกตัวเลือกที่ถูกต้อง. nonsense ไม่ใช่ตัวเลือกที่ใช้ได้."]
    assert english["fields"]["kind"] == ["Select a valid choice. nonsense is not one of the available choices."]
    assert english["message"] == "Invalid input." and thai["code"] == english["code"] == "invalid"
    body = _error(client.post("/api/v1/tambon-plans/", {}, format="json"), 400)
    assert body["fields"]["tambon"] == ["ฟิลด์นี้จำเป็น"]  # DRF's serializer messages, in Thai


def test_the_language_cookie_wins_over_the_header(reference_data):
    client = APIClient()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"
    assert _error(client.get("/api/v1/plan-nodes/", **ENGLISH), 401)["message"] == "ไม่พบข้อมูลการเข้าสู่ระบบ"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert _error(client.get("/api/v1/plan-nodes/"), 401)["message"] == "Authentication credentials were not provided."


def test_an_unknown_language_falls_back_to_thai(reference_data):
    response = APIClient().get("/api/v1/plan-nodes/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert _error(response, 401)["message"] == "ไม่พบข้อมูลการเข้าสู่ระบบ"


def test_pages_still_ignore_accept_language(client, reference_data):
    body = client.get(reverse("home"), **ENGLISH).content.decode()
    assert '<html lang="th">' in body
