"""Writes to the geography: the idempotent loader, staff corrections to the grouping, and which region's team
looks after a province."""

import json
from dataclasses import dataclass, field
from pathlib import Path

import geothai
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import permissions
from .models import District, Province, ProvinceGroup, Region, Subdistrict

PROVINCE_GROUPS_FILE = Path(__file__).parent / "data" / "province_groups.json"


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())


def _sync(model, rows: dict[str, dict], fields: list[str], report: LoadReport, key: str = "code") -> None:
    """Create missing rows and update changed ones, in bulk; rows are keyed by their natural key."""
    existing = {getattr(obj, key): obj for obj in model.objects.all()}
    to_create, to_update = [], []
    for natural_key, values in rows.items():
        obj = existing.get(natural_key)
        if obj is None:
            to_create.append(model(**{key: natural_key}, **values))
            continue
        if any(getattr(obj, f) != values[f] for f in fields if f in values):
            for f in fields:
                if f in values:
                    setattr(obj, f, values[f])
            to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=2000)
    if to_update:
        model.objects.bulk_update(to_update, fields, batch_size=2000)
    label = model._meta.model_name
    report.created[label] = len(to_create)
    report.updated[label] = len(to_update)


@transaction.atomic
def load_geography() -> LoadReport:
    """Load regions, province groups and every province, district and tambon; a second run changes nothing.

    Names and postal codes follow geothai. Group membership is set only when a province is first
    loaded, so corrections staff make to the grouping survive later runs.
    """
    report = LoadReport()
    grouping = json.loads(PROVINCE_GROUPS_FILE.read_text(encoding="utf-8"))

    _sync(
        Region,
        {
            r["key"]: {"number": n, "name_th": r["name_th"], "name_en": r["name_en"]}
            for n, r in enumerate(grouping["regions"], start=1)
        },
        ["number", "name_th", "name_en"],
        report,
        key="key",
    )
    regions = {r.key: r for r in Region.objects.all()}
    group_rows, province_home = {}, {}
    for r in grouping["regions"]:
        for g in r["groups"]:
            group_rows[g["no"]] = {
                "region": regions[r["key"]],
                "name_th": g["name_th"],
                "name_en": g["name_en"],
                "confidence": g["confidence"],
                "evidence": g["evidence"],
            }
            for p in g["provinces"]:
                province_home[p["code"]] = (r["key"], g["no"])
    new_group_numbers = set(group_rows) - set(ProvinceGroup.objects.values_list("number", flat=True))
    _sync(ProvinceGroup, {n: v for n, v in group_rows.items() if n in new_group_numbers}, [], report, key="number")
    groups = {g.number: g for g in ProvinceGroup.objects.all()}

    provinces = geothai.provinces()
    known_provinces = set(Province.objects.values_list("code", flat=True))
    province_rows = {}
    for p in provinces:
        row = {"name_th": p.name_th, "name_en": p.name_en}
        if p.code not in known_provinces and p.code in province_home:
            region_key, group_no = province_home[p.code]
            row |= {"region": regions[region_key], "group": groups[group_no]}
        province_rows[p.code] = row
    _sync(Province, province_rows, ["name_th", "name_en"], report)
    province_ids = dict(Province.objects.values_list("code", "id"))

    districts = [d for p in provinces for d in geothai.districts(p.code)]
    _sync(
        District,
        {
            d.code: {"name_th": d.name_th, "name_en": d.name_en, "province_id": province_ids[d.province_code]}
            for d in districts
        },
        ["name_th", "name_en", "province_id"],
        report,
    )
    district_ids = dict(District.objects.values_list("code", "id"))
    _sync(
        Subdistrict,
        {
            s.code: {
                "name_th": s.name_th,
                "name_en": s.name_en,
                "district_id": district_ids[s.district_code],
                "province_id": province_ids[s.province_code],
                "postal_codes": ",".join(s.postal_codes),
            }
            for d in districts
            for s in geothai.subdistricts(d.code)
        },
        ["name_th", "name_en", "district_id", "province_id", "postal_codes"],
        report,
    )
    return report


def _keep_history_baseline(province: Province) -> None:
    """Record the province as it is before its first change: the loader creates provinces in bulk, without
    history, and "from which region" must be answerable for the first change too."""
    if province.history.exists():
        return
    values = {f.attname: getattr(province, f.attname) for f in Province._meta.concrete_fields}
    province.history.model.objects.create(
        **values,
        history_date=timezone.now(),
        history_type="+",
        history_change_reason="as loaded, before the first change",
        history_user=None,
    )


@transaction.atomic
def move_province_to_group(*, province: Province, group: ProvinceGroup | None, by) -> Province:
    """Correct a province's group (and so its region); None takes it out of every group."""
    permissions.check_correct_grouping(by)
    province = Province.objects.select_for_update().get(pk=province.pk)
    _keep_history_baseline(province)
    province.group = group
    province.region = group.region if group else province.region
    province._history_user = by
    province.save(update_fields=["group", "region"])
    return province


# simple_history keeps the reason in a 100-character column.
REASON_MAX_LENGTH = 100


@transaction.atomic
def assign_region(*, province: Province, region: Region | None, by, reason: str) -> Province:
    """Give a province to a region's team (None: to no region, so only central staff work on it).

    Regional staff work on the provinces of their region (accounts.scope reads province.region), so after
    this they see, review and endorse the province's plans. A province in a province group belongs to the
    group's region: move it to another group instead. The change is kept in the province's history with
    who, when, the region before and after, and the reason.
    """
    permissions.check_assign_region(by)
    province = (
        Province.objects.select_for_update(of=("self",)).select_related("group__region", "region").get(pk=province.pk)
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(_("Say why the province changes region."), code="required")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Keep the reason to %(limit)s characters.") % {"limit": REASON_MAX_LENGTH}, code="too_long"
                )
            }
        )
    region_id = region.pk if region is not None else None
    if province.group is not None and province.group.region_id != region_id:
        message = _(
            "%(province)s belongs to the province group %(group)s of %(region)s; "
            "move it to another province group instead."
        ) % {"province": province.name, "group": province.group.name, "region": province.group.region.name}
        raise ValidationError({"region": ValidationError(message, code="grouped")})
    if province.region_id == region_id:
        return province
    _keep_history_baseline(province)
    province.region = region
    province._history_user = by
    province._change_reason = reason
    province.save(update_fields=["region"])
    return province


# Official population ---------------------------------------------------------------------------------------------


def import_official_population(*, upload, by, dry_run: bool = False):
    """Check every row of a population workbook and, when all are right and not dry_run, save them all at once.

    A row replaces the area's current official figure (history keeps the old one). Nothing is saved when any row
    is wrong: the report lists every error by row and column. `by` is None for the management command.
    """
    from .models import OfficialPopulation
    from .population import check_rows, read_rows

    if by is not None:
        permissions.check_import_population(by)
    report = check_rows(read_rows(upload))
    report.dry_run = dry_run
    existing_provinces = set(
        OfficialPopulation.objects.filter(province__isnull=False).values_list("province_id", flat=True)
    )
    existing_tambons = set(OfficialPopulation.objects.filter(tambon__isnull=False).values_list("tambon_id", flat=True))
    for figure in report.figures:
        known = existing_tambons if figure.tambon else existing_provinces
        area_id = figure.tambon.id if figure.tambon else figure.province.id
        if area_id in known:
            report.updated += 1
        else:
            report.created += 1
    if dry_run or not report.ok:
        return report
    now = timezone.now()
    with transaction.atomic():
        for figure in report.figures:
            area = {"tambon": figure.tambon} if figure.tambon else {"province": figure.province}
            OfficialPopulation.objects.update_or_create(
                **area,
                defaults={
                    "population": figure.population,
                    "households": figure.households,
                    "source": figure.source,
                    "year_be": figure.year_be,
                    "imported_by": by,
                    "imported_at": now,
                },
            )
    return report
