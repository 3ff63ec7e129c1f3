"""The fair-distribution page: thin, reads budgets.fairness (kept apart from views.py so parallel work merges)."""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from areas.models import Province
from strategies.models import NodeKind, PlanNode

from .fairness import fairness_for
from .models import BudgetRequest
from .views import _code, _year, _years

TAMBONS_PER_PAGE = 50


def workstream_choices(user, fiscal_year: int):
    """The workstreams of the year's requests the user may see, in their order."""
    ids = BudgetRequest.objects.visible_to(user).for_year(fiscal_year).values("workstream_id")
    return PlanNode.objects.filter(kind=NodeKind.WORKSTREAM, id__in=ids).order_by("number", "code")


def chosen_workstream(user, fiscal_year: int, code: str):
    if not code:
        return None
    return workstream_choices(user, fiscal_year).filter(code=code).first()


def lorenz_rows(provinces):
    """Provinces with a population in Lorenz order (approved per head, lowest first) with cumulative shares in %."""
    kept = [p for p in provinces if p.population]
    kept.sort(key=lambda p: Decimal(p.approved) / p.population)
    people = sum(p.population for p in kept)
    money = sum((p.approved for p in kept), Decimal(0))
    if not people or not money:
        return []
    rows, cum_people, cum_money = [], 0, Decimal(0)
    for p in kept:
        cum_people += p.population
        cum_money += p.approved
        rows.append(
            {
                "area": p,
                "population_share": round(Decimal(cum_people) * 100 / people, 1),
                "approved_share": round(cum_money * 100 / money, 1),
            }
        )
    return rows


def lorenz_svg_points(points) -> str:
    """SVG polyline points in a 0–100 box, y pointing up (the curve is drawn from the bottom-left corner)."""
    return " ".join(f"{float(x) * 100:.2f},{100 - float(y) * 100:.2f}" for x, y in points)


@login_required
def fairness(request):
    year = _year(request)
    workstreams = workstream_choices(request.user, year)
    workstream = chosen_workstream(request.user, year, _code(request, "workstream"))
    province = _code(request, "province")
    result = fairness_for(user=request.user, fiscal_year=year, workstream=workstream)
    tambons = [t for t in result.tambons if t.parent == province] if province else []
    unfunded = [t for t in result.unfunded_tambons if not province or t.parent == province]
    province_names = {p.key: p.name for p in result.provinces}
    tambon_page = Paginator(tambons, TAMBONS_PER_PAGE).get_page(request.GET.get("tpage"))
    unfunded_page = Paginator(unfunded, TAMBONS_PER_PAGE).get_page(request.GET.get("page"))
    for t in unfunded_page.object_list:
        t.province_name = province_names.get(t.parent, "")
    return render(
        request,
        "budgets/fairness.html",
        {
            "result": result,
            "national": result.national,
            "fiscal_year": year,
            "years": _years(year),
            "workstreams": workstreams,
            "workstream": workstream,
            "province": province,
            "province_name": province_names.get(province, ""),
            "provinces": Province.objects.in_scope_of(request.user).order_by("code"),
            "lorenz": lorenz_rows(result.provinces),
            "lorenz_points": lorenz_svg_points(result.lorenz),
            "tambon_page": tambon_page,
            "unfunded_page": unfunded_page,
            "unfunded_total": len(unfunded),
        },
    )
