"""Who may change the plan hierarchy. Reading it is open to everyone (PlanNode.objects.visible_to)."""

from .models import CHAIN_KINDS, NATIONAL_KINDS, NodeKind

# CODI's own plans (level 3) are kept by CODI staff in the browser. National items (levels 1 and 2) are
# reference data from the government's published plans: read-only here, corrected only by a data load.
EDITABLE_KINDS = frozenset(
    {
        NodeKind.CODI_STRATEGY,
        NodeKind.CODI_STRATEGIC_ISSUE,
        NodeKind.CODI_ACTION_PLAN,
        NodeKind.CODI_ANNUAL_PLAN,
        NodeKind.ANNUAL_PROGRAMME,
        NodeKind.WORKSTREAM,
        NodeKind.GOAL,
        NodeKind.PROGRAMME,
        # The eMENSCR chain under the national plans: the seed names master plans only, so central staff enter
        # sub-plans and targets with their official codes (the other national items stay read-only).
        *CHAIN_KINDS,
    }
)
# Which kinds may hang under which: the shape of CODI's plans as the seed describes them.
CHILD_KINDS = {
    NodeKind.CODI_STRATEGY: (NodeKind.CODI_STRATEGIC_ISSUE,),
    NodeKind.CODI_ACTION_PLAN: (NodeKind.WORKSTREAM, NodeKind.CODI_ANNUAL_PLAN),
    NodeKind.CODI_ANNUAL_PLAN: (NodeKind.ANNUAL_PROGRAMME,),
    NodeKind.WORKSTREAM: (NodeKind.GOAL, NodeKind.PROGRAMME),
    NodeKind.GOAL: (NodeKind.PROGRAMME,),
    NodeKind.STRATEGY: (NodeKind.STRATEGY_TARGET,),
    NodeKind.MASTER_PLAN: (NodeKind.MASTER_PLAN_TARGET, NodeKind.SUB_PLAN),
    NodeKind.SUB_PLAN: (NodeKind.SUB_PLAN_TARGET,),
}
# National items that are read-only themselves but under which staff add chain items (Z under a strategy, Y2 and
# sub-plans under a master plan). The housing master plan is CODI's sector plan, not an NESDC master plan: no chain.
CHAIN_PARENT_KINDS = frozenset({NodeKind.STRATEGY, NodeKind.MASTER_PLAN})
# Kinds that start a plan of their own (no parent): a new CODI strategy or a new action plan.
ROOT_KINDS = (NodeKind.CODI_STRATEGY, NodeKind.CODI_ACTION_PLAN)
# Alignment targets: anything on the national side.
ALIGNMENT_TARGET_KINDS = frozenset(NATIONAL_KINDS)
# Inside the chain, an item serves the level above it: a Y2 the national strategy targets (Z), a Y1 its master
# plan's issue targets (Y2). Z and sub-plans serve nothing by alignment (their parents say where they belong).
CHAIN_ALIGNMENT_KINDS = {
    NodeKind.MASTER_PLAN_TARGET: frozenset({NodeKind.STRATEGY_TARGET}),
    NodeKind.SUB_PLAN_TARGET: frozenset({NodeKind.MASTER_PLAN_TARGET}),
    NodeKind.STRATEGY_TARGET: frozenset(),
    NodeKind.SUB_PLAN: frozenset(),
}


def alignment_kinds(kind) -> frozenset:
    """Return the kinds an item of this kind may be aligned to."""
    return CHAIN_ALIGNMENT_KINDS.get(kind, ALIGNMENT_TARGET_KINDS)


def can_edit_plan(user) -> bool:
    """Central staff keep CODI's plans; everyone else reads them."""
    return bool(user.is_authenticated and user.is_central_staff and not user.is_read_only)


def can_edit_plan_node(user, node) -> bool:
    """Central staff edit, move, align and delete CODI-level items; national items are read-only."""
    return can_edit_plan(user) and node.kind in EDITABLE_KINDS


def can_add_plan_node(user, parent, kind) -> bool:
    """Central staff add an item of an allowed kind under a CODI-level item, or start a new CODI plan."""
    if not can_edit_plan(user):
        return False
    if parent is None:
        return kind in ROOT_KINDS
    return may_hold_children(parent) and kind in CHILD_KINDS.get(parent.kind, ())


def may_hold_children(node) -> bool:
    """CODI items and chain items hold children; of the other national items only strategies and master plans do
    (their chain targets and sub-plans)."""
    return node.kind in EDITABLE_KINDS or node.kind in CHAIN_PARENT_KINDS


def can_add_under(user, node) -> bool:
    """Central staff add items under a CODI item, a chain item, a strategy or a master plan."""
    return can_edit_plan(user) and may_hold_children(node)


def can_view_plan_node_history(user, node) -> bool:
    """Central staff read who changed an item and when (the history names colleagues)."""
    return can_edit_plan(user)


def child_kinds(node) -> tuple:
    """Return the kinds that may be added under the node."""
    return CHILD_KINDS.get(node.kind, ()) if may_hold_children(node) else ()


def parent_kinds_for(kind) -> tuple:
    """Return the kinds under which an item of this kind may sit."""
    return tuple(parent for parent, children in CHILD_KINDS.items() if kind in children)


def _is_action_plan(plan) -> bool:
    return plan.kind == NodeKind.CODI_ACTION_PLAN and plan.parent_id is None


def can_roll_forward_plan(user, plan) -> bool:
    """Central staff start the next CODI plan from a published one (never from a draft)."""
    return can_edit_plan(user) and _is_action_plan(plan) and not plan.is_draft


def can_publish_plan(user, plan) -> bool:
    """Central staff publish a draft CODI plan; a published plan is never unpublished."""
    return can_edit_plan(user) and _is_action_plan(plan) and plan.is_draft
