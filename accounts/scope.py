"""Where a user works: one object, built once per user, answers every "which areas" question.

A user's working area is the whole country (central staff, Budget Bureau viewers, API clients), one region
(regional staff), one province (provincial coordinators) or a few tambons (community representatives). Every
queryset's `visible_to`, every permission and every report scope asks this object; nothing else looks at roles
to decide where someone works.

Two questions look alike and differ:
- *overlapping*: rows whose area shares ground with the user's (a representative sees the ceilings of the
  provinces their tambons lie in): `overlapping(path, level)`, `provinces_in_reach()`.
- *inside*: areas that lie wholly within the user's (a representative may report for their tambons, not for
  their province): `contains(level, area)`, `inside_q()`.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q

NOWHERE = Q(pk__in=[])

# Area levels, from the largest; "subdistrict" is the model's name for a tambon.
COUNTRY, REGION, PROVINCE_GROUP, PROVINCE, DISTRICT, TAMBON = (
    "country",
    "region",
    "province_group",
    "province",
    "district",
    "tambon",
)
LEVEL_ALIASES = {"subdistrict": TAMBON}


@dataclass(frozen=True)
class AreaScope:
    """A user's working area; build it with `scope_of(user)`."""

    kind: str  # "country", "region", "province", "tambons" or "nowhere"
    may_write: bool = False
    region_id: int | None = None
    province_id: int | None = None
    tambon_ids: frozenset = field(default_factory=frozenset)

    @property
    def is_national(self) -> bool:
        return self.kind == COUNTRY

    @property
    def works_somewhere(self) -> bool:
        """False for accounts with no working role (and anonymous or inactive users)."""
        return self.kind != "nowhere"

    # --- querysets ------------------------------------------------------------------------------------------

    def overlapping(self, path: str = "", level: str = TAMBON) -> Q:
        """Filter rows whose area at `path` shares ground with the user's area.

        `path` is the lookup from the queried model to an area ("" for the area itself, "plan__tambon__" for a
        project); `level` says which kind of area it reaches.
        """
        level = LEVEL_ALIASES.get(level, level)
        if self.kind == COUNTRY:
            return Q()
        if self.kind == REGION:
            lookup = {
                REGION: "id",
                PROVINCE_GROUP: "region",
                PROVINCE: "region",
                DISTRICT: "province__region",
                TAMBON: "province__region",
            }[level]
            return Q(**{f"{path}{lookup}": self.region_id})
        if self.kind == PROVINCE:
            lookup = {
                REGION: "provinces",
                PROVINCE_GROUP: "provinces",
                PROVINCE: "id",
                DISTRICT: "province",
                TAMBON: "province",
            }[level]
            return Q(**{f"{path}{lookup}": self.province_id})
        if self.kind == "tambons":
            if level == TAMBON:
                return Q(**{f"{path}id__in": sorted(self.tambon_ids)})
            from areas.models import Subdistrict

            above = {DISTRICT: "district_id", PROVINCE: "province_id"}.get(level)
            if above is None:  # a region or group overlaps a tambon's: through its provinces
                return Q(**{f"{path}provinces__id__in": sorted(self.provinces_in_reach())})
            ids = Subdistrict.objects.filter(id__in=self.tambon_ids).values_list(above, flat=True)
            return Q(**{f"{path}id__in": sorted(set(ids))})
        return NOWHERE

    def inside_q(self, *, tambons: bool = True) -> Q:
        """Filter rows set on one area (fields region, province_group, province, district, tambon and `level`,
        as indicators' targets and results are) whose area lies wholly within the user's.

        With tambons=False the rows have no tambon level (reports): a representative's area holds none of them."""
        if self.kind == COUNTRY:
            return Q()
        if self.kind == REGION:
            return (
                Q(province__region_id=self.region_id)
                | Q(province_group__region_id=self.region_id)
                | Q(region_id=self.region_id)
            )
        if self.kind == PROVINCE:
            return Q(province_id=self.province_id)
        if self.kind == "tambons" and tambons:
            return Q(level=TAMBON, tambon_id__in=sorted(self.tambon_ids))
        return NOWHERE

    # --- single areas ---------------------------------------------------------------------------------------

    def contains(self, level: str, area) -> bool:
        """Return whether an area (of the given level; None for the whole country) lies wholly within the user's."""
        level = LEVEL_ALIASES.get(level, level)
        if self.kind == COUNTRY:
            return True
        if level == COUNTRY or area is None or self.kind == "nowhere":
            return False
        if self.kind == "tambons":
            return level == TAMBON and area.id in self.tambon_ids
        if self.kind == PROVINCE:
            if level == PROVINCE:
                return area.id == self.province_id
            return level in (DISTRICT, TAMBON) and area.province_id == self.province_id
        # a region
        if level == REGION:
            return area.id == self.region_id
        if level == PROVINCE_GROUP:
            return area.region_id == self.region_id
        province = area if level == PROVINCE else area.province
        return province.region_id is not None and province.region_id == self.region_id

    def contains_province(self, province) -> bool:
        return self.contains(PROVINCE, province)

    def contains_tambon(self, tambon) -> bool:
        return self.contains(TAMBON, tambon)

    def provinces_in_reach(self) -> set[int] | None:
        """Return the ids of the provinces the user works in, wholly or in part (None: every province)."""
        return self._provinces_in_reach

    @cached_property
    def _provinces_in_reach(self) -> set[int] | None:
        from areas.models import Province, Subdistrict

        if self.kind == COUNTRY:
            return None
        if self.kind == REGION:
            return set(Province.objects.filter(region_id=self.region_id).values_list("id", flat=True))
        if self.kind == PROVINCE:
            return {self.province_id}
        if self.kind == "tambons":
            return set(Subdistrict.objects.filter(id__in=self.tambon_ids).values_list("province_id", flat=True))
        return set()

    @property
    def audience_key(self) -> str:
        """Name the data the user may see, so that what is built for one user is shared with those who see alike."""
        if self.kind == COUNTRY:
            return "national"
        if self.kind == REGION:
            return f"region:{self.region_id}"
        if self.kind == PROVINCE:
            return f"province:{self.province_id}"
        if self.kind == "tambons":
            return "tambons:" + ",".join(str(i) for i in sorted(self.tambon_ids))
        return "none"


NO_SCOPE = AreaScope(kind="nowhere")


def scope_of(user) -> AreaScope:
    """Return the user's working area, built once per user object (anonymous and inactive users: nowhere)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_SCOPE
    cached = getattr(user, "_area_scope", None)
    if cached is None:
        cached = _build(user)
        user._area_scope = cached
    return cached


def _build(user) -> AreaScope:
    may_write = not user.is_read_only
    if user.is_national:
        return AreaScope(kind=COUNTRY, may_write=may_write)
    if user.is_regional_staff:
        return AreaScope(kind=REGION, may_write=may_write, region_id=user.region_id)
    if user.is_provincial_coordinator:
        return AreaScope(kind=PROVINCE, may_write=may_write, province_id=user.province_id)
    if user.is_community_rep:
        return AreaScope(kind="tambons", may_write=may_write, tambon_ids=frozenset(user.tambon_ids))
    return NO_SCOPE
