"""The form to ask for a report: kind, scope, fiscal year, quarter, language."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from areas.models import Province, ProvinceGroup, Region
from budgets import selectors as budget_selectors
from codi_plans.thai_calendar import current_fiscal_year, selectable_years
from indicators import selectors as indicator_selectors
from strategies.models import NodeKind, PlanNode

from .models import Language, ReportKind
from .scopes import Scope, scope_from_key
from .services import FIRST_FISCAL_YEAR, quarter_just_ended


def scope_choices(user) -> list:
    """List the scopes the user may ask for, grouped: the country, regions, groups, provinces, workstreams."""
    mine = user.scope.provinces_in_reach()
    provinces = list(Province.objects.order_by("name_th"))
    if mine is not None:
        provinces = [p for p in provinces if p.id in mine]
    regions = Region.objects.order_by("number")
    groups = ProvinceGroup.objects.order_by("number")
    if mine is not None:
        regions = regions.filter(id__in={p.region_id for p in provinces})
        groups = groups.filter(id__in={p.group_id for p in provinces})
    grouped = [
        (_("Regions"), [Scope("region", r) for r in regions]),
        (_("Province groups"), [Scope("province_group", g) for g in groups]),
        (_("Provinces"), [Scope("province", p) for p in provinces]),
        (
            _("Workstreams"),
            [
                Scope("workstream", w)
                for w in PlanNode.objects.filter(kind=NodeKind.WORKSTREAM, is_draft=False).order_by("number", "code")
            ],
        ),
    ]
    choices = [("country", _("Whole country"))]
    for label, scopes in grouped:
        if scopes:
            choices.append((label, [(s.key, str(s)) for s in scopes]))
    return choices


def report_years(today=None) -> list[int]:
    """Every fiscal year with budget requests, targets or results, this year and the next, newest first."""
    bounds = [b for b in (*budget_selectors.data_years(), *indicator_selectors.data_years()) if b is not None]
    years = selectable_years(min(bounds, default=None), max(bounds, default=None), today=today)
    return [y for y in years if y >= FIRST_FISCAL_YEAR]


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=ReportKind.choices)
    scope = forms.ChoiceField(label=_("Scope"))
    fiscal_year = forms.TypedChoiceField(label=_("Fiscal year (B.E.)"), coerce=int)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("For the quarterly progress report."),
    )
    language = forms.ChoiceField(label=_("Language of the document"), choices=Language.choices, initial="th")

    def __init__(self, *args, user, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        this_year = current_fiscal_year(today)
        self.fields["scope"].choices = scope_choices(user)
        self.fields["fiscal_year"].choices = [(y, str(y)) for y in report_years(today)]
        self.fields["quarter"].choices = [("", "—")] + [(q, str(q)) for q in range(1, 5)]
        # The report people ask for most: the quarter that has just ended.
        year, quarter = quarter_just_ended(today or timezone.localdate())
        self.fields["fiscal_year"].initial = year if year >= FIRST_FISCAL_YEAR else this_year
        self.fields["quarter"].initial = quarter

    def clean_scope(self):
        return scope_from_key(self.cleaned_data["scope"])
