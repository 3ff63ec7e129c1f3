"""Fair distribution (ทั่วถึงและเป็นธรรม): budget per tambon, per household and per head, and how evenly it is spread.

Definitions (the README's "Fair distribution" section says the same):

* **Requested / approved / spent** are the budget requests of the fiscal year past the draft stage, the ones approved
  (approved, in execution, closed) and their recorded actuals, exactly as the consolidation counts them.
* **Attribution to tambons.** A request belongs to its province. Its amounts are shared among the tambon-plan
  projects it funds in proportion to each project's CODI budget line for the request's fiscal year
  (workstreams.ProjectBudget, source "codi"); when those lines add up to zero, equally per project. Each share goes to
  the project's tambon. A request that funds no project stays at province level: it counts in the province's totals
  (and above) but in no tambon.
* **Population and households** of a tambon: the official figure when staff imported one (areas.OfficialPopulation),
  otherwise the profile of the tambon's plan whose period covers the fiscal year. A province's: its official figure,
  otherwise the sum of its tambons' figures. A group's and a region's: the sum of their provinces'.
* **Per head / per household / per tambon**: the amount divided by the population, the households, the number of
  tambons of the area; none when the divisor is zero or unknown.
* **Gini coefficient** of per-head approved budget, population-weighted: areas (with a population) sorted by approved
  per head; the Lorenz curve joins (0, 0) and the points (cumulative share of population, cumulative share of
  approved budget); Gini = 1 − Σ (Xₖ − Xₖ₋₁)(Yₖ + Yₖ₋₁). 0 is perfectly even per head, 1 is everything in one place.
* **Decile ratio**: provinces with a population sorted by approved per head; k = max(1, ⌊n / 10⌋); the unweighted
  mean per head of the k highest divided by that of the k lowest. None when the lowest decile received nothing.
* **Flags**: a province is flagged "low" when its approved per head is below half the national rate, "high" when it is
  above double (national rate = approved of provinces with a population ÷ their population).

Every figure comes from a fixed number of queries whatever the number of requests or tambons.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from areas.models import OfficialPopulation, Province, Subdistrict
from workstreams.models import FundingSource, ProjectBudget, TambonPlan

from .models import COMMITTED_STATUSES, BudgetRequest

ZERO = Decimal("0")
SATANG = Decimal("0.01")
MEASURE_PLACES = Decimal("0.0001")
LOW_FACTOR = Decimal("0.5")
HIGH_FACTOR = Decimal("2")
FLAG_LOW, FLAG_HIGH = "low", "high"
FLAG_LABELS = {
    FLAG_LOW: _("below half the national rate"),
    FLAG_HIGH: _("above double the national rate"),
}
MONEY = ("requested", "approved", "spent")


# Pure measures --------------------------------------------------------------------------------------------------


def lorenz_points(areas) -> list[tuple[Decimal, Decimal]]:
    """Return the Lorenz curve of (weight, amount) pairs: (0, 0), then (cumulative weight share, cumulative amount
    share) after each area, areas sorted by amount per unit of weight. Areas without weight are left out; no curve
    (an empty list) when the weights or the amounts add up to zero."""
    kept = [(Decimal(w), Decimal(a)) for w, a in areas if w and w > 0]
    total_w = sum((w for w, _a in kept), ZERO)
    total_a = sum((a for _w, a in kept), ZERO)
    if not kept or not total_w or not total_a:
        return []
    kept.sort(key=lambda pair: pair[1] / pair[0])
    points = [(ZERO, ZERO)]
    cum_w = cum_a = ZERO
    for w, a in kept:
        cum_w += w
        cum_a += a
        points.append((cum_w / total_w, cum_a / total_a))
    return points


def gini_from_points(points) -> Decimal | None:
    """Gini = 1 − Σ (Xₖ − Xₖ₋₁)(Yₖ + Yₖ₋₁) over a Lorenz curve (None without a curve)."""
    if len(points) < 2:
        return None
    area = sum(((x1 - x0) * (y1 + y0) for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False)), ZERO)
    return (1 - area).quantize(MEASURE_PLACES, rounding=ROUND_HALF_UP)


def gini(areas) -> Decimal | None:
    """Population-weighted Gini coefficient of (weight, amount) pairs; with weights of 1 the plain Gini of amounts."""
    return gini_from_points(lorenz_points(areas))


@dataclass
class DecileRatio:
    ratio: Decimal | None
    k: int
    top_mean: Decimal | None
    bottom_mean: Decimal | None


def decile_ratio(rates) -> DecileRatio:
    """Mean of the k highest rates ÷ mean of the k lowest, k = max(1, ⌊n / 10⌋); no ratio below two rates or when
    the lowest decile's mean is zero."""
    values = sorted(Decimal(r) for r in rates if r is not None)
    n = len(values)
    if n < 2:
        return DecileRatio(None, 0, None, None)
    k = max(1, n // 10)
    bottom = sum(values[:k], ZERO) / k
    top = sum(values[-k:], ZERO) / k
    ratio = (top / bottom).quantize(MEASURE_PLACES, rounding=ROUND_HALF_UP) if bottom else None
    return DecileRatio(ratio, k, top.quantize(SATANG, rounding=ROUND_HALF_UP), bottom.quantize(SATANG, ROUND_HALF_UP))


def flag_for(rate: Decimal | None, national: Decimal | None) -> str:
    """ "low" below half the national rate, "high" above double it, "" otherwise (or without a rate)."""
    if rate is None or not national:
        return ""
    if rate < national * LOW_FACTOR:
        return FLAG_LOW
    if rate > national * HIGH_FACTOR:
        return FLAG_HIGH
    return ""


def per(amount: Decimal, divisor) -> Decimal | None:
    """Amount per unit (to the satang), or None when the divisor is zero or unknown."""
    if not divisor:
        return None
    return (Decimal(amount) / Decimal(divisor)).quantize(SATANG, rounding=ROUND_HALF_UP)


# Figures of an area ---------------------------------------------------------------------------------------------


@dataclass
class Area:
    key: str
    name: str
    level: str
    population: int | None = None
    households: int | None = None
    tambons: int = 0
    tambons_with_population: int = 0
    population_source: str = ""  # "official", "plans", "" (none)
    requested: Decimal = ZERO
    approved: Decimal = ZERO
    spent: Decimal = ZERO
    funded_projects: int = 0
    flag: str = ""
    parent: str = ""  # province code of a tambon; region key of a province
    extra: dict = field(default_factory=dict)

    def per_head(self, what: str = "approved") -> Decimal | None:
        return per(getattr(self, what), self.population)

    def per_household(self, what: str = "approved") -> Decimal | None:
        return per(getattr(self, what), self.households)

    def per_tambon(self, what: str = "approved") -> Decimal | None:
        return per(getattr(self, what), self.tambons)

    @property
    def approved_per_head(self):
        return self.per_head("approved")

    @property
    def requested_per_head(self):
        return self.per_head("requested")

    @property
    def spent_per_head(self):
        return self.per_head("spent")

    @property
    def approved_per_household(self):
        return self.per_household("approved")

    @property
    def requested_per_household(self):
        return self.per_household("requested")

    @property
    def spent_per_household(self):
        return self.per_household("spent")

    @property
    def approved_per_tambon(self):
        return self.per_tambon("approved")

    @property
    def requested_per_tambon(self):
        return self.per_tambon("requested")

    @property
    def spent_per_tambon(self):
        return self.per_tambon("spent")

    @property
    def flag_label(self) -> str:
        return str(FLAG_LABELS.get(self.flag, ""))

    def add(self, other: "Area") -> None:
        """Add another area's money and people to this one (a province into its group or region)."""
        for what in MONEY:
            setattr(self, what, getattr(self, what) + getattr(other, what))
        if other.population is not None:
            self.population = (self.population or 0) + other.population
        if other.households is not None:
            self.households = (self.households or 0) + other.households
        self.tambons += other.tambons
        self.tambons_with_population += other.tambons_with_population
        self.funded_projects += other.funded_projects

    def as_dict(self) -> dict:
        def s(value):
            return None if value is None else str(value.quantize(SATANG, rounding=ROUND_HALF_UP))

        return {
            "key": self.key,
            "name": self.name,
            "level": self.level,
            "parent": self.parent,
            "population": self.population,
            "households": self.households,
            "population_source": self.population_source,
            "tambons": self.tambons,
            "tambons_with_population": self.tambons_with_population,
            "funded_projects": self.funded_projects,
            **{what: s(getattr(self, what)) for what in MONEY},
            **{f"{what}_per_head": s(self.per_head(what)) for what in MONEY},
            **{f"{what}_per_household": s(self.per_household(what)) for what in MONEY},
            **{f"{what}_per_tambon": s(self.per_tambon(what)) for what in MONEY},
            "flag": self.flag,
            **self.extra,
        }


@dataclass
class Distribution:
    fiscal_year: int
    workstream: object | None
    national: Area
    regions: list[Area]
    groups: list[Area]
    provinces: list[Area]
    tambons: list[Area]
    lorenz: list[tuple[Decimal, Decimal]]
    gini_provinces: Decimal | None
    gini_tambons: Decimal | None
    deciles: DecileRatio
    unattributed: Decimal = ZERO  # approved money of requests that fund no project (province level only)

    @property
    def flagged(self) -> list[Area]:
        return [p for p in self.provinces if p.flag]

    @property
    def unfunded_tambons(self) -> list[Area]:
        return [t for t in self.tambons if not t.funded_projects]

    def summary(self) -> dict:
        def s(value):
            return None if value is None else str(value)

        return {
            "fiscal_year": self.fiscal_year,
            "workstream": getattr(self.workstream, "code", None),
            "national": self.national.as_dict(),
            "gini_provinces": s(self.gini_provinces),
            "gini_tambons": s(self.gini_tambons),
            "decile_ratio": s(self.deciles.ratio),
            "decile_k": self.deciles.k,
            "decile_top_mean": s(self.deciles.top_mean),
            "decile_bottom_mean": s(self.deciles.bottom_mean),
            "approved_without_tambon": s(self.unattributed.quantize(SATANG)),
            "flagged_provinces": [p.key for p in self.flagged],
            "unfunded_tambons": len(self.unfunded_tambons),
            "lorenz": [
                {"population_share": s(x.quantize(MEASURE_PLACES)), "approved_share": s(y.quantize(MEASURE_PLACES))}
                for x, y in self.lorenz
            ],
        }


def _name(values: dict, prefix: str = "") -> str:
    if (get_language() or "th").startswith("en") and values.get(f"{prefix}name_en"):
        return values[f"{prefix}name_en"]
    return values.get(f"{prefix}name_th") or ""


def _attributed_links(requests, fiscal_year: int) -> list[dict]:
    """One row per (request, funded project): the request's amounts, its tambon and the project's CODI line."""
    codi_line = ProjectBudget.objects.filter(
        project_id=OuterRef("project_id"), fiscal_year=fiscal_year, source=FundingSource.CODI
    ).values("amount")[:1]
    money = DecimalField(max_digits=14, decimal_places=2)
    return list(
        BudgetRequest.projects.through.objects.filter(budgetrequest__in=requests.values("pk"))
        .values(
            "budgetrequest_id",
            "project_id",
            "project__plan__tambon_id",
            "budgetrequest__status",
            "budgetrequest__requested_amount",
            "budgetrequest__approved_amount",
            "budgetrequest__spent_amount",
        )
        .annotate(codi=Coalesce(Subquery(codi_line, output_field=money), Value(ZERO, output_field=money)))
        .order_by("budgetrequest_id", "project_id")
    )


def attribute(links: list[dict]) -> dict[int, dict]:
    """Share each request's amounts among its projects' tambons: by the projects' CODI lines, equally when those add
    up to zero. Return {tambon id: {"requested", "approved", "spent", "projects"}} (shares unrounded)."""
    by_request = defaultdict(list)
    for link in links:
        by_request[link["budgetrequest_id"]].append(link)
    out: dict[int, dict] = defaultdict(lambda: {"requested": ZERO, "approved": ZERO, "spent": ZERO, "projects": 0})
    for request_links in by_request.values():
        first = request_links[0]
        amounts = {
            "requested": first["budgetrequest__requested_amount"] or ZERO,
            "approved": (first["budgetrequest__approved_amount"] or ZERO)
            if first["budgetrequest__status"] in COMMITTED_STATUSES
            else ZERO,
            "spent": first["budgetrequest__spent_amount"] or ZERO,
        }
        weights = [Decimal(link["codi"] or 0) for link in request_links]
        total = sum(weights, ZERO)
        if not total:
            weights, total = [Decimal(1)] * len(request_links), Decimal(len(request_links))
        for link, weight in zip(request_links, weights, strict=True):
            row = out[link["project__plan__tambon_id"]]
            row["projects"] += 1
            for what, amount in amounts.items():
                row[what] += amount * weight / total
    return out


def distribution(*, requests, provinces, tambons, fiscal_year: int, workstream=None) -> Distribution:
    """Compute every figure for the given requests (already filtered: year, visibility, scope, workstream), over the
    given provinces and tambons (querysets of the areas the figures are shown for)."""
    requests = requests.filter(fiscal_year=fiscal_year).requested()
    if workstream is not None:
        requests = requests.filter(workstream=workstream)
    money = DecimalField(max_digits=20, decimal_places=2)

    def total(expr, **kwargs):
        return Coalesce(Sum(expr, **kwargs), Value(ZERO, output_field=money), output_field=money)

    by_province = {
        r["province_id"]: r
        for r in requests.order_by()
        .values("province_id")
        .annotate(
            requested=total("requested_amount"),
            approved=total("approved_amount", filter=Q(status__in=COMMITTED_STATUSES)),
            spent=total("spent_amount"),
        )
    }
    attributed = attribute(_attributed_links(requests, fiscal_year))

    province_rows = list(
        provinces.order_by("code").values(
            "id",
            "code",
            "name_th",
            "name_en",
            "region_id",
            "region__key",
            "region__number",
            "region__name_th",
            "region__name_en",
            "group_id",
            "group__number",
            "group__name_th",
            "group__name_en",
        )
    )
    province_ids = [p["id"] for p in province_rows]
    tambon_rows = list(
        tambons.filter(province_id__in=province_ids)
        .order_by("code")
        .values("id", "code", "name_th", "name_en", "province_id")
    )
    profiles = {}
    for p in (
        TambonPlan.objects.filter(
            tambon__province_id__in=province_ids, period_start_be__lte=fiscal_year, period_end_be__gte=fiscal_year
        )
        .order_by("period_start_be")
        .values("tambon_id", "population", "households")
    ):
        profiles[p["tambon_id"]] = p  # the latest period covering the year wins
    official_tambons = {
        o["tambon_id"]: o
        for o in OfficialPopulation.objects.filter(tambon__province_id__in=province_ids).values(
            "tambon_id", "population", "households"
        )
    }
    official_provinces = {
        o["province_id"]: o
        for o in OfficialPopulation.objects.filter(province_id__in=province_ids).values(
            "province_id", "population", "households"
        )
    }

    codes = {p["id"]: p["code"] for p in province_rows}
    tambon_areas = []
    province_people = defaultdict(lambda: {"population": None, "households": None, "tambons": 0, "with": 0})
    for t in tambon_rows:
        figure = official_tambons.get(t["id"])
        source = "official" if figure else ""
        if figure is None and profiles.get(t["id"], {}).get("population"):
            figure, source = profiles[t["id"]], "plans"
        area = Area(
            key=t["code"],
            name=_name(t),
            level="tambon",
            parent=codes[t["province_id"]],
            population=figure["population"] if figure else None,
            households=figure["households"] if figure else None,
            tambons=1,
            tambons_with_population=1 if figure and figure["population"] else 0,
            population_source=source,
        )
        money_of = attributed.get(t["id"])
        if money_of:
            area.requested, area.approved, area.spent = money_of["requested"], money_of["approved"], money_of["spent"]
            area.funded_projects = money_of["projects"]
        tambon_areas.append(area)
        people = province_people[t["province_id"]]
        people["tambons"] += 1
        if area.population:
            people["with"] += 1
            people["population"] = (people["population"] or 0) + area.population
        if area.households:
            people["households"] = (people["households"] or 0) + area.households

    national = Area(key="national", name=str(_("Whole country")), level="national")
    regions: dict = {}
    groups: dict = {}
    province_areas = []
    unattributed = ZERO
    attributed_by_province = defaultdict(lambda: ZERO)
    for t in tambon_areas:
        attributed_by_province[t.parent] += t.approved
    for p in province_rows:
        people = province_people[p["id"]]
        official = official_provinces.get(p["id"])
        area = Area(
            key=p["code"],
            name=_name(p),
            level="province",
            parent=p["region__key"] or "",
            tambons=people["tambons"],
            tambons_with_population=people["with"],
        )
        if official:
            area.population = official["population"]
            area.households = official["households"] if official["households"] is not None else people["households"]
            area.population_source = "official"
        elif people["population"]:
            area.population, area.households = people["population"], people["households"]
            area.population_source = "plans"
        money_of = by_province.get(p["id"])
        if money_of:
            area.requested, area.approved, area.spent = money_of["requested"], money_of["approved"], money_of["spent"]
        area.extra = {"group": p["group__number"], "region": p["region__key"]}
        unattributed += area.approved - attributed_by_province[p["code"]]
        province_areas.append(area)
        national.add(area)
        if p["region_id"]:
            region = regions.setdefault(
                p["region_id"],
                Area(
                    key=p["region__key"],
                    name=_name(p, "region__"),
                    level="region",
                    extra={"number": p["region__number"]},
                ),
            )
            region.add(area)
        group = groups.setdefault(
            p["group_id"],
            Area(
                key=str(p["group__number"] or ""),
                name=_name(p, "group__") or str(_("Not in a province group")),
                level="province_group",
                parent=p["region__key"] or "",
            ),
        )
        group.add(area)
    projects_by_province = defaultdict(int)
    for t in tambon_areas:
        projects_by_province[t.parent] += t.funded_projects
    for area in province_areas:
        area.funded_projects = projects_by_province[area.key]
    national.funded_projects = sum(projects_by_province.values())

    national_rate = national_rate_of(province_areas)
    national.extra = {"rate": None if national_rate is None else str(national_rate)}
    for area in province_areas:
        area.flag = flag_for(area.approved_per_head, national_rate)
    weighted = [(a.population, a.approved) for a in province_areas if a.population]
    lorenz = lorenz_points(weighted)
    return Distribution(
        fiscal_year=fiscal_year,
        workstream=workstream,
        national=national,
        regions=sorted(regions.values(), key=lambda a: a.extra["number"]),
        groups=sorted(groups.values(), key=lambda a: (a.key == "", a.key.zfill(3))),
        provinces=province_areas,
        tambons=tambon_areas,
        lorenz=lorenz,
        gini_provinces=gini_from_points(lorenz),
        gini_tambons=gini([(t.population, t.approved) for t in tambon_areas if t.population]),
        deciles=decile_ratio([a.approved_per_head for a in province_areas if a.population]),
        unattributed=unattributed,
    )


def national_rate_of(provinces: list[Area]) -> Decimal | None:
    """Approved per head over the provinces that have a population (unrounded beyond the satang)."""
    people = sum((a.population for a in provinces if a.population), 0)
    money = sum((a.approved for a in provinces if a.population), ZERO)
    return per(money, people)


def fairness_for(*, user, fiscal_year: int, workstream=None) -> Distribution:
    """The distribution of the requests the user may see, over the provinces and tambons of the user's area."""
    return distribution(
        requests=BudgetRequest.objects.visible_to(user),
        provinces=Province.objects.in_scope_of(user),
        tambons=Subdistrict.objects.in_scope_of(user),
        fiscal_year=fiscal_year,
        workstream=workstream,
    )
