from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Region
from .services import REASON_MAX_LENGTH


class AssignRegionForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("No region (central staff only)"),
        help_text=_("The regional staff of this region will see, review and endorse the province's plans."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        help_text=_("Kept in the province's history with your name and the date."),
    )


class PopulationUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        help_text=_("The first sheet, with the columns of the template. Nothing is saved unless every row is right."),
    )
