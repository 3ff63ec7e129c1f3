"""Who may change the plan hierarchy. Reading it is open to everyone (PlanNode.objects.visible_to)."""

from .models import NATIONAL_KINDS, NodeKind

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
    }
)
# Which kinds may hang under which: the shape of CODI's plans as the seed describes them.
CHILD_KINDS = {
    NodeKind.CODI_STRATEGY: (NodeKind.CODI_STRATEGIC_ISSUE,),
    NodeKind.CODI_ACTION_PLAN: (NodeKind.WORKSTREAM, NodeKind.CODI_ANNUAL_PLAN),
    NodeKind.CODI_ANNUAL_PLAN: (NodeKind.ANNUAL_PROGRAMME,),
    NodeKind.WORKSTREAM: (NodeKind.GOAL, NodeKind.PROGRAMME),
    NodeKind.GOAL: (NodeKind.PROGRAMME,),
}
# Kinds that start a plan of their own (no parent): a new CODI strategy or a new action plan.
ROOT_KINDS = (NodeKind.CODI_STRATEGY, NodeKind.CODI_ACTION_PLAN)
# Alignment targets: anything on the national side.
ALIGNMENT_TARGET_KINDS = frozenset(NATIONAL_KINDS)


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
    return parent.kind in EDITABLE_KINDS and kind in CHILD_KINDS.get(parent.kind, ())


def can_view_plan_node_history(user, node) -> bool:
    """Central staff read who changed an item and when (the history names colleagues)."""
    return can_edit_plan(user)


def child_kinds(node) -> tuple:
    """Return the kinds that may be added under the node."""
    return CHILD_KINDS.get(node.kind, ()) if node.kind in EDITABLE_KINDS else ()


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
