"""The province map shaded by money: approved budget per tambon, only where the person's area covers the province."""

from decimal import Decimal

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from areas.maps import ProvinceMap, province_map
from areas.models import Province
from areas.selectors import tambon_counts

from . import selectors


def _baht(value) -> str:
    return floatformat(value, "0g")


def provinces_for(user) -> tuple[dict[str, str], set[str]]:
    """Return ({code: name in the page language}, {codes of the provinces the user's area does not wholly cover})
    in one query. Budget figures are shaded only inside the person's area, as the consolidation counts them."""
    provinces = Province.objects.only("id", "code", "name_th", "name_en", "region_id")
    scope = user.scope
    names, outside = {}, set()
    for province in provinces:
        names[province.code] = province.name
        if not scope.contains_province(province):
            outside.add(province.code)
    return names, outside


def budget_per_tambon(*, user, fiscal_year: int, tambons: dict[str, int], outside: set[str]) -> dict[str, Decimal]:
    """Return {province code: approved money of the year ÷ the province's tambons}, for every province the person's
    area covers wholly (a province with nothing approved is 0)."""
    approved = selectors.approved_by_province(user=user, fiscal_year=fiscal_year)
    return {
        code: (approved.get(code) or Decimal(0)) / count
        for code, count in tambons.items()
        if count and code not in outside
    }


def budget_map(*, user, fiscal_year: int, tambons=None, outside=None, names=None, map_id: str = "map") -> ProvinceMap:
    """Shade each province by the approved budget of the fiscal year per tambon (quantile bins); four queries when
    the caller gives neither tambon counts nor the provinces (names and outside) it already has."""
    if names is None or outside is None:
        names, outside = provinces_for(user)
    tambons = tambons if tambons is not None else tambon_counts()
    return province_map(
        budget_per_tambon(user=user, fiscal_year=fiscal_year, tambons=tambons, outside=outside),
        title=_("Approved budget per tambon"),
        unit=_("baht"),
        description=_(
            "Budget requests of the fiscal year approved, in execution or closed, divided by the province's number "
            "of tambons. Bins hold about as many provinces each."
        ),
        value_format=_baht,
        outside=outside,
        names=names,
        map_id=map_id,
    )


def project_progress_map(*, user, fiscal_year: int, names=None, outside=None, map_id: str = "map") -> ProvinceMap:
    """Shade each province by its tambon projects' progress in the fiscal year (the mean percent of the projects with
    an approved progress report, progress.selectors), only where the person's area covers the province."""
    from progress.selectors import progress_by_province
    from workstreams.models import CONSOLIDATED_STATUSES, Project

    if names is None or outside is None:
        names, outside = provinces_for(user)
    projects = Project.objects.visible_to(user).filter(
        plan__status__in=CONSOLIDATED_STATUSES,
        plan__period_start_be__lte=fiscal_year,
        plan__period_end_be__gte=fiscal_year,
    )
    rollups = {code: r for code, r in progress_by_province(projects, fiscal_year).items() if code not in outside}
    return province_map(
        {code: r.percent for code, r in rollups.items()},
        title=_("Project progress"),
        unit="%",
        description=_(
            "The mean progress of the province's tambon projects with an approved progress report in the fiscal year "
            "(each project: its indicators' latest actuals in percent of their targets, at most 100 %)."
        ),
        value_format=lambda value: floatformat(value, "-1g"),
        breaks=[20, 40, 60, 80],
        outside=outside,
        names=names,
        notes={
            code: _("%(reported)s of %(projects)s projects reported") % {"reported": r.reported, "projects": r.projects}
            for code, r in rollups.items()
        },
        map_id=map_id,
    )
