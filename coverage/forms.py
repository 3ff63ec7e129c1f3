"""The filters of the drill and coverage pages: fiscal year and an area inside the person's own."""

from django import forms
from django.db.models import Max, Min
from django.utils.translation import gettext_lazy as _

from accounts.scope import scope_of
from areas.models import District, Province, ProvinceGroup, Region
from codi_plans.thai_calendar import current_fiscal_year, selectable_years
from workstreams.models import TambonPlan


def fiscal_years() -> list[int]:
    """Every fiscal year a tambon plan covers, this year and the next (newest first)."""
    span = TambonPlan.objects.aggregate(first=Min("period_start_be"), last=Max("period_end_be"))
    return selectable_years(span["first"], span["last"])


class AreaFilterForm(forms.Form):
    """GET filters; choices are limited to the areas overlapping the person's own."""

    fiscal_year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int, required=False, empty_value=None)
    region = forms.ChoiceField(label=_("Region"), required=False)
    province_group = forms.TypedChoiceField(label=_("Province group"), coerce=int, required=False, empty_value=None)
    province = forms.ChoiceField(label=_("Province"), required=False)
    district = forms.ChoiceField(label=_("District"), required=False)

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        scope = scope_of(user)
        everything = ("", _("All"))
        years = fiscal_years()
        self.fields["fiscal_year"].choices = [(y, y) for y in years]
        regions = Region.objects.filter(scope.overlapping(level="region")).order_by("number")
        groups = ProvinceGroup.objects.filter(scope.overlapping(level="province_group")).order_by("number")
        provinces = Province.objects.in_scope_of(user).order_by("code")
        self.fields["region"].choices = [everything, *((r.key, r.name) for r in regions)]
        self.fields["province_group"].choices = [everything, *((g.number, f"{g.number} {g.name}") for g in groups)]
        self.fields["province"].choices = [everything, *((p.code, p.name) for p in provinces)]
        chosen = (data or {}).get("province") or ""
        districts = District.objects.in_scope_of(user).filter(province__code=chosen).order_by("code") if chosen else []
        self.fields["district"].choices = [everything, *((d.code, d.name) for d in districts)]
        self.show_district = bool(chosen)

    def choice(self) -> dict:
        """The valid filters as keyword arguments (an invalid one is left out and shown as an error)."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        return {
            "fiscal_year": data.get("fiscal_year") or current_fiscal_year(),
            "region": data.get("region") or "",
            "province_group": data.get("province_group"),
            "province": data.get("province") or "",
            "district": data.get("district") or "",
        }
