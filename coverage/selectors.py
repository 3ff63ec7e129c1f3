"""What serves each plan item (tambon projects, their money and progress) and which plan items nothing serves.

Definitions (also in the README, "What serves each plan item, and coverage"):

- A **project serves** a plan item when its programme, goal, workstream or eMENSCR target (primary or secondary
  Y1) is the item, lies under it, or, for a national item, counts under it through the alignment:
  ``indicators.selectors.PlanTree.scope`` decides "what counts under what" once for indicators and projects.
- Only projects of tambon plans the province **accepted** (or the region endorsed) whose period covers the fiscal
  year count, inside the person's area (``Project.objects.visible_to``) and the chosen area.
- **Planned**: the project's budget lines in its tambon plan for the fiscal year, all sources of funds.
- **Requested / approved / spent**: a budget request (budgets.BudgetRequest) of the fiscal year funds one or more
  projects; its requested amount (from submission on), approved amount and recorded spending (approved, in
  execution or closed requests) are shared **equally among the projects it funds**, so adding projects up never
  counts a request twice.
- **Progress**: ``progress.selectors.project_progress`` and ``rollup`` (approved reports only); "spent (reported)"
  is the money the reports give.

Every read here takes a constant number of queries whatever the number of projects.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.scope import scope_of
from areas.models import District, Province, ProvinceGroup, Region, Subdistrict
from areas.selectors import tambon_counts
from budgets.maps import provinces_for
from budgets.models import COMMITTED_STATUSES, REQUESTED_STATUSES, BudgetRequest
from codi_plans.thai_calendar import current_fiscal_year
from indicators.models import Indicator, Result
from indicators.selectors import PlanTree
from progress.models import ProjectProgress
from progress.selectors import ProjectFigure, Rollup, project_progress, rollup
from strategies.models import NodeKind, PlanNode
from strategies.selectors import latest_plan, plan_in_force
from workstreams.models import CONSOLIDATED_STATUSES, Project, ProjectBudget

ZERO = Decimal(0)
CENT = Decimal("0.01")
HUNDRED = Decimal(100)

COUNTRY, REGION, GROUP, PROVINCE, DISTRICT, TAMBON = (
    "country",
    "region",
    "province_group",
    "province",
    "district",
    "tambon",
)
CHILD_LEVEL = {COUNTRY: REGION, REGION: GROUP, GROUP: PROVINCE, PROVINCE: DISTRICT, DISTRICT: TAMBON}
LEVEL_LABELS = {
    COUNTRY: gettext_lazy("Whole country"),
    REGION: gettext_lazy("Region"),
    GROUP: gettext_lazy("Province group"),
    PROVINCE: gettext_lazy("Province"),
    DISTRICT: gettext_lazy("District"),
    TAMBON: gettext_lazy("Tambon"),
}
# A project's place, as values() paths from Project.
AREA_PATHS = {
    REGION: "plan__tambon__province__region_id",
    GROUP: "plan__tambon__province__group_id",
    PROVINCE: "plan__tambon__province_id",
    DISTRICT: "plan__tambon__district_id",
    TAMBON: "plan__tambon_id",
}
AREA_MODELS = {REGION: Region, GROUP: ProvinceGroup, PROVINCE: Province, DISTRICT: District, TAMBON: Subdistrict}


def _money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


# --- The plan tree --------------------------------------------------------------------------------------------------

# The columns the roll-ups and the pages read of a plan item (not its long texts).
TREE_FIELDS = (
    "id",
    "code",
    "kind",
    "parent",
    "number",
    "name_th",
    "name_en",
    "name_known",
    "official_code",
    "period_start_be",
    "period_end_be",
    "is_draft",
)


class Tree(PlanTree):
    """indicators.selectors.PlanTree, whose rules decide what counts under what, loaded without the long texts."""

    def __init__(self):
        light = PlanNode.objects.only(*TREE_FIELDS)
        self.nodes = {n.id: n for n in light.prefetch_related(Prefetch("aligns_to", queryset=light))}
        self.children = {}
        for node in self.nodes.values():
            self.children.setdefault(node.parent_id, []).append(node)
        for kids in self.children.values():
            kids.sort(key=lambda n: (n.number or 0, n.code))


# --- The chosen area ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    """The area a page or API call is narrowed to (the whole country when `area` is None)."""

    level: str = COUNTRY
    area: object | None = None

    @property
    def code(self) -> str:
        if self.area is None:
            return ""
        if self.level == REGION:
            return self.area.key
        if self.level == GROUP:
            return str(self.area.number)
        return self.area.code

    @property
    def name(self) -> str:
        return str(LEVEL_LABELS[COUNTRY]) if self.area is None else self.area.name

    @property
    def child_level(self) -> str:
        return CHILD_LEVEL[self.level]

    def project_q(self, path: str = "plan__tambon__") -> Q:
        """Projects (or anything reaching a tambon through `path`) inside the area."""
        if self.area is None:
            return Q()
        lookup = {
            REGION: "province__region_id",
            GROUP: "province__group_id",
            PROVINCE: "province_id",
            DISTRICT: "district_id",
        }[self.level]
        return Q(**{f"{path}{lookup}": self.area.pk})

    def province_q(self, path: str = "province__") -> Q:
        """Rows set on a province (budget requests) inside the area; a district's requests are its province's."""
        if self.area is None:
            return Q()
        if self.level == REGION:
            return Q(**{f"{path}region_id": self.area.pk})
        if self.level == GROUP:
            return Q(**{f"{path}group_id": self.area.pk})
        if self.level == PROVINCE:
            return Q(**{f"{path}id": self.area.pk})
        return Q(**{f"{path}id": self.area.province_id})

    def result_q(self) -> Q:
        """Indicator results (set on one area of any level) inside the area."""
        if self.area is None:
            return Q()
        pk = self.area.pk
        if self.level == REGION:
            return Q(region_id=pk) | Q(province_group__region_id=pk) | Q(province__region_id=pk)
        if self.level == GROUP:
            return Q(province_group_id=pk) | Q(province__group_id=pk)
        if self.level == PROVINCE:
            return Q(province_id=pk)
        return Q(district_id=pk)


def resolve_area(user, *, region="", province_group=None, province="", district="") -> Area:
    """Return the most specific area named (district over province over group over region).

    An unknown code is a ValidationError on its field; an area that does not overlap the user's is refused.
    With none named, a regional user's region and a coordinator's province are the default.
    """
    wanted = [
        (DISTRICT, "district", district, District, "code"),
        (PROVINCE, "province", province, Province, "code"),
        (GROUP, "province_group", province_group, ProvinceGroup, "number"),
        (REGION, "region", region, Region, "key"),
    ]
    scope = scope_of(user)
    for level, name, value, model, field_name in wanted:
        if value in (None, ""):
            continue
        try:
            area = model.objects.get(**{field_name: value})
        except (model.DoesNotExist, ValueError, TypeError):
            raise ValidationError({name: _("Unknown code %(code)s.") % {"code": value}}) from None
        if not scope.is_national and not model.objects.filter(scope.overlapping(level=level), pk=area.pk).exists():
            raise PermissionDenied(_("That area is outside yours."))
        return Area(level, area)
    if scope.kind == REGION:
        return Area(REGION, Region.objects.get(pk=scope.region_id))
    if scope.kind == PROVINCE:
        return Area(PROVINCE, Province.objects.get(pk=scope.province_id))
    return Area()


# --- Projects serving an item ------------------------------------------------------------------------------------


def counted_projects(user, *, fiscal_year: int, area: Area):
    """Projects of accepted or endorsed tambon plans covering the fiscal year, in the user's and the chosen area."""
    return (
        Project.objects.visible_to(user)
        .filter(
            plan__status__in=CONSOLIDATED_STATUSES,
            plan__period_start_be__lte=fiscal_year,
            plan__period_end_be__gte=fiscal_year,
        )
        .filter(area.project_q())
    )


def serving_q(ids) -> Q:
    """Projects whose programme, goal, workstream or Y1 target is one of the plan items `ids`."""
    ids = sorted(ids)
    secondary = Project.secondary_targets.through.objects.filter(plannode_id__in=ids).values("project_id")
    return (
        Q(programme_id__in=ids)
        | Q(goal_id__in=ids)
        | Q(workstream_id__in=ids)
        | Q(primary_target_id__in=ids)
        | Q(pk__in=secondary)
    )


def served_projects(user, node: PlanNode, *, fiscal_year: int, area: Area, tree: PlanTree | None = None):
    """The projects serving the plan item (see the module's definition), ordered for listing."""
    tree = tree or Tree()
    return (
        counted_projects(user, fiscal_year=fiscal_year, area=area)
        .filter(serving_q(tree.scope(node)))
        .order_by("plan__tambon__province__code", "plan__tambon__code", "plan_id", "number")
    )


@dataclass
class Money:
    planned: Decimal = ZERO
    requested: Decimal = ZERO
    approved: Decimal = ZERO
    spent: Decimal = ZERO

    def add(self, other: Money) -> None:
        self.planned += other.planned
        self.requested += other.requested
        self.approved += other.approved
        self.spent += other.spent

    def rounded(self) -> Money:
        return Money(*(_money(v) for v in (self.planned, self.requested, self.approved, self.spent)))


def project_money(projects_qs, fiscal_year: int) -> dict[int, Money]:
    """Each project's planned money and its share of the budget requests funding it, in three queries."""
    ids = projects_qs.order_by().values("pk")
    money: dict[int, Money] = defaultdict(Money)
    for project_id, total in (
        ProjectBudget.objects.filter(project__in=ids, fiscal_year=fiscal_year)
        .order_by()
        .values_list("project_id")
        .annotate(total=Sum("amount"))
    ):
        money[project_id].planned = total
    links = list(
        BudgetRequest.projects.through.objects.filter(
            project__in=ids,
            budgetrequest__fiscal_year=fiscal_year,
            budgetrequest__status__in=REQUESTED_STATUSES,
        ).values_list("project_id", "budgetrequest_id")
    )
    requests = {
        pk: (status, requested, approved, spent, funded)
        for pk, status, requested, approved, spent, funded in BudgetRequest.objects.filter(
            pk__in={r for _p, r in links}
        )
        .order_by()
        .annotate(funded=Count("projects"))
        .values_list("pk", "status", "requested_amount", "approved_amount", "spent_amount", "funded")
    }
    for project_id, request_id in links:
        status, requested, approved, spent, funded = requests[request_id]
        share = money[project_id]
        share.requested += Decimal(requested) / funded
        if status in COMMITTED_STATUSES:
            share.approved += Decimal(approved or 0) / funded
            share.spent += Decimal(spent) / funded
    return money


@dataclass
class Group:
    """Projects added up: one row of a roll-up table (or the total)."""

    key: object
    label: str
    code: str = ""
    projects: int = 0
    tambons: int = 0
    progress: Rollup | None = None
    money: Money = field(default_factory=Money)


@dataclass(frozen=True)
class Fact:
    """What the roll-ups need to know of one project (no model instance)."""

    pk: int
    nodes: frozenset  # its workstream, goal, programme and Y1 targets
    places: dict  # level → area id


def project_facts(projects_qs) -> list[Fact]:
    """Every project's plan items and places, in two queries."""
    fields = ["pk", "workstream_id", "goal_id", "programme_id", "primary_target_id", *AREA_PATHS.values()]
    rows = list(projects_qs.order_by().values_list(*fields))
    secondary = defaultdict(set)
    for project_id, node_id in Project.secondary_targets.through.objects.filter(
        project__in=projects_qs.order_by().values("pk")
    ).values_list("project_id", "plannode_id"):
        secondary[project_id].add(node_id)
    levels = list(AREA_PATHS)
    facts = []
    for row in rows:
        nodes = {n for n in row[1:5] if n is not None} | secondary.get(row[0], set())
        facts.append(Fact(pk=row[0], nodes=frozenset(nodes), places=dict(zip(levels, row[5:], strict=True))))
    return facts


def add_up(key, label, facts, figures, money, code="") -> Group:
    """Add projects' progress and money up (progress through progress.selectors.rollup)."""
    group = Group(key=key, label=label, code=code, projects=len(facts))
    group.tambons = len({f.places[TAMBON] for f in facts})
    group.progress = rollup(figures[f.pk] for f in facts)
    for fact in facts:
        if fact.pk in money:
            group.money.add(money[fact.pk])
    group.money = group.money.rounded()
    return group


def plan_parts(tree: PlanTree, node: PlanNode) -> list[PlanNode]:
    """The rows of the plan-tree roll-up: a CODI item's children, a national item's parts (children and servers)."""
    if node.is_national:
        return tree.parts(node)
    return list(tree.children.get(node.id, []))


def area_names(level: str, ids) -> dict:
    model = AREA_MODELS[level]
    extra = ["key"] if level == REGION else ["number"] if level == GROUP else ["code"]
    return {
        a.pk: a
        for a in model.objects.filter(pk__in=[i for i in ids if i is not None]).only("name_th", "name_en", *extra)
    }


def area_code_of(level: str, area) -> str:
    return area.key if level == REGION else str(area.number) if level == GROUP else area.code


def by_area(facts, figures, money, level: str) -> list[Group]:
    """Roll the projects up by the areas of one level (one query for the areas' names)."""
    buckets = defaultdict(list)
    for fact in facts:
        buckets[fact.places[level]].append(fact)
    names = area_names(level, buckets)
    groups = []
    for area_id, members in buckets.items():
        area = names.get(area_id)
        label = area.name if area is not None else _("No %(level)s") % {"level": str(LEVEL_LABELS[level]).lower()}
        code = area_code_of(level, area) if area is not None else ""
        groups.append(add_up(area_id, label, members, figures, money, code=code))
    return sorted(groups, key=lambda g: (g.code == "", g.code.zfill(6) if g.code.isdigit() else g.code, g.label))


@dataclass
class Drill:
    node: PlanNode
    fiscal_year: int
    area: Area
    projects: object  # queryset of the projects serving the item, ordered for listing
    total: Group
    by_plan: list[Group]
    by_area: list[Group]
    figures: dict[int, ProjectFigure]
    money: dict[int, Money]

    @property
    def child_level_label(self):
        return LEVEL_LABELS[self.area.child_level]


def drill(user, node: PlanNode, *, fiscal_year: int | None = None, area: Area | None = None) -> Drill:
    """What serves a plan item: its projects, their money and progress, rolled up the plan tree and the geography."""
    fiscal_year = fiscal_year or current_fiscal_year()
    area = area or Area()
    tree = Tree()
    projects = served_projects(user, node, fiscal_year=fiscal_year, area=area, tree=tree)
    facts = project_facts(projects)
    figures = project_progress(projects, fiscal_year)
    money = project_money(projects, fiscal_year)
    total = add_up(node.pk, node.name, facts, figures, money, code=node.code)
    parts = []
    for part in plan_parts(tree, node):
        scope = tree.scope(part)
        inside = {combo: bool(combo & scope) for combo in {f.nodes for f in facts}}
        members = [f for f in facts if inside[f.nodes]]
        parts.append(add_up(part.pk, part.name, members, figures, money, code=part.code))
    return Drill(
        node=node,
        fiscal_year=fiscal_year,
        area=area,
        projects=projects,
        total=total,
        by_plan=parts,
        by_area=by_area(facts, figures, money, area.child_level),
        figures=figures,
        money=money,
    )


# The plan item's own page adds projects' progress and money up only up to this many projects; above it (a
# workstream, the CODI plan or a master plan at national scale) it counts them in one query and links to the drill.
SUMMARY_LIMIT = 2000


def summary(
    user, node: PlanNode, *, fiscal_year: int | None = None, area: Area | None = None, limit: int = SUMMARY_LIMIT
) -> Group:
    """The drill's total only (the plan item's own page shows it), by default in the user's own area.

    With more than `limit` projects only the numbers of projects and tambons are given (progress is None), so that
    the plan item's page stays quick whatever the item.
    """
    fiscal_year = fiscal_year or current_fiscal_year()
    area = area or resolve_area(user)
    projects = served_projects(user, node, fiscal_year=fiscal_year, area=area)
    counts = projects.order_by().aggregate(projects=Count("pk"), tambons=Count("plan__tambon", distinct=True))
    if counts["projects"] > limit:
        return Group(key=node.pk, label=node.name, code=node.code, **counts)
    facts = project_facts(projects)
    return add_up(
        node.pk,
        node.name,
        facts,
        project_progress(projects, fiscal_year),
        project_money(projects, fiscal_year),
        code=node.code,
    )


def page_rows(projects, drill_result: Drill) -> list[tuple]:
    """(project, figure, money) for the projects of one page of the list."""
    return [
        (
            p,
            drill_result.figures.get(p.pk, ProjectFigure(project_id=p.pk)),
            drill_result.money.get(p.pk, Money()).rounded(),
        )
        for p in projects
    ]


# --- Coverage ------------------------------------------------------------------------------------------------------

GROUPS = (
    ("national_target", gettext_lazy("National targets")),
    ("master_plan", gettext_lazy("Master plans")),
    ("goal", gettext_lazy("CODI goals")),
    ("programme", gettext_lazy("CODI programmes")),
)
CHAIN_TARGET_KINDS = {NodeKind.STRATEGY_TARGET, NodeKind.MASTER_PLAN_TARGET, NodeKind.SUB_PLAN_TARGET}
GAPS = ("no_project", "no_request", "no_result")


@dataclass
class CoverageItem:
    node: PlanNode
    group: str
    projects: int
    has_request: bool
    has_result: bool

    @property
    def has_project(self) -> bool:
        return self.projects > 0

    @property
    def gaps(self) -> list[str]:
        return [
            gap
            for gap, held in zip(GAPS, (self.has_project, self.has_request, self.has_result), strict=True)
            if not held
        ]


@dataclass
class ShareRow:
    key: object
    label: str
    code: str
    counts: list[int]  # per workstream, in Coverage.workstreams order
    total: int
    shares: list[Decimal | None]  # this area's share of each workstream's projects, in percent

    @property
    def cells(self) -> list[tuple[int, Decimal | None]]:
        return list(zip(self.counts, self.shares, strict=True))


@dataclass
class Coverage:
    plan: PlanNode | None
    in_force: bool
    fiscal_year: int
    area: Area
    items: list[CoverageItem]
    workstreams: list[PlanNode]
    shares: list[ShareRow]
    workstream_totals: list[int]
    tambon_share: dict[str, Decimal | None]  # province code → % of its tambons with a project
    province_names: dict[str, str] = field(default_factory=dict)
    outside: set[str] = field(default_factory=set)  # provinces not wholly inside the user's area

    def group(self, key: str) -> list[CoverageItem]:
        return [i for i in self.items if i.group == key]

    @property
    def groups(self) -> list[tuple[str, str, list[CoverageItem]]]:
        return [(key, label, self.group(key)) for key, label in GROUPS]

    @property
    def project_total(self) -> int:
        return sum(row.total for row in self.shares)

    @property
    def holes(self) -> int:
        return sum(1 for i in self.items if i.gaps)


def _coverage_items(tree: PlanTree, plan: PlanNode) -> list[tuple[str, PlanNode]]:
    """The plan's goals and programmes, the master plans it serves and the national targets it serves."""
    inside = tree.subtree(plan)
    codi = [tree.nodes[i] for i in inside]
    declared = {a.id for n in codi for a in n.aligns_to.all()}
    national = set()
    for node_id in declared:
        national |= {n for n in tree.subtree(tree.nodes[node_id]) if tree.nodes[n].kind in CHAIN_TARGET_KINDS}
        national.add(node_id)
    items = []
    for node_id in national:
        node = tree.nodes[node_id]
        if node.kind == NodeKind.MASTER_PLAN:
            items.append(("master_plan", node))
        elif node.kind != NodeKind.MASTER_PLAN_SET:
            items.append(("national_target", node))
    items += [("goal", n) for n in codi if n.kind == NodeKind.GOAL]
    items += [("programme", n) for n in codi if n.kind == NodeKind.PROGRAMME]

    def order(pair):
        group, node = pair
        return ([g for g, _label in GROUPS].index(group), node.official_code or "", node.code)

    return sorted(items, key=order)


def coverage(user, *, fiscal_year: int | None = None, area: Area | None = None) -> Coverage:
    """Which items of the plan in force nothing serves in the area this fiscal year, and the projects' spread."""
    fiscal_year = fiscal_year or current_fiscal_year()
    area = area or Area()
    plan = plan_in_force(fiscal_year)
    in_force = plan is not None
    plan = plan or latest_plan(fiscal_year)
    tree = Tree()
    if plan is None:
        return Coverage(None, False, fiscal_year, area, [], [], [], [], {})
    projects = counted_projects(user, fiscal_year=fiscal_year, area=area)
    facts = project_facts(projects)
    # What the budget requests of the year name or fund, and what has an approved result this year.
    requests = (
        BudgetRequest.objects.visible_to(user)
        .filter(fiscal_year=fiscal_year, status__in=REQUESTED_STATUSES)
        .filter(area.province_q() if area.level != DISTRICT else area.project_q("projects__plan__tambon__"))
    )
    request_nodes = set()
    for row in requests.order_by().values_list(
        "workstream_id", "programme_id", "national_target_id", "primary_target_id"
    ):
        request_nodes |= {n for n in row if n is not None}
    request_nodes |= set(
        BudgetRequest.secondary_targets.through.objects.filter(budgetrequest__in=requests.values("pk")).values_list(
            "plannode_id", flat=True
        )
    )
    funded = Project.objects.filter(budget_requests__in=requests.values("pk"))
    for row in (
        funded.order_by().values_list("workstream_id", "goal_id", "programme_id", "primary_target_id").distinct()
    ):
        request_nodes |= {n for n in row if n is not None}
    reported = set(
        ProjectProgress.objects.approved()
        .filter(fiscal_year=fiscal_year, project__in=projects.order_by().values("pk"))
        .values_list("project_id", flat=True)
    )
    result_nodes = {n for f in facts if f.pk in reported for n in f.nodes}
    # Per indicator (a few dozen), whether an approved result of the year lies in the area: an index probe each,
    # not a scan of every result.
    approved = Result.objects.approved().filter(area.result_q(), fiscal_year=fiscal_year, indicator=OuterRef("pk"))
    result_nodes |= set(Indicator.objects.filter(Exists(approved)).values_list("plan_node_id", flat=True))
    # Projects share few combinations of plan items: intersect each combination once, not each project.
    combos = Counter(f.nodes for f in facts)
    items = []
    for group, node in _coverage_items(tree, plan):
        scope = tree.scope(node)
        items.append(
            CoverageItem(
                node=node,
                group=group,
                projects=sum(n for combo, n in combos.items() if combo & scope),
                has_request=bool(request_nodes & scope),
                has_result=bool(result_nodes & scope),
            )
        )
    workstreams = [n for n in tree.children.get(plan.id, []) if n.kind == NodeKind.WORKSTREAM]
    shares, totals = _shares(facts, workstreams, tree, area.child_level)
    tambons, names, outside = tambon_share(user, facts)
    return Coverage(
        plan=plan,
        in_force=in_force,
        fiscal_year=fiscal_year,
        area=area,
        items=items,
        workstreams=workstreams,
        shares=shares,
        workstream_totals=totals,
        tambon_share=tambons,
        province_names=names,
        outside=outside,
    )


def _shares(facts, workstreams, tree: PlanTree, level: str) -> tuple[list[ShareRow], list[int]]:
    scopes = [tree.scope(w) for w in workstreams]
    served = {combo: [i for i, scope in enumerate(scopes) if combo & scope] for combo in {f.nodes for f in facts}}
    buckets = defaultdict(lambda: [0] * len(workstreams))
    totals_by_area = defaultdict(int)
    for fact in facts:
        place = fact.places[level]
        totals_by_area[place] += 1
        for index in served[fact.nodes]:
            buckets[place][index] += 1
    column_totals = [sum(row[i] for row in buckets.values()) for i in range(len(workstreams))]
    names = area_names(level, totals_by_area)
    rows = []
    for place, total in totals_by_area.items():
        counts = buckets[place]
        area = names.get(place)
        rows.append(
            ShareRow(
                key=place,
                label=area.name if area is not None else "—",
                code=area_code_of(level, area) if area is not None else "",
                counts=counts,
                total=total,
                shares=[
                    _money(Decimal(c) * HUNDRED / column_totals[i]) if column_totals[i] else None
                    for i, c in enumerate(counts)
                ],
            )
        )
    rows.sort(key=lambda r: (r.code == "", r.code.zfill(6) if r.code.isdigit() else r.code))
    return rows, column_totals


def tambon_share(user, facts) -> tuple[dict[str, Decimal | None], dict[str, str], set[str]]:
    """Per province wholly inside the user's area: the share (%) of its tambons with at least one counted project.

    Also return the provinces' names and the codes of those outside (budgets.maps.provinces_for: a representative,
    who sees only their tambons' projects, gets no province shaded). Three queries.
    """
    with_project = defaultdict(set)
    for fact in facts:
        with_project[fact.places[PROVINCE]].add(fact.places[TAMBON])
    names, outside = provinces_for(user)
    tambons = tambon_counts()
    shares = {}
    for pk, code in Province.objects.order_by().values_list("pk", "code"):
        if code in outside:
            continue
        count = tambons.get(code, 0)
        shares[code] = _money(Decimal(len(with_project.get(pk, ()))) * HUNDRED / count) if count else None
    return shares, names, outside
