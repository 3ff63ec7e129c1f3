"""Users and their roles; every role is scoped to an area, or to the whole country."""

from functools import cached_property

from django.contrib.auth.models import AbstractUser
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

    def area_q(self, path: str = "", level: str = "subdistrict") -> Q:
        """Return a filter for the rows whose area at `path` lies in the user's scope.

        `path` is the lookup from the queried model to an area ("" when the model is the area
        itself, "tambon__" for a model with a tambon foreign key); `level` says which kind of area
        it reaches: subdistrict, district or province.
        """
        if not self.is_active:
            return NOTHING
        if self.is_national:
            return Q()
        province = f"{path}province" if level != "province" else f"{path}id"
        region = f"{path}province__region" if level != "province" else f"{path}region"
        if self.role == Role.REGIONAL_STAFF:
            return Q(**{region: self.region_id})
        if self.role == Role.PROVINCIAL_COORDINATOR:
            return Q(**{province: self.province_id})
        if self.role == Role.COMMUNITY_REP:
            from areas.models import Subdistrict

            tambons = Subdistrict.objects.filter(id__in=self.tambon_ids)
            ids = {
                "subdistrict": self.tambon_ids,
                "district": tambons.values_list("district_id", flat=True),
                "province": tambons.values_list("province_id", flat=True),
            }[level]
            return Q(**{f"{path}id__in": list(ids)})
        return NOTHING
