"""The country's 6 regions, 18 province groups and 77 provinces in one small query, once per request.

The API's area filters and its result rows both need them: resolving a region to its provinces, a
province code to its id, a row's province to its group and region. Reading them together (about a
hundred rows) replaces up to five queries per request and keeps the page query's joins few, which
matters: PostgreSQL spends longer planning a ten-table join than running it.
"""

from dataclasses import dataclass, field

from django.db.models import CharField, F, IntegerField, Value
from django.db.models.functions import Cast

from areas.models import Province, ProvinceGroup, Region


@dataclass
class AreaDirectory:
    provinces: dict = field(default_factory=dict)  # id → (code, name_th, name_en, group_id, region_id)
    groups: dict = field(default_factory=dict)  # id → (number, name_th, name_en, region_id)
    regions: dict = field(default_factory=dict)  # id → (key, name_th, name_en)
    province_by_code: dict = field(default_factory=dict)
    group_by_number: dict = field(default_factory=dict)
    region_by_key: dict = field(default_factory=dict)

    def provinces_in_region(self, region_id: int) -> list[int]:
        return [pid for pid, p in self.provinces.items() if p[4] == region_id]

    def groups_in_region(self, region_id: int) -> list[int]:
        return [gid for gid, g in self.groups.items() if g[3] == region_id]

    def provinces_in_group(self, group_id: int) -> list[int]:
        return [pid for pid, p in self.provinces.items() if p[3] == group_id]


def _rows(queryset, kind: str, **columns):
    fields = {"kind": Value(kind, output_field=CharField()), **columns}
    return queryset.order_by().annotate(**fields).values_list("kind", "id", "label", "name_th", "name_en", "gid", "rid")


def load_directory() -> AreaDirectory:
    """Read every region, province group and province in one query."""
    none = Value(None, output_field=IntegerField())
    provinces = _rows(Province.objects, "p", label=F("code"), gid=F("group_id"), rid=F("region_id"))
    groups = _rows(
        ProvinceGroup.objects, "g", label=Cast("number", output_field=CharField()), gid=none, rid=F("region_id")
    )
    regions = _rows(Region.objects, "r", label=F("key"), gid=none, rid=none)
    directory = AreaDirectory()
    for kind, pk, code, name_th, name_en, group_id, region_id in provinces.union(groups, regions, all=True):
        if kind == "p":
            directory.provinces[pk] = (code, name_th, name_en, group_id, region_id)
            directory.province_by_code[code] = pk
        elif kind == "g":
            directory.groups[pk] = (int(code), name_th, name_en, region_id)
            directory.group_by_number[int(code)] = pk
        else:
            directory.regions[pk] = (code, name_th, name_en)
            directory.region_by_key[code] = pk
    return directory


def directory_for(request) -> AreaDirectory:
    """Return the request's directory, reading it on first use."""
    if request is None:
        return load_directory()
    cached = getattr(request, "_indicator_area_directory", None)
    if cached is None:
        cached = load_directory()
        request._indicator_area_directory = cached
    return cached
