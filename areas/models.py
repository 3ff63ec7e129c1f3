"""Thai geography: Region → ProvinceGroup → Province → District → Subdistrict (tambon)."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language, override, pgettext_lazy
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


# Bangkok's districts are เขต and its subdistricts แขวง; every other province has อำเภอ and ตำบล.
BANGKOK_CODE = "10"
LEVEL_WORDS = {
    # level: (elsewhere, in Bangkok)
    "district": (_("District"), pgettext_lazy("Bangkok area level", "District")),
    "subdistrict": (_("Tambon"), pgettext_lazy("Bangkok area level", "Subdistrict")),
}
LEVEL_WORDS_PLURAL = {
    "district": (_("Districts"), pgettext_lazy("Bangkok area level", "Districts")),
    "subdistrict": (_("Tambons"), pgettext_lazy("Bangkok area level", "Subdistricts")),
}


def level_word(level: str, province_code: str | None, *, plural: bool = False) -> str:
    """Name an area level as the province calls it: อำเภอ/ตำบล, or เขต/แขวง in Bangkok."""
    words = (LEVEL_WORDS_PLURAL if plural else LEVEL_WORDS)["subdistrict" if level == "tambon" else level]
    return str(words[province_code == BANGKOK_CODE])


def level_word_for(level: str, province_codes, *, plural: bool = False) -> str:
    """Name a level for areas in several provinces: "เขต" when all are in Bangkok, "อำเภอ/เขต" when mixed."""
    words = {level_word(level, code, plural=plural) for code in set(province_codes)}
    if len(words) == 1:
        return words.pop()
    return "/".join([level_word(level, None, plural=plural), level_word(level, BANGKOK_CODE, plural=plural)])


def full_area_name(level: str, province_code: str, name_th: str, name_en: str = "") -> str:
    """A district's or tambon's name with its level, in the page language: "ตำบลช้างคลาน", "แขวงวัดราชบพิธ"."""
    word = level_word(level, province_code)
    if (get_language() or "th").startswith("en") and name_en:
        return f"{name_en} {word}"
    # geothai's Bangkok district names already start with เขต.
    return name_th if name_th.startswith(word) else f"{word}{name_th}"


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

    @property
    def is_bangkok(self) -> bool:
        return self.code == BANGKOK_CODE

    @property
    def district_word(self) -> str:
        return level_word("district", self.code)

    @property
    def districts_word(self) -> str:
        return level_word("district", self.code, plural=True)

    @property
    def subdistrict_word(self) -> str:
        return level_word("subdistrict", self.code)

    @property
    def subdistricts_word(self) -> str:
        return level_word("subdistrict", self.code, plural=True)


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

    @property
    def province_code(self) -> str:
        # A district's DOPA code starts with its province's: no query needed.
        return self.code[:2]

    @property
    def level_label(self) -> str:
        """อำเภอ, or เขต in Bangkok."""
        return level_word("district", self.province_code)

    @property
    def subdistrict_word(self) -> str:
        return level_word("subdistrict", self.province_code)

    @property
    def subdistricts_word(self) -> str:
        return level_word("subdistrict", self.province_code, plural=True)

    @property
    def full_name(self) -> str:
        return full_area_name("district", self.province_code, self.name_th, self.name_en)

    @property
    def full_name_th(self) -> str:
        """The Thai name with its level whatever the page language, for Thai documents: "เขตพระนคร"."""
        with override("th"):
            return full_area_name("district", self.province_code, self.name_th)


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

    @property
    def province_code(self) -> str:
        return self.code[:2]

    @property
    def level_label(self) -> str:
        """ตำบล, or แขวง in Bangkok."""
        return level_word("subdistrict", self.province_code)

    @property
    def full_name(self) -> str:
        return full_area_name("subdistrict", self.province_code, self.name_th, self.name_en)

    @property
    def full_name_th(self) -> str:
        """The Thai name with its level whatever the page language, for Thai documents: "แขวงวัดราชบพิธ"."""
        with override("th"):
            return full_area_name("subdistrict", self.province_code, self.name_th)


class OfficialPopulation(models.Model):
    """An official population (and household) count of one province or one tambon, imported by staff.

    When present it overrides the figure the fairness view otherwise takes from the tambon plans' profiles
    (budgets/fairness.py). One current figure per area: a new import replaces it, history keeps the old one.
    """

    province = models.ForeignKey(
        Province,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="official_population",
        verbose_name=_("province"),
    )
    tambon = models.ForeignKey(
        Subdistrict,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="official_population",
        verbose_name=_("tambon"),
    )
    population = models.PositiveIntegerField(_("population"))
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200)
    year_be = models.PositiveSmallIntegerField(_("year of the figure (B.E.)"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    imported_at = models.DateTimeField(_("imported at"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["province__code", "tambon__code"]
        verbose_name = _("official population")
        verbose_name_plural = _("official population figures")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(province__isnull=False, tambon__isnull=True)
                | models.Q(province__isnull=True, tambon__isnull=False),
                name="official_population_one_area",
            ),
            models.UniqueConstraint(
                fields=["province"], condition=models.Q(province__isnull=False), name="one_official_population_province"
            ),
            models.UniqueConstraint(
                fields=["tambon"], condition=models.Q(tambon__isnull=False), name="one_official_population_tambon"
            ),
            models.CheckConstraint(
                condition=models.Q(year_be__gte=2500, year_be__lte=2700), name="official_population_year_is_be"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.province or self.tambon}: {self.population}"
