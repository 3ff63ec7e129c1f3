"""HTML forms. They only shape input: every rule (money, alignment, status) is the services' to enforce."""

from django import forms
from django.utils.translation import gettext_lazy as _

from codi_plans import thai_calendar
from codi_plans.forms import NumberField, ThaiDateField, WholeNumberField, YearField
from strategies.models import NodeKind, PlanNode
from strategies.selectors import project_targets

from . import services
from .models import MONTH_QUARTER, NATIONAL_TARGET_KINDS, ExpenseCategory

TEXTAREA = forms.Textarea(attrs={"rows": 3})


def money_field(label, required=False):
    """Baht with satang, typed the Thai way (Thai digits, 1,500.25, ฿, บาท); the services check the rules."""
    return NumberField(label=label, required=required, max_digits=14, decimal_places=2)


def node_label(node) -> str:
    return f"{node.code} · {node.name}"


class NodeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return node_label(obj)


class TargetChoiceField(forms.ModelChoiceField):
    """A sub-plan target (Y1), shown by official code and name."""

    def label_from_instance(self, obj):
        return obj.label


class ProjectChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        tambon = obj.plan.tambon
        return f"{tambon.name} ({tambon.code}) · {obj.number}. {obj.name}"


class IssueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.plan.name} · {obj.number}. {obj.title}"


def apply_errors(form, exc) -> None:
    """Put a service's ValidationError onto the form: on the field it names, or on the form itself."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- Development plans -----------------------------------------------------------------------------


class DevelopmentPlanForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300)
    period_start_be = YearField(label=_("First year (B.E.)"))
    period_end_be = YearField(label=_("Last year (B.E.)"))
    vision = forms.CharField(label=_("Vision"), widget=TEXTAREA, required=False)
    development_target = forms.CharField(label=_("Development target"), widget=TEXTAREA, required=False)
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)


class IndicatorRowForm(forms.Form):
    name = forms.CharField(label=_("Indicator"), max_length=300, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=60, required=False)
    baseline = money_field(_("Baseline"))
    target_value = money_field(_("Target value"))
    target_year_be = YearField(label=_("Target year (B.E.)"), required=False)

    def to_input(self):
        d = self.cleaned_data
        return services.IndicatorInput(
            d.get("name", ""),
            d.get("unit", ""),
            d.get("target_value"),
            d.get("baseline"),
            d.get("target_year_be"),
        )


class RequestIndicatorRowForm(IndicatorRowForm):
    target_year_be = None


IndicatorFormSet = forms.formset_factory(IndicatorRowForm, extra=2)
RequestIndicatorFormSet = forms.formset_factory(RequestIndicatorRowForm, extra=2)


class DevelopmentIssueForm(forms.Form):
    number = WholeNumberField(label=_("Number"), min_value=1, max_value=32767, required=False)
    title = forms.CharField(label=_("Development issue"), max_length=500)
    objectives = forms.CharField(label=_("Objectives (one per line)"), widget=TEXTAREA, required=False)
    targets = forms.CharField(label=_("Targets (one per line)"), widget=TEXTAREA, required=False)
    strategies = forms.CharField(label=_("Strategies (one per line)"), widget=TEXTAREA, required=False)
    group_issue = forms.ModelChoiceField(label=_("Province-group issue it feeds"), queryset=None, required=False)
    aligns_to = forms.ModelMultipleChoiceField(
        label=_("National items it serves"),
        queryset=PlanNode.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, group_issues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group_issue"].queryset = group_issues
        self.fields["aligns_to"].queryset = PlanNode.objects.filter(
            kind__in=[NodeKind.STRATEGY, NodeKind.STRATEGIC_ISSUE, NodeKind.MASTER_PLAN, NodeKind.REFORM_ELEMENT]
        ).order_by("code")
        self.fields["aligns_to"].label_from_instance = node_label


# --- Budget requests -------------------------------------------------------------------------------


class RequestStartForm(forms.Form):
    province = forms.ModelChoiceField(label=_("Province"), queryset=None)
    fiscal_year = YearField(label=_("Fiscal year (B.E.)"))

    def __init__(self, *args, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces


class BudgetRequestForm(forms.Form):
    title = forms.CharField(label=_("Project name"), max_length=300)
    requesting_body = forms.CharField(label=_("Requesting body"), max_length=300)
    host_agency = forms.CharField(label=_("Host agency"), max_length=300)
    related_agencies = forms.CharField(label=_("Related agencies"), widget=TEXTAREA, required=False)
    projects = ProjectChoiceField(
        label=_("Tambon-plan projects it funds"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    development_issue = IssueChoiceField(label=_("Provincial development issue"), queryset=None, required=False)
    workstream = NodeChoiceField(
        label=_("Workstream"),
        queryset=PlanNode.objects.filter(kind=NodeKind.WORKSTREAM, is_draft=False),
        required=False,
    )
    programme = NodeChoiceField(
        label=_("Programme"), queryset=PlanNode.objects.filter(kind=NodeKind.PROGRAMME, is_draft=False), required=False
    )
    national_target = NodeChoiceField(
        label=_("National target"),
        queryset=PlanNode.objects.filter(kind__in=NATIONAL_TARGET_KINDS).order_by("code"),
        required=False,
    )
    primary_target = TargetChoiceField(
        label=_("Sub-plan target (Y1, eMENSCR)"),
        queryset=PlanNode.objects.filter(kind=NodeKind.SUB_PLAN_TARGET, is_draft=False).order_by("official_code"),
        required=False,
    )
    scope = forms.CharField(label=_("Scope"), widget=TEXTAREA, required=False)
    targets = forms.CharField(label=_("Targets"), widget=TEXTAREA, required=False)
    approach = forms.CharField(label=_("Approach"), widget=TEXTAREA, required=False)
    start_date = ThaiDateField(label=_("Start date"), required=False)
    end_date = ThaiDateField(label=_("End date"), required=False)
    expected_benefits = forms.CharField(label=_("Expected benefits"), widget=TEXTAREA, required=False)
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, projects, issues, fiscal_year=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = projects
        self.fields["development_issue"].queryset = issues
        # Published Y1 targets of the master-plan edition in force for the request's year.
        self.fields["primary_target"].queryset = project_targets(fiscal_year=fiscal_year)

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in services.REQUEST_FIELDS}


class ExpenseRowForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Expenditure category"), choices=[("", "—"), *ExpenseCategory.choices], required=False
    )
    description = forms.CharField(label=_("Item"), max_length=300, required=False)
    amount = money_field(_("Amount (baht)"))

    def to_input(self):
        d = self.cleaned_data
        if not d.get("category") and d.get("amount") is None:
            return None
        return services.ExpenseInput(d.get("category") or "", d.get("amount"), d.get("description", ""))


ExpenseFormSet = forms.formset_factory(ExpenseRowForm, extra=3)


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class RejectForm(ReasonForm):
    reason = forms.CharField(label=_("Reason for rejection"), widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(ReasonForm):
    reason = forms.CharField(label=_("Reason for returning it"), widget=forms.Textarea(attrs={"rows": 2}))


class PrioritiseForm(forms.Form):
    rank = WholeNumberField(label=_("Rank in the province"), min_value=1, max_value=32767)
    priority_note = forms.CharField(label=_("Note on priority"), required=False, widget=TEXTAREA)
    redeployment_note = forms.CharField(label=_("Note on redeployment"), required=False, widget=TEXTAREA)


class ApproveForm(forms.Form):
    amount = money_field(_("Approved amount (baht)"), required=True)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


# --- Spending plan and actuals ---------------------------------------------------------------------


def quarter_periods():
    return [(f"q{q}", q, None, str(_("Quarter %(number)s") % {"number": q})) for q in (1, 2, 3, 4)]


def month_periods():
    months = [10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    return [(f"m{m}", MONTH_QUARTER[m], m, thai_calendar.THAI_MONTHS_ABBR[m - 1]) for m in months]


class ActivityRowForm(forms.Form):
    name = forms.CharField(label=_("Activity"), max_length=300, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=60, required=False)
    category = forms.ChoiceField(label=_("Expenditure category"), choices=ExpenseCategory.choices)

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = periods
        for key, _q, _m, label in periods:
            self.fields[f"{key}_qty"] = money_field(label)
            self.fields[f"{key}_amount"] = money_field(label)

    def cells(self):
        return [(label, self[f"{key}_qty"], self[f"{key}_amount"]) for key, _q, _m, label in self.periods]

    def to_input(self):
        d = self.cleaned_data
        periods = [
            services.PeriodInput(q, d.get(f"{key}_qty") or 0, d.get(f"{key}_amount") or 0, month=m)
            for key, q, m, _label in self.periods
            if d.get(f"{key}_qty") or d.get(f"{key}_amount")
        ]
        return services.ActivityInput(d.get("name", ""), d.get("unit", ""), d.get("category", ""), periods)


ActivityFormSet = forms.formset_factory(ActivityRowForm, extra=2)


class RevisionForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)


class ActualRowForm(forms.Form):
    activity = forms.IntegerField(widget=forms.HiddenInput)
    quantity = money_field(_("Actual quantity"))
    amount = money_field(_("Actual amount (baht)"))
    explanation = forms.CharField(label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


ActualFormSet = forms.formset_factory(ActualRowForm, extra=0)


class MonitoringForm(forms.Form):
    progress = forms.CharField(label=_("Progress / achievement"), widget=TEXTAREA)
    problems = forms.CharField(label=_("Problems"), widget=TEXTAREA, required=False)
    obstacles = forms.CharField(label=_("Obstacles"), widget=TEXTAREA, required=False)
    remedies = forms.CharField(label=_("Remedies"), widget=TEXTAREA, required=False)


class EvaluationForm(MonitoringForm):
    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for ind in indicators:
            self.fields[f"achieved_{ind.pk}"] = money_field(
                f"{ind.name} ({ind.unit}) · {_('target')} {ind.target_value}", required=True
            )
            self.fields[f"achieved_{ind.pk}"].initial = ind.achieved_value

    def achievements(self) -> dict:
        return {ind.pk: self.cleaned_data.get(f"achieved_{ind.pk}") for ind in self.indicators}


# --- Ceilings ---------------------------------------------------------------------------------------


class CeilingForm(forms.Form):
    province = forms.ModelChoiceField(label=_("Province"), queryset=None, required=False)
    workstream = NodeChoiceField(
        label=_("Workstream"),
        queryset=PlanNode.objects.filter(kind=NodeKind.WORKSTREAM, is_draft=False),
        required=False,
    )
    amount = money_field(_("Ceiling (baht)"), required=True)
    note = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces


class MapForm(forms.Form):
    """What the national map shows (a GET form that works without JavaScript)."""

    PROGRESS, PROJECTS, BUDGET, REPORTING = "progress", "projects", "budget", "reporting"
    FIGURES = [
        (PROGRESS, _("Progress of a headline indicator")),
        (PROJECTS, _("Progress of tambon projects")),
        (BUDGET, _("Approved budget per tambon")),
        (REPORTING, _("Reporting rate (tambons with approved results)")),
    ]
    QUARTERS = [(q, q) for q in (1, 2, 3, 4)]  # shown with the thai_calendar "quarter" filter, per request

    figure = forms.ChoiceField(label=_("Figure"), choices=FIGURES, required=False)
    fiscal_year = forms.TypedChoiceField(label=_("Fiscal year (B.E.)"), coerce=int, required=False)
    quarter = forms.TypedChoiceField(label=_("As at the end of"), coerce=int, choices=QUARTERS, required=False)
    indicator = forms.ChoiceField(label=_("Indicator"), required=False)

    def __init__(self, data, *, years: list[int], indicators: list):
        super().__init__(data)
        self.fields["fiscal_year"].choices = [(y, y) for y in years]
        self.fields["indicator"].choices = [(i.code, i.name) for i in indicators]
