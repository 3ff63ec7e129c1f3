"""CODI's four workstreams with their 3-year goals and programmes, as views on the plan tree."""

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scope import scope_of
from codi_plans.models import ReviewedRecord, Transition
from codi_plans.workflow import Workflow
from strategies.models import NodeKind, PlanNode, PlanNodeQuerySet

# What people write in a tambon plan and in each of its projects (forms, API, Excel, frozen copies).
PLAN_FIELDS = [
    "households",
    "population",
    "main_occupations",
    "average_household_income",
    "average_household_debt",
    "basic_needs",
    "capital_people",
    "capital_resources",
    "capital_groups",
    "capital_organizations",
    "vision",
]
PROJECT_FIELDS = [
    "workstream",
    "goal",
    "programme",
    "project_class",
    "name",
    "rationale",
    "objectives",
    "targets",
    "method",
    "start_date",
    "end_date",
    "responsible_body",
    "supporting_agencies",
    "evaluation",
    "expected_results",
]


class KindManager(models.Manager.from_queryset(PlanNodeQuerySet)):
    def __init__(self, kind: str):
        super().__init__()
        self.kind = kind

    def get_queryset(self):
        return super().get_queryset().filter(kind=self.kind)


class Workstream(PlanNode):
    """One of CODI's four workstreams (ประเด็นงาน): council, grassroots economy, welfare, housing."""

    objects = KindManager(NodeKind.WORKSTREAM)

    class Meta:
        proxy = True
        verbose_name = _("workstream")
        verbose_name_plural = _("workstreams")


class Goal(PlanNode):
    """A workstream's 3-year goal (for the councils: one of its four strategies)."""

    objects = KindManager(NodeKind.GOAL)

    class Meta:
        proxy = True
        verbose_name = _("goal")
        verbose_name_plural = _("goals")


class Programme(PlanNode):
    """A programme (แผนงาน) under a workstream goal."""

    objects = KindManager(NodeKind.PROGRAMME)

    class Meta:
        proxy = True
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    ACCEPTED = "accepted", _("Accepted by the province")
    ENDORSED = "endorsed", _("Endorsed")


EDITABLE_STATUSES = {PlanStatus.DRAFT, PlanStatus.RETURNED}
AWAITING_REVIEW_STATUSES = {PlanStatus.SUBMITTED, PlanStatus.RESUBMITTED}
CONSOLIDATED_STATUSES = {PlanStatus.ACCEPTED, PlanStatus.ENDORSED}


class ProjectClass(models.TextChoices):
    SELF = "self", _("Community does it alone (ทำเอง)")
    JOINT = "joint", _("With local government or agencies (ทำร่วม)")
    SUPPORT = "support", _("Asks agencies for support (ขอสนับสนุน)")


class FundingSource(models.TextChoices):
    COMMUNITY = "community", _("Community")
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    CODI = "codi", _("CODI")
    GOVERNMENT_AGENCY = "government_agency", _("Other government agency")
    PRIVATE = "private", _("Private sector")
    OTHER = "other", _("Other")


class TambonPlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Keep the plans of tambons in the user's area."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(scope_of(user).overlapping("tambon__"))

    def awaiting_review(self):
        """Keep plans submitted or resubmitted and not yet decided."""
        return self.filter(status__in=AWAITING_REVIEW_STATUSES)

    def consolidated(self):
        """Keep plans the province has accepted (or the region endorsed): the ones province totals count."""
        return self.filter(status__in=CONSOLIDATED_STATUSES)

    def for_period(self, start_be: int):
        """Keep plans of the plan period starting in the given B.E. year."""
        return self.filter(period_start_be=start_be)


class TambonPlan(ReviewedRecord):
    """A tambon's community development plan (แผนพัฒนาตำบล) for one plan period."""

    tambon = models.ForeignKey(
        "areas.Subdistrict", on_delete=models.PROTECT, related_name="plans", verbose_name=_("tambon")
    )
    period_start_be = models.PositiveSmallIntegerField(_("first year (B.E.)"))
    period_end_be = models.PositiveSmallIntegerField(_("last year (B.E.)"))
    status = models.CharField(_("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    # Profile
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    main_occupations = models.TextField(_("main occupations"), blank=True)
    average_household_income = models.DecimalField(
        _("average household income (baht/year)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    average_household_debt = models.DecimalField(
        _("average household debt (baht)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    basic_needs = models.TextField(_("basic-needs data (จปฐ.)"), blank=True)
    # Community capital (ทุนชุมชน)
    capital_people = models.TextField(_("people (leaders, experts, volunteers)"), blank=True)
    capital_resources = models.TextField(_("natural and local resources"), blank=True)
    capital_groups = models.TextField(_("groups"), blank=True)
    capital_organizations = models.TextField(_("organizations and funds"), blank=True)
    vision = models.TextField(_("vision"), blank=True)
    # Who made the decisions so far: nobody accepts or endorses a plan they submitted or accepted (four-eyes).
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    history = HistoricalRecords()

    objects = TambonPlanQuerySet.as_manager()

    class Meta:
        ordering = ["tambon__code", "-period_start_be"]
        verbose_name = _("tambon plan")
        verbose_name_plural = _("tambon plans")
        constraints = [
            models.UniqueConstraint(fields=["tambon", "period_start_be"], name="one_plan_per_tambon_per_period"),
            models.CheckConstraint(
                condition=models.Q(period_start_be__lte=models.F("period_end_be")), name="tambon_plan_period_in_order"
            ),
            models.CheckConstraint(
                condition=models.Q(average_household_income__gte=0) | models.Q(average_household_income__isnull=True),
                name="tambon_plan_income_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(average_household_debt__gte=0) | models.Q(average_household_debt__isnull=True),
                name="tambon_plan_debt_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["status", "period_start_be"])]

    def __str__(self) -> str:
        return f"{self.tambon} {self.period_start_be}–{self.period_end_be}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def fiscal_years(self) -> range:
        return range(self.period_start_be, self.period_end_be + 1)


class Problem(models.Model):
    """A community problem, ranked by the community (1 = most pressing)."""

    plan = models.ForeignKey(TambonPlan, on_delete=models.CASCADE, related_name="problems")
    rank = models.PositiveSmallIntegerField(_("rank"))
    title = models.CharField(_("problem"), max_length=300)
    description = models.TextField(_("details"), blank=True)

    class Meta:
        ordering = ["rank"]
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        constraints = [
            models.UniqueConstraint(fields=["plan", "rank"], name="problem_rank_unique_in_plan"),
            models.CheckConstraint(condition=models.Q(rank__gte=1), name="problem_rank_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.title}"


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Keep projects of plans the user may see."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(scope_of(user).overlapping("plan__tambon__"))

    def with_chain(self):
        """Fetch the programme → goal → workstream → CODI plan chain in the same query."""
        return self.select_related(
            "plan__tambon__district", "plan__tambon__province", "workstream__parent", "goal", "programme__parent"
        )


class Project(models.Model):
    """A tambon project in the common 12-part Thai project template."""

    plan = models.ForeignKey(TambonPlan, on_delete=models.CASCADE, related_name="projects")
    number = models.PositiveSmallIntegerField(_("number"))
    workstream = models.ForeignKey(
        "strategies.PlanNode",
        on_delete=models.PROTECT,
        related_name="tambon_projects",
        limit_choices_to={"kind": "workstream"},
        verbose_name=_("workstream"),
    )
    goal = models.ForeignKey(
        "strategies.PlanNode",
        on_delete=models.PROTECT,
        related_name="goal_projects",
        limit_choices_to={"kind": "goal"},
        verbose_name=_("workstream goal"),
    )
    programme = models.ForeignKey(
        "strategies.PlanNode",
        on_delete=models.PROTECT,
        related_name="programme_projects",
        limit_choices_to={"kind": "programme"},
        verbose_name=_("programme"),
    )
    # The eMENSCR chain: the sub-plan target (Y1) the project serves first, and any others it also serves.
    primary_target = models.ForeignKey(
        "strategies.PlanNode",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="primary_target_projects",
        limit_choices_to={"kind": "sub_plan_target"},
        verbose_name=_("primary target (Y1)"),
    )
    secondary_targets = models.ManyToManyField(
        "strategies.PlanNode",
        blank=True,
        related_name="secondary_target_projects",
        limit_choices_to={"kind": "sub_plan_target"},
        verbose_name=_("secondary targets (Y1)"),
    )
    project_class = models.CharField(_("class"), max_length=10, choices=ProjectClass.choices)
    name = models.CharField(_("project name"), max_length=300)
    rationale = models.TextField(_("rationale"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    targets = models.TextField(_("targets"), blank=True)
    method = models.TextField(_("method"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    responsible_body = models.CharField(_("responsible body"), max_length=300, blank=True)
    supporting_agencies = models.TextField(_("supporting agencies"), blank=True)
    evaluation = models.TextField(_("evaluation"), blank=True)
    expected_results = models.TextField(_("expected results"), blank=True)
    # The unfinished project of the tambon's previous plan this one carries on (start_next_tambon_plan).
    carried_over_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_over_to",
        verbose_name=_("carried over from"),
    )
    history = HistoricalRecords()

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="project_number_unique_in_plan"),
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True)
                | models.Q(end_date__isnull=True)
                | models.Q(start_date__lte=models.F("end_date")),
                name="project_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    def clean(self):
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.start_date > self.end_date:
            errors["end_date"] = _("The end date is before the start date.")
        if self.plan_id:
            errors.update(dates_outside_period(self.plan, start=self.start_date, end=self.end_date))
        if self.workstream_id:
            goal = self.goal if self.goal_id else None
            programme = self.programme if self.programme_id else None
            errors.update(plan_link_errors(self.workstream, goal, programme))
        if errors:
            raise ValidationError(errors)

    def chain(self) -> list:
        """Return project → programme → goal → workstream → CODI plan, then what the plan serves nationally."""
        return [self.programme, self.goal, self.workstream, self.workstream.parent]


def workstream_of(node):
    """Climb from a goal or programme to its workstream."""
    while node is not None and node.kind != NodeKind.WORKSTREAM:
        node = node.parent
    return node


def plan_link_errors(workstream, goal, programme) -> dict[str, ValidationError]:
    """Say what is wrong with a project's place in the plan: its goal must be one of its workstream's, and its
    programme one of its goal's (or one hanging directly under the workstream)."""
    errors = {}
    if goal is not None and goal.parent_id != workstream.pk:
        errors["goal"] = ValidationError(
            _("Goal %(goal)s is not a goal of workstream %(workstream)s.")
            % {"goal": goal.code, "workstream": workstream.code},
            code="goal_not_in_workstream",
        )
    if programme is None:
        return errors
    if workstream_of(programme) != workstream:
        errors["programme"] = ValidationError(
            _("Programme %(programme)s does not belong to workstream %(workstream)s.")
            % {"programme": programme.code, "workstream": workstream.code},
            code="programme_not_in_workstream",
        )
    elif (
        "goal" not in errors
        and goal is not None
        and programme.parent.kind == NodeKind.GOAL
        and programme.parent_id != goal.pk
    ):
        errors["programme"] = ValidationError(
            _(
                "Programme %(programme)s belongs to goal %(parent)s, not to goal %(goal)s: "
                "choose a programme of the project's goal."
            )
            % {"programme": programme.code, "parent": programme.parent.code, "goal": goal.code},
            code="programme_not_in_goal",
        )
    return errors


def dates_outside_period(plan, *, start, end) -> dict[str, str]:
    """Say which of a project's dates fall outside its plan's period (first to last fiscal year, B.E.)."""
    from codi_plans.thai_calendar import display_date, fiscal_year_range

    first, _unused = fiscal_year_range(plan.period_start_be)
    _unused, last = fiscal_year_range(plan.period_end_be)
    errors = {}
    for name, day in (("start_date", start), ("end_date", end)):
        if day is not None and not first <= day <= last:
            errors[name] = _(
                "%(date)s is outside the plan period %(start)s–%(end)s: a project runs between %(first)s and %(last)s."
            ) % {
                "date": display_date(day),
                "start": plan.period_start_be,
                "end": plan.period_end_be,
                "first": display_date(first),
                "last": display_date(last),
            }
    return errors


class ProjectBudgetQuerySet(models.QuerySet):
    def in_province_plan(self, province_plan):
        """Keep the budget lines of the accepted tambon plans a province plan consolidates."""
        return self.filter(
            project__plan__tambon__province_id=province_plan.province_id,
            project__plan__period_start_be=province_plan.period_start_be,
            project__plan__status__in=CONSOLIDATED_STATUSES,
        )

    def totals_by(self, *fields):
        """Sum the amounts grouped by the given fields, in one query."""
        return self.values(*fields).annotate(total=models.Sum("amount")).order_by(*fields)


class ProjectBudget(models.Model):
    """A project's money for one fiscal year from one source of funds."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_lines")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    source = models.CharField(_("source of funds"), max_length=20, choices=FundingSource.choices)
    amount = models.DecimalField(_("amount (baht)"), max_digits=14, decimal_places=2)

    objects = ProjectBudgetQuerySet.as_manager()

    class Meta:
        ordering = ["fiscal_year", "source"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "fiscal_year", "source"], name="one_budget_line_per_year_source"
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="project_budget_not_negative"),
            models.CheckConstraint(
                condition=models.Q(fiscal_year__gte=2500, fiscal_year__lte=2700), name="project_budget_year_is_be"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.fiscal_year} {self.get_source_display()} {self.amount}"


class ProjectIndicator(models.Model):
    """An indicator a tambon project commits to, with its target."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, null=True, blank=True)
    target_value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    target_year_be = models.PositiveSmallIntegerField(_("target year (B.E.)"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("project indicator")
        verbose_name_plural = _("project indicators")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target_value__gte=0), name="project_indicator_target_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.target_value} {self.unit}"


class PlanTransition(Transition):
    """One move of a tambon plan through its workflow: who, when, from, to, and why."""

    plan = models.ForeignKey(TambonPlan, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=16, choices=PlanStatus.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=PlanStatus.choices)

    class Meta(Transition.Meta):
        verbose_name = _("plan transition")
        verbose_name_plural = _("plan transitions")

    def __str__(self) -> str:
        return f"{self.plan}: {self.from_status} → {self.to_status}"


PLAN_WORKFLOW = Workflow(
    transitions={
        PlanStatus.DRAFT: frozenset({PlanStatus.SUBMITTED}),
        PlanStatus.SUBMITTED: frozenset({PlanStatus.RETURNED, PlanStatus.ACCEPTED}),
        PlanStatus.RETURNED: frozenset({PlanStatus.RESUBMITTED}),
        PlanStatus.RESUBMITTED: frozenset({PlanStatus.RETURNED, PlanStatus.ACCEPTED}),
        PlanStatus.ACCEPTED: frozenset({PlanStatus.ENDORSED}),
        PlanStatus.ENDORSED: frozenset(),
    },
    record=PlanTransition,
    subject="plan",
)


# What a save of a plan was, kept as data in its history (the conflict box says it in words): one of these events
# with its details, e.g. {"event": "project_saved", "number": 2}.
PLAN_EVENTS = ("profile_edited", "problems_edited", "project_saved", "project_deleted", "content_replaced", "status")


def plan_event(event: str, **details) -> str:
    """Return a history change reason that records what a save of a plan did, as JSON."""
    if event not in PLAN_EVENTS:
        raise ValueError(f"unknown plan event {event!r}")
    return json.dumps({"event": event, **details}, ensure_ascii=False)


class PlanSubmission(models.Model):
    """The plan exactly as it was submitted: a frozen copy kept for comparison."""

    plan = models.ForeignKey(TambonPlan, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveSmallIntegerField(_("submission number"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    revision = models.PositiveIntegerField(_("plan revision"))
    content = models.JSONField(_("content"))

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("plan submission")
        verbose_name_plural = _("plan submissions")
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="submission_number_unique_in_plan")]

    def __str__(self) -> str:
        return f"{self.plan} #{self.number}"


class ProvincePlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Keep the plans of provinces in the user's area."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(scope_of(user).overlapping("province__", level="province"))


class ProvincePlan(models.Model):
    """The provincial community movement's plan: its own narrative and priorities over the accepted tambon plans.

    Totals are never stored: they are computed from the tambon plans with
    ProjectBudget.objects.in_province_plan(...).totals_by(...).
    """

    province = models.ForeignKey(
        "areas.Province", on_delete=models.PROTECT, related_name="community_plans", verbose_name=_("province")
    )
    period_start_be = models.PositiveSmallIntegerField(_("first year (B.E.)"))
    period_end_be = models.PositiveSmallIntegerField(_("last year (B.E.)"))
    narrative = models.TextField(_("narrative"), blank=True)
    priorities = models.TextField(_("priorities"), blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    objects = ProvincePlanQuerySet.as_manager()

    class Meta:
        ordering = ["province__code", "-period_start_be"]
        verbose_name = _("province plan")
        verbose_name_plural = _("province plans")
        constraints = [
            models.UniqueConstraint(fields=["province", "period_start_be"], name="one_province_plan_per_period"),
            models.CheckConstraint(
                condition=models.Q(period_start_be__lte=models.F("period_end_be")), name="province_plan_period_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.province} {self.period_start_be}–{self.period_end_be}"
