"""Reads of the plan tree that pages share: the tree grouped for templates and an item's history told for people."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from codi_plans.thai_calendar import current_fiscal_year

from .models import NodeKind, PlanNode

# A CODI action plan's usual length in fiscal years (the seed's plan: 2563–2565).
DEFAULT_PLAN_YEARS = 3


def build_tree(nodes):
    """Group nodes by parent id so templates can walk the tree without more queries."""
    children = defaultdict(list)
    for node in nodes:
        children[node.parent_id].append(node)
    for node in nodes:
        node.tree_children = children.get(node.id, [])
    # Roots read top-down: the national strategy, then level-2 national plans, then CODI's own plans.
    return sorted(children[None], key=lambda n: (n.plan_level, n.code))


def display_value(value, label: str, names: dict) -> str:
    """Render a history value for people: node names for links, yes/no, a dash for nothing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, list):  # alignment rows from simple_history's M2M diff
        return ", ".join(node_name(row.get("to_plannode"), names) for row in value) or "—"
    if label == str(PlanNode._meta.get_field("parent").verbose_name):
        return node_name(value, names)
    return str(value)


def node_name(pk, names: dict) -> str:
    """Name an item the way its label reads (kind, number, name, period): master plans share names."""
    node = names.get(pk)
    if node is None:
        return gettext("(deleted item #%(id)s)") % {"id": pk}
    text = f"{node.get_kind_display()}{f' {node.number}' if node.number else ''} {node.name}"
    if node.period_start_be:
        end = f"–{node.period_end_be}" if node.period_end_be and node.period_end_be != node.period_start_be else ""
        text += f" ({node.period_start_be}{end})"
    return text


CHANGE_REASONS = {
    "created": _("Created"),
    "edited": _("Edited"),
    "moved": _("Moved"),
    "alignment changed": _("Alignment changed"),
    "deleted": _("Deleted"),
    "rolled forward": _("Rolled forward from the previous plan"),
    "published": _("Published"),
    "loaded from plan_hierarchy.json": _("Loaded from the plan data file"),
    "updated from plan_hierarchy.json": _("Updated from the plan data file"),
    "loaded from the chain workbook": _("Loaded from the eMENSCR chain workbook"),
}
HIDDEN_HISTORY_FIELDS = ["aligns_to", "revision", "updated_at"]


def history_entries(node: PlanNode) -> list[dict]:
    """Describe every historical record of a node, newest first, in a constant number of queries."""
    records = list(node.history.select_related("history_user").order_by("history_date", "history_id"))
    links = defaultdict(set)
    m2m_model = PlanNode.history.model._meta.get_field("historicalplannode_aligns_to").related_model
    for history_id, target_id in m2m_model.objects.filter(history_id__in=[r.history_id for r in records]).values_list(
        "history_id", "to_plannode_id"
    ):
        links[history_id].add(target_id)
    names = PlanNode.objects.in_bulk(set().union(*links.values(), {r.parent_id for r in records} - {None}))
    entries, previous = [], None
    for record in records:
        changes = []
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=HIDDEN_HISTORY_FIELDS)
            for change in delta.changes:
                label = str(PlanNode._meta.get_field(change.field).verbose_name)
                changes.append(
                    {
                        "field": label,
                        "old": display_value(change.old, label, names),
                        "new": display_value(change.new, label, names),
                    }
                )
        before = links[previous.history_id] if previous is not None else set()
        after = links[record.history_id]
        entries.append(
            {
                "record": record,
                "type": record.get_history_type_display(),
                "reason": CHANGE_REASONS.get(record.history_change_reason or "", record.history_change_reason or ""),
                "changes": changes,
                "aligned": [node_name(pk, names) for pk in sorted(after - before)],
                "unaligned": [node_name(pk, names) for pk in sorted(before - after)],
            }
        )
        previous = record
    return entries[::-1]


# --- Plan cycles ---------------------------------------------------------------------------------------------------
# CODI writes a new action plan every few years. The plan in force for a fiscal year is the published action plan
# whose period covers it; when two overlap (a new plan starts before the old one ends) the newer one governs. A year
# no published plan covers (the seed's 2563–2565 plan, read in 2570) has no plan in force: pages say so and offer
# the last plan for reference, never pretend it governs.


def codi_plans():
    """Return every CODI action plan (published and draft), newest period first."""
    return PlanNode.objects.filter(kind=NodeKind.CODI_ACTION_PLAN, parent__isnull=True).order_by(
        "-period_start_be", "-period_end_be", "code"
    )


def plan_in_force(fiscal_year: int | None = None) -> PlanNode | None:
    """Return the published CODI action plan governing the fiscal year (B.E.; default: the current one)."""
    year = current_fiscal_year() if fiscal_year is None else fiscal_year
    return codi_plans().filter(is_draft=False, period_start_be__lte=year, period_end_be__gte=year).first()


def latest_plan(fiscal_year: int | None = None) -> PlanNode | None:
    """Return the plan in force, or else the last published plan that started before the year (for reference)."""
    year = current_fiscal_year() if fiscal_year is None else fiscal_year
    return plan_in_force(year) or codi_plans().filter(is_draft=False, period_start_be__lte=year).first()


def plan_period_in_force(fiscal_year: int | None = None) -> tuple[int, int]:
    """Return the (first, last) fiscal years a plan written now should cover.

    The plan in force's period; with none in force, a period as long as the last plan's, starting this year.
    """
    year = current_fiscal_year() if fiscal_year is None else fiscal_year
    plan = plan_in_force(year)
    if plan is not None:
        return plan.period_start_be, plan.period_end_be
    last = latest_plan(year)
    length = (last.period_end_be - last.period_start_be) if last and last.period_end_be else DEFAULT_PLAN_YEARS - 1
    return year, year + length


PLAN_STATES = {
    "in_force": _("in force"),
    "draft": _("draft"),
    "past": _("past"),
    "upcoming": _("upcoming"),
}


def plan_state(plan: PlanNode, fiscal_year: int | None = None, in_force: PlanNode | None = None) -> str:
    """Say where a CODI plan stands in its cycle: draft, in force, past or upcoming."""
    year = current_fiscal_year() if fiscal_year is None else fiscal_year
    if plan.is_draft:
        return "draft"
    if in_force is not None and plan.pk == in_force.pk:
        return "in_force"
    return "upcoming" if (plan.period_start_be or 0) > year else "past"


def plan_cycles(user, fiscal_year: int | None = None) -> list[PlanNode]:
    """Return every CODI action plan the user may see, newest first, each with .state and .state_label."""
    year = current_fiscal_year() if fiscal_year is None else fiscal_year
    in_force = plan_in_force(year)
    plans = list(codi_plans().filter(pk__in=PlanNode.objects.visible_to(user).values("pk")))
    for plan in plans:
        plan.state = plan_state(plan, year, in_force)
        plan.state_label = PLAN_STATES[plan.state]
    return plans


def next_plan_period(plan: PlanNode, fiscal_year: int | None = None) -> tuple[int, int]:
    """Propose the period of the plan that follows: as long as this one, from the year after it or from this year."""
    year = current_fiscal_year() if fiscal_year is None else fiscal_year
    length = (plan.period_end_be - plan.period_start_be) if plan.period_end_be else DEFAULT_PLAN_YEARS - 1
    first = max((plan.period_end_be or year) + 1, year)
    return first, first + length


def may_be_rolled_forward(plan: PlanNode, fiscal_year: int | None = None) -> bool:
    """Offer "roll forward" on the plan in force, or on the latest plan when none is in force."""
    return not plan.is_draft and latest_plan(fiscal_year) == plan


def plan_items(*kinds, fiscal_year: int | None = None):
    """Return the published items of these kinds in the CODI plan for the fiscal year (default: the current one).

    The plan is latest_plan(year): the plan in force, else the last one before it; with no plan at all, every
    published item. Drafts are never returned. Pickers, filters and reports for a year read their workstreams,
    goals and programmes here, so a past year keeps the plan that was in force then.
    """
    items = PlanNode.objects.filter(is_draft=False, kind__in=kinds)
    plan = latest_plan(fiscal_year)
    if plan is None:
        return items
    return items.filter(
        Q(parent=plan)
        | Q(parent__parent=plan)
        | Q(parent__parent__parent=plan)
        | Q(parent__parent__parent__parent=plan)
    )


# --- The eMENSCR chain (Z → Y2 → sub-plan → Y1 → X) -----------------------------------------------------------------
# A sub-plan target (Y1) sits under its sub-plan, under a master plan. The master plan's issue targets (Y2) are its
# children of kind master_plan_target; a Y1 serves the Y2 it names in aligns_to, or, naming none, every Y2 of its
# master plan (most master plans have one or two). A Y2 names the national strategy targets (Z) it serves in
# aligns_to; a Z hangs under its strategy. Items not yet entered are simply missing from the chain (empty lists,
# None): nothing is invented.


@dataclass(frozen=True)
class Chain:
    """One Y1 target's chain up to the national strategy, as eMENSCR links it."""

    y1: PlanNode
    sub_plan: PlanNode | None
    master_plan: PlanNode | None
    y2: tuple = ()  # master-plan issue targets (PlanNode), by official code
    z: tuple = ()  # national strategy targets (PlanNode), by official code
    strategies: tuple = ()  # the strategies the Z targets belong to (PlanNode), by number

    @property
    def strategy(self) -> PlanNode | None:
        """The first strategy (most chains reach exactly one)."""
        return self.strategies[0] if self.strategies else None

    @property
    def missing(self) -> list[str]:
        """Name the links not yet entered, for pages and the export's validation."""
        gaps = []
        if not self.y1.official_code:
            gaps.append(gettext("the sub-plan target has no official code"))
        if not self.y2:
            gaps.append(gettext("the master plan has no issue target (Y2) yet"))
        elif not self.z:
            gaps.append(gettext("the master-plan target names no national strategy target (Z)"))
        return gaps


def _by_code(nodes) -> tuple:
    return tuple(sorted(nodes, key=lambda n: (n.official_code or "", n.number or 0, n.code)))


def chain_for_targets(ids) -> dict[int, Chain]:
    """Return {Y1 id: Chain} for the given sub-plan target ids, in four queries whatever their number.

    Ids of other kinds are left out. The export, pages and checks call this once for many projects.
    """
    y1s = list(
        PlanNode.objects.filter(pk__in=set(ids), kind=NodeKind.SUB_PLAN_TARGET)
        .select_related("parent__parent")
        .prefetch_related(Prefetch("aligns_to", queryset=PlanNode.objects.filter(kind=NodeKind.MASTER_PLAN_TARGET)))
    )
    master_ids = {y1.parent.parent_id for y1 in y1s if y1.parent is not None and y1.parent.parent_id}
    y2_by_master = defaultdict(list)
    z_query = PlanNode.objects.filter(kind=NodeKind.STRATEGY_TARGET).select_related("parent")
    y2s = PlanNode.objects.filter(kind=NodeKind.MASTER_PLAN_TARGET, parent_id__in=master_ids).prefetch_related(
        Prefetch("aligns_to", queryset=z_query)
    )
    y2_by_id = {}
    for y2 in y2s:
        y2_by_master[y2.parent_id].append(y2)
        y2_by_id[y2.pk] = y2
    chains = {}
    for y1 in y1s:
        sub_plan = y1.parent if y1.parent is not None and y1.parent.kind == NodeKind.SUB_PLAN else None
        master = sub_plan.parent if sub_plan is not None else None
        named = [y2_by_id.get(y.pk, y) for y in y1.aligns_to.all()]
        y2_list = named or (y2_by_master.get(master.pk, []) if master is not None else [])
        z_list = {z.pk: z for y2 in y2_list for z in y2.aligns_to.all()}
        strategies = {z.parent_id: z.parent for z in z_list.values() if z.parent is not None}
        chains[y1.pk] = Chain(
            y1=y1,
            sub_plan=sub_plan,
            master_plan=master,
            y2=_by_code(y2_list),
            z=_by_code(z_list.values()),
            strategies=tuple(sorted(strategies.values(), key=lambda s: (s.number or 0, s.code))),
        )
    return chains


def target_chain(y1: PlanNode) -> Chain | None:
    """Return one Y1 target's chain (None for an item that is not a sub-plan target)."""
    return chain_for_targets([y1.pk]).get(y1.pk)


def master_plan_edition(fiscal_year: int | None = None) -> PlanNode | None:
    """Return the master-plan edition in force for the fiscal year: the latest published set whose period covers it."""
    year = current_fiscal_year() if fiscal_year is None else fiscal_year
    return (
        PlanNode.objects.filter(kind=NodeKind.MASTER_PLAN_SET, is_draft=False)
        .filter(Q(period_start_be__isnull=True) | Q(period_start_be__lte=year))
        .filter(Q(period_end_be__isnull=True) | Q(period_end_be__gte=year))
        .order_by("-period_start_be", "-code")
        .first()
    )


def project_targets(*, fiscal_year: int | None = None):
    """Return the published sub-plan targets (Y1) a project or budget request of the fiscal year may name.

    They are the targets of the master-plan edition in force for the year (default: this year); with no edition
    covering the year, every published target. Ordered by official code; choice lists show PlanNode.label.
    """
    targets = PlanNode.objects.filter(is_draft=False, kind=NodeKind.SUB_PLAN_TARGET)
    edition = master_plan_edition(fiscal_year)
    if edition is not None:
        targets = targets.filter(parent__parent__parent=edition)
    return targets.select_related("parent__parent").order_by("official_code", "code")


@dataclass
class MasterPlanChain:
    """A master plan's chain items as entered: issue targets (Y2, each with .z) and sub-plans (each with .targets)."""

    master_plan: PlanNode
    y2: list
    sub_plans: list

    @property
    def y1_count(self) -> int:
        return sum(len(s.targets) for s in self.sub_plans)

    @property
    def missing(self) -> list[str]:
        """Say what is not yet entered (nothing is invented in its place)."""
        gaps = []
        if not self.y2:
            gaps.append(gettext("issue targets (Y2) not yet entered"))
        elif any(not y2.z for y2 in self.y2):
            gaps.append(gettext("an issue target names no national strategy target (Z)"))
        if not self.sub_plans:
            gaps.append(gettext("sub-plans not yet entered"))
        elif any(not s.targets for s in self.sub_plans):
            gaps.append(gettext("a sub-plan has no targets (Y1) yet"))
        return gaps


def master_plan_chains(master_plans) -> list[MasterPlanChain]:
    """Return each master plan's chain items in three queries (visible items only: pass published master plans)."""
    master_plans = list(master_plans)
    ids = [m.pk for m in master_plans]
    children = defaultdict(list)
    z_query = PlanNode.objects.filter(kind=NodeKind.STRATEGY_TARGET).select_related("parent")
    for item in (
        PlanNode.objects.filter(parent_id__in=ids, kind__in=[NodeKind.MASTER_PLAN_TARGET, NodeKind.SUB_PLAN])
        .prefetch_related(Prefetch("aligns_to", queryset=z_query))
        .order_by("official_code", "number", "code")
    ):
        if item.kind == NodeKind.MASTER_PLAN_TARGET:
            item.z = list(item.aligns_to.all())
        children[item.parent_id].append(item)
    sub_plan_ids = [c.pk for kids in children.values() for c in kids if c.kind == NodeKind.SUB_PLAN]
    targets = defaultdict(list)
    for y1 in PlanNode.objects.filter(parent_id__in=sub_plan_ids, kind=NodeKind.SUB_PLAN_TARGET).order_by(
        "official_code", "code"
    ):
        targets[y1.parent_id].append(y1)
    chains = []
    for master in master_plans:
        kids = children.get(master.pk, [])
        sub_plans = [k for k in kids if k.kind == NodeKind.SUB_PLAN]
        for sub_plan in sub_plans:
            sub_plan.targets = targets.get(sub_plan.pk, [])
        chains.append(
            MasterPlanChain(
                master_plan=master, y2=[k for k in kids if k.kind == NodeKind.MASTER_PLAN_TARGET], sub_plans=sub_plans
            )
        )
    return chains


def chain_overview() -> dict:
    """Return what the chain holds and lacks, per master-plan edition and for the strategies' targets (Z)."""
    editions = list(PlanNode.objects.filter(kind=NodeKind.MASTER_PLAN_SET, is_draft=False).order_by("-period_start_be"))
    masters = PlanNode.objects.filter(kind=NodeKind.MASTER_PLAN, is_draft=False, parent__in=editions).order_by(
        "number", "code"
    )
    by_edition = defaultdict(list)
    for chain in master_plan_chains(masters):
        by_edition[chain.master_plan.parent_id].append(chain)
    strategies = list(PlanNode.objects.filter(kind=NodeKind.STRATEGY, is_draft=False).order_by("number", "code"))
    z_by_strategy = defaultdict(list)
    for z in PlanNode.objects.filter(kind=NodeKind.STRATEGY_TARGET, parent__in=strategies).order_by("official_code"):
        z_by_strategy[z.parent_id].append(z)
    for strategy in strategies:
        strategy.targets = z_by_strategy.get(strategy.pk, [])
    return {
        "editions": [(edition, by_edition.get(edition.pk, [])) for edition in editions],
        "strategies": strategies,
        "in_force": master_plan_edition(),
    }


def chain_parents():
    """Return the published strategies and master plans, under which chain items are entered, by code."""
    return PlanNode.objects.filter(kind__in=[NodeKind.STRATEGY, NodeKind.MASTER_PLAN], is_draft=False).order_by("code")
