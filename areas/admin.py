from django.contrib import admin

from codi_plans.admin import HistoryAdmin

from .models import District, OfficialPopulation, Province, ProvinceGroup, Region, Subdistrict
from .services import move_province_to_group


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["number", "key", "name_th", "name_en"]


@admin.register(ProvinceGroup)
class ProvinceGroupAdmin(HistoryAdmin):
    list_display = ["number", "name_th", "region", "confidence"]
    list_filter = ["region", "confidence"]


@admin.register(Province)
class ProvinceAdmin(HistoryAdmin):
    list_display = ["code", "name_th", "name_en", "region", "group"]
    list_filter = ["region", "group"]
    list_editable = ["group"]
    # A province's region follows its group; an ungrouped one (Bangkok) is given to a region on the province's
    # page (areas.services.assign_region: central staff, a reason, history), never by a bare edit here.
    readonly_fields = ["region"]
    search_fields = ["code", "name_th", "name_en"]

    def save_model(self, request, obj, form, change):
        if change and "group" in form.changed_data:
            move_province_to_group(province=obj, group=obj.group, by=request.user)
            form.changed_data.remove("group")
        if form.changed_data or not change:
            super().save_model(request, obj, form, change)


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en", "province"]
    list_filter = ["province__region"]
    search_fields = ["code", "name_th", "name_en"]
    list_select_related = ["province"]


@admin.register(Subdistrict)
class SubdistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en", "district", "province", "postal_codes"]
    search_fields = ["code", "name_th", "name_en", "postal_codes"]
    list_select_related = ["district", "province"]
    raw_id_fields = ["district", "province"]


@admin.register(OfficialPopulation)
class OfficialPopulationAdmin(HistoryAdmin):
    """Read-only here: figures come in through the checked import (/areas/population/, manage.py import_population)."""

    list_display = ["province", "tambon", "population", "households", "year_be", "source", "imported_at"]
    list_filter = ["year_be"]
    search_fields = ["province__name_th", "tambon__name_th", "tambon__code", "province__code", "source"]
    list_select_related = ["province", "tambon"]
    raw_id_fields = ["tambon"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
