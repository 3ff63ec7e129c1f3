"""Forms for a project's quarterly progress, the review and the Excel upload.

Numbers are text boxes read the Thai way (codi_plans.numbers, via the services): Thai digits and separators are
fine. The services check everything again, so a form only shapes what people typed.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from codi_plans.forms import NumberInput
from workstreams.models import FundingSource

from .models import ActivityStatus
from .services import ProgressInput


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several photos or PDFs at once; each is checked by codi_plans.uploads in the services."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={
                    "accept": "image/jpeg,image/png,image/webp,application/pdf",
                    "data-resize": "",
                    "data-working": _("Making the photos smaller…"),
                    "data-ready": _("Ready to send:"),
                }
            ),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class ProgressForm(forms.Form):
    """A project's report for one quarter: status, each indicator's actual, money spent by source, note, evidence."""

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    activity_status = forms.ChoiceField(
        label=_("Activity status"), choices=ActivityStatus.choices, widget=forms.RadioSelect
    )
    stop_reason = forms.CharField(
        label=_("Why it stopped"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the project stopped."),
    )
    note = forms.CharField(label=_("Short note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = MultipleFileField(
        label=_("Photos or PDFs"),
        required=False,
        help_text=_("Photos are made smaller on your phone before they are sent."),
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.indicators = list(project.indicators.all())
        self.actual_names = []
        for indicator in self.indicators:
            name = f"actual_{indicator.pk}"
            self.fields[name] = forms.CharField(
                label=indicator.name,
                required=False,
                widget=NumberInput(),
                help_text=_("Target %(target)s %(unit)s") % {"target": indicator.target_value, "unit": indicator.unit},
            )
            self.actual_names.append(name)
        self.spending_names = []
        for source, label in FundingSource.choices:
            name = f"spent_{source}"
            self.fields[name] = forms.CharField(label=label, required=False, widget=NumberInput())
            self.spending_names.append(name)

    def actual_fields(self):
        return [self[name] for name in self.actual_names]

    def spending_fields(self):
        return [self[name] for name in self.spending_names]

    def to_input(self) -> ProgressInput:
        data = self.cleaned_data
        return ProgressInput(
            activity_status=data.get("activity_status", ""),
            stop_reason=data.get("stop_reason", ""),
            note=data.get("note", ""),
            actuals={i.pk: data.get(f"actual_{i.pk}", "") for i in self.indicators},
            spending={source: data.get(f"spent_{source}", "") for source in FundingSource.values},
        )


def initial_for(report) -> dict:
    """The form's starting values from a saved report."""
    if report is None:
        return {"activity_status": ActivityStatus.NOT_STARTED}
    initial = {
        "revision": report.revision,
        "activity_status": report.activity_status,
        "stop_reason": report.stop_reason,
        "note": report.note,
    }
    for actual in report.actuals.all():
        initial[f"actual_{actual.indicator_id}"] = format(actual.value.normalize(), "f")
    for spent in report.spending.all():
        initial[f"spent_{spent.source}"] = format(spent.amount, "f")
    return initial


class AmendForm(ProgressForm):
    reason = forms.CharField(label=_("Why the approved report changes"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["evidence"]


class ReasonForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Filled-in workbook (.xlsx)"))
