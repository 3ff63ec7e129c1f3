"""The province map shaded by indicator figures: progress of one headline indicator, and the reporting rate."""

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from areas.maps import ProvinceMap, province_map

from . import selectors
from .models import Indicator


def _percent(value) -> str:
    return floatformat(value, "-1g")


def progress_breaks() -> list[float]:
    """Progress bins tied to the status bands: < 50, 50 – at risk, at risk – on track, on track – 110, ≥ 110 %."""
    bands = selectors.band_thresholds()
    return sorted({50.0, float(bands["at_risk"]), float(bands["on_track"]), 110.0})


def progress_map(indicator: Indicator, fiscal_year: int, quarter: int, *, map_id: str = "map") -> ProvinceMap:
    """Shade each province by the indicator's progress (actual in percent of what is expected by now)."""
    figures = selectors.province_progress(indicator, fiscal_year, quarter)
    bands = selectors.band_thresholds()
    return province_map(
        {code: figure.progress for code, figure in figures.items()},
        title=_("Progress: %(indicator)s") % {"indicator": indicator.name},
        unit="%",
        description=_(
            "Progress is the approved result in percent of what is expected by now; on track from %(on)s%%, "
            "at risk from %(risk)s%%."
        )
        % {"on": bands["on_track"], "risk": bands["at_risk"]},
        value_format=_percent,
        breaks=progress_breaks(),
        names={code: figure.area.name for code, figure in figures.items()} or None,
        notes={code: figure.short_note for code, figure in figures.items() if figure.short_note},
        map_id=map_id,
    )


def reporting_map(
    fiscal_year: int, quarter: int, tambons: dict[str, int], *, names=None, map_id: str = "map"
) -> ProvinceMap:
    """Shade each province by the share of its tambons with an approved result for the quarter."""
    rates = selectors.province_reporting(fiscal_year, quarter, tambons)
    return province_map(
        {code: rate.percent for code, rate in rates.items()},
        title=_("Reporting rate, quarter %(quarter)s") % {"quarter": quarter},
        unit="%",
        description=_("The share of each province's tambons with at least one approved result for the quarter."),
        value_format=_percent,
        breaks=[20, 40, 60, 80],
        names=names,
        map_id=map_id,
    )
