"""HTML forms for tambon and province plans. They only parse and check input; the services write."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from areas.models import District, Province, Subdistrict, level_word_for
from codi_plans.converters import is_code
from codi_plans.forms import NumberField, WholeNumberField, YearField, thai_formfield
from codi_plans.thai_calendar import fiscal_year_range
from strategies.models import NodeKind, PlanNode
from strategies.selectors import latest_plan, plan_items, project_targets

from .models import PLAN_FIELDS, PROJECT_FIELDS, FundingSource, PlanStatus, Project, ProjectClass, TambonPlan
from .selectors import offered_periods
from .services import BudgetLineInput, IndicatorInput

MONEY = {"max_digits": 14, "decimal_places": 2}


class RevisionForm(forms.Form):
    """The plan revision the page was opened at, sent back as expected_revision."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class StartPlanForm(forms.Form):
    tambon = forms.ModelChoiceField(queryset=Subdistrict.objects.none(), label=_("Tambon"))
    period_start_be = YearField(label=_("First year (B.E.)"))
    period_end_be = YearField(label=_("Last year (B.E.)"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The period in force first, then the last CODI plan's when it differs; the first is the default.
        self.periods = offered_periods()
        self.fields["period_start_be"].initial, self.fields["period_end_be"].initial = self.periods[0]
        self.fields["period_start_be"].widget.attrs["list"] = "period-starts"
        self.fields["period_end_be"].widget.attrs["list"] = "period-ends"
        field = self.fields["tambon"]
        if user.tambon_ids:
            field.queryset = Subdistrict.objects.filter(id__in=user.tambon_ids).select_related("district", "province")
            field.label_from_instance = lambda t: f"{t.name} · {t.district.name} · {t.province.name} ({t.code})"
            field.label = level_word_for("subdistrict", field.queryset.values_list("province__code", flat=True))
            if len(user.tambon_ids) == 1:
                field.initial = next(iter(user.tambon_ids))  # one tambon: nothing to choose on a phone
        else:
            # Central staff may start a plan for any of the 7,436 tambons: a code box, not a huge list.
            field.queryset = Subdistrict.objects.all()
            field.to_field_name = "code"
            field.widget = forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 6})
            field.label = _("Tambon code (6 digits)")

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start_be"), data.get("period_end_be")
        if start and end and end < start:
            self.add_error("period_end_be", _("The plan period ends before it starts."))
        return data


class PlanProfileForm(forms.ModelForm):
    """Profile, community capital and vision."""

    class Meta:
        model = TambonPlan
        fields = PLAN_FIELDS
        formfield_callback = thai_formfield
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in [
                "main_occupations",
                "basic_needs",
                "capital_people",
                "capital_resources",
                "capital_groups",
                "capital_organizations",
                "vision",
            ]
        }

    PROFILE = ["households", "population", "main_occupations", "average_household_income", "average_household_debt"]
    CAPITAL = ["capital_people", "capital_resources", "capital_groups", "capital_organizations"]

    def _post_clean(self):
        # The service runs the model validation on the locked row; the form only checks the input.
        pass

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in PLAN_FIELDS}

    def sections(self):
        return [
            (_("Profile"), [self[n] for n in self.PROFILE + ["basic_needs"]]),
            (_("Community capital"), [self[n] for n in self.CAPITAL]),
            (_("Vision"), [self["vision"]]),
        ]


class ProblemForm(forms.Form):
    rank = WholeNumberField(label=_("Rank"), min_value=1, max_value=999, required=False)
    title = forms.CharField(label=_("Problem"), max_length=300, required=False)
    description = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class BaseProblemFormSet(forms.BaseFormSet):
    def ranked_problems(self) -> list[dict]:
        """Return the kept rows in rank order (rows without a rank keep their place after the ranked ones)."""
        rows = []
        for position, form in enumerate(self.forms):
            data = getattr(form, "cleaned_data", None) or {}
            if self.can_delete and data.get("DELETE"):
                continue
            if not (data.get("title") or "").strip():
                continue
            rows.append((data.get("rank") or 10_000, position, data))
        return [{"title": d["title"], "description": d.get("description", "")} for _rank, _pos, d in sorted(rows)]


ProblemFormSet = forms.formset_factory(ProblemForm, formset=BaseProblemFormSet, extra=2, can_delete=True)


def _grouped_choices(nodes, group_of):
    groups: dict = {}
    for node in nodes:
        groups.setdefault(group_of(node), []).append((node.pk, _short(_node_label(node))))
    return [("", "---------")] + [(str(g), items) for g, items in groups.items()]


def _node_label(node) -> str:
    return f"{node.number}. {node.name}" if node.number else node.name


class PlanItemSelect(forms.Select):
    """A select whose options say which plan item they hang under, so the page can narrow them (workstreams.js)."""

    def __init__(self, *args, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.parents = parents or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        parent = self.parents.get(str(value))
        if parent:
            option["attrs"]["data-parent"] = parent
        return option


class ProjectForm(forms.ModelForm):
    """The 12-part Thai project template, with its class and place in the plan tree."""

    class Meta:
        model = Project
        fields = PROJECT_FIELDS
        formfield_callback = thai_formfield
        widgets = {
            "project_class": forms.RadioSelect,
            **{
                n: forms.Textarea(attrs={"rows": 3})
                for n in [
                    "rationale",
                    "objectives",
                    "targets",
                    "method",
                    "supporting_agencies",
                    "evaluation",
                    "expected_results",
                ]
            },
        }

    def __init__(self, *args, fiscal_year=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A project links to the CODI plan for its plan's first year (the latest before it, when none is in force);
        # drafts are never offered.
        offered = plan_items(NodeKind.WORKSTREAM, NodeKind.GOAL, NodeKind.PROGRAMME, fiscal_year=fiscal_year)
        nodes = list(offered.select_related("parent__parent").order_by("number", "code"))
        self.fields["project_class"].choices = ProjectClass.choices
        workstreams = [n for n in nodes if n.kind == NodeKind.WORKSTREAM]
        by_id = {n.pk: n for n in nodes}

        def workstream_of(node):
            while node is not None and node.kind != NodeKind.WORKSTREAM:
                node = by_id.get(node.parent_id)
            return node

        self.fields["workstream"].queryset = offered.filter(kind=NodeKind.WORKSTREAM)
        self.fields["workstream"].choices = [("", "---------")] + [(w.pk, _node_label(w)) for w in workstreams]
        self.fields["goal"].queryset = offered.filter(kind=NodeKind.GOAL)
        self.fields["goal"].choices = _grouped_choices(
            sorted(
                (n for n in nodes if n.kind == NodeKind.GOAL), key=lambda n: (workstream_of(n).number, n.number or 0)
            ),
            lambda n: _node_label(workstream_of(n)),
        )
        self.fields["programme"].queryset = offered.filter(kind=NodeKind.PROGRAMME)
        programmes = sorted(
            (n for n in nodes if n.kind == NodeKind.PROGRAMME),
            key=lambda n: (workstream_of(n).number, n.number or 0, n.code),
        )
        # A programme under a goal may only be chosen with that goal; one directly under the workstream with any.
        self.fields["programme"].widget = PlanItemSelect(
            parents={str(n.pk): str(n.parent_id) for n in programmes if by_id.get(n.parent_id, n).kind == NodeKind.GOAL}
        )
        self.fields["programme"].choices = _grouped_choices(programmes, lambda n: _node_label(workstream_of(n)))

        # The eMENSCR chain: published sub-plan targets (Y1) of the master-plan edition in force, by official code.
        targets = project_targets(fiscal_year=fiscal_year)
        labels = [(t.pk, _short(t.label)) for t in targets]
        self.has_targets = bool(labels)
        self.fields["primary_target"] = forms.ModelChoiceField(
            queryset=targets,
            required=False,
            label=_("Primary target (Y1, eMENSCR)"),
            help_text=_("The sub-plan target of the master plan this project serves first (official code and name)."),
        )
        self.fields["primary_target"].choices = [("", "---------"), *labels]
        self.fields["secondary_targets"] = forms.ModelMultipleChoiceField(
            queryset=targets, required=False, label=_("Other targets it serves (Y1)")
        )
        self.fields["secondary_targets"].choices = labels
        if self.instance.pk and not self.is_bound:
            self.initial["primary_target"] = self.instance.primary_target_id
            self.initial["secondary_targets"] = [t.pk for t in self.instance.secondary_targets.all()]

    def _post_clean(self):
        # Model rules (programme inside the workstream, dates in order) run in the service.
        pass

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in PROJECT_FIELDS}
        data["primary_target"] = self.cleaned_data.get("primary_target")
        data["secondary_targets"] = list(self.cleaned_data.get("secondary_targets") or [])
        return data


class PlanYearsMixin:
    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.year_choices = [("", "---------")] + [(y, str(y)) for y in years]


class BudgetLineForm(PlanYearsMixin, forms.Form):
    fiscal_year = forms.TypedChoiceField(label=_("Fiscal year (B.E.)"), coerce=int)
    source = forms.ChoiceField(label=_("Source of funds"), choices=[("", "---------")] + FundingSource.choices)
    amount = NumberField(label=_("Amount (baht)"), **MONEY)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = self.year_choices


class IndicatorForm(PlanYearsMixin, forms.Form):
    name = forms.CharField(label=_("Indicator"), max_length=300)
    unit = forms.CharField(label=_("Unit"), max_length=50)
    baseline = NumberField(label=_("Baseline"), required=False, allow_negative=True, **MONEY)
    target_value = NumberField(label=_("Target"), **MONEY)
    target_year_be = forms.TypedChoiceField(label=_("Target year (B.E.)"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_year_be"].choices = self.year_choices


class BaseRowsFormSet(forms.BaseFormSet):
    """A formset whose rows know the plan's years; blank and deleted rows are dropped.

    `row_defaults` pre-fills the blank rows (one budget line per plan year, say): a row left as it was offered
    is still blank. The empty row the page clones is named with PLACEHOLDER, not Django's __prefix__, so these
    rows can sit inside a project that is itself cloned (static/js/workstreams.js).
    """

    PLACEHOLDER = "__row__"

    def __init__(self, *args, years=(), row_defaults=(), **kwargs):
        self.years = list(years)
        self.row_defaults = list(row_defaults)
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.extra = max(self.extra, len(self.row_defaults))

    def get_form_kwargs(self, index):
        kwargs = {"years": self.years}
        if index is not None and index >= len(self.initial or ()):
            offset = index - len(self.initial or ())
            if offset < len(self.row_defaults):
                kwargs["initial"] = self.row_defaults[offset]
        return kwargs

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix(self.PLACEHOLDER),
            empty_permitted=True,
            use_required_attribute=False,
            years=self.years,
            renderer=self.renderer,
        )
        self.add_fields(form, None)
        return form

    def kept(self) -> list[dict]:
        """Return the rows to save: filled in, valid and not marked for removal (blank extra rows drop out)."""
        return [
            f.cleaned_data
            for f in self.forms
            if getattr(f, "cleaned_data", None) and not f.errors and not f.cleaned_data.get("DELETE")
        ]


class BudgetLineFormSet(BaseRowsFormSet):
    def clean(self):
        seen = set()
        for data in self.kept():
            key = (data["fiscal_year"], data["source"])
            if key in seen:
                raise forms.ValidationError(_("The same fiscal year and source of funds appear twice."))
            seen.add(key)

    def lines(self) -> list[BudgetLineInput]:
        return [BudgetLineInput(d["fiscal_year"], d["source"], d["amount"]) for d in self.kept()]


class IndicatorFormSet(BaseRowsFormSet):
    def indicators(self) -> list[IndicatorInput]:
        return [
            IndicatorInput(d["name"], d["unit"], d["target_value"], d["target_year_be"], d.get("baseline"))
            for d in self.kept()
        ]


BudgetLines = forms.formset_factory(BudgetLineForm, formset=BudgetLineFormSet, extra=2, can_delete=True)
Indicators = forms.formset_factory(IndicatorForm, formset=IndicatorFormSet, extra=1, can_delete=True)


def _short(text: str, length: int = 48) -> str:
    """Shorten an option label so a drop-down fits a 360 px screen (the full name is on the plan tree)."""
    return Truncator(text).chars(length)


class PlanProjectForm(forms.ModelForm):
    """A new project on the plan page: one drop-down places it in the plan (goal and programme, hence workstream),
    and its dates and responsible body start from the plan's period and tambon council."""

    place = forms.ChoiceField(label=_("Goal and programme"))

    class Meta:
        model = Project
        fields = [n for n in PROJECT_FIELDS if n not in ("workstream", "goal", "programme")]
        formfield_callback = thai_formfield
        widgets = {
            "project_class": forms.RadioSelect,
            **{n: forms.Textarea(attrs={"rows": 2}) for n in ["rationale", "objectives", "targets", "method"]},
            **{n: forms.Textarea(attrs={"rows": 2}) for n in ["supporting_agencies", "evaluation", "expected_results"]},
        }

    # Filled on a phone first; the rest of the 12-part template folds away under "More details".
    FIRST = ["project_class", "place", "name", "rationale", "objectives"]

    def __init__(self, *args, nodes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project_class"].choices = ProjectClass.choices
        nodes = nodes if nodes is not None else plan_item_nodes()
        self.by_id = {n.pk: n for n in nodes}
        self.fields["place"].choices = self._place_choices(nodes)

    def _place_choices(self, nodes):
        by_id = self.by_id

        def workstream_of(node):
            while node is not None and node.kind != NodeKind.WORKSTREAM:
                node = by_id.get(node.parent_id)
            return node

        goals = [n for n in nodes if n.kind == NodeKind.GOAL]
        programmes = [n for n in nodes if n.kind == NodeKind.PROGRAMME]
        groups = [("", "---------")]
        for goal in sorted(goals, key=lambda g: (workstream_of(g).number or 0, g.number or 0, g.code)):
            workstream = workstream_of(goal)
            # The goal's own programmes, then those hanging directly under its workstream (any goal may take them).
            options = [
                (f"{goal.pk}:{p.pk}", _short(_node_label(p)))
                for p in programmes
                if p.parent_id == goal.pk or (p.parent_id == workstream.pk)
            ]
            if options:
                label = f"{workstream.number or ''}.{goal.number or ''} {goal.name}".strip(". ")
                groups.append((_short(label, 40), options))
        return groups

    def _post_clean(self):
        # Model rules (dates in the plan period, programme inside the goal) run in the service.
        pass

    def service_data(self) -> dict:
        goal_pk, _sep, programme_pk = self.cleaned_data["place"].partition(":")
        goal, programme = self.by_id[int(goal_pk)], self.by_id[int(programme_pk)]
        data = {name: self.cleaned_data[name] for name in self._meta.fields}
        return {**data, "workstream": self.by_id[goal.parent_id], "goal": goal, "programme": programme}

    def first_fields(self):
        return [self[n] for n in self.FIRST]

    def more_fields(self):
        return [self[n] for n in self._meta.fields if n not in self.FIRST]


def plan_item_nodes(plan=None) -> list:
    """Workstreams, goals and programmes, read once for every project form on a page: those of the CODI plan that
    governs the tambon plan's first year (or the last one before it), never a draft; all published ones when the
    tree has no such plan."""
    nodes = list(
        PlanNode.objects.filter(
            kind__in=[NodeKind.WORKSTREAM, NodeKind.GOAL, NodeKind.PROGRAMME], is_draft=False
        ).order_by("number", "code")
    )
    root = latest_plan(plan.period_start_be) if plan is not None else None
    if root is None:
        return nodes
    inside = {root.pk}
    for kind in (NodeKind.WORKSTREAM, NodeKind.GOAL, NodeKind.PROGRAMME):
        inside |= {n.pk for n in nodes if n.kind == kind and n.parent_id in inside}
    kept = [n for n in nodes if n.pk in inside]
    return kept or nodes


class NewProject:
    """One new project on the plan page: its form, budget lines and indicators under one prefix (projects-N)."""

    def __init__(self, data, *, prefix, plan, nodes):
        years = list(plan.fiscal_years)
        self.prefix = prefix
        self.form = PlanProjectForm(
            data,
            prefix=prefix,
            nodes=nodes,
            empty_permitted=True,
            use_required_attribute=False,
            initial={
                "start_date": fiscal_year_range(years[0])[0],
                "end_date": fiscal_year_range(years[-1])[1],
                "responsible_body": _("Community organization council of tambon %(name)s") % {"name": plan.tambon.name},
            },
        )
        self.budget = BudgetLines(
            data,
            prefix=f"{prefix}-budget",
            years=years,
            row_defaults=[{"fiscal_year": y, "source": FundingSource.CODI} for y in years],
        )
        self.indicators = Indicators(
            data, prefix=f"{prefix}-indicators", years=years, row_defaults=[{"target_year_be": years[-1]}]
        )

    def has_changed(self) -> bool:
        if not self.form.is_bound:
            return False
        return self.form.has_changed() or self.budget.has_changed() or self.indicators.has_changed()

    def is_valid(self) -> bool:
        if not self.has_changed():
            return True  # offered and left blank: not a project
        self.form.empty_permitted = False
        return all([self.form.is_valid(), self.budget.is_valid(), self.indicators.is_valid()])

    @property
    def errors(self) -> bool:
        return bool(self.form.errors or self.budget.total_error_count() or self.indicators.total_error_count())


class NewProjects:
    """The new projects of the plan page; the page adds more by cloning `empty` (static/js/workstreams.js)."""

    prefix = "projects"
    MAX = 30

    def __init__(self, data, *, plan):
        self.data = data
        nodes = plan_item_nodes(plan)
        total = 1
        self.submitted = data is not None and f"{self.prefix}-TOTAL_FORMS" in data
        if self.submitted:
            try:
                total = max(0, min(int(data[f"{self.prefix}-TOTAL_FORMS"]), self.MAX))
            except ValueError:
                total = 0
        bound = data if self.submitted else None
        self.items = [NewProject(bound, prefix=f"{self.prefix}-{i}", plan=plan, nodes=nodes) for i in range(total)]
        self.empty = NewProject(None, prefix=f"{self.prefix}-__prefix__", plan=plan, nodes=nodes)
        self.total = total

    def __iter__(self):
        return iter(self.items)

    def changed(self) -> list[NewProject]:
        return [item for item in self.items if item.has_changed()]

    def is_valid(self) -> bool:
        return all([item.is_valid() for item in self.items])


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Reason for returning the plan"),
        required=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say why the plan is returned.")},
    )


AWAITING = "awaiting"
ALL = "all"


class _OptionsIterator(ModelChoiceIterator):
    """Iterate a ListedModelChoiceField's options list, not a fresh query."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.options:
            yield self.choice(obj)

    def __len__(self):
        return len(self.field.options) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.options)


class ListedModelChoiceField(forms.ModelChoiceField):
    """A model choice whose options are read once, into one list the select and the validation both use (a filter
    form with three selects then costs three queries at most, not three more to validate what was picked)."""

    iterator = _OptionsIterator

    def _set_queryset(self, queryset):
        self._options = None
        super()._set_queryset(queryset)

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    @property
    def options(self) -> list:
        if self._options is None:
            self._options = [] if self.queryset is None else list(self.queryset)
        return self._options

    @options.setter
    def options(self, objects):
        self._options = list(objects)

    def option(self, pk):
        """The option with this primary key, or None."""
        return next((obj for obj in self.options if obj.pk == pk), None)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        key = self.to_field_name or "pk"
        if isinstance(value, self.queryset.model):
            value = getattr(value, key)
        for obj in self.options:
            if str(getattr(obj, key)) == str(value):
                return obj
        raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})


class ReviewFilterForm(forms.Form):
    """Filters of the review queue; every choice is limited to the user's area."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[(AWAITING, _("Awaiting review")), (ALL, _("All statuses"))] + PlanStatus.choices,
    )
    province = ListedModelChoiceField(
        label=_("Province"), required=False, queryset=Province.objects.none(), to_field_name="code"
    )
    district = ListedModelChoiceField(
        label=_("District"), required=False, queryset=District.objects.none(), to_field_name="code"
    )
    workstream = ListedModelChoiceField(
        label=_("Workstream"), required=False, queryset=PlanNode.objects.none(), to_field_name="code"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        provinces = Province.objects.in_scope_of(user).order_by("name_th")
        self.fields["province"].queryset = provinces
        districts = District.objects.in_scope_of(user).order_by("province__name_th", "name_th")
        code = self.data.get("province") if self.is_bound else None
        if not is_code(code or ""):  # raw query text: only a code's shape reaches the query
            code = None
        if user.is_national or user.is_regional_staff:
            if code:
                districts = districts.filter(province__code=code)
            else:
                # Hundreds of districts make a select nobody can use (and a slow page): pick the province first.
                districts = districts.none()
                self.fields["district"].help_text = _("Choose a province first, then filter, to pick a district.")
            self.fields["district"].queryset = districts
        else:
            # A province at most: one query reads its districts with their province, which gives the province
            # choices too (every province has districts).
            self.fields["district"].queryset = districts.filter(province__code=code) if code else districts
            in_reach = list(districts.select_related("province"))
            self.fields["province"].options = {d.province_id: d.province for d in in_reach}.values()
            self.fields["district"].options = [d for d in in_reach if code is None or d.province.code == code]
            self.fields["district"].label = level_word_for("district", [d.province.code for d in in_reach] or [None])
        # Plans of every period are reviewed here: every published workstream (never a draft's).
        self.fields["workstream"].queryset = PlanNode.objects.filter(kind=NodeKind.WORKSTREAM, is_draft=False).order_by(
            "number", "code"
        )
        self.fields["workstream"].label_from_instance = _node_label

    def status_values(self) -> list[str] | None:
        status = (self.cleaned_data.get("status") if self.is_valid() else None) or AWAITING
        if status == ALL:
            return None
        if status == AWAITING:
            return [PlanStatus.SUBMITTED, PlanStatus.RESUBMITTED]
        return [status]


class ProvincePlanForm(forms.Form):
    narrative = forms.CharField(label=_("Narrative"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    priorities = forms.CharField(label=_("Priorities"), required=False, widget=forms.Textarea(attrs={"rows": 6}))


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel workbook (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )


class NextPlanForm(forms.Form):
    """The period of a tambon's next plan, started from its previous one."""

    period_start_be = YearField(label=_("First year (B.E.)"))
    period_end_be = YearField(label=_("Last year (B.E.)"))
