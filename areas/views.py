from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, render

from .models import District, Province, Region, Subdistrict


def area_index(request):
    regions = Region.objects.prefetch_related("groups__provinces")
    ungrouped = Province.objects.filter(group__isnull=True)
    return render(request, "areas/area_index.html", {"regions": regions, "ungrouped": ungrouped})


def province_detail(request, code):
    province = get_object_or_404(Province.objects.select_related("region", "group"), code=code)
    districts = province.districts.annotate(tambon_count=Count("subdistricts"))
    return render(request, "areas/province_detail.html", {"province": province, "districts": districts})


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
    return render(
        request,
        "areas/my_area.html",
        {
            "provinces": provinces,
            "tambon_total": tambons.count(),
            "tambons": tambons.select_related("district", "province") if small else None,
        },
    )
