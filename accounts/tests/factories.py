import factory

from accounts.models import Role, User
from areas.models import Province, Region, Subdistrict

PASSWORD = "test-password-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)
    role = Role.CENTRAL_STAFF

    @factory.post_generation
    def tambons(self, create, extracted, **kwargs):
        if create and extracted:
            self.tambons.set(extracted)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()


def central_staff(**kwargs):
    return UserFactory(role=Role.CENTRAL_STAFF, is_staff=True, **kwargs)


def regional_staff(region_key="north", **kwargs):
    return UserFactory(role=Role.REGIONAL_STAFF, region=Region.objects.get(key=region_key), **kwargs)


def provincial_coordinator(province_code="50", **kwargs):
    return UserFactory(role=Role.PROVINCIAL_COORDINATOR, province=Province.objects.get(code=province_code), **kwargs)


def community_rep(*tambon_codes, **kwargs):
    tambons = list(Subdistrict.objects.filter(code__in=tambon_codes or ("500105",)))
    return UserFactory(role=Role.COMMUNITY_REP, tambons=tambons, **kwargs)


def budget_viewer(**kwargs):
    return UserFactory(role=Role.BUDGET_VIEWER, **kwargs)


def api_client_user(**kwargs):
    return UserFactory(role=Role.API_CLIENT, **kwargs)
