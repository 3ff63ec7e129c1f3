"""The one object that answers where a user works: each role's area, overlapping and wholly inside."""

import pytest

from accounts.scope import NO_SCOPE, scope_of
from accounts.tests import factories as users
from areas.models import District, Province, ProvinceGroup, Region, Subdistrict

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(reference_data):
    return {
        "north": Region.objects.get(key="north"),
        "cm": Province.objects.get(code="50"),
        "cr": Province.objects.get(code="57"),
        "bkk": Province.objects.get(code="10"),
        "cm_city": District.objects.get(code="5001"),
        "changkhlan": Subdistrict.objects.get(code="500105"),
        "wat_ket": Subdistrict.objects.get(code="500106"),
    }


def test_each_role_contains_exactly_the_areas_wholly_inside_its_own(places):
    north_group = ProvinceGroup.objects.filter(region=places["north"]).first()
    cases = {
        "central": (users.central_staff(), {"cm", "cr", "bkk", "cm_city", "changkhlan", "wat_ket", "north", "group"}),
        "region": (users.regional_staff("north"), {"cm", "cr", "cm_city", "changkhlan", "wat_ket", "north", "group"}),
        "coordinator": (users.provincial_coordinator("50"), {"cm", "cm_city", "changkhlan", "wat_ket"}),
        "rep": (users.community_rep("500105"), {"changkhlan"}),
        "no role": (users.UserFactory(role=""), set()),
    }
    levels = {
        "north": "region",
        "group": "province_group",
        "cm": "province",
        "cr": "province",
        "bkk": "province",
        "cm_city": "district",
        "changkhlan": "tambon",
        "wat_ket": "tambon",
    }
    areas = {**places, "group": north_group}
    for name, (user, expected) in cases.items():
        scope = scope_of(user)
        inside = {key for key, level in levels.items() if scope.contains(level, areas[key])}
        assert inside == expected, name
        assert scope.contains("country", None) == (name == "central")


def test_overlapping_rows_and_provinces_in_reach(places):
    rep = users.community_rep("500105", "500106")
    scope = scope_of(rep)
    assert set(Province.objects.filter(scope.overlapping(level="province"))) == {places["cm"]}
    assert set(Subdistrict.objects.filter(scope.overlapping())) == {places["changkhlan"], places["wat_ket"]}
    assert scope.provinces_in_reach() == {places["cm"].id}
    region = scope_of(users.regional_staff("north"))
    assert Province.objects.filter(region.overlapping(level="province")).count() == 17
    assert places["bkk"].id not in region.provinces_in_reach()
    assert scope_of(users.central_staff()).provinces_in_reach() is None


def test_audience_keys_name_what_a_user_sees(places):
    rep = users.community_rep("500106", "500105")
    assert scope_of(rep).audience_key == f"tambons:{places['changkhlan'].id},{places['wat_ket'].id}"
    assert scope_of(users.budget_viewer()).audience_key == "national"
    assert scope_of(users.provincial_coordinator("50")).audience_key == f"province:{places['cm'].id}"


def test_read_only_roles_and_strangers_may_not_write(places):
    from django.contrib.auth.models import AnonymousUser

    assert not scope_of(users.budget_viewer()).may_write and not scope_of(users.api_client_user()).may_write
    assert scope_of(users.central_staff()).may_write
    assert scope_of(AnonymousUser()) is NO_SCOPE
    inactive = users.central_staff(is_active=False)
    assert scope_of(inactive) is NO_SCOPE and not Province.objects.filter(scope_of(inactive).overlapping()).exists()


def test_the_scope_is_built_once_per_user(places, django_assert_num_queries):
    rep = users.community_rep("500105")
    rep = type(rep).objects.get(pk=rep.pk)
    with django_assert_num_queries(1):  # the user's tambons
        scope_of(rep)
        scope_of(rep).contains_tambon(places["changkhlan"])
        assert rep.scope.audience_key.startswith("tambons:")
