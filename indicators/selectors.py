"""Official figures: approved results added up over areas and periods, compared with targets.

Everything is computed by aggregate queries over approved results at the moment it is asked for, so a
figure is right the instant an approval, correction or withdrawal commits; there is nothing to rebuild.

How one indicator's figure for an area "as at" fiscal year FY, quarter Q is made:

- Window: a per-period indicator counts the approved results of FY, quarters 1..Q (year to date); a
  cumulative one counts every approved result from the year after its baseline year up to FY Q.
- Per reporting unit (tambon, or the indicator's reporting level) and then across units:
  sum         the values are added up (over quarters and over areas);
  average     the mean of every value in the window, across all areas;
  latest      each unit's latest value in the window, added up across areas;
  count_meeting  each unit's latest value in the window; the figure is the number of units whose value
                 reaches the indicator's threshold (at most the threshold when lower is better).
- Target for the area: the target set on the area itself for the quarter, else for the fiscal year;
  where the area has none and the indicator adds up, the sum of the targets set on the areas inside it
  at the highest level that has any.
- Expected value at FY Q (what "on track" is measured against): a quarter target when set; else for a
  per-period indicator the year's target × Q/4 (sum, count) or the year's target (average, latest); for a
  cumulative indicator a straight line between the baseline (country) or earlier targets and the next
  target.
  A cumulative indicator is judged between targets only: past its last target (the seed's 2565 targets
  read in 2570) it has none, never the last target carried forward.
- Progress = actual / expected (expected / actual when lower is better), in percent. Status band: on
  track from settings.INDICATOR_STATUS_BANDS["on_track"] percent (default 90), at risk from ["at_risk"]
  (default 70), off track below.
- Honest progress: a figure gets a band only when it has a target for the chosen year (or a declared
  straight line to a later one) and at least one approved result; otherwise `reason` says why not
  (Reason.NO_TARGET, Reason.NO_RESULTS) and the band stays empty, never "off track".
"""

import operator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce

from django.conf import settings
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, Sum, Value, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from areas.models import District, Province, ProvinceGroup, Region, Subdistrict
from codi_plans.thai_calendar import current_fiscal_year, fiscal_quarter_of, fiscal_quarter_range, selectable_years
from strategies.models import NodeKind

from .freshness import cached
from .models import (
    AREA_LEVELS,
    Aggregation,
    AreaLevel,
    Direction,
    Indicator,
    Measure,
    PlanLevel,
    Result,
    ResultStatus,
    Target,
    area_code,
)

DEFAULT_BANDS = {"on_track": 90, "at_risk": 70}
HUNDRED = Decimal(100)
PROGRESS_CAP = Decimal("999.9")


class Band:
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    LABELS = {ON_TRACK: _("On track"), AT_RISK: _("At risk"), OFF_TRACK: _("Off track")}


class Reason:
    """Why a figure has no band: nothing to judge it against, or nothing to judge yet."""

    NO_TARGET = "no_target"
    NO_RESULTS = "no_results"
    CHOICES = [(NO_TARGET, "No target set for the fiscal year"), (NO_RESULTS, "No results reported yet")]


def no_target_text(fiscal_year: int) -> str:
    """Say plainly that a year has no target: 'No target set for FY2570'."""
    return gettext("No target set for FY%(year)s") % {"year": fiscal_year}


def reason_note(reason, fiscal_year: int) -> str:
    """Say why a figure or a summary has no band, in the page's language ('' when it has one)."""
    if reason == Reason.NO_TARGET:
        return no_target_text(fiscal_year)
    if reason == Reason.NO_RESULTS:
        return gettext("No results reported yet")
    return ""


def quarters_due(fiscal_year: int, quarter: int, today=None) -> list[int]:
    """Return the quarters of FY, up to Q, that have ended by today: their results are due."""
    today = today or timezone.localdate()
    return [q for q in range(1, quarter + 1) if fiscal_quarter_range(fiscal_year, q)[1] < today]


def band_thresholds() -> dict:
    """Return the status-band thresholds in percent of the expected value (settings override the defaults)."""
    return {**DEFAULT_BANDS, **getattr(settings, "INDICATOR_STATUS_BANDS", {})}


def band_of(progress: Decimal | None) -> str | None:
    """Say whether a progress percentage is on track, at risk or off track."""
    if progress is None:
        return None
    bands = band_thresholds()
    if progress >= bands["on_track"]:
        return Band.ON_TRACK
    if progress >= bands["at_risk"]:
        return Band.AT_RISK
    return Band.OFF_TRACK


@dataclass
class AreaRef:
    level: str
    id: int | None
    code: str
    name_th: str
    name_en: str

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "th").startswith("en") and self.name_en:
            return self.name_en
        return self.name_th

    @property
    def key(self) -> str:
        """The area as one query-string value: 'country', 'region:north', 'province:50'."""
        if self.level == AreaLevel.COUNTRY:
            return "country"
        return f"{self.level}:{self.code}" if self.id is not None else ""


COUNTRY = AreaRef(AreaLevel.COUNTRY, None, "", "ทั้งประเทศ", "Whole country")


def area_ref(level: str, area) -> AreaRef:
    if area is None:
        return COUNTRY
    return AreaRef(level, area.id, area_code(level, area), area.name_th, area.name_en)


def _nowhere(level: str) -> AreaRef:
    names = {
        AreaLevel.REGION: ("ไม่อยู่ในภาคใด (กรุงเทพมหานคร)", "In no region (Bangkok)"),
        AreaLevel.PROVINCE_GROUP: ("ไม่อยู่ในกลุ่มจังหวัดใด", "In no province group"),
    }
    th, en = names.get(level, ("ไม่ระบุ", "Not given"))
    return AreaRef(level, None, "", th, en)


@dataclass
class Figure:
    area: AreaRef
    actual: Decimal | None = None
    reporting: int = 0
    target: Decimal | None = None
    target_year: int | None = None
    expected: Decimal | None = None
    progress: Decimal | None = None
    percent_of_target: Decimal | None = None
    band: str | None = None
    children_level: str | None = None
    fiscal_year: int | None = None
    quarter: int | None = None
    reason: str | None = None  # Reason.* when there is no band

    @property
    def band_label(self):
        return Band.LABELS.get(self.band, "")

    @property
    def note(self) -> str:
        """Say why there is no band, in the page's language ('' when there is one)."""
        return reason_note(self.reason, self.fiscal_year)

    @property
    def short_note(self) -> str:
        """The same in a word or two, for a row of a table or a bar."""
        if self.reason == Reason.NO_TARGET:
            return gettext("No target")
        if self.reason == Reason.NO_RESULTS:
            return gettext("No results yet")
        return ""

    @property
    def due(self) -> list[int]:
        """The quarters whose results are due so far (shown when none are reported yet)."""
        if self.fiscal_year is None or self.quarter is None:
            return []
        return quarters_due(self.fiscal_year, self.quarter)


@dataclass
class Drilldown:
    indicator: Indicator
    fiscal_year: int
    quarter: int
    total: Figure
    level: str | None
    rows: list[Figure] = field(default_factory=list)


def level_index(level: str) -> int:
    return AREA_LEVELS.index(level)


def child_level(level: str, indicator: Indicator) -> str | None:
    """Return the level one step below, or None at the indicator's reporting level."""
    if level_index(level) >= level_index(indicator.reporting_level):
        return None
    return AREA_LEVELS[level_index(level) + 1]


def key_path(group_level: str, row_level: str) -> str | None:
    """Return the lookup from a row set on `row_level` to its area at `group_level` (at or above it)."""
    if group_level == AreaLevel.COUNTRY:
        return None
    if group_level == row_level:
        return f"{group_level}_id"
    if group_level == AreaLevel.REGION:
        return "province_group__region_id" if row_level == AreaLevel.PROVINCE_GROUP else "province__region_id"
    if group_level == AreaLevel.PROVINCE_GROUP:
        return "province__group_id"
    return f"{group_level}_id"


def _target_key(group_level: str):
    """Return an expression giving, for a target at any level at or below group_level, its area there."""
    if group_level == AreaLevel.REGION:
        return Coalesce("region", "province_group__region", "province__region")
    if group_level == AreaLevel.PROVINCE_GROUP:
        return Coalesce("province_group", "province__group")
    return F(group_level)


def _target_within(level: str, area) -> Q:
    if level == AreaLevel.COUNTRY:
        return Q()
    if level == AreaLevel.REGION:
        return Q(region=area) | Q(province_group__region=area) | Q(province__region=area)
    if level == AreaLevel.PROVINCE_GROUP:
        return Q(province_group=area) | Q(province__group=area)
    return Q(**{level: area})


def window(indicator: Indicator, fiscal_year: int, quarter: int) -> tuple[int, int]:
    """Return the first and last period (fiscal_year * 4 + quarter) an as-at figure counts."""
    end = fiscal_year * 4 + quarter
    if indicator.cumulative:
        start = (indicator.baseline_year + 1) * 4 + 1 if indicator.baseline_year else 0
    else:
        start = fiscal_year * 4 + 1
    return start, end


def approved_in_window(indicator: Indicator, fiscal_year: int, quarter: int):
    """Return the approved results the figure counts; for latest and count_meeting, each unit's latest only."""
    start, end = window(indicator, fiscal_year, quarter)
    rows = Result.objects.filter(
        indicator=indicator, status=ResultStatus.APPROVED, period__gte=start, period__lte=end
    ).order_by()
    if indicator.aggregation in (Aggregation.LATEST, Aggregation.COUNT_MEETING):
        unit = key_path(indicator.reporting_level, indicator.reporting_level)
        later = Result.objects.filter(
            indicator=indicator,
            status=ResultStatus.APPROVED,
            period__gt=OuterRef("period"),
            period__lte=end,
            **({unit: OuterRef(unit)} if unit else {}),
        )
        rows = rows.filter(~Exists(later))
    return rows


def _aggregates(indicator: Indicator) -> dict:
    unit = key_path(indicator.reporting_level, indicator.reporting_level) or "indicator_id"
    if indicator.aggregation in (Aggregation.LATEST, Aggregation.COUNT_MEETING):
        reporting = Count("id")
    else:
        reporting = Count(unit, distinct=True)
    aggregates = {"reporting": reporting}
    if not indicator.is_numeric:
        return aggregates
    if indicator.aggregation == Aggregation.COUNT_MEETING:
        threshold = indicator.condition_threshold
        meets = Q(value__lte=threshold) if indicator.direction == Direction.LOWER else Q(value__gte=threshold)
        aggregates["total"] = Count("id", filter=meets)
    else:
        aggregates["total"] = Sum("value")
        aggregates["n"] = Count("value")
    return aggregates


def actuals(indicator: Indicator, fiscal_year: int, quarter: int, *, within=None, by: str | None = None) -> dict:
    """Return {area id at level `by` (None: outside any, or the total when by is None): (total, n, reporting)}."""
    rows = approved_in_window(indicator, fiscal_year, quarter)
    reporting_level = indicator.reporting_level
    if within is not None and within[0] != AreaLevel.COUNTRY:
        rows = rows.filter(**{key_path(within[0], reporting_level): within[1].id})
    aggregates = _aggregates(indicator)
    if by is None or by == AreaLevel.COUNTRY:
        data = rows.aggregate(**aggregates)
        return {None: (data.get("total"), data.get("n"), data["reporting"])}
    path = key_path(by, reporting_level)
    out = {}
    for row in rows.values(path).annotate(**aggregates).order_by():
        out[row[path]] = (row.get("total"), row.get("n"), row["reporting"])
    return out


def _combine(indicator: Indicator, parts) -> tuple[Decimal | None, int]:
    """Add group figures up to their whole (average: weighted by the number of values)."""
    parts = list(parts)
    reporting = sum(p[2] for p in parts)
    if not indicator.is_numeric:
        return None, reporting
    if indicator.aggregation == Aggregation.AVERAGE:
        total = sum((p[0] or 0 for p in parts), Decimal(0))
        n = sum(p[1] or 0 for p in parts)
        return (Decimal(total) / n if n else None), reporting
    return Decimal(sum((p[0] or 0 for p in parts), Decimal(0))), reporting


def _quantize(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# Targets ------------------------------------------------------------------------------------------


def target_series(indicator: Indicator, fiscal_year: int, *, level: str, area, by: str | None) -> tuple:
    """Return (the area's own series, {child id or None: series}); a series is {(FY, quarter or None): value}.

    An area's target is the one set on it; failing that, for additive indicators, the sum of its parts'
    targets, each found the same way (a region without a target adds up its groups, a group without one
    its provinces, and so on down to the tambons). Children are the areas at level `by`.
    """
    rows = Target.objects.filter(indicator=indicator).filter(_target_within(level, area))
    if not indicator.cumulative:
        rows = rows.filter(fiscal_year=fiscal_year)
    return _series(indicator, _target_values(rows), level=level, by=by)


def _target_values(rows, *first):
    """The target rows as tuples: `first` fields, then level, period, value and the row's area at every level."""
    return (
        rows.order_by()
        .annotate(region_key=_target_key(AreaLevel.REGION), group_key=_target_key(AreaLevel.PROVINCE_GROUP))
        .values_list(
            *first,
            "level",
            "fiscal_year",
            "quarter",
            "value",
            "region_key",
            "group_key",
            "province_id",
            "district_id",
            "tambon_id",
        )
    )


def _series(indicator: Indicator, rows, *, level: str, by: str | None) -> tuple:
    """target_series from the rows of _target_values (without `first` fields)."""
    root = ("root",)
    start = level_index(level) + 1
    explicit: dict = {}
    children: dict = {}
    for row_level, fy, quarter, value, *keys in rows:
        depth = level_index(row_level)
        node = root
        for index in range(start, depth + 1):
            child = (AREA_LEVELS[index], keys[index - 1])
            children.setdefault(node, set()).add(child)
            node = child
        explicit.setdefault(node, {})[(fy, quarter)] = value
    periods = {period for values in explicit.values() for period in values}
    memo: dict = {}

    def value_of(node, period):
        if (node, period) not in memo:
            own = explicit.get(node, {}).get(period)
            if own is None and indicator.is_additive:
                parts = [value_of(child, period) for child in children.get(node, ())]
                parts = [v for v in parts if v is not None]
                own = sum(parts, Decimal(0)) if parts else None
            memo[(node, period)] = own
        return memo[(node, period)]

    def series(node) -> dict:
        values = {period: value_of(node, period) for period in periods}
        return {k: v for k, v in values.items() if v is not None}

    kids = {}
    if by is not None:
        frontier = [root]
        for _step in range(start, level_index(by) + 1):
            frontier = [child for node in frontier for child in children.get(node, ())]
        kids = {node[1]: series(node) for node in frontier}
    return series(root), kids


def expected_value(
    indicator: Indicator, series: dict, fiscal_year: int, quarter: int, *, is_country: bool
) -> tuple[Decimal | None, Decimal | None, int | None]:
    """Return (expected value at FY Q, the target it heads for, that target's fiscal year)."""
    if (fiscal_year, quarter) in series:
        value = series[(fiscal_year, quarter)]
        return value, value, fiscal_year
    annual = series.get((fiscal_year, None))
    if not indicator.cumulative:
        if annual is None:
            return None, None, None
        if indicator.aggregation in (Aggregation.SUM, Aggregation.COUNT_MEETING):
            return annual * quarter / 4, annual, fiscal_year
        return annual, annual, fiscal_year
    anchors = {}
    if indicator.baseline_year is not None and indicator.baseline_value is not None:
        if is_country:
            anchors[indicator.baseline_year * 4 + 4] = indicator.baseline_value
        elif indicator.baseline_value == 0 and indicator.is_additive:
            anchors[indicator.baseline_year * 4 + 4] = Decimal(0)
    targets = {}
    for (fy, q), value in series.items():
        position = fy * 4 + (q or 4)
        # A quarter-4 target and the year's target fall on the same day; the quarter one is the more precise.
        if q is not None or position not in targets:
            targets[position] = (value, fy)
    anchors.update({p: v for p, (v, _fy) in targets.items()})
    if not targets:
        return None, None, None
    now = fiscal_year * 4 + quarter
    ahead = [p for p in targets if p >= now]
    goal_position = min(ahead) if ahead else max(targets)
    goal_value, goal_year = targets[goal_position]
    if annual is not None and (fiscal_year * 4 + 4) in targets:
        goal_value, goal_year = targets[fiscal_year * 4 + 4]
    before = [p for p in anchors if p <= now]
    after = [p for p in anchors if p >= now]
    if not after:
        # Past the last target there is nothing to be measured against: carrying it forward would judge 2570
        # against 2565's target.
        return None, None, None
    if not before:
        return None, goal_value, goal_year
    a, b = max(before), min(after)
    if a == b:
        return anchors[a], goal_value, goal_year
    expected = anchors[a] + (anchors[b] - anchors[a]) * Decimal(now - a) / Decimal(b - a)
    return expected, goal_value, goal_year


def assess(indicator: Indicator, figure: Figure, series: dict, fiscal_year: int, quarter: int) -> Figure:
    """Fill in a figure's target, expected value, progress and status band."""
    expected, target, target_year = expected_value(
        indicator, series, fiscal_year, quarter, is_country=figure.area.level == AreaLevel.COUNTRY
    )
    figure.expected, figure.target, figure.target_year = _quantize(expected), _quantize(target), target_year
    figure.fiscal_year, figure.quarter = fiscal_year, quarter
    actual = figure.actual
    if expected is None:
        figure.reason = Reason.NO_TARGET
        return figure
    if not figure.reporting or actual is None:
        # Nobody has reported yet: a zero sum is not a result, so it is not "off track" either.
        figure.reason = Reason.NO_RESULTS
        return figure
    lower = indicator.direction == Direction.LOWER
    if expected == 0:
        progress = HUNDRED if (actual <= 0 or not lower) else Decimal(0)
    elif lower:
        progress = HUNDRED * expected / actual if actual > 0 else PROGRESS_CAP
    else:
        progress = HUNDRED * actual / expected
    figure.progress = min(_quantize(progress), PROGRESS_CAP)
    figure.band = band_of(figure.progress)
    if target:
        share = (HUNDRED * target / actual if actual > 0 else PROGRESS_CAP) if lower else HUNDRED * actual / target
        figure.percent_of_target = min(_quantize(share), PROGRESS_CAP)
    return figure


# Areas --------------------------------------------------------------------------------------------


def child_areas(level: str, area, by: str) -> list[AreaRef]:
    """List the areas at level `by` inside an area (every one of them, reported or not)."""
    model = {
        AreaLevel.REGION: Region,
        AreaLevel.PROVINCE_GROUP: ProvinceGroup,
        AreaLevel.PROVINCE: Province,
        AreaLevel.DISTRICT: District,
        AreaLevel.TAMBON: Subdistrict,
    }[by]
    qs = model.objects.all()
    if level != AreaLevel.COUNTRY:
        if by == AreaLevel.PROVINCE_GROUP:
            lookup = "region"
        elif by == AreaLevel.PROVINCE:
            lookup = {AreaLevel.REGION: "region", AreaLevel.PROVINCE_GROUP: "group"}[level]
        else:
            lookup = {
                AreaLevel.REGION: "province__region",
                AreaLevel.PROVINCE_GROUP: "province__group",
                AreaLevel.PROVINCE: "province",
                AreaLevel.DISTRICT: "district",
            }[level]
        qs = qs.filter(**{lookup: area})
    order = "number" if by in (AreaLevel.REGION, AreaLevel.PROVINCE_GROUP) else "code"
    return [area_ref(by, a) for a in qs.order_by(order)]


# Years and the default period --------------------------------------------------------------------


def data_years() -> tuple[int | None, int | None]:
    """Return the first and last fiscal years any target or result is set for, in one query (the fiscal-year
    indexes make each end one index probe)."""

    def bounds(model):
        return (
            model.objects.order_by()
            .annotate(one=Value(1))
            .values("one")
            .annotate(first=Min("fiscal_year"), last=Max("fiscal_year"))
            .values_list("first", "last")
        )

    rows = [row for row in bounds(Result).union(bounds(Target), all=True) if row[0] is not None]
    if not rows:
        return None, None
    return min(r[0] for r in rows), max(r[1] for r in rows)


def year_choices(today=None) -> list[int]:
    """Return the fiscal years indicator pages offer: every year with data, this year and the next, newest first."""
    return selectable_years(*data_years(), today=today)


def default_period(today=None) -> tuple[int, int]:
    """Return the (fiscal year, quarter) a dashboard opens at: this year, at its latest quarter with approved results,
    else at the current quarter."""
    today = today or timezone.localdate()
    year, quarter = current_fiscal_year(today), fiscal_quarter_of(today)
    latest = (
        Result.objects.filter(status=ResultStatus.APPROVED, fiscal_year=year, quarter__lte=quarter)
        .order_by()
        .aggregate(q=Max("quarter"))["q"]
    )
    return year, latest or quarter


# Putting it together ------------------------------------------------------------------------------


def drilldown(
    indicator: Indicator,
    fiscal_year: int,
    quarter: int | None = None,
    *,
    level: str = AreaLevel.COUNTRY,
    area=None,
    by=None,
) -> Drilldown:
    """Return an area's figure and the figures of the areas it is made of, for one indicator as at FY Q (cached
    until anything it is made of changes: indicators/freshness.py)."""
    quarter = quarter or 4
    key = f"drilldown:{indicator.pk}:{fiscal_year}:{quarter}:{level}:{area.pk if area is not None else ''}:{by}"
    return cached(key, lambda: _drilldown(indicator, fiscal_year, quarter, level=level, area=area, by=by))


def _drilldown(indicator: Indicator, fiscal_year: int, quarter: int, *, level: str, area, by) -> Drilldown:
    if by is None:
        by = child_level(level, indicator)
    elif level_index(by) <= level_index(level) or level_index(by) > level_index(indicator.reporting_level):
        by = None
    within = (level, area)
    own_series, child_series = target_series(indicator, fiscal_year, level=level, area=area, by=by)
    total = Figure(area=area_ref(level, area), children_level=by)
    rows = []
    parts = actuals(indicator, fiscal_year, quarter, within=within, by=by)
    if by is not None:
        refs = child_areas(level, area, by)
        if None in parts or None in child_series:
            refs.append(_nowhere(by))
        next_level = child_level(by, indicator)
        for ref in refs:
            part = parts.get(ref.id)
            figure = Figure(area=ref, children_level=next_level if ref.id is not None else None)
            if part is not None:
                figure.actual, figure.reporting = _combine(indicator, [part])
            elif indicator.is_numeric and indicator.is_additive:
                figure.actual = Decimal(0)
            figure.actual = _quantize(figure.actual)
            rows.append(assess(indicator, figure, child_series.get(ref.id, {}), fiscal_year, quarter))
    _assess_whole(indicator, total, parts.values(), own_series, fiscal_year, quarter)
    return Drilldown(indicator=indicator, fiscal_year=fiscal_year, quarter=quarter, total=total, level=by, rows=rows)


def _assess_whole(indicator: Indicator, figure: Figure, parts, series: dict, fiscal_year: int, quarter: int) -> Figure:
    """Fill in an area's figure from its parts' (total, n, reporting) and its target series."""
    figure.actual, figure.reporting = _combine(indicator, parts)
    if figure.actual is None and indicator.is_numeric and indicator.is_additive:
        figure.actual = Decimal(0)
    figure.actual = _quantize(figure.actual)
    return assess(indicator, figure, series, fiscal_year, quarter)


def country_figure(indicator: Indicator, fiscal_year: int, quarter: int | None = None) -> Figure:
    """Return the national figure of one indicator as at FY Q."""
    return country_figures([indicator], fiscal_year, quarter)[indicator.id]


def country_figures(indicators, fiscal_year: int, quarter: int | None = None) -> dict[int, Figure]:
    """Return {indicator id: national figure as at FY Q} in two queries however many indicators there are: one
    reads all their targets, one adds up all their approved results (see _country_actuals)."""
    quarter = quarter or 4
    indicators = list(indicators)
    if not indicators:
        return {}
    yearly = Q(indicator_id__in=[i.id for i in indicators if not i.cumulative], fiscal_year=fiscal_year)
    rows = Target.objects.filter(Q(indicator_id__in=[i.id for i in indicators if i.cumulative]) | yearly)
    targets: dict = {i.id: [] for i in indicators}
    for indicator_id, *row in _target_values(rows, "indicator_id"):
        targets[indicator_id].append(row)
    parts = _country_actuals(indicators, fiscal_year, quarter)
    figures = {}
    for indicator in indicators:
        own_series, _children = _series(indicator, targets[indicator.id], level=AreaLevel.COUNTRY, by=None)
        # Computed without its parts, but it opens onto them like any other total.
        figure = Figure(area=COUNTRY, children_level=child_level(AreaLevel.COUNTRY, indicator))
        figures[indicator.id] = _assess_whole(
            indicator, figure, [parts[indicator.id]], own_series, fiscal_year, quarter
        )
    return figures


def _country_actuals(indicators: list[Indicator], fiscal_year: int, quarter: int) -> dict[int, tuple]:
    """Return {indicator id: (total, n, reporting)} over the whole country, as actuals() gives each one alone, from
    one query grouped by indicator: every indicator's window (and, for latest and count_meeting, only each unit's
    latest result) is a branch of one filter, and every aggregate that any of them needs is computed for all."""
    end = fiscal_year * 4 + quarter
    approved = Result.objects.filter(status=ResultStatus.APPROVED, period__lte=end)
    branches: dict = {}  # (first period, latest only, unit) -> indicator ids
    aggregates = {"rows": Count("id"), "total": Sum("value"), "n": Count("value")}
    meets = []
    for indicator in indicators:
        start, _end = window(indicator, fiscal_year, quarter)
        unit = key_path(indicator.reporting_level, indicator.reporting_level)
        latest_only = indicator.aggregation in (Aggregation.LATEST, Aggregation.COUNT_MEETING)
        branches.setdefault((start, latest_only, unit), []).append(indicator.id)
        if not latest_only:
            aggregates[f"units_{unit or 'indicator_id'}"] = Count(unit or "indicator_id", distinct=True)
        if indicator.is_numeric and indicator.aggregation == Aggregation.COUNT_MEETING:
            threshold = indicator.condition_threshold
            reaches = Q(value__lte=threshold) if indicator.direction == Direction.LOWER else Q(value__gte=threshold)
            meets.append(Q(indicator_id=indicator.id) & reaches)
    if meets:
        aggregates["meets"] = Count("id", filter=reduce(operator.or_, meets))
    where = []
    for (start, latest_only, unit), ids in branches.items():
        branch = Q(indicator_id__in=ids, period__gte=start)
        if latest_only:
            # Each unit's latest result: numbered newest first within (indicator, unit), one pass over the index,
            # rather than a "no later result" probe per row (which PostgreSQL runs once for each of 250,000 rows).
            newest_first = Window(
                RowNumber(),
                partition_by=[F("indicator_id"), *([F(unit)] if unit else [])],
                order_by=F("period").desc(),
            )
            latest = approved.filter(indicator_id__in=ids, period__gte=start).annotate(newest=newest_first)
            branch &= Q(pk__in=latest.filter(newest=1).values("pk"))
        where.append(branch)
    rows = approved.filter(reduce(operator.or_, where)).order_by().values("indicator_id").annotate(**aggregates)
    data = {row["indicator_id"]: row for row in rows}
    out = {}
    for indicator in indicators:
        row = data.get(indicator.id, {})
        if indicator.aggregation in (Aggregation.LATEST, Aggregation.COUNT_MEETING):
            reporting = row.get("rows", 0)
        else:
            unit = key_path(indicator.reporting_level, indicator.reporting_level)
            reporting = row.get(f"units_{unit or 'indicator_id'}", 0)
        if not indicator.is_numeric:
            out[indicator.id] = (None, None, reporting)
        elif indicator.aggregation == Aggregation.COUNT_MEETING:
            out[indicator.id] = (row.get("meets", 0), None, reporting)
        else:
            out[indicator.id] = (row.get("total"), row.get("n", 0), reporting)
    return out


# Up the plan tree ---------------------------------------------------------------------------------


@dataclass
class Summary:
    indicators: int = 0
    on_track: int = 0
    at_risk: int = 0
    off_track: int = 0
    no_target: int = 0
    no_results: int = 0
    mean_progress: Decimal | None = None
    fiscal_year: int | None = None

    @property
    def band(self) -> str | None:
        return band_of(self.mean_progress)

    @property
    def reason(self) -> str | None:
        """Why the summary has no band: no indicator has a target for the year, or none has results yet."""
        if self.band is not None or not self.indicators:
            return None
        return Reason.NO_RESULTS if self.no_results else Reason.NO_TARGET

    @property
    def note(self) -> str:
        return reason_note(self.reason, self.fiscal_year)


@dataclass
class NodeProgress:
    node: object
    summary: Summary
    items: list = field(default_factory=list)  # [(indicator, Figure)] on this item and everything under it
    children: list = field(default_factory=list)  # [NodeProgress] without their own children


def summarise(figures) -> Summary:
    """Count indicators per status band; the mean progress caps each indicator at 100 percent."""
    summary = Summary()
    progresses = []
    for figure in figures:
        summary.indicators += 1
        summary.fiscal_year = figure.fiscal_year
        if figure.band is None:
            if figure.reason == Reason.NO_RESULTS:
                summary.no_results += 1
            else:
                summary.no_target += 1
            continue
        setattr(summary, figure.band, getattr(summary, figure.band) + 1)
        progresses.append(min(figure.progress, HUNDRED))
    if progresses:
        summary.mean_progress = _quantize(sum(progresses, Decimal(0)) / len(progresses))
    return summary


# CODI items whose alignment declares what the whole plan serves: kept on the plan, not used as roll-up paths.
PLAN_WIDE_KINDS = {NodeKind.CODI_STRATEGY, NodeKind.CODI_ACTION_PLAN, NodeKind.CODI_ANNUAL_PLAN}


class PlanTree:
    """The whole plan tree in memory (a few hundred items), for scoping indicators to an item."""

    def __init__(self):
        from strategies.models import PlanNode

        self.nodes = {n.id: n for n in PlanNode.objects.prefetch_related("aligns_to")}
        self.children = {}
        for node in self.nodes.values():
            self.children.setdefault(node.parent_id, []).append(node)
        for kids in self.children.values():
            kids.sort(key=lambda n: (n.number or 0, n.code))

    def subtree(self, node) -> set[int]:
        ids, stack = set(), [node.id]
        while stack:
            current = stack.pop()
            ids.add(current)
            stack.extend(child.id for child in self.children.get(current, []))
        return ids

    def servers(self, node) -> list:
        """Return the CODI items that count under a national item or anything under it.

        A CODI item counts through its nearest ancestor-or-self aligned to the same national plan (the national
        strategy, a master-plan edition, the reform plan, the housing master plan): WS-ECONOMY-G1-P1 counts under
        master plan 16 because WS-ECONOMY serves it. Plan-wide links (a CODI strategy, action plan or annual plan
        declaring the master plans it serves) are declarations, not roll-up paths: otherwise every item would count
        under every master plan the plan names and the roll-ups by master plan would be identical.
        """
        if not node.is_national:
            return []
        national = self.subtree(node)
        return [n for n in self.nodes.values() if not n.is_national and self.effective_links(n) & national]

    def effective_links(self, node) -> set[int]:
        """Return the national items a CODI item serves for roll-ups: per national plan, its own links or else its
        nearest aligned ancestor's (plan-wide declarations left out)."""
        cache = self.__dict__.setdefault("_links", {})
        if node.id in cache:
            return cache[node.id]
        links: dict[int, set[int]] = {}
        current = node
        while current is not None:
            if current.kind not in PLAN_WIDE_KINDS:
                mine: dict[int, set[int]] = {}
                for target in current.aligns_to.all():
                    mine.setdefault(self.family(target), set()).add(target.id)
                for family, ids in mine.items():
                    links.setdefault(family, ids)
            current = self.nodes.get(current.parent_id)
        cache[node.id] = set().union(*links.values()) if links else set()
        return cache[node.id]

    def family(self, node) -> int:
        """Return the national plan a national item belongs to: its master-plan edition, else its root."""
        while node.parent_id is not None and node.kind != NodeKind.MASTER_PLAN_SET:
            node = self.nodes[node.parent_id]
        return node.id

    def scope(self, node) -> set[int]:
        """Return the ids of the items whose indicators count towards this item."""
        ids = self.subtree(node)
        for server in self.servers(node):
            ids |= self.subtree(server)
        return ids

    def parts(self, node) -> list:
        """Return what an item is made of: its children, and for a national item the CODI items serving it."""
        kids = list(self.children.get(node.id, []))
        servers = self.servers(node)
        top_servers = [s for s in servers if not any(s.parent_id == o.id for o in servers)]
        return kids + [s for s in top_servers if s not in kids]


def plan_progress(node, fiscal_year: int, quarter: int | None = None, *, tree: PlanTree | None = None) -> NodeProgress:
    """Return the national progress of every indicator on a plan item and under it, with a summary per part (cached
    until anything it is made of changes: indicators/freshness.py)."""
    quarter = quarter or 4
    key = f"plan_progress:{node.pk}:{fiscal_year}:{quarter}"
    return cached(key, lambda: _plan_progress(node, fiscal_year, quarter, tree=tree or PlanTree()))


def _plan_progress(node, fiscal_year: int, quarter: int, *, tree: PlanTree) -> NodeProgress:
    scope = tree.scope(node)
    indicators = list(Indicator.objects.active().filter(plan_node_id__in=scope).with_chain())
    figures = country_figures(indicators, fiscal_year, quarter)
    progress = NodeProgress(
        node=node,
        summary=summarise(figures.values()),
        items=[(i, figures[i.id]) for i in indicators],
    )
    for part in tree.parts(node):
        part_scope = tree.scope(part)
        mine = [i for i in indicators if i.plan_node_id in part_scope]
        if mine:
            progress.children.append(
                NodeProgress(
                    node=part, summary=summarise(figures[i.id] for i in mine), items=[(i, figures[i.id]) for i in mine]
                )
            )
    return progress


# By province, for the map ---------------------------------------------------------------------------------------


def headline_indicators(root, user) -> list[Indicator]:
    """The numeric indicators on a CODI plan and under it that the user may see (not tambon projects' own ones)."""
    rows = (
        Indicator.objects.visible_to(user)
        .active()
        .under(root.code)
        .exclude(level=PlanLevel.PROJECT)
        .exclude(measure=Measure.NARRATIVE)
    )
    return list(rows)


def province_progress(indicator: Indicator, fiscal_year: int, quarter: int | None = None) -> dict[str, Figure]:
    """Return {province code: the province's figure} of one indicator as at FY Q, as the drill-downs make it (the
    same progress, band and reason), in three queries (targets, approved results, provinces). An indicator
    reported per region or for the whole country has no province figures: {}."""
    if level_index(indicator.reporting_level) < level_index(AreaLevel.PROVINCE):
        return {}
    data = drilldown(indicator, fiscal_year, quarter, by=AreaLevel.PROVINCE)
    return {row.area.code: row for row in data.rows if row.area.id is not None}


@dataclass(frozen=True)
class ReportingRate:
    reported: int  # tambons with at least one approved result for the quarter
    tambons: int  # tambons in the province

    @property
    def percent(self) -> Decimal | None:
        if not self.tambons:
            return None
        return _quantize(HUNDRED * self.reported / self.tambons)


def province_reporting(fiscal_year: int, quarter: int, tambons: dict[str, int]) -> dict[str, ReportingRate]:
    """Return {province code: ReportingRate}: the share of a province's tambons with at least one approved result
    for the quarter itself (any headline indicator; not tambon projects' own), in one query. ``tambons`` is
    {province code: number of tambons} (areas.selectors.tambon_counts)."""
    reported = dict(
        Result.objects.filter(
            status=ResultStatus.APPROVED, fiscal_year=fiscal_year, quarter=quarter, level=AreaLevel.TAMBON
        )
        .exclude(indicator__level=PlanLevel.PROJECT)
        .order_by()
        .values("tambon__province__code")
        .annotate(n=Count("tambon_id", distinct=True))
        .values_list("tambon__province__code", "n")
    )
    return {code: ReportingRate(reported=reported.get(code, 0), tambons=n) for code, n in tambons.items()}
