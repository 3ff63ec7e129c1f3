import json

import geothai
import pytest

from accounts.tests.factories import central_staff, provincial_coordinator
from areas.models import District, Province, ProvinceGroup, Region, Subdistrict
from areas.services import PROVINCE_GROUPS_FILE, load_geography, move_province_to_group

pytestmark = pytest.mark.django_db


def test_geography_matches_geothai_exactly(reference_data):
    provinces = geothai.provinces()
    districts = [d for p in provinces for d in geothai.districts(p.code)]
    tambons = [s for d in districts for s in geothai.subdistricts(d.code)]
    assert (Province.objects.count(), District.objects.count(), Subdistrict.objects.count()) == (77, 928, 7436)
    assert set(Province.objects.values_list("code", flat=True)) == {p.code for p in provinces}
    assert set(District.objects.values_list("code", flat=True)) == {d.code for d in districts}
    assert set(Subdistrict.objects.values_list("code", flat=True)) == {s.code for s in tambons}
    sample = geothai.subdistrict("500105")
    tambon = Subdistrict.objects.select_related("district", "province").get(code="500105")
    assert (tambon.name_th, tambon.name_en) == (sample.name_th, sample.name_en)
    assert tambon.postal_codes.split(",") == list(sample.postal_codes)
    assert tambon.district.code == sample.district_code and tambon.province.code == "50"


def test_regions_and_groups_come_from_the_project_data(reference_data):
    assert Region.objects.count() == 6
    assert ProvinceGroup.objects.count() == 18
    data = json.loads(PROVINCE_GROUPS_FILE.read_text(encoding="utf-8"))
    expected = {g["no"]: g["confidence"] for r in data["regions"] for g in r["groups"]}
    assert dict(ProvinceGroup.objects.values_list("number", "confidence")) == expected
    assert all(g.evidence for g in ProvinceGroup.objects.all())
    bangkok = Province.objects.get(code="10")
    assert bangkok.group is None and bangkok.region is None
    assert Province.objects.filter(group__isnull=False).count() == 76
    chiang_mai = Province.objects.select_related("group__region").get(code="50")
    assert chiang_mai.group.region == chiang_mai.region and chiang_mai.region.key == "north"


def test_second_load_changes_nothing(reference_data):
    before = list(Subdistrict.objects.order_by("code").values_list("code", "name_th", "postal_codes", "district_id"))
    report = load_geography()
    assert not report.changed
    assert sum(report.created.values()) == 0 and sum(report.updated.values()) == 0
    after = list(Subdistrict.objects.order_by("code").values_list("code", "name_th", "postal_codes", "district_id"))
    assert before == after


def test_load_repairs_a_changed_name_and_keeps_staff_grouping(reference_data):
    Subdistrict.objects.filter(code="500105").update(name_th="ผิด")
    staff = central_staff()
    province = Province.objects.get(code="50")
    other_group = ProvinceGroup.objects.get(number=16)
    move_province_to_group(province=province, group=other_group, by=staff)
    report = load_geography()
    assert report.updated["subdistrict"] == 1
    assert Subdistrict.objects.get(code="500105").name_th == geothai.subdistrict("500105").name_th
    province.refresh_from_db()
    assert province.group == other_group


def test_grouping_correction_is_recorded_with_who_did_it(reference_data):
    staff = central_staff()
    province = Province.objects.get(code="50")
    move_province_to_group(province=province, group=ProvinceGroup.objects.get(number=16), by=staff)
    latest = province.history.latest()
    assert latest.history_user == staff and latest.group_id == ProvinceGroup.objects.get(number=16).id


def test_only_central_staff_may_correct_the_grouping(reference_data):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied, match="แก้ไขกลุ่มจังหวัด"):
        move_province_to_group(province=Province.objects.get(code="50"), group=None, by=provincial_coordinator())
    assert Province.objects.get(code="50").group is not None


# --- Giving a province to a region's team ------------------------------------------------------------


def test_central_staff_assign_bangkok_to_a_region_with_history(reference_data):
    from areas.selectors import region_history
    from areas.services import assign_region

    staff = central_staff()
    bangkok = Province.objects.get(code="10")
    central = Region.objects.get(key="central")
    assign_region(province=bangkok, region=central, by=staff, reason="ทีมภาคกลางดูแลกรุงเทพฯ")
    bangkok.refresh_from_db()
    assert bangkok.region == central and bangkok.group is None
    latest = bangkok.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (staff, "ทีมภาคกลางดูแลกรุงเทพฯ")
    north = Region.objects.get(key="north")
    assign_region(province=bangkok, region=north, by=staff, reason="ย้ายไปภาคเหนือ")
    changes = region_history(bangkok)
    assert [(c.from_region, c.to_region, c.by, c.reason) for c in changes] == [
        (central, north, staff, "ย้ายไปภาคเหนือ"),
        (None, central, staff, "ทีมภาคกลางดูแลกรุงเทพฯ"),
    ]
    history_rows = bangkok.history.count()
    assign_region(province=bangkok, region=north, by=staff, reason="ซ้ำ")  # no change: no history row
    assert bangkok.history.count() == history_rows


@pytest.mark.parametrize("role", ["regional_staff", "provincial_coordinator", "community_rep", "budget_viewer"])
def test_only_central_staff_assign_a_province_to_a_region(reference_data, role):
    from django.core.exceptions import PermissionDenied

    from accounts.tests import factories
    from areas.services import assign_region

    user = {
        "regional_staff": lambda: factories.regional_staff("central"),
        "provincial_coordinator": lambda: factories.provincial_coordinator("10"),
        "community_rep": lambda: factories.community_rep("100101"),
        "budget_viewer": factories.budget_viewer,
    }[role]()
    bangkok = Province.objects.get(code="10")
    with pytest.raises(PermissionDenied, match="เท่านั้นที่กำหนดภาคให้จังหวัดได้"):
        assign_region(province=bangkok, region=Region.objects.get(key="central"), by=user, reason="ขอดูแลเอง")
    bangkok.refresh_from_db()
    assert bangkok.region is None and bangkok.history.filter(history_change_reason="ขอดูแลเอง").count() == 0


def test_a_region_change_needs_a_reason_and_a_grouped_province_follows_its_group(reference_data):
    from django.core.exceptions import ValidationError

    from areas.services import assign_region

    staff = central_staff()
    with pytest.raises(ValidationError) as error:
        assign_region(province=Province.objects.get(code="10"), region=Region.objects.first(), by=staff, reason=" ")
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        assign_region(
            province=Province.objects.get(code="50"), region=Region.objects.get(key="central"), by=staff, reason="x"
        )
    assert error.value.message_dict["region"] and Province.objects.get(code="50").region.key == "north"
