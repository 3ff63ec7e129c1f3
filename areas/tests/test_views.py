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
