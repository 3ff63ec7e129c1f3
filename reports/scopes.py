"""What a report covers: the whole country, a region, a province group, a province or a workstream."""

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from areas.models import Province, ProvinceGroup, Region
from codi_plans.numbers import parse_whole, whole_number_rule
from strategies.models import NodeKind, PlanNode

from .models import SCOPE_FIELDS, ScopeLevel


@dataclass(frozen=True)
class Scope:
    level: str
    area: object | None = None

    @property
    def code(self) -> str:
        if self.area is None:
            return ""
        if self.level == ScopeLevel.REGION:
            return self.area.key
        if self.level == ScopeLevel.PROVINCE_GROUP:
            return str(self.area.number)
        return self.area.code

    @property
    def key(self) -> str:
        """One string naming the scope: 'country', 'region:north', 'province_group:3', 'province:50'."""
        return "country" if self.area is None else f"{self.level}:{self.code}"

    @property
    def name_th(self) -> str:
        return "ทั้งประเทศ" if self.area is None else self.area.name_th

    @property
    def name_en(self) -> str:
        return "Whole country" if self.area is None else (self.area.name_en or self.area.name_th)

    def __str__(self) -> str:
        return str(_("Whole country")) if self.area is None else str(self.area)

    def report_fields(self) -> dict:
        """Return the Report fields that record this scope."""
        fields = {name: None for name in filter(None, SCOPE_FIELDS.values())}
        field = SCOPE_FIELDS[ScopeLevel(self.level)]
        if field:
            fields[field] = self.area
        return {"scope_level": self.level, "scope_key": self.key, **fields}

    def requests_q(self) -> Q:
        """Return the filter keeping the budget requests inside this scope."""
        return {
            ScopeLevel.COUNTRY: lambda: Q(),
            ScopeLevel.REGION: lambda: Q(province__region=self.area),
            ScopeLevel.PROVINCE_GROUP: lambda: Q(province__group=self.area),
            ScopeLevel.PROVINCE: lambda: Q(province=self.area),
            ScopeLevel.WORKSTREAM: lambda: Q(workstream=self.area),
        }[ScopeLevel(self.level)]()

    def provinces(self):
        """Return the provinces inside an area scope (every province for the country and for a workstream)."""
        qs = Province.objects.all()
        if self.level == ScopeLevel.REGION:
            return qs.filter(region=self.area)
        if self.level == ScopeLevel.PROVINCE_GROUP:
            return qs.filter(group=self.area)
        if self.level == ScopeLevel.PROVINCE:
            return qs.filter(pk=self.area.pk)
        return qs


COUNTRY = Scope(ScopeLevel.COUNTRY)


GROUP_NUMBER = whole_number_rule(1, 99)


def parse_scope(level: str, code: str | None = None) -> Scope:
    """Find a scope from its level and public code (region key, group number, DOPA code, workstream code)."""
    if level == ScopeLevel.COUNTRY:
        return COUNTRY
    lookups = {
        ScopeLevel.REGION: lambda: Region.objects.get(key=code),
        ScopeLevel.PROVINCE_GROUP: lambda: ProvinceGroup.objects.get(
            number=parse_whole(code, whole_number_rule(1, 99))
        ),
        ScopeLevel.PROVINCE: lambda: Province.objects.get(code=code),
        ScopeLevel.WORKSTREAM: lambda: PlanNode.objects.get(kind=NodeKind.WORKSTREAM, is_draft=False, code=code),
    }
    if level not in lookups:
        raise ValidationError(
            {"scope_level": _("Choose a scope: country, region, province group, province or workstream.")}
        )
    try:
        return Scope(level, lookups[level]())
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError):
        raise ValidationError(
            {"scope_code": _("There is no such area or workstream: %(code)s.") % {"code": code}}
        ) from None


def scope_from_key(key: str) -> Scope:
    """Turn a scope key ('province:50') back into a Scope."""
    level, _sep, code = key.partition(":")
    return parse_scope(level, code or None)


def scope_of(report) -> Scope:
    """Return the scope a report records."""
    return Scope(report.scope_level, report.scope_area)


def user_reaches(user, scope: Scope, provinces_in_reach: set[int] | None = None) -> bool:
    """Say whether any of a scope lies in the user's working area (a report then holds that part)."""
    area = user.scope if user.is_authenticated else None
    if area is None or not area.works_somewhere:
        return False
    if area.is_national or scope.level in (ScopeLevel.COUNTRY, ScopeLevel.WORKSTREAM):
        return True
    mine = area.provinces_in_reach() if provinces_in_reach is None else provinces_in_reach
    return scope.provinces().filter(id__in=mine).exists()
