import pytest
from django.urls import reverse

from accounts.services import DEMO_PASSWORD, create_demo_accounts

pytestmark = pytest.mark.django_db

EXPECTED_TAMBON_COUNTS = {
    "demo-staff": 7436,
    "demo-viewer": 7436,
    "demo-api": 7436,
    "demo-province": None,  # Chiang Mai's tambons, computed below
    "demo-region": None,
    "demo-rep": 2,
}


@pytest.fixture
def demo_accounts(reference_data, settings):
    settings.DEMO_ACCOUNTS_ALLOWED = True
    return {u.username: u for u in create_demo_accounts()}


@pytest.mark.parametrize("username", sorted(EXPECTED_TAMBON_COUNTS))
def test_each_demo_account_logs_in_and_sees_its_own_area(client, demo_accounts, username):
    from areas.models import Subdistrict

    expected = (
        EXPECTED_TAMBON_COUNTS[username]
        or {
            "demo-province": Subdistrict.objects.filter(province__code="50").count(),
            "demo-region": Subdistrict.objects.filter(province__region__key="north").count(),
        }[username]
    )
    response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    page = client.get(reverse("areas:mine"))
    assert page.status_code == 200
    assert page.context["tambon_total"] == expected
    provinces = {p.code for p in page.context["provinces"]}
    if username == "demo-rep":
        assert provinces == {"50"}
        assert {t.code for t in page.context["tambons"]} == {"500105", "500106"}
    elif username == "demo-province":
        assert provinces == {"50"}
    elif username == "demo-region":
        assert provinces and all(p.region.key == "north" for p in page.context["provinces"])
    else:
        assert len(provinces) == 77


def test_my_area_needs_login(client, reference_data):
    response = client.get(reverse("areas:mine"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_wrong_password_is_refused_in_thai(client, demo_accounts):
    response = client.post(reverse("login"), {"username": "demo-rep", "password": "wrong"})
    assert response.status_code == 200
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.content.decode()


def test_profile_shows_role_and_area(client, demo_accounts):
    client.force_login(demo_accounts["demo-province"])
    body = client.get(reverse("accounts:profile")).content.decode()
    assert "เชียงใหม่" in body and "ผู้ประสานงานจังหวัด" in body
