from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import permissions, selectors, services
from .forms import AssignRegionForm, PopulationUploadForm
from .models import District, OfficialPopulation, Province, Region, Subdistrict, level_word_for
from .population import COLUMNS as POPULATION_COLUMNS
from .population import template_workbook as population_workbook


def area_index(request):
    regions = Region.objects.prefetch_related("groups__provinces")
    ungrouped = Province.objects.filter(group__isnull=True)
    return render(request, "areas/area_index.html", {"regions": regions, "ungrouped": ungrouped})


def province_detail(request, code):
    province = get_object_or_404(Province.objects.select_related("region", "group"), code=code)
    districts = province.districts.annotate(tambon_count=Count("subdistricts"))
    return render(
        request,
        "areas/province_detail.html",
        {
            "province": province,
            "districts": districts,
            "can_assign_region": permissions.can_assign_region(request.user),
            # The province plan opens for people whose scope reaches the province.
            "can_open_province_plan": request.user.is_authenticated
            and Province.objects.in_scope_of(request.user).filter(pk=province.pk).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def province_region(request, code):
    """Central staff give a province (Bangkok, most often) to a region's team; the page lists earlier changes."""
    province = get_object_or_404(Province.objects.select_related("region", "group__region"), code=code)
    permissions.check_assign_region(request.user)
    if request.method == "POST":
        form = AssignRegionForm(request.POST)
        if form.is_valid():
            try:
                services.assign_region(
                    province=province,
                    region=form.cleaned_data["region"],
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Saved."))
                return redirect("areas:province", province.code)
    else:
        form = AssignRegionForm(initial={"region": province.region_id})
    return render(
        request,
        "areas/province_region.html",
        {"province": province, "form": form, "changes": selectors.region_history(province)},
    )


def district_detail(request, code):
    district = get_object_or_404(District.objects.select_related("province"), code=code)
    return render(request, "areas/district_detail.html", {"district": district, "tambons": district.subdistricts.all()})


@login_required
def my_area(request):
    """Show the working area of the signed-in user: provinces, and tambons when the scope is small."""
    tambons = Subdistrict.objects.in_scope_of(request.user)
    provinces = (
        Province.objects.filter(id__in=tambons.values("province_id"))
        .annotate(tambon_count=Count("subdistricts", filter=None))
        .select_related("region", "group")
    )
    if not request.user.is_national:
        provinces = provinces.annotate(
            in_scope=Count("subdistricts", filter=request.user.scope.overlapping("subdistricts__"))
        )
    small = tambons.count() <= 300
    # Name the level as the user's provinces do: แขวง for a Bangkok-only area, ตำบล/แขวง when mixed.
    province_codes = [p.code for p in provinces]
    return render(
        request,
        "areas/my_area.html",
        {
            "provinces": provinces,
            "tambon_total": tambons.count(),
            "tambons_word": level_word_for("subdistrict", province_codes or [None], plural=True),
            "tambons": tambons.select_related("district", "province") if small else None,
        },
    )


# Official population ---------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def population(request):
    """The official population figures on file, and (for central staff) the workbook import."""
    can_import = permissions.can_import_population(request.user)
    form = PopulationUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST":
        permissions.check_import_population(request.user)
        if form.is_valid():
            save = request.POST.get("action") == "save"
            try:
                report = services.import_official_population(
                    upload=form.cleaned_data["file"], by=request.user, dry_run=not save
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                if report.ok and not report.dry_run:
                    messages.success(
                        request,
                        _("Saved %(created)s new and %(updated)s changed population figures.")
                        % {"created": report.created, "updated": report.updated},
                    )
                    return redirect("areas:population")
    figures = OfficialPopulation.objects.all()
    summary = {
        "provinces": figures.filter(province__isnull=False).aggregate(n=Count("id"), people=Sum("population")),
        "tambons": figures.filter(tambon__isnull=False).aggregate(n=Count("id"), people=Sum("population")),
    }
    latest = figures.select_related("province", "tambon", "imported_by").order_by("-imported_at", "id")[:20]
    return render(
        request,
        "areas/population.html",
        {
            "form": form,
            "report": report,
            "can_import": can_import,
            "columns": POPULATION_COLUMNS,
            "summary": summary,
            "latest": latest,
        },
    )


@login_required
def population_template(request):
    """A workbook with the columns and one row per province, to fill in and upload."""
    content = population_workbook(Province.objects.order_by("code"))
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="official-population.xlsx"'
    return response
