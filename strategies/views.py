from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from codi_plans.concurrency import EditConflict

from . import chain_workbook, panels, permissions, selectors, services
from .forms import (
    AlignmentForm,
    ChainUploadForm,
    DeleteForm,
    MoveForm,
    PlanNodeEditForm,
    PlanNodeForm,
    RollForwardForm,
)
from .models import CHAIN_KINDS, NodeKind, PlanNode
from .permissions import ROOT_KINDS


def plan_tree(request):
    nodes = list(PlanNode.objects.visible_to(request.user).order_by("number", "code"))
    return render(
        request,
        "strategies/plan_tree.html",
        {
            "roots": selectors.build_tree(nodes),
            "plans": selectors.plan_cycles(request.user),
            "can_edit_plans": permissions.can_edit_plan(request.user),
            "root_kinds": [NodeKind(k) for k in ROOT_KINDS] if permissions.can_edit_plan(request.user) else [],
        },
    )


def plan_node_detail(request, code):
    node = get_object_or_404(PlanNode.objects.visible_to(request.user).with_ancestors(), code=code)
    # A chain item's links (Y2 → Z, Y1 → Y2) are shown in its chain section instead.
    serves = [] if node.kind in CHAIN_KINDS else list(node.aligns_to.with_ancestors().order_by("kind", "number"))
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
            **_chain_context(node),
            "node": node,
            "ancestors": node.ancestors(),
            "children": node.children.order_by("number", "code"),
            "serves": serves,
            "served_by": served_by,
            "national_chain": national_chain,
            "can_edit": permissions.can_edit_plan_node(request.user, node),
            "can_add": permissions.can_add_under(request.user, node),
            "can_move": bool(permissions.parent_kinds_for(node.kind)),
            "can_view_history": permissions.can_view_plan_node_history(request.user, node),
            "child_kinds": [NodeKind(k) for k in permissions.child_kinds(node)],
            "panels": panels.node_panels(request, node),
            **_cycle_context(request.user, node),
        },
    )


def _chain_context(node) -> dict:
    """The eMENSCR chain on an item's page: a master plan's targets and sub-plans, a chain item's way up to Z."""
    if node.kind == NodeKind.MASTER_PLAN:
        return {"master_plan_chain": selectors.master_plan_chains([node])[0]}
    y1 = node if node.kind == NodeKind.SUB_PLAN_TARGET else None
    if y1 is not None:
        return {"target_chain": selectors.target_chain(y1)}
    if node.kind == NodeKind.SUB_PLAN:
        return {"master_plan_chain": selectors.master_plan_chains([node.parent])[0], "sub_plan": node}
    if node.kind == NodeKind.MASTER_PLAN_TARGET:
        return {"chain_serves": list(node.aligns_to.all())}
    return {}


def _cycle_context(user, node) -> dict:
    """Where a CODI plan stands in its cycle, and the roll-forward and publish buttons central staff get."""
    if node.kind != NodeKind.CODI_ACTION_PLAN or node.parent_id is not None:
        return {"plan_state": None}
    state = selectors.plan_state(node, in_force=selectors.plan_in_force())
    return {
        "plan_state": state,
        "plan_state_label": selectors.PLAN_STATES[state],
        "can_roll_forward": permissions.can_roll_forward_plan(user, node) and selectors.may_be_rolled_forward(node),
        "can_publish": permissions.can_publish_plan(user, node),
    }


# --- Editing CODI's plans (central staff) ------------------------------------------------------------


def _node_for_edit(request, code) -> PlanNode:
    """Fetch a visible item (404 otherwise) that the user may edit (403 otherwise)."""
    node = get_object_or_404(PlanNode.objects.visible_to(request.user).with_ancestors(), code=code)
    if not permissions.can_edit_plan_node(request.user, node):
        raise PermissionDenied(_("Only CODI central staff edit CODI's plans; national plans are read-only."))
    return node


def _node_context(node, **extra) -> dict:
    return {"node": node, "ancestors": node.ancestors(), **extra}


def _conflict_context(conflict: EditConflict) -> dict:
    """Say who changed what and when, with node names instead of ids."""
    parent_label = str(PlanNode._meta.get_field("parent").verbose_name)
    ids = set()
    for change in conflict.changes:
        for value in (change["old"], change["new"]):
            if isinstance(value, list):
                ids |= {row.get("to_plannode") for row in value}
            elif change["field"] == parent_label and value:
                ids.add(value)
    names = PlanNode.objects.in_bulk(ids) if ids else {}
    return {
        "who": conflict.changed_by,
        "when": conflict.changed_at,
        "changes": [
            {
                "field": c["field"],
                "old": selectors.display_value(c["old"], c["field"], names),
                "new": selectors.display_value(c["new"], c["field"], names),
            }
            for c in conflict.changes
        ],
        "message": conflict.messages[0],
    }


def _run(form, action):
    """Call a service; map its errors onto the form. Return (done, conflict context)."""
    try:
        action()
    except EditConflict as conflict:
        form.take_revision(conflict.current_revision)
        return False, _conflict_context(conflict)
    except ValidationError as error:
        form.add_error(None, error)
        return False, None
    return True, None


@login_required
@require_http_methods(["GET", "POST"])
def plan_node_edit(request, code):
    node = _node_for_edit(request, code)
    conflict = None
    if request.method == "POST":
        form = PlanNodeEditForm(request.POST, kind=node.kind)
        if form.is_valid():
            done, conflict = _run(
                form,
                lambda: services.update_plan_node(
                    node=node, by=request.user, expected_revision=form.cleaned_data["revision"], **form.changes()
                ),
            )
            if done:
                messages.success(request, _("Saved."))
                return redirect("strategies:node", node.code)
    else:
        form = PlanNodeEditForm(
            initial={**PlanNodeEditForm.initial_for(node), "revision": node.revision}, kind=node.kind
        )
    return render(request, "strategies/plan_node_edit.html", _node_context(node, form=form, conflict=conflict))


def _add(request, parent, kind):
    if not permissions.can_edit_plan(request.user) or (
        parent is not None and not permissions.can_add_under(request.user, parent)
    ):
        raise PermissionDenied(_("Only CODI central staff edit CODI's plans; national plans are read-only."))
    if not permissions.can_add_plan_node(request.user, parent, kind):
        raise Http404(_("That kind of item cannot be added here."))
    created = None
    if request.method == "POST":
        form = PlanNodeForm(request.POST, kind=kind)
        if form.is_valid():
            try:
                created = services.create_plan_node(parent=parent, kind=kind, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Added."))
                return redirect("strategies:node", created.code)
    else:
        form = PlanNodeForm(initial={"name_known": True}, kind=kind)
    context = {"parent": parent, "kind": NodeKind(kind), "form": form}
    context["ancestors"] = (parent.ancestors() + [parent]) if parent else []
    return render(request, "strategies/plan_node_add.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_node_add(request, code, kind):
    parent = get_object_or_404(PlanNode.objects.visible_to(request.user).with_ancestors(), code=code)
    return _add(request, parent, kind)


@login_required
@require_http_methods(["GET", "POST"])
def plan_add(request, kind):
    return _add(request, None, kind)


@login_required
@require_http_methods(["GET", "POST"])
def plan_node_alignment(request, code):
    node = _node_for_edit(request, code)
    conflict = None
    if request.method == "POST":
        form = AlignmentForm(request.POST, node=node)
        if form.is_valid():
            done, conflict = _run(
                form,
                lambda: services.set_alignment(
                    node=node,
                    targets=form.cleaned_data["targets"],
                    by=request.user,
                    expected_revision=form.cleaned_data["revision"],
                ),
            )
            if done:
                messages.success(request, _("Alignment saved."))
                return redirect("strategies:node", node.code)
    else:
        current = list(node.aligns_to.values_list("code", flat=True))
        form = AlignmentForm(initial={"targets": current, "revision": node.revision}, node=node)
    return render(request, "strategies/plan_node_alignment.html", _node_context(node, form=form, conflict=conflict))


@login_required
@require_http_methods(["GET", "POST"])
def plan_node_move(request, code):
    node = _node_for_edit(request, code)
    below = services.descendant_ids(node)
    candidates = (
        PlanNode.objects.visible_to(request.user)
        .of_kind(*permissions.parent_kinds_for(node.kind))
        .exclude(pk__in={node.pk} | below)
        .select_related("parent")
        .order_by("kind", "number", "code")
    )
    conflict = None
    if request.method == "POST":
        form = MoveForm(request.POST, candidates=candidates)
        if form.is_valid():
            done, conflict = _run(
                form,
                lambda: services.move_plan_node(
                    node=node,
                    new_parent=form.cleaned_data["new_parent"],
                    by=request.user,
                    expected_revision=form.cleaned_data["revision"],
                ),
            )
            if done:
                messages.success(request, _("Moved."))
                return redirect("strategies:node", node.code)
    else:
        initial = {"revision": node.revision, "new_parent": node.parent.code if node.parent else None}
        form = MoveForm(initial=initial, candidates=candidates)
    return render(request, "strategies/plan_node_move.html", _node_context(node, form=form, conflict=conflict))


@login_required
@require_http_methods(["GET", "POST"])
def plan_node_delete(request, code):
    node = _node_for_edit(request, code)
    conflict = None
    if request.method == "POST":
        form = DeleteForm(request.POST)
        if form.is_valid():
            done, conflict = _run(
                form,
                lambda: services.delete_plan_node(
                    node=node, by=request.user, expected_revision=form.cleaned_data["revision"]
                ),
            )
            if done:
                messages.success(request, _("Deleted %(name)s.") % {"name": node.name})
                return redirect("strategies:node", node.parent.code) if node.parent else redirect("strategies:tree")
    else:
        form = DeleteForm(initial={"revision": node.revision})
    context = _node_context(
        node,
        form=form,
        conflict=conflict,
        child_count=node.children.count(),
        project_count=services.tambon_project_count(node),
    )
    return render(request, "strategies/plan_node_delete.html", context)


@login_required
@require_GET
def plan_node_history(request, code):
    node = get_object_or_404(PlanNode.objects.visible_to(request.user).with_ancestors(), code=code)
    if not permissions.can_view_plan_node_history(request.user, node):
        raise PermissionDenied(_("Only CODI central staff read the change history."))
    context = _node_context(node, entries=selectors.history_entries(node))
    return render(request, "strategies/plan_node_history.html", context)


# --- Plan cycles (central staff) --------------------------------------------------------------------------------


def _plan_for(request, code, allowed) -> PlanNode:
    """Fetch a visible CODI action plan (404 otherwise) on which the user may act (403 otherwise)."""
    plan = get_object_or_404(
        PlanNode.objects.visible_to(request.user).filter(kind=NodeKind.CODI_ACTION_PLAN, parent__isnull=True),
        code=code,
    )
    if not allowed(request.user, plan):
        raise PermissionDenied(_("Only CODI central staff roll CODI's plans forward and publish them."))
    return plan


@login_required
@require_http_methods(["GET", "POST"])
def plan_roll_forward(request, code):
    plan = _plan_for(request, code, permissions.can_roll_forward_plan)
    if request.method == "POST":
        form = RollForwardForm(request.POST)
        if form.is_valid():
            try:
                new = services.roll_forward_plan(plan=plan, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Draft %(name)s created. Edit it, then publish it.") % {"name": new.name})
                return redirect("strategies:node", new.code)
    else:
        first, last = selectors.next_plan_period(plan)
        form = RollForwardForm(initial={"period_start_be": first, "period_end_be": last})
    return render(request, "strategies/plan_roll_forward.html", _node_context(plan, form=form))


@login_required
@require_http_methods(["GET", "POST"])
def plan_publish(request, code):
    plan = _plan_for(request, code, permissions.can_publish_plan)
    error = None
    if request.method == "POST":
        try:
            services.publish_plan(plan=plan, by=request.user)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(request, _("%(name)s is published.") % {"name": plan.name})
            return redirect("strategies:node", plan.code)
    context = _node_context(plan, error=error, item_count=len(services.descendant_ids(plan)))
    return render(request, "strategies/plan_publish.html", context)


def home(request):
    """The home page: the plan tree the user may see, the workstreams and the headline targets."""
    nodes = list(PlanNode.objects.visible_to(request.user).order_by("number", "code"))
    roots = selectors.build_tree(nodes)
    workstreams = [n for n in nodes if n.kind == NodeKind.WORKSTREAM]
    for ws in workstreams:
        ws.goal_count = sum(child.kind == NodeKind.GOAL for child in ws.tree_children)
    headline_targets = sorted(
        (n for n in nodes if n.target_value is not None), key=lambda n: (n.kind != NodeKind.WORKSTREAM, n.number or 0)
    )
    return render(
        request,
        "home.html",
        {"roots": roots, "workstreams": workstreams, "headline_targets": headline_targets},
    )


# --- The eMENSCR chain: what is entered and missing, the workbook ------------------------------------------------


def chain_overview(request):
    """List every master plan's sub-plans and targets and every strategy's targets, saying what is not yet entered."""
    context = selectors.chain_overview()
    context["can_edit_plans"] = permissions.can_edit_plan(request.user)
    return render(request, "strategies/chain_overview.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def chain_upload(request):
    if not permissions.can_edit_plan(request.user):
        raise PermissionDenied(_("Only CODI central staff load the eMENSCR chain."))
    report = None
    if request.method == "POST":
        form = ChainUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                report = chain_workbook.load_chain_workbook(
                    file=form.cleaned_data["file"], by=request.user, dry_run=form.cleaned_data["dry_run"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if report.ok and not report.dry_run:
                    messages.success(
                        request,
                        _("Chain loaded: %(created)s added, %(updated)s changed, %(unchanged)s unchanged.")
                        % {"created": report.created, "updated": report.updated, "unchanged": report.unchanged},
                    )
                    return redirect("strategies:chain")
    else:
        form = ChainUploadForm()
    return render(request, "strategies/chain_upload.html", {"form": form, "report": report})


@login_required
@require_GET
def chain_template(request):
    if not permissions.can_edit_plan(request.user):
        raise PermissionDenied(_("Only CODI central staff load the eMENSCR chain."))
    response = HttpResponse(
        chain_workbook.template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="emenscr-chain.xlsx"'
    return response
