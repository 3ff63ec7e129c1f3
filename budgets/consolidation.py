"""Consolidation of a fiscal year's budget requests: requested, approved and spent money by tambon, province,
province group, region, workstream, national target and pilot status, against the ceilings.

Every dimension is one GROUP BY query, so the number of queries does not grow with the number of requests.
A request that funds projects in several tambons counts an equal share per funded project towards each
project's tambon (rounded to the satang for display); every other dimension counts each request once.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import COMMITTED_STATUSES, BudgetCeiling, BudgetRequest

ZERO = Decimal("0.00")
SATANG = Decimal("0.01")


def _sum(expression, **kwargs):
    return Coalesce(Sum(expression, **kwargs), Value(ZERO), output_field=DecimalField(max_digits=20, decimal_places=2))


def request_totals(prefix: str = ""):
    """Return the aggregate expressions every dimension shares, from a model that reaches requests at `prefix`."""
    return {
        "requests": Count(f"{prefix}id", distinct=bool(prefix)),
        "requested": _sum(f"{prefix}requested_amount"),
        "approved": _sum(f"{prefix}approved_amount", filter=Q(**{f"{prefix}status__in": COMMITTED_STATUSES})),
        "spent": _sum(f"{prefix}spent_amount"),
    }


@dataclass
class Row:
    key: str
    name: str
    requests: int = 0
    requested: Decimal = ZERO
    approved: Decimal = ZERO
    spent: Decimal = ZERO
    ceiling: Decimal | None = None
    extra: dict = field(default_factory=dict)

    @property
    def headroom(self) -> Decimal | None:
        return None if self.ceiling is None else self.ceiling - self.approved

    @property
    def over_ceiling(self) -> bool:
        return self.ceiling is not None and self.approved > self.ceiling

    @property
    def spent_percent(self) -> Decimal | None:
        if not self.approved:
            return None
        return (self.spent * 100 / self.approved).quantize(Decimal("0.1"))

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "name": self.name,
            "requests": self.requests,
            "requested": str(self.requested),
            "approved": str(self.approved),
            "spent": str(self.spent),
            "ceiling": None if self.ceiling is None else str(self.ceiling),
            "headroom": None if self.headroom is None else str(self.headroom),
            **self.extra,
        }


@dataclass
class Dimension:
    key: str
    title: str
    rows: list[Row]
    has_ceiling: bool = False
    note: str = ""

    def as_dict(self) -> dict:
        return {"key": self.key, "title": str(self.title), "rows": [r.as_dict() for r in self.rows]}


def _name(values: dict, prefix: str) -> str:
    if (get_language() or "th").startswith("en") and values.get(f"{prefix}name_en"):
        return values[f"{prefix}name_en"]
    return values.get(f"{prefix}name_th") or str(_("(none)"))


def _row(values: dict, key: str, name: str, **extra) -> Row:
    return Row(
        key=key,
        name=name,
        requests=values["requests"],
        requested=values["requested"].quantize(SATANG),
        approved=values["approved"].quantize(SATANG),
        spent=values["spent"].quantize(SATANG),
        extra=extra,
    )


def _grouped(requests, path: str, order: str, totals=None):
    fields = [f"{path}id", f"{path}name_th", f"{path}name_en", order]
    return requests.values(*fields).annotate(**(totals or request_totals())).order_by(order)


def _tambon_rows(requests, province_code: str | None = None) -> list[Row]:
    """Split each request equally over its funded projects and sum the shares by the projects' tambons."""
    through = BudgetRequest.projects.through
    per_request = (
        through.objects.filter(budgetrequest_id=OuterRef("budgetrequest_id"))
        .values("budgetrequest_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    links = through.objects.filter(budgetrequest__in=requests.values("pk"))
    if province_code:
        links = links.filter(project__plan__tambon__province__code=province_code)
    share = Subquery(per_request)
    decimal = DecimalField(max_digits=20, decimal_places=6)
    rows = (
        links.values(
            "project__plan__tambon__code",
            "project__plan__tambon__name_th",
            "project__plan__tambon__name_en",
            "project__plan__tambon__province__code",
        )
        .annotate(
            requests=Count("budgetrequest_id", distinct=True),
            requested=_sum(F("budgetrequest__requested_amount") / share, output_field=decimal),
            approved=_sum(
                F("budgetrequest__approved_amount") / share,
                filter=Q(budgetrequest__status__in=COMMITTED_STATUSES),
                output_field=decimal,
            ),
            spent=_sum(F("budgetrequest__spent_amount") / share, output_field=decimal),
        )
        .order_by("project__plan__tambon__code")
    )
    return [
        _row(
            r,
            r["project__plan__tambon__code"],
            _name(r, "project__plan__tambon__"),
            province=r["project__plan__tambon__province__code"],
        )
        for r in rows
    ]


def consolidate(*, user, fiscal_year: int, province_code: str | None = None) -> dict:
    """Consolidate the requests the user may see for a fiscal year, by every dimension, against the ceilings."""
    requests = BudgetRequest.objects.visible_to(user).for_year(fiscal_year).requested()
    if province_code:
        requests = requests.filter(province__code=province_code)
    total = requests.aggregate(**request_totals())
    ceilings = list(
        BudgetCeiling.objects.visible_to(user)
        .filter(fiscal_year=fiscal_year)
        .select_related("province__group", "province__region", "workstream")
    )
    if province_code:
        ceilings = [c for c in ceilings if c.province is None or c.province.code == province_code]
    if not user.is_national:
        # A workstream's ceiling is national; set against one area's approvals it would mislead.
        ceilings = [c for c in ceilings if c.province_id]

    provinces = {
        r["province__id"]: _row(r, r["province__code"], _name(r, "province__"))
        for r in _grouped(requests, "province__", "province__code")
    }
    groups = {
        r["province__group__id"]: _row(r, str(r["province__group__number"] or ""), _name(r, "province__group__"))
        for r in _grouped(requests, "province__group__", "province__group__number")
    }
    regions = {
        r["province__region__id"]: _row(r, str(r["province__region__number"] or ""), _name(r, "province__region__"))
        for r in _grouped(requests, "province__region__", "province__region__number")
    }
    workstreams = {
        r["workstream__id"]: _row(r, str(r["workstream__number"] or ""), _name(r, "workstream__"))
        for r in _grouped(requests, "workstream__", "workstream__number")
    }
    targets = [
        _row(r, r["national_target__code"] or "", _name(r, "national_target__"))
        for r in requests.values(
            "national_target__id", "national_target__code", "national_target__name_th", "national_target__name_en"
        )
        .annotate(**request_totals())
        .order_by("national_target__code")
    ]
    pilot = [
        _row(r, "pilot" if r["in_pilot"] else "other", str(_("Pilot tambons") if r["in_pilot"] else _("Other tambons")))
        for r in requests.with_pilot_flag().values("in_pilot").annotate(**request_totals()).order_by("-in_pilot")
    ]

    for ceiling in ceilings:
        if ceiling.province_id:
            p = ceiling.province
            row = provinces.setdefault(p.id, Row(key=p.code, name=p.name))
            row.ceiling = ceiling.amount
            for bucket, area in ((groups, p.group), (regions, p.region)):
                if area is None:
                    continue
                key = str(area.number)
                target = bucket.setdefault(area.id, Row(key=key, name=area.name))
                target.ceiling = (target.ceiling or ZERO) + ceiling.amount
        else:
            w = ceiling.workstream
            row = workstreams.setdefault(w.id, Row(key=str(w.number or ""), name=w.name))
            row.ceiling = ceiling.amount

    def ordered(bucket):
        return sorted(bucket.values(), key=lambda r: (r.key == "", r.key.zfill(3)))

    dimensions = [
        Dimension("region", _("Region"), ordered(regions), has_ceiling=True),
        Dimension("province_group", _("Province group"), ordered(groups), has_ceiling=True),
        Dimension("province", _("Province"), ordered(provinces), has_ceiling=True),
        Dimension("workstream", _("Workstream"), ordered(workstreams), has_ceiling=True),
        Dimension("national_target", _("National target"), targets),
        Dimension("pilot", _("Area-based budget pilot"), pilot),
        Dimension(
            "tambon",
            _("Tambon"),
            _tambon_rows(requests, province_code),
            note=_("A request funding several projects counts an equal share towards each project's tambon."),
        ),
    ]
    totals = _row(total, "total", str(_("All")))
    totals.ceiling = sum((c.amount for c in ceilings if c.province_id), ZERO) if ceilings else None
    return {"fiscal_year": fiscal_year, "province": province_code or None, "totals": totals, "dimensions": dimensions}
