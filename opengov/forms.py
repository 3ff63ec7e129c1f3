"""The form to ask for an eMENSCR export: an area inside the user's and a fiscal year."""

from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import Province, ProvinceGroup, Region
from codi_plans.thai_calendar import current_fiscal_year, selectable_years
from reports.scopes import Scope, scope_from_key

from .services import FIRST_FISCAL_YEAR


def export_scope_choices(user) -> list:
    """List the areas the user may export: the country (national roles), their region's groups and provinces."""
    mine = user.scope.provinces_in_reach()
    provinces = Province.objects.order_by("name_th")
    regions = Region.objects.order_by("number")
    groups = ProvinceGroup.objects.order_by("number")
    choices = []
    if mine is None:
        choices.append(("country", _("Whole country")))
    else:
        provinces = provinces.filter(id__in=mine)
        if user.is_regional_staff:
            regions = regions.filter(id=user.scope.region_id)
            groups = groups.filter(region_id=user.scope.region_id)
        else:
            regions, groups = regions.none(), groups.none()
    for label, scopes in (
        (_("Regions"), [Scope("region", r) for r in regions]),
        (_("Province groups"), [Scope("province_group", g) for g in groups]),
        (_("Provinces"), [Scope("province", p) for p in provinces]),
    ):
        if scopes:
            choices.append((label, [(s.key, str(s)) for s in scopes]))
    return choices


class EmenscrExportForm(forms.Form):
    scope = forms.ChoiceField(label=_("Area"))
    fiscal_year = forms.TypedChoiceField(label=_("Fiscal year (B.E.)"), coerce=int)

    def __init__(self, *args, user, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = export_scope_choices(user)
        # Every fiscal year an export may cover (services.check_fiscal_year), newest first.
        years = selectable_years(FIRST_FISCAL_YEAR, None, today=today)
        self.fields["fiscal_year"].choices = [(y, str(y)) for y in years]
        self.fields["fiscal_year"].initial = current_fiscal_year(today)

    def clean_scope(self):
        return scope_from_key(self.cleaned_data["scope"])
