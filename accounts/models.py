"""Users and their roles; every role is scoped to an area, or to the whole country."""

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CENTRAL_STAFF = "central_staff", _("CODI central staff")
    REGIONAL_STAFF = "regional_staff", _("Regional staff")
    PROVINCIAL_COORDINATOR = "provincial_coordinator", _("Provincial coordinator")
    COMMUNITY_REP = "community_rep", _("Community representative")
    BUDGET_VIEWER = "budget_viewer", _("Budget Bureau viewer")
    API_CLIENT = "api_client", _("API client")


NATIONAL_ROLES = {Role.CENTRAL_STAFF, Role.BUDGET_VIEWER, Role.API_CLIENT}
READ_ONLY_ROLES = {Role.BUDGET_VIEWER, Role.API_CLIENT}
NOTHING = Q(pk__in=[])


class UserQuerySet(models.QuerySet):
    def coordinators(self):
        """Keep the provincial coordinators."""
        return self.filter(role=Role.PROVINCIAL_COORDINATOR)

    def representatives(self):
        """Keep the community representatives."""
        return self.filter(role=Role.COMMUNITY_REP)


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, blank=True)
    region = models.ForeignKey(
        "areas.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    province = models.ForeignKey(
        "areas.Province", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("province")
    )
    tambons = models.ManyToManyField(
        "areas.Subdistrict", blank=True, related_name="representatives", verbose_name=_("tambons")
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="regional_staff") | Q(region__isnull=False), name="regional_staff_has_region"
            ),
            models.CheckConstraint(
                condition=~Q(role="provincial_coordinator") | Q(province__isnull=False),
                name="provincial_coordinator_has_province",
            ),
        ]

    def clean(self):
        super().clean()
        if self.role == Role.REGIONAL_STAFF and not self.region_id:
            raise ValidationError({"region": _("Regional staff must have a region.")})
        if self.role == Role.PROVINCIAL_COORDINATOR and not self.province_id:
            raise ValidationError({"province": _("A provincial coordinator must have a province.")})

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_central_staff(self) -> bool:
        return self.is_active and (self.is_superuser or self.role == Role.CENTRAL_STAFF)

    def has_perm(self, perm, obj=None):
        # Central staff run the back office: the admin is theirs in full, no per-model grants needed.
        return self.is_central_staff or super().has_perm(perm, obj)

    def has_module_perms(self, app_label):
        return self.is_central_staff or super().has_module_perms(app_label)

    @property
    def is_national(self) -> bool:
        return self.is_active and (self.is_superuser or self.role in NATIONAL_ROLES)

    @property
    def is_read_only(self) -> bool:
        return self.role in READ_ONLY_ROLES and not self.is_superuser

    @cached_property
    def tambon_ids(self) -> list[int]:
        return list(self.tambons.values_list("id", flat=True))

    # The roles by name, so that no code outside accounts compares role strings.
    @property
    def is_regional_staff(self) -> bool:
        return self.is_active and self.role == Role.REGIONAL_STAFF

    @property
    def is_provincial_coordinator(self) -> bool:
        return self.is_active and self.role == Role.PROVINCIAL_COORDINATOR

    @property
    def is_community_rep(self) -> bool:
        return self.is_active and self.role == Role.COMMUNITY_REP

    @property
    def is_budget_viewer(self) -> bool:
        return self.is_active and self.role == Role.BUDGET_VIEWER

    @property
    def is_api_client(self) -> bool:
        return self.is_active and self.role == Role.API_CLIENT

    @property
    def is_area_staff(self) -> bool:
        """Regional staff and provincial coordinators: CODI staff assigned to one area, who review its work."""
        return self.is_regional_staff or self.is_provincial_coordinator

    @property
    def scope(self):
        """Where the user works: see accounts.scope.AreaScope."""
        from .scope import scope_of

        return scope_of(self)

    @property
    def scope_label(self) -> str:
        """Say in words which area the user works on."""
        if self.is_national:
            return str(_("Whole country"))
        if self.role == Role.REGIONAL_STAFF:
            return str(self.region)
        if self.role == Role.PROVINCIAL_COORDINATOR:
            return str(self.province)
        if self.role == Role.COMMUNITY_REP:
            return ", ".join(str(t) for t in self.tambons.all())
        return str(_("No area"))
