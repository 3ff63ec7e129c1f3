"""Writes to the plan hierarchy."""

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, ProtectedError, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from codi_plans.concurrency import bump_revision, check_revision
from codi_plans.thai_calendar import BE_OFFSET, THAI_DIGITS, parse_be_year

from . import permissions, selectors, signals
from .models import CHAIN_KINDS, NODE_CONTENT_FIELDS, OFFICIAL_CODE_PATTERNS, PARENT_CHAIN, NodeKind, PlanNode

PLAN_HIERARCHY_FILE = Path(__file__).parent / "data" / "plan_hierarchy.json"
NODE_FIELDS = ["kind", *NODE_CONTENT_FIELDS, "source_th"]
DEFAULTS = {"name_known": True, "number": None, "target_value": None}
for _name in ("period_start_be", "period_end_be", "target_year_be"):
    DEFAULTS[_name] = None


@dataclass
class PlanLoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _values(row: dict) -> dict:
    values = {f: row.get(f, DEFAULTS.get(f, "")) for f in NODE_FIELDS}
    if row.get("version") and not row.get("edition"):
        values["edition"] = row["version"]
    if values["target_value"] is not None:
        values["target_value"] = Decimal(str(values["target_value"])).quantize(Decimal("0.01"))
    return values


@transaction.atomic
def load_plan_hierarchy(*, update: bool = False, path: Path = PLAN_HIERARCHY_FILE) -> PlanLoadReport:
    """Create the plan items of the data file that are missing; with update=True, also overwrite
    existing items with the file's text. A second run changes nothing.

    Existing items are left alone by default because staff edit them in the browser after the first load.
    """
    rows = json.loads(path.read_text(encoding="utf-8"))
    report = PlanLoadReport()
    nodes = {n.code: n for n in PlanNode.objects.prefetch_related("aligns_to")}
    for row in rows:
        values = _values(row)
        parent = nodes[row["parent"]] if row.get("parent") else None
        node = nodes.get(row["code"])
        if node is None:
            node = PlanNode(code=row["code"], parent=parent, **values)
            node._change_reason = "loaded from plan_hierarchy.json"
            node.save()
            nodes[node.code] = node
            report.created += 1
            continue
        if update and (
            node.parent_id != (parent.pk if parent else None) or any(getattr(node, f) != v for f, v in values.items())
        ):
            node.parent = parent
            for f, v in values.items():
                setattr(node, f, v)
            node._change_reason = "updated from plan_hierarchy.json"
            node.save()
            report.updated += 1
        else:
            report.unchanged += 1
    for row in rows:
        node = nodes[row["code"]]
        wanted = {nodes[code].pk for code in row.get("aligns_to", [])}
        current = {n.pk for n in node.aligns_to.all()}
        if wanted != current and (update or not current):
            node.aligns_to.set(wanted)
    return report


# --- Editing CODI's plans in the browser -------------------------------------------------------------
# Every write below: keyword-only, acting user explicit, atomic, row locked, permission checked, revision
# checked (codi_plans/concurrency.py), and recorded in the node's history with the user.

EDITABLE_FIELDS = NODE_CONTENT_FIELDS
# The letter a child's code gets after its parent's code: WS-ECONOMY → WS-ECONOMY-G8 → WS-ECONOMY-G8-P1.
CODE_LETTERS = {
    NodeKind.CODI_STRATEGIC_ISSUE: "",
    NodeKind.WORKSTREAM: "W",
    NodeKind.CODI_ANNUAL_PLAN: "FY",
    NodeKind.ANNUAL_PROGRAMME: "P",
    NodeKind.GOAL: "G",
    NodeKind.PROGRAMME: "P",
    # The chain: NS-4 → NS-4-Z1; MP-2566-16 → MP-2566-16-Y1 and MP-2566-16-S1 → MP-2566-16-S1-T1.
    NodeKind.STRATEGY_TARGET: "Z",
    NodeKind.MASTER_PLAN_TARGET: "Y",
    NodeKind.SUB_PLAN: "S",
    NodeKind.SUB_PLAN_TARGET: "T",
}
ROOT_CODE_PREFIXES = {NodeKind.CODI_STRATEGY: "CODI-S", NodeKind.CODI_ACTION_PLAN: "CODI-AP"}
CODE_MAX_LENGTH = PlanNode._meta.get_field("code").max_length


def _lock_node(node: PlanNode) -> PlanNode:
    try:
        return PlanNode.objects.select_for_update().get(pk=node.pk)
    except PlanNode.DoesNotExist:
        raise ValidationError(_("This plan item no longer exists."), code="gone") from None


def _lock_for_edit(node: PlanNode, by, expected_revision) -> PlanNode:
    locked = _lock_node(node)
    if not permissions.can_edit_plan_node(by, locked):
        raise PermissionDenied(_("You may not change this plan item."))
    check_revision(locked, expected_revision)
    return locked


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be edited: %(fields)s") % {"fields": ", ".join(sorted(unknown))}, code="unknown"
        )


def normal_official_code(value) -> str:
    """Read an official code as typed: Thai digits become Arabic ones, spaces and dashes go (16-01-01 → 160101)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).translate(THAI_DIGITS)
    return "".join(ch for ch in text if not ch.isspace() and ch not in "-–.")


CODE_SHAPES = {
    NodeKind.STRATEGY_TARGET: gettext_lazy("four digits: the strategy's number and the target's (e.g. 0401)"),
    NodeKind.MASTER_PLAN_TARGET: gettext_lazy(
        "six digits: the master plan's number, 00, and the target's (e.g. 160001)"
    ),
    NodeKind.SUB_PLAN: gettext_lazy("four digits: the master plan's number and the sub-plan's (e.g. 1601)"),
    NodeKind.SUB_PLAN_TARGET: gettext_lazy("six digits: the sub-plan's code and the target's number (e.g. 160101)"),
}


def _edition(node: PlanNode | None) -> int | None:
    """Return the id of the item's master-plan edition (or plan root): official codes are unique within it."""
    while node is not None and node.parent_id is not None and node.kind != NodeKind.MASTER_PLAN_SET:
        node = node.parent
    return node.pk if node is not None else None


def official_code_errors(node: PlanNode) -> list[str]:
    """Check a node's official code against its kind and parent; return what is wrong (translated), or nothing."""
    code = node.official_code
    if node.kind not in CHAIN_KINDS:
        return [_("Only chain items (Z, Y2, sub-plans, Y1) have an official code.")] if code else []
    if not code:
        return [_("Give the official code NESDC uses: %(shape)s.") % {"shape": CODE_SHAPES[node.kind]}]
    if not re.fullmatch(OFFICIAL_CODE_PATTERNS[node.kind], code):
        return [_("The official code “%(code)s” is not %(shape)s.") % {"code": code, "shape": CODE_SHAPES[node.kind]}]
    if code[-2:] == "00":
        return [_("The official code “%(code)s” ends in 00; numbers start at 01.") % {"code": code}]
    parent = node.parent
    if node.kind == NodeKind.SUB_PLAN_TARGET:
        prefix = parent.official_code if parent is not None else ""
        whose = _("the sub-plan's code")
    else:
        prefix = f"{parent.number:02d}" if parent is not None and parent.number is not None else ""
        whose = _("the strategy's number") if node.kind == NodeKind.STRATEGY_TARGET else _("the master plan's number")
    if prefix and not code.startswith(prefix):
        return [
            _("The official code “%(code)s” must start with %(prefix)s, %(whose)s.")
            % {"code": code, "prefix": prefix, "whose": whose}
        ]
    edition = _edition(parent)
    twins = (
        PlanNode.objects.filter(kind=node.kind, official_code=code, is_draft=False)
        .exclude(pk=node.pk)
        .select_related(PARENT_CHAIN)
    )
    for twin in twins:
        if _edition(twin.parent) == edition:
            return [
                _("The official code “%(code)s” is already used by %(name)s (%(item)s).")
                % {"code": code, "name": twin.name, "item": twin.code}
            ]
    return []


def _validate(node: PlanNode) -> None:
    errors = {}
    node.official_code = normal_official_code(node.official_code)
    code_errors = official_code_errors(node)
    if code_errors:
        errors["official_code"] = code_errors
    if not (node.name_th or "").strip():
        errors["name_th"] = _("Give the item a Thai name.")
    if node.period_start_be and node.period_end_be and node.period_start_be > node.period_end_be:
        errors["period_end_be"] = _("The period ends before it starts.")
    if node.target_value is not None and node.target_value < 0:
        errors["target_value"] = _("A target cannot be negative.")
    if errors:
        raise ValidationError(errors)
    node.full_clean(exclude=["parent", "code"], validate_unique=False)


def _save(node: PlanNode, by, reason: str) -> None:
    bump_revision(node, by)
    node._change_reason = reason
    node.save()


def descendant_ids(node: PlanNode) -> set[int]:
    """Collect the ids below a node, one query per level (CODI plans are four levels deep)."""
    found, frontier = set(), {node.pk}
    while frontier:
        frontier = set(PlanNode.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - found
        found |= frontier
    return found


def tambon_project_count(node: PlanNode) -> int:
    """Count the tambon projects that point at the node as their workstream, goal or programme."""
    # Related names of workstreams.Project's foreign keys; strategies never imports workstreams.
    return sum(getattr(node, name).count() for name in PROJECT_LINKS)


# Related names of the links from workstreams.Project (and budgets.BudgetRequest for targets) to plan items.
PROJECT_LINKS = (
    "tambon_projects",
    "goal_projects",
    "programme_projects",
    "primary_target_projects",
    "secondary_target_projects",
)


def _used_by_projects(ids) -> bool:
    return (
        PlanNode.objects.filter(pk__in=ids)
        .filter(Q(tambon_projects__isnull=False) | Q(goal_projects__isnull=False) | Q(programme_projects__isnull=False))
        .exists()
    )


def _workstream_id(node: PlanNode | None):
    while node is not None and node.kind != NodeKind.WORKSTREAM:
        node = node.parent
    return node.pk if node is not None else None


def _generate_code(parent: PlanNode | None, kind: str, number) -> str:
    if parent is None:
        base, n = ROOT_CODE_PREFIXES[kind], number
        candidate = f"{base}{n}" if n else base
    else:
        base = f"{parent.code}-{CODE_LETTERS[kind]}"
        n = number or 1
        candidate = f"{base}{n}"
    taken = set(PlanNode.objects.filter(code__startswith=base).values_list("code", flat=True))
    suffix = 2
    while candidate in taken:
        if parent is None:
            candidate = f"{base}{n}-{suffix}" if n else f"{base}-{suffix}"
            suffix += 1
        else:
            n += 1
            candidate = f"{base}{n}"
    if len(candidate) > CODE_MAX_LENGTH:
        raise ValidationError(_("The plan is nested too deeply to name a new item here."), code="code_too_long")
    return candidate


@transaction.atomic
def update_plan_node(*, node: PlanNode, by, expected_revision: int, **fields) -> PlanNode:
    """Change a CODI plan item's names, vision, description, period, edition and headline target."""
    node = _lock_for_edit(node, by, expected_revision)
    _check_fields(fields)
    changed = {name: value for name, value in fields.items() if getattr(node, name) != value}
    if not changed:
        return node
    for name, value in changed.items():
        setattr(node, name, value)
    _validate(node)
    _save(node, by, "edited")
    return node


@transaction.atomic
def create_plan_node(*, parent: PlanNode | None, kind: str, by, **fields) -> PlanNode:
    """Add a CODI plan item under an item that may hold it (or start a new CODI plan); its code is generated."""
    if parent is not None:
        parent = _lock_node(parent)
    if not permissions.can_add_plan_node(by, parent, kind):
        if not permissions.can_edit_plan(by) or (parent is not None and not permissions.may_hold_children(parent)):
            raise PermissionDenied(_("You may not add items here."))
        raise ValidationError(
            _("An item of kind “%(kind)s” cannot be added here.")
            % {"kind": NodeKind(kind).label if kind in NodeKind else kind},
            code="kind",
        )
    _check_fields(fields)
    if fields.get("number") is None:
        siblings = PlanNode.objects.filter(parent=parent, kind=kind)
        fields["number"] = (siblings.aggregate(top=Max("number"))["top"] or 0) + 1 if parent is not None else None
    # Plans that stand for a period are coded by their first year (CODI-AP2566, CODI-AP-FY2564).
    by_year = parent is None or (kind == NodeKind.CODI_ANNUAL_PLAN and fields.get("period_start_be"))
    number = fields.get("period_start_be") if by_year else fields["number"]
    # An item added to a draft plan is part of the draft until the plan is published.
    node = PlanNode(parent=parent, kind=kind, is_draft=bool(parent is not None and parent.is_draft), **fields)
    _validate(node)
    node.code = _generate_code(parent, kind, number)
    node._history_user = by
    node._change_reason = "created"
    node.save()
    return node


@transaction.atomic
def move_plan_node(*, node: PlanNode, new_parent: PlanNode, by, expected_revision: int) -> PlanNode:
    """Hang a CODI plan item under another item that may hold it; its code stays, so links keep working."""
    node = _lock_for_edit(node, by, expected_revision)
    if new_parent is None:
        raise ValidationError({"new_parent": ValidationError(_("Choose where the item goes."), code="required")})
    new_parent = PlanNode.objects.select_related(PARENT_CHAIN).get(pk=new_parent.pk)
    if new_parent.pk == node.pk or node.pk in {a.pk for a in new_parent.ancestors()}:
        raise ValidationError(
            {"new_parent": ValidationError(_("An item cannot be moved inside itself."), code="cycle")}
        )
    if not permissions.can_add_plan_node(by, new_parent, node.kind):
        message = _("An item of kind “%(kind)s” cannot sit under an item of kind “%(parent)s”.") % {
            "kind": node.get_kind_display(),
            "parent": new_parent.get_kind_display(),
        }
        raise ValidationError({"new_parent": ValidationError(message, code="kind")})
    if new_parent.pk == node.parent_id:
        return node
    if new_parent.is_draft != node.is_draft:
        # A draft is rolled forward from a published plan, never woven into one (published plans stay as they were).
        message = _("An item cannot move between a draft plan and a published one.")
        raise ValidationError({"new_parent": ValidationError(message, code="draft")})
    old_parent = PlanNode.objects.select_related(PARENT_CHAIN).get(pk=node.parent_id) if node.parent_id else None
    # A tambon project names its workstream, goal and programme together; they must stay in one workstream.
    changes_workstream = node.kind != NodeKind.WORKSTREAM and _workstream_id(old_parent) != _workstream_id(new_parent)
    if changes_workstream and _used_by_projects({node.pk} | descendant_ids(node)):
        message = _("Tambon projects use this item or an item below it; it cannot move to another workstream.")
        raise ValidationError({"new_parent": ValidationError(message, code="in_use")})
    node.parent = new_parent
    if node.kind in CHAIN_KINDS:
        problems = official_code_errors(node)
        if problems:
            raise ValidationError({"new_parent": ValidationError(problems, code="official_code")})
    _save(node, by, "moved")
    return node


@transaction.atomic
def set_alignment(*, node: PlanNode, targets, by, expected_revision: int) -> PlanNode:
    """Say which national items a CODI plan item serves; the old and new links stay in its history."""
    node = _lock_for_edit(node, by, expected_revision)
    wanted = {t.pk for t in targets}
    found = dict(PlanNode.objects.filter(pk__in=wanted).values_list("pk", "kind"))
    if set(found) != wanted:
        message = _("Some of the chosen items no longer exist.")
        raise ValidationError({"targets": ValidationError(message, code="gone")})
    allowed = permissions.alignment_kinds(node.kind)
    if any(kind not in allowed for kind in found.values()):
        if node.kind == NodeKind.MASTER_PLAN_TARGET:
            message = _("A master-plan target (Y2) serves national strategy targets (Z) only.")
        elif node.kind == NodeKind.SUB_PLAN_TARGET:
            message = _("A sub-plan target (Y1) serves its master plan's issue targets (Y2) only.")
        elif node.kind in CHAIN_KINDS:
            message = _("National strategy targets and sub-plans are placed by their parent, not aligned.")
        else:
            message = _("A CODI item can only be aligned to national strategy, master, reform or housing plans.")
        raise ValidationError({"targets": ValidationError(message, code="not_national")})
    if node.kind == NodeKind.SUB_PLAN_TARGET and wanted:
        master = node.parent.parent_id if node.parent is not None else None
        if PlanNode.objects.filter(pk__in=wanted).exclude(parent_id=master).exists():
            message = _("A sub-plan target (Y1) serves the issue targets (Y2) of its own master plan only.")
            raise ValidationError({"targets": ValidationError(message, code="other_master_plan")})
    current = set(node.aligns_to.values_list("pk", flat=True))
    if wanted == current:
        return node
    # Change the links quietly, then save once: one history row holds both the new revision and the links.
    node.skip_history_when_saving = True
    try:
        node.aligns_to.set(wanted)
    finally:
        del node.skip_history_when_saving
    _save(node, by, "alignment changed")
    return node


@transaction.atomic
def delete_plan_node(*, node: PlanNode, by, expected_revision: int) -> None:
    """Delete a CODI plan item that holds nothing and that no tambon project uses."""
    node = _lock_for_edit(node, by, expected_revision)
    children = node.children.count()
    if children:
        raise ValidationError(
            _("This item still holds %(count)s items; move or delete them first.") % {"count": children},
            code="has_children",
        )
    projects = tambon_project_count(node)
    if node.kind == NodeKind.SUB_PLAN_TARGET and not projects and node.secondary_target_budget_requests.exists():
        raise ValidationError(_("Budget requests serve this target; it cannot be deleted."), code="in_use")
    if projects:
        raise ValidationError(
            _("%(count)s tambon projects use this item; it cannot be deleted.") % {"count": projects},
            code="in_use",
        )
    node._history_user = by
    node._change_reason = "deleted"
    try:
        node.delete()
    except ProtectedError:
        raise ValidationError(_("Other records still use this item; it cannot be deleted."), code="in_use") from None


# --- Plan cycles: roll forward and publish ---------------------------------------------------------------------------
# The next CODI plan starts as a draft copy of the current one: its workstreams, goals and programmes (annual plans of
# past years stay behind), their alignment to the national plans, and, through the plan_rolled_forward signal, the
# indicators and targets the indicators app keeps. The copy never touches the old rows: published plans stay as they
# were. Every copied item remembers its source (copied_from), so tambon plans can follow the lineage.

YEAR_SUFFIX = re.compile(r"-\d{4}$")


def copy_code(code: str, year: int, taken: set[str]) -> str:
    """Derive a copy's code from its source and the new period's first year: WS-ECONOMY → WS-ECONOMY-2569."""
    suffix = f"-{year}"
    base = YEAR_SUFFIX.sub("", code)[: CODE_MAX_LENGTH - len(suffix)]
    candidate, n = f"{base}{suffix}", 2
    while candidate in taken:
        extra = f"{suffix}-{n}"
        candidate, n = f"{base[: CODE_MAX_LENGTH - len(extra)]}{extra}", n + 1
    taken.add(candidate)
    return candidate


def check_plan_period(period_start_be, period_end_be) -> tuple[int, int]:
    """Read a plan period (B.E. years, Thai digits fine); refuse a missing, reversed or implausible one."""
    errors = {}
    years = {}
    for field, value, label in (
        ("period_start_be", period_start_be, _("First year")),
        ("period_end_be", period_end_be, _("Last year")),
    ):
        try:
            years[field] = parse_be_year(value, label=label)
        except ValidationError as error:
            errors[field] = error
            continue
        if years[field] is None:
            errors[field] = ValidationError(_("%(field)s: give a year (B.E.).") % {"field": label}, code="required")
    if errors:
        raise ValidationError(errors)
    first, last = years["period_start_be"], years["period_end_be"]
    if first > last:
        raise ValidationError({"period_end_be": ValidationError(_("The period ends before it starts."), code="order")})
    return first, last


def _renamed(text: str, old: tuple, new: tuple) -> str:
    """Write the new period where the old one appears in a name (B.E., and C.E. in English names)."""
    if not text or None in old:
        return text
    for offset in (0, BE_OFFSET):
        pattern = re.compile(rf"{old[0] - offset}(\s*[-–]\s*){old[1] - offset}")
        text = pattern.sub(lambda m, o=offset: f"{new[0] - o}{m.group(1)}{new[1] - o}", text)
    return text


def _tree_to_copy(plan: PlanNode, first: int) -> list[PlanNode]:
    """Return the plan's items top-down, without annual plans (and their programmes) for years before the period."""
    ordered, frontier = [], [plan.pk]
    while frontier:
        level = list(
            PlanNode.objects.filter(parent_id__in=frontier)
            .exclude(kind=NodeKind.CODI_ANNUAL_PLAN, period_start_be__lt=first)
            .exclude(kind=NodeKind.CODI_ANNUAL_PLAN, period_start_be__isnull=True)
            .prefetch_related("aligns_to")
            .order_by("number", "code")
        )
        ordered += level
        frontier = [n.pk for n in level]
    return ordered


@transaction.atomic
def roll_forward_plan(*, plan: PlanNode, period_start_be, period_end_be, by) -> PlanNode:
    """Start the next CODI plan as a draft copy of a published one, for a later period; the old plan is not touched."""
    plan = _lock_node(plan)
    if not permissions.can_roll_forward_plan(by, plan):
        raise PermissionDenied(_("Only CODI central staff roll a published CODI plan forward."))
    first, last = check_plan_period(period_start_be, period_end_be)
    if plan.period_start_be and first <= plan.period_start_be:
        message = _("The new plan must start after %(year)s, the first year of the plan it follows.") % {
            "year": plan.period_start_be
        }
        raise ValidationError({"period_start_be": ValidationError(message, code="not_later")})
    same = selectors.codi_plans().filter(period_start_be=first, period_end_be=last).first()
    if same is not None:
        message = _("A CODI plan for %(first)s–%(last)s already exists (%(code)s); edit that one.") % {
            "first": first,
            "last": last,
            "code": same.code,
        }
        raise ValidationError({"period_start_be": ValidationError(message, code="exists")})
    taken = set(PlanNode.objects.values_list("code", flat=True))
    old_period, new_period = (plan.period_start_be, plan.period_end_be), (first, last)
    mapping: dict[int, PlanNode] = {}
    sources = [PlanNode.objects.prefetch_related("aligns_to").get(pk=plan.pk), *_tree_to_copy(plan, first)]
    for source in sources:
        copy = PlanNode(
            code=copy_code(source.code, first, taken),
            kind=source.kind,
            parent=mapping[source.parent_id] if source.parent_id else None,
            copied_from=source,
            is_draft=True,
            source_th=source.source_th,
            **{f: getattr(source, f) for f in NODE_CONTENT_FIELDS},
        )
        if source.pk == plan.pk:
            copy.period_start_be, copy.period_end_be = first, last
            copy.name_th = _renamed(copy.name_th, old_period, new_period)
            copy.name_en = _renamed(copy.name_en, old_period, new_period)
        copy._history_user = by
        copy._change_reason = "rolled forward"
        copy.save()
        links = [n.pk for n in source.aligns_to.all()]
        if links:
            copy.aligns_to.set(links)  # a second history row records the links
        mapping[source.pk] = copy
    new_plan = mapping[plan.pk]
    signals.plan_rolled_forward.send(sender=PlanNode, old_plan=plan, new_plan=new_plan, mapping=mapping, by=by)
    return new_plan


@transaction.atomic
def publish_plan(*, plan: PlanNode, by) -> PlanNode:
    """Publish a draft CODI plan and everything under it; from its first year it is the plan in force."""
    plan = _lock_node(plan)
    if not permissions.can_publish_plan(by, plan):
        if permissions.can_edit_plan(by) and not plan.is_draft:
            raise ValidationError(_("This plan is already published."), code="published")
        raise PermissionDenied(_("Only CODI central staff publish a draft CODI plan."))
    clash = (
        selectors.codi_plans()
        .filter(is_draft=False, period_start_be=plan.period_start_be, period_end_be=plan.period_end_be)
        .exclude(pk=plan.pk)
        .first()
    )
    if clash is not None:
        message = _("Another published CODI plan (%(code)s) already covers exactly %(first)s–%(last)s.") % {
            "code": clash.code,
            "first": plan.period_start_be,
            "last": plan.period_end_be,
        }
        raise ValidationError(message, code="period_taken")
    if not plan.period_start_be or not plan.period_end_be:
        raise ValidationError(_("Give the plan its first and last year before publishing it."), code="no_period")
    below = PlanNode.objects.select_for_update().filter(pk__in=descendant_ids(plan))
    for node in [plan, *below]:
        node.is_draft = False
        _save(node, by, "published")
    return plan
