import pytest
from django.urls import reverse

from accounts.tests.factories import central_staff
from areas.models import Province, ProvinceGroup

pytestmark = pytest.mark.django_db


def test_staff_correct_a_province_group_in_the_back_office(client, reference_data):
    staff = central_staff()
    client.force_login(staff)
    province = Province.objects.get(code="50")
    new_group = ProvinceGroup.objects.get(number=16)
    response = client.post(
        reverse("admin:areas_province_change", args=[province.pk]),
        {
            "code": "50",
            "name_th": province.name_th,
            "name_en": province.name_en,
            "region": province.region_id,
            "group": new_group.pk,
        },
    )
    assert response.status_code == 302
    province.refresh_from_db()
    assert province.group == new_group and province.region == new_group.region
    assert province.history.latest().history_user == staff


def test_area_pages_list_regions_provinces_and_tambons(client, reference_data):
    body = client.get(reverse("areas:index")).content.decode()
    assert "ภาคเหนือ" in body and "กรุงเทพมหานคร" in body
    body = client.get(reverse("areas:province", args=["50"])).content.decode()
    assert "เมืองเชียงใหม่" in body
    body = client.get(reverse("areas:district", args=["5001"])).content.decode()
    assert "ช้างคลาน" in body and "50100" in body
    assert client.get(reverse("areas:province", args=["99"])).status_code == 404


def test_bangkok_area_pages_say_khet_and_khwaeng(client, reference_data):
    body = client.get(reverse("areas:province", args=["10"])).content.decode()
    assert "<th>เขต</th>" in body and '<th class="num">แขวง</th>' in body and "อำเภอ" not in body
    body = client.get(reverse("areas:district", args=["1001"])).content.decode()
    assert '<li aria-current="page">เขตพระนคร</li>' in body and "<h1>เขตพระนคร <small>" in body
    assert "<th>แขวง</th>" in body and "ตำบล" not in body.split("<main")[1]


def test_other_area_pages_say_amphoe_and_tambon(client, reference_data):
    body = client.get(reverse("areas:province", args=["50"])).content.decode()
    assert "<th>อำเภอ</th>" in body and '<th class="num">ตำบล</th>' in body
    body = client.get(reverse("areas:district", args=["5001"])).content.decode()
    assert '<li aria-current="page">อำเภอเมืองเชียงใหม่</li>' in body and "<th>ตำบล</th>" in body


def test_a_bangkok_representatives_area_lists_khwaeng(client, reference_data):
    from accounts.tests.factories import community_rep

    client.force_login(community_rep("100101", "100102"))
    body = client.get(reverse("areas:mine")).content.decode()
    assert "2 แขวง" in body and "แขวงพระบรมมหาราชวัง <small>เขตพระนคร</small>" in body


def test_the_api_gives_each_district_and_tambon_its_level_label(reference_data):
    from rest_framework.test import APIClient

    from accounts.tests.factories import api_client_user

    client = APIClient()
    client.force_authenticate(api_client_user())
    khet = client.get("/api/v1/districts/", {"province": "10"}).json()["results"][0]
    assert (khet["level_label_th"], khet["level_label_en"]) == ("เขต", "District")
    khwaeng = client.get("/api/v1/subdistricts/", {"district": "1001"}).json()["results"][0]
    assert (khwaeng["level_label_th"], khwaeng["level_label_en"]) == ("แขวง", "Subdistrict")
    tambon = client.get("/api/v1/subdistricts/", {"district": "5001"}).json()["results"][0]
    assert (tambon["level_label_th"], tambon["level_label_en"]) == ("ตำบล", "Tambon")


def test_central_staff_give_bangkok_to_a_region_on_its_page(client, reference_data):
    from areas.models import Region

    staff = central_staff(first_name="สมศรี")
    client.force_login(staff)
    body = client.get(reverse("areas:province", args=["10"])).content.decode()
    assert 'id="assign-region"' in body
    url = reverse("areas:province_region", args=["10"])
    assert "ยังไม่เคยเปลี่ยนภาค" in client.get(url).content.decode()
    central = Region.objects.get(key="central")
    refused = client.post(url, {"region": central.pk, "reason": ""})
    assert refused.status_code == 200 and Province.objects.get(code="10").region is None
    response = client.post(url, {"region": central.pk, "reason": "ทีมภาคกลางดูแลกรุงเทพฯ"})
    assert response.status_code == 302 and response.url == reverse("areas:province", args=["10"])
    assert Province.objects.get(code="10").region == central
    body = client.get(url).content.decode()
    history = body.split('id="region-history"')[1]
    assert "สมศรี" in history and "ภาคกลาง" in history and "ทีมภาคกลางดูแลกรุงเทพฯ" in history


def test_the_region_page_is_for_central_staff_only(client, reference_data):
    from accounts.tests.factories import budget_viewer, regional_staff

    url = reverse("areas:province_region", args=["10"])
    assert client.get(url).status_code == 302  # to the login page
    for user in (budget_viewer(), regional_staff("central")):
        client.force_login(user)
        assert 'id="assign-region"' not in client.get(reverse("areas:province", args=["10"])).content.decode()
        assert client.get(url).status_code == 403
        assert client.post(url, {"region": "", "reason": "x"}).status_code == 403
    assert client.get(reverse("areas:province", args=["10"])).status_code == 200
