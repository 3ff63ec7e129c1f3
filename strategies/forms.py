"""Forms for editing CODI's plans in the browser. They only read input; the services write."""

from django import forms
from django.forms.models import fields_for_model, model_to_dict
from django.utils.translation import gettext_lazy as _

from codi_plans.forms import YearField, thai_formfield

from .models import CHAIN_KINDS, NodeKind, PlanNode
from .permissions import alignment_kinds
from .services import EDITABLE_FIELDS

TEXT_AREAS = {
    name: forms.Textarea(attrs={"rows": 4}) for name in ("vision_th", "vision_en", "description_th", "description_en")
}
SECTIONS = [
    (_("Name"), ["official_code", "number", "name_th", "name_en", "name_known"]),
    (_("Vision and approach"), ["vision_th", "vision_en", "description_th", "description_en"]),
    (_("Period"), ["period_start_be", "period_end_be", "edition"]),
    (_("Headline target"), ["target_value", "target_unit_th", "target_unit_en", "target_year_be"]),
]
# Alignment targets are grouped as the plans are published: the strategy itself, each master-plan
# edition, the reform plan, the housing master plan.
GROUP_ORDER = [
    NodeKind.NATIONAL_STRATEGY,
    NodeKind.MASTER_PLAN_SET,
    NodeKind.REFORM_PLAN,
    NodeKind.HOUSING_MASTER_PLAN,
]


class RevisionMixin(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def take_revision(self, revision: int) -> None:
        """Carry the saved revision into the re-rendered form, so a second, informed save goes through."""
        self.data = self.data.copy()
        self.data["revision"] = str(revision)


class PlanNodeForm(forms.Form):
    """The text of a CODI plan item: names, vision, description, period, edition, headline target."""

    def __init__(self, *args, kind=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the eMENSCR chain's items carry an official code.
        fields = [f for f in EDITABLE_FIELDS if f != "official_code" or kind in CHAIN_KINDS]
        model_fields = fields_for_model(PlanNode, fields=fields, widgets=TEXT_AREAS, formfield_callback=thai_formfield)
        model_fields["name_known"].label = _("The source names this item (it is not a placeholder)")
        if "official_code" in model_fields:
            model_fields["official_code"].required = True
            model_fields["official_code"].help_text = _(
                "As NESDC writes it in eMENSCR; Thai digits are fine. Sub-plan targets (Y1): six digits, master plan, "
                "sub-plan, target (e.g. 160101)."
            )
        self.fields = {**model_fields, **self.fields}

    def sections(self):
        """Group the fields as people think of an item: its name, its text, its period, its target."""
        return [(title, [self[name] for name in names if name in self.fields]) for title, names in SECTIONS]

    @classmethod
    def initial_for(cls, node: PlanNode) -> dict:
        return model_to_dict(node, fields=EDITABLE_FIELDS)

    def clean_official_code(self):
        from .services import normal_official_code

        return normal_official_code(self.cleaned_data.get("official_code"))

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start_be"), data.get("period_end_be")
        if start and end and start > end:
            self.add_error("period_end_be", _("The period ends before it starts."))
        return data


class PlanNodeEditForm(RevisionMixin, PlanNodeForm):
    """Edit an item, starting from the revision the page showed."""

    def changes(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "revision"}


class AlignmentForm(RevisionMixin):
    """Choose the national items a CODI item serves, shown grouped by plan."""

    targets = forms.MultipleChoiceField(
        label=_("Serves (national plans)"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, node=None, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = alignment_kinds(node.kind if node is not None else None)
        candidates = PlanNode.objects.of_kind(*kinds).order_by("number", "code")
        if node is not None and node.kind == NodeKind.SUB_PLAN_TARGET:
            candidates = candidates.filter(parent_id=node.parent.parent_id if node.parent else None)
        nodes = list(candidates)
        if node is not None and node.kind in CHAIN_KINDS:
            # Chain targets are listed by official code under their own parent (a strategy or a master plan).
            parents = PlanNode.objects.in_bulk({n.parent_id for n in nodes})
            grouped: dict[int, list] = {}
            for item in sorted(nodes, key=lambda n: (n.official_code, n.code)):
                item.depth = 0
                grouped.setdefault(item.parent_id, []).append(item)
            self.nodes_by_code = {n.code: n for n in nodes}
            self._groups = [
                (parents[pk], items) for pk, items in sorted(grouped.items(), key=lambda g: parents[g[0]].code)
            ]
            self.fields["targets"].choices = [(code, n.label) for code, n in self.nodes_by_code.items()]
            return
        by_id = {n.pk: n for n in nodes}
        self.nodes_by_code = {n.code: n for n in nodes if n.kind != NodeKind.MASTER_PLAN_SET}
        groups: dict[int, list] = {}
        for node in nodes:
            if node.kind == NodeKind.MASTER_PLAN_SET:
                groups.setdefault(node.pk, [])
                continue
            head = _group_head(node, by_id)
            node.depth = _depth(node, head, by_id)
            groups.setdefault(head.pk, []).append(node)
        heads = sorted((by_id[pk] for pk in groups), key=lambda h: (GROUP_ORDER.index(h.kind), h.code))
        # A master-plan edition heads its own group; the national strategy lists only its own items.
        self._groups = [(head, sorted(groups[head.pk], key=_tree_order(by_id))) for head in heads if groups[head.pk]]
        self.fields["targets"].choices = [(code, n.label) for code, n in self.nodes_by_code.items()]

    def selected_codes(self) -> set[str]:
        return set(self["targets"].value() or [])

    @property
    def groups(self):
        """Yield (heading item, its items, how many of them are ticked) for each national plan."""
        selected = self.selected_codes()
        return [(head, items, sum(n.code in selected for n in items)) for head, items in self._groups]

    def clean_targets(self):
        return [self.nodes_by_code[code] for code in self.cleaned_data["targets"]]


def _group_head(node, by_id):
    """Climb to the item's master-plan edition or, failing that, to its plan's root."""
    while node.parent_id is not None:
        parent = by_id[node.parent_id]
        if parent.kind == NodeKind.MASTER_PLAN_SET:
            return parent
        node = parent
    return node


def _depth(node, head, by_id) -> int:
    """Count the steps from the group's head down to the item; a master-plan edition is only a heading."""
    depth = 0
    while node.pk != head.pk:
        node = by_id[node.parent_id]
        depth += 1
    return depth - (head.kind == NodeKind.MASTER_PLAN_SET)


def _tree_order(by_id):
    """Sort key that lists each item right after its parent (depth-first, by number)."""

    def key(node):
        path = []
        while node is not None:
            path.append((node.number or 0, node.code))
            node = by_id.get(node.parent_id)
        return path[::-1]

    return key


class MoveForm(RevisionMixin):
    """Choose the item a CODI item moves under."""

    new_parent = forms.ChoiceField(label=_("Move under"))

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {n.code: n for n in candidates}
        self.fields["new_parent"].choices = [
            (n.code, f"{n.get_kind_display()}{f' {n.number}' if n.number else ''}: {n.name}") for n in candidates
        ]

    def clean_new_parent(self):
        return self.candidates[self.cleaned_data["new_parent"]]


class DeleteForm(RevisionMixin):
    """Confirm deleting an item as it was shown."""


class RollForwardForm(forms.Form):
    """The period of the next CODI plan; the service reads the years (Thai digits fine) and checks them."""

    period_start_be = YearField(label=_("First year (B.E.)"))
    period_end_be = YearField(label=_("Last year (B.E.)"))


class ChainUploadForm(forms.Form):
    """A workbook of chain items (the template's columns); the loader checks every row."""

    file = forms.FileField(label=_("Workbook (.xlsx)"))
    dry_run = forms.BooleanField(label=_("Only check the rows; save nothing"), required=False)
