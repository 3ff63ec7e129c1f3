from collections import defaultdict

from django.shortcuts import get_object_or_404, render

from .models import NodeKind, PlanNode


def build_tree(nodes):
    """Group nodes by parent id so templates can walk the tree without more queries."""
    children = defaultdict(list)
    for node in nodes:
        children[node.parent_id].append(node)
    for node in nodes:
        node.tree_children = children.get(node.id, [])
    # Roots read top-down: the national strategy, then level-2 national plans, then CODI's own plans.
    return sorted(children[None], key=lambda n: (n.plan_level, n.code))


def plan_tree(request):
    nodes = list(PlanNode.objects.visible_to(request.user).order_by("number", "code"))
    return render(request, "strategies/plan_tree.html", {"roots": build_tree(nodes)})


def plan_node_detail(request, code):
    node = get_object_or_404(PlanNode.objects.visible_to(request.user).with_ancestors(), code=code)
    serves = list(node.aligns_to.with_ancestors().order_by("kind", "number"))
    served_by = list(node.served_by.with_ancestors().order_by("kind", "number"))
    # The CODI chain climbs parents up to the action plan, then follows its alignment to the nation.
    chain = node.ancestors() + [node]
    national_chain = []
    for item in reversed(chain):
        if item.is_national:
            break
        aligned = [n for n in item.aligns_to.with_ancestors() if n.kind == NodeKind.STRATEGIC_ISSUE]
        if aligned:
            national_chain = aligned[0].ancestors() + [aligned[0]]
            break
    return render(
        request,
        "strategies/plan_node_detail.html",
        {
            "node": node,
            "ancestors": node.ancestors(),
            "children": node.children.order_by("number", "code"),
            "serves": serves,
            "served_by": served_by,
            "national_chain": national_chain,
        },
    )
