"""Pages: what serves a plan item (/plans/<code>/served-by/), the coverage (/coverage/) and the plan item's panel."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from areas.maps import province_map
from codi_plans.thai_calendar import current_fiscal_year
from indicators.selectors import plan_progress
from strategies.models import PlanNode

from . import permissions, selectors
from .forms import AreaFilterForm

PAGE_SIZE = 50
AREA_PARAMETER = {
    selectors.REGION: "region",
    selectors.GROUP: "province_group",
    selectors.PROVINCE: "province",
    selectors.DISTRICT: "district",
}


def _filters(request):
    """The form and the (fiscal year, area) it chooses; a bad value is shown on the form and left out."""
    form = AreaFilterForm(request.GET or None, user=request.user)
    if form.is_bound:
        form.is_valid()
    choice = form.choice()
    fiscal_year = choice.pop("fiscal_year")
    return form, fiscal_year, selectors.resolve_area(request.user, **choice)


def _area_link(base: str, fiscal_year: int, level: str, code: str) -> str:
    """A link narrowing the page to one row's area (tambon rows have none)."""
    parameter = AREA_PARAMETER.get(level)
    if parameter is None or not code:
        return ""
    query = {"fiscal_year": fiscal_year, parameter: code}
    if level == selectors.DISTRICT:
        query["province"] = code[:2]
    return f"{base}?{urlencode(query)}"


@login_required
@require_GET
def served_by(request, code):
    permissions.check_view_coverage(request.user)
    node = get_object_or_404(PlanNode.objects.visible_to(request.user).with_ancestors(), code=code)
    form, fiscal_year, area = _filters(request)
    drill = selectors.drill(request.user, node, fiscal_year=fiscal_year, area=area)
    page = Paginator(
        drill.projects.select_related(
            "plan__tambon__district", "plan__tambon__province", "programme", "workstream", "goal"
        ),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    base = reverse("coverage:served_by", args=[node.code])
    for group in drill.by_area:
        group.url = _area_link(base, fiscal_year, area.child_level, group.code)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "coverage/served_by.html",
        {
            "node": node,
            "ancestors": node.ancestors(),
            "form": form,
            "drill": drill,
            "fiscal_year": fiscal_year,
            "area": area,
            "page": page,
            "rows": selectors.page_rows(page.object_list, drill),
            "page_query": query.urlencode(),
            "headline": plan_progress(node, fiscal_year).summary,
            "api_url": _api_url(reverse("coverage-served-by-list", args=[node.code]), fiscal_year, area),
        },
    )


def _api_url(base: str, fiscal_year, area) -> str:
    """The API call giving the page's figures."""
    query = {"fiscal_year": fiscal_year}
    if area.area is not None:
        query[AREA_PARAMETER[area.level]] = area.code
    return f"{base}?{urlencode(query)}"


@login_required
@require_GET
def coverage(request):
    permissions.check_view_coverage(request.user)
    form, fiscal_year, area = _filters(request)
    result = selectors.coverage(request.user, fiscal_year=fiscal_year, area=area)
    base = reverse("coverage:index")
    for row in result.shares:
        row.url = _area_link(base, fiscal_year, area.child_level, row.code)
    shading = province_map(
        result.tambon_share,
        title=_("Tambons with a project"),
        unit="%",
        description=_("Share of each province's tambons with at least one project in an accepted tambon plan."),
        breaks=[20, 40, 60, 80],
        outside=frozenset(result.outside),
        names=result.province_names,
        map_id="coverage-map",
        link=lambda code: f"{base}?{urlencode({'fiscal_year': fiscal_year, 'province': code})}",
    )
    return render(
        request,
        "coverage/coverage.html",
        {
            "form": form,
            "coverage": result,
            "fiscal_year": fiscal_year,
            "area": area,
            "map": shading,
            "api_url": _api_url(reverse("coverage-list"), fiscal_year, area),
        },
    )


def node_panel(request, node) -> str:
    """The summary on a plan item's own page (registered in CoverageConfig.ready), for people with an area."""
    if not permissions.can_view_coverage(request.user):
        return ""
    area = selectors.resolve_area(request.user)
    fiscal_year = current_fiscal_year()
    total = selectors.summary(request.user, node, fiscal_year=fiscal_year, area=area)
    return render_to_string(
        "coverage/_node_panel.html",
        {"node": node, "total": total, "area": area, "fiscal_year": fiscal_year},
        request=request,
    )
