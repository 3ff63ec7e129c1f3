"""The plan hierarchy as one tree: national strategy, master plans, reform plan, CODI's plans,
workstreams, their goals and programmes. Alignment links say which national item a CODI item serves."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class NodeKind(models.TextChoices):
    NATIONAL_STRATEGY = "national_strategy", _("National strategy")
    STRATEGY = "strategy", _("Strategy")
    STRATEGIC_ISSUE = "strategic_issue", _("Strategic issue")
    MASTER_PLAN_SET = "master_plan_set", _("Master plans")
    MASTER_PLAN = "master_plan", _("Master plan")
    REFORM_PLAN = "reform_plan", _("National reform plan")
    REFORM_ISSUE = "reform_issue", _("Reform issue")
    REFORM_ELEMENT = "reform_element", _("Reform element")
    HOUSING_MASTER_PLAN = "housing_master_plan", _("Housing master plan")
    HOUSING_STRATEGIC_ISSUE = "housing_strategic_issue", _("Housing strategic issue")
    CODI_STRATEGY = "codi_strategy", _("CODI strategy")
    CODI_STRATEGIC_ISSUE = "codi_strategic_issue", _("CODI strategic issue")
    CODI_ACTION_PLAN = "codi_action_plan", _("CODI action plan")
    CODI_ANNUAL_PLAN = "codi_annual_plan", _("CODI annual plan")
    ANNUAL_PROGRAMME = "annual_programme", _("Annual plan programme")
    WORKSTREAM = "workstream", _("Workstream")
    GOAL = "goal", _("Goal")
    PROGRAMME = "programme", _("Programme")
    # The eMENSCR chain (NESDC): Z → Y2 → sub-plan → Y1 → X (a project). Staff enter these with their official
    # codes; the seed names the master plans only.
    STRATEGY_TARGET = "strategy_target", _("National strategy target (Z)")
    MASTER_PLAN_TARGET = "master_plan_target", _("Master-plan issue target (Y2)")
    SUB_PLAN = "sub_plan", _("Sub-plan")
    SUB_PLAN_TARGET = "sub_plan_target", _("Sub-plan target (Y1)")


# Plan levels as the Budget Bureau and NESDC count them: 1 national strategy, 2 master and reform
# plans, 3 an agency's own plans.
NATIONAL_KINDS = {
    NodeKind.NATIONAL_STRATEGY,
    NodeKind.STRATEGY,
    NodeKind.STRATEGIC_ISSUE,
    NodeKind.MASTER_PLAN_SET,
    NodeKind.MASTER_PLAN,
    NodeKind.REFORM_PLAN,
    NodeKind.REFORM_ISSUE,
    NodeKind.REFORM_ELEMENT,
    NodeKind.HOUSING_MASTER_PLAN,
    NodeKind.HOUSING_STRATEGIC_ISSUE,
    NodeKind.STRATEGY_TARGET,
    NodeKind.MASTER_PLAN_TARGET,
    NodeKind.SUB_PLAN,
    NodeKind.SUB_PLAN_TARGET,
}
LEVEL_ONE_KINDS = {
    NodeKind.NATIONAL_STRATEGY,
    NodeKind.STRATEGY,
    NodeKind.STRATEGIC_ISSUE,
    NodeKind.STRATEGY_TARGET,
}
# The eMENSCR chain's kinds: each carries an official code (PlanNode.official_code).
CHAIN_KINDS = (
    NodeKind.STRATEGY_TARGET,
    NodeKind.MASTER_PLAN_TARGET,
    NodeKind.SUB_PLAN,
    NodeKind.SUB_PLAN_TARGET,
)
# The kind a project's primary and secondary targets have (Y1).
PROJECT_TARGET_KIND = NodeKind.SUB_PLAN_TARGET
# Official codes as NESDC writes them in eMENSCR, as digits: the parent's number (two digits) leads.
#   Z   strategy target      SSTT     strategy 04, target 01 → 0401
#   Y2  master-plan target   MM00TT   master plan 16, target 01 → 160001
#   --  sub-plan             MMSS     master plan 16, sub-plan 01 → 1601
#   Y1  sub-plan target      MMSSTT   master plan 16, sub-plan 01, target 01 → 160101
OFFICIAL_CODE_PATTERNS = {
    NodeKind.STRATEGY_TARGET: r"\d{4}",
    NodeKind.MASTER_PLAN_TARGET: r"\d{2}00\d{2}",
    NodeKind.SUB_PLAN: r"\d{4}",
    NodeKind.SUB_PLAN_TARGET: r"\d{6}",
}
# Deep enough for the deepest chain: action plan → workstream → goal → programme.
PARENT_CHAIN = "__".join(["parent"] * 5)


class PlanNodeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the published plan hierarchy (public content, read by everyone); central staff also see drafts."""
        if user.is_authenticated and user.is_central_staff:
            return self
        return self.filter(is_draft=False)

    def roots(self):
        """Keep the top of each plan."""
        return self.filter(parent__isnull=True)

    def of_kind(self, *kinds):
        """Keep nodes of the given kinds."""
        return self.filter(kind__in=kinds)

    def with_ancestors(self):
        """Fetch each node's whole parent chain in the same query, for breadcrumbs."""
        return self.select_related(PARENT_CHAIN)


# What a person writes about a plan item (the browser editor, the loader and the API all use this list).
NODE_CONTENT_FIELDS = (
    "number",
    "name_th",
    "name_en",
    "name_known",
    "vision_th",
    "vision_en",
    "description_th",
    "description_en",
    "period_start_be",
    "period_end_be",
    "edition",
    "target_value",
    "target_unit_th",
    "target_unit_en",
    "target_year_be",
    "official_code",
)


class PlanNode(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=NodeKind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    name_th = models.CharField(_("Thai name"), max_length=500)
    name_en = models.CharField(_("English name"), max_length=500, blank=True)
    name_known = models.BooleanField(
        _("name known"), default=True, help_text=_("Off for placeholders whose name the source does not give.")
    )
    vision_th = models.TextField(_("vision (Thai)"), blank=True)
    vision_en = models.TextField(_("vision (English)"), blank=True)
    description_th = models.TextField(_("description (Thai)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    period_start_be = models.PositiveSmallIntegerField(_("first year (B.E.)"), null=True, blank=True)
    period_end_be = models.PositiveSmallIntegerField(_("last year (B.E.)"), null=True, blank=True)
    edition = models.CharField(_("edition"), max_length=100, blank=True)
    target_value = models.DecimalField(_("headline target"), max_digits=14, decimal_places=2, null=True, blank=True)
    target_unit_th = models.CharField(_("target unit (Thai)"), max_length=100, blank=True)
    target_unit_en = models.CharField(_("target unit (English)"), max_length=100, blank=True)
    target_year_be = models.PositiveSmallIntegerField(_("target year (B.E.)"), null=True, blank=True)
    source_th = models.TextField(_("source excerpt"), blank=True)
    # A plan rolled forward is a draft (it and everything under it) until central staff publish it; drafts are
    # never in force and only staff see them. Published plans are never rewritten by a later one.
    is_draft = models.BooleanField(_("draft"), default=False)
    # The item of the previous plan this one was rolled forward from: tambon plans follow the lineage to relink.
    # The code NESDC gives a chain item (Z, Y2, sub-plan, Y1), e.g. 160101; empty for other kinds. Checked per kind
    # by services.check_official_code: digits in the kind's pattern, led by the parent's code, unique in its edition.
    official_code = models.CharField(_("official code"), max_length=12, blank=True, db_index=True)
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("copied from"),
    )
    aligns_to = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="served_by", verbose_name=_("serves")
    )
    # Optimistic lock for edits in the browser: every save bumps it; a save from an older revision is refused.
    revision = models.PositiveIntegerField(_("revision"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[aligns_to])

    objects = PlanNodeQuerySet.as_manager()

    class Meta:
        ordering = ["number", "code"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start_be__isnull=True)
                | models.Q(period_end_be__isnull=True)
                | models.Q(period_start_be__lte=models.F("period_end_be")),
                name="plan_node_period_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(target_value__isnull=True) | models.Q(target_value__gte=0),
                name="plan_node_target_not_negative",
            ),
            models.CheckConstraint(condition=~models.Q(parent=models.F("id")), name="plan_node_not_own_parent"),
            models.UniqueConstraint(
                fields=["parent", "official_code"],
                condition=~models.Q(official_code=""),
                name="plan_node_official_code_unique_in_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if (get_language() or "th").startswith("en") and self.name_en:
            return self.name_en
        return self.name_th

    @property
    def vision(self) -> str:
        if (get_language() or "th").startswith("en") and self.vision_en:
            return self.vision_en
        return self.vision_th

    @property
    def description(self) -> str:
        if (get_language() or "th").startswith("en") and self.description_en:
            return self.description_en
        return self.description_th

    @property
    def target_unit(self) -> str:
        if (get_language() or "th").startswith("en") and self.target_unit_en:
            return self.target_unit_en
        return self.target_unit_th

    @property
    def label(self) -> str:
        """The name with the official code before it where there is one (choice lists, the chain)."""
        return f"{self.official_code} {self.name}" if self.official_code else self.name

    @property
    def is_national(self) -> bool:
        return self.kind in NATIONAL_KINDS

    @property
    def plan_level(self) -> int:
        if self.kind in LEVEL_ONE_KINDS:
            return 1
        return 2 if self.is_national else 3

    def ancestors(self) -> list["PlanNode"]:
        """Return the chain from the root down to the parent (uses the cached parents when fetched)."""
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]
