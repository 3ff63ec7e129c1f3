from django import forms
from django.utils.translation import gettext_lazy as _

from codi_plans.forms import NumberField
from codi_plans.thai_calendar import current_fiscal_year

from .models import AreaLevel
from .selectors import year_choices

QUARTER_CHOICES = [(q, _("Quarter %(n)s") % {"n": q}) for q in (1, 2, 3, 4)]
# Targets may be set a plan period ahead.
TARGET_YEARS_AHEAD = 3


def fiscal_year_choices():
    """Every fiscal year with targets or results, this year and the next, newest first."""
    return [(y, y) for y in year_choices()]


class ResultEntryForm(forms.Form):
    area = forms.CharField(label=_("Area"))
    fiscal_year = forms.TypedChoiceField(label=_("Fiscal year (B.E.)"), coerce=int)
    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int, choices=QUARTER_CHOICES)
    value = NumberField(label=_("Value"), max_digits=16, decimal_places=2, allow_negative=True, required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    evidence = forms.FileField(
        label=_("Evidence (PDF or photo, up to 10 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.webp,application/pdf,image/*"}),
    )

    def __init__(self, *args, area_choices=None, indicator=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = fiscal_year_choices()
        self.fields["fiscal_year"].initial = current_fiscal_year()
        if area_choices is not None:
            self.fields["area"] = forms.ChoiceField(label=self.fields["area"].label, choices=area_choices)
        elif indicator is not None:
            self.fields["area"].help_text = _("DOPA code of the %(level)s") % {
                "level": AreaLevel(indicator.reporting_level).label
            }
        if indicator is not None:
            if indicator.is_numeric:
                self.fields["value"].required = True
                self.fields["value"].help_text = indicator.unit
                if indicator.measure == "yes_no":
                    self.fields["value"].help_text = _("1 = yes, 0 = no")
            else:
                del self.fields["value"]
                self.fields["note"].required = True


class ResultEditForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    value = NumberField(label=_("Value"), max_digits=16, decimal_places=2, allow_negative=True, required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    evidence = forms.FileField(label=_("Replace the evidence"), required=False)
    remove_evidence = forms.BooleanField(label=_("Remove the evidence"), required=False)


class ChangeApprovedForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    value = NumberField(
        label=_("Corrected value"), max_digits=16, decimal_places=2, allow_negative=True, required=False
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    reason = forms.CharField(label=_("Why it changes"), widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class TargetForm(forms.Form):
    area_level = forms.ChoiceField(label=_("Area level"), choices=AreaLevel.choices, initial=AreaLevel.COUNTRY)
    area_code = forms.CharField(
        label=_("Area code"),
        required=False,
        help_text=_("Region key, group number or DOPA code; empty for the country"),
    )
    fiscal_year = forms.TypedChoiceField(label=_("Fiscal year (B.E.)"), coerce=int)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", _("Whole fiscal year")), *QUARTER_CHOICES],
    )
    value = NumberField(label=_("Target value"), max_digits=16, decimal_places=2)
    note = forms.CharField(label=_("Note"), required=False)
    reason = forms.CharField(label=_("Why it changes (needed to change a target)"), required=False)
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = year_choices()
        ahead = list(range(current_fiscal_year() + TARGET_YEARS_AHEAD, years[0], -1))
        self.fields["fiscal_year"].choices = [(y, y) for y in ahead + years]
        self.fields["fiscal_year"].initial = current_fiscal_year()


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel workbook (.xlsx) or CSV file"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"}
        ),
    )
    submit_for_review = forms.BooleanField(label=_("Submit the results for review"), required=False, initial=True)
