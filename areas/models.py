"""Thai geography: Region → ProvinceGroup → Province → District → Subdistrict (tambon)."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class NamedArea(models.Model):
    """Thai and English names; the page language picks one."""

    name_th = models.CharField(_("Thai name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if (get_language() or "th").startswith("en") and self.name_en:
            return self.name_en
        return self.name_th


class Confidence(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    UNVERIFIED = "unverified", _("Unverified")


class Region(NamedArea):
    """A development region (ภาค)."""

    key = models.SlugField(_("key"), unique=True)
    number = models.PositiveSmallIntegerField(_("number"))

    class Meta:
        ordering = ["number"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class ProvinceGroup(NamedArea):
    """A province group (กลุ่มจังหวัด), 2560 arrangement; staff may correct its membership."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="groups", verbose_name=_("region"))
    confidence = models.CharField(_("confidence"), max_length=12, choices=Confidence.choices)
    evidence = models.TextField(_("evidence"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        verbose_name = _("province group")
        verbose_name_plural = _("province groups")


class AreaQuerySet(models.QuerySet):
    def in_scope_of(self, user):
        """Keep the areas inside the user's working area (every area for national roles)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user.scope.overlapping(level=self.model.AREA_LEVEL))


class Province(NamedArea):
    """A province (จังหวัด) or Bangkok, with its DOPA code."""

    code = models.CharField(_("DOPA code"), max_length=2, unique=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="provinces", verbose_name=_("region")
    )
    group = models.ForeignKey(
        ProvinceGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="provinces",
        verbose_name=_("province group"),
    )
    history = HistoricalRecords()

    objects = AreaQuerySet.as_manager()
    AREA_LEVEL = "province"

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")


class District(NamedArea):
    """A district (อำเภอ / เขต)."""

    code = models.CharField(_("DOPA code"), max_length=4, unique=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="districts")

    objects = AreaQuerySet.as_manager()
    AREA_LEVEL = "district"

    class Meta:
        ordering = ["code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")


class Subdistrict(NamedArea):
    """A subdistrict (ตำบล / แขวง): the tambon, the unit every community plan belongs to."""

    code = models.CharField(_("DOPA code"), max_length=6, unique=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="subdistricts")
    # Kept beside the district so area filters need no join: tambons are filtered by province everywhere.
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="subdistricts")
    postal_codes = models.CharField(_("postal codes"), max_length=60, blank=True)

    objects = AreaQuerySet.as_manager()
    AREA_LEVEL = "subdistrict"

    class Meta:
        ordering = ["code"]
        verbose_name = _("subdistrict (tambon)")
        verbose_name_plural = _("subdistricts (tambons)")
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^[0-9]{6}$"), name="subdistrict_code_six_digits"),
        ]
