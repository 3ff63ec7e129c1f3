import pytest
from django.utils import translation

from areas.models import District, Province, Subdistrict, level_word, level_word_for

pytestmark = pytest.mark.django_db


def test_bangkok_names_its_levels_khet_and_khwaeng_and_other_provinces_amphoe_and_tambon(reference_data):
    bangkok, chiang_mai = Province.objects.get(code="10"), Province.objects.get(code="50")
    assert bangkok.is_bangkok and not chiang_mai.is_bangkok
    with translation.override("th"):
        assert (bangkok.district_word, bangkok.subdistrict_word) == ("เขต", "แขวง")
        assert (chiang_mai.district_word, chiang_mai.subdistrict_word) == ("อำเภอ", "ตำบล")
        assert District.objects.get(code="1001").level_label == "เขต"
        assert Subdistrict.objects.get(code="100101").level_label == "แขวง"
        assert District.objects.get(code="5001").level_label == "อำเภอ"
        assert Subdistrict.objects.get(code="500105").level_label == "ตำบล"
    with translation.override("en"):
        assert (bangkok.districts_word, bangkok.subdistricts_word) == ("Districts", "Subdistricts")
        assert (chiang_mai.districts_word, chiang_mai.subdistricts_word) == ("Districts", "Tambons")


def test_full_names_carry_the_level_once(reference_data):
    with translation.override("th"):
        # geothai's Bangkok district names already start with เขต: it is not doubled.
        assert District.objects.get(code="1001").full_name == "เขตพระนคร"
        assert Subdistrict.objects.get(code="100101").full_name == "แขวงพระบรมมหาราชวัง"
        assert District.objects.get(code="5001").full_name == "อำเภอเมืองเชียงใหม่"
        assert Subdistrict.objects.get(code="500105").full_name == "ตำบลช้างคลาน"
    with translation.override("en"):
        assert Subdistrict.objects.get(code="100101").full_name == "Phra Borom Maha Ratchawang Subdistrict"
        assert Subdistrict.objects.get(code="100101").full_name_th == "แขวงพระบรมมหาราชวัง"


def test_a_level_for_areas_in_several_provinces_names_both_when_mixed():
    with translation.override("th"):
        assert level_word("tambon", "10") == "แขวง"
        assert level_word_for("subdistrict", ["10", "10"]) == "แขวง"
        assert level_word_for("subdistrict", ["50"]) == "ตำบล"
        assert level_word_for("district", ["10", "50"]) == "อำเภอ/เขต"
