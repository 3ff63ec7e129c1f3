import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Role, User
from accounts.tests import factories as f
from areas.models import District, Province, Subdistrict

pytestmark = pytest.mark.django_db


def test_national_roles_see_every_tambon(reference_data):
    for user in (f.central_staff(), f.budget_viewer(), f.api_client_user()):
        assert Subdistrict.objects.in_scope_of(user).count() == 7436


def test_regional_staff_see_only_their_region(reference_data):
    user = f.regional_staff("north")
    tambons = Subdistrict.objects.in_scope_of(user)
    assert tambons.count() == Subdistrict.objects.filter(province__region__key="north").count() > 0
    assert not tambons.exclude(province__region__key="north").exists()
    assert set(Province.objects.in_scope_of(user).values_list("region__key", flat=True)) == {"north"}


def test_provincial_coordinator_sees_only_their_province(reference_data):
    user = f.provincial_coordinator("50")
    assert set(Subdistrict.objects.in_scope_of(user).values_list("province__code", flat=True)) == {"50"}
    assert list(Province.objects.in_scope_of(user).values_list("code", flat=True)) == ["50"]
    assert set(District.objects.in_scope_of(user).values_list("province__code", flat=True)) == {"50"}


def test_community_rep_sees_only_their_tambons(reference_data):
    user = f.community_rep("500105", "500106")
    assert sorted(Subdistrict.objects.in_scope_of(user).values_list("code", flat=True)) == ["500105", "500106"]
    assert list(District.objects.in_scope_of(user).values_list("code", flat=True)) == ["5001"]
    assert list(Province.objects.in_scope_of(user).values_list("code", flat=True)) == ["50"]


def test_anonymous_inactive_and_roleless_users_see_nothing(reference_data):
    inactive = f.central_staff(is_active=False)
    roleless = f.UserFactory(role="")
    for user in (AnonymousUser(), inactive, roleless):
        assert not Subdistrict.objects.in_scope_of(user).exists()


def test_scope_filter_follows_a_foreign_key_path(reference_data):
    user = f.provincial_coordinator("50")
    # A model reaching a tambon through a path: here users through their tambons.
    rep_in = f.community_rep("500105")
    f.community_rep("100101")
    reps = User.objects.filter(role=Role.COMMUNITY_REP).filter(user.scope.overlapping("tambons__")).distinct()
    assert list(reps) == [rep_in]


def test_regional_staff_without_region_is_refused(reference_data):
    with pytest.raises(ValidationError, match="ฟิลด์นี้เว้นว่างไม่ได้"):
        User(username="x", role=Role.REGIONAL_STAFF).full_clean()
    with pytest.raises(IntegrityError, match="provincial_coordinator_has_province"), transaction.atomic():
        User.objects.create(username="y", role=Role.PROVINCIAL_COORDINATOR)
