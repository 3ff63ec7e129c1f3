"""Area-based budgets: provincial development plans, budget requests that fund tambon-plan projects,
ceilings, spending plans against actuals (แบบ สงป. 301 / 302) and monitoring before, during and after
spending (Budget Procedure Act 2561, s.46)."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scope import scope_of
from codi_plans.models import ReviewedRecord, Transition
from codi_plans.thai_calendar import display_date, fiscal_year_range
from codi_plans.workflow import Workflow

BE_YEAR = Q(fiscal_year__gte=2500, fiscal_year__lte=2700)
MONEY = {"max_digits": 14, "decimal_places": 2}
# The plan items a request may name as the national target it serves (policy dimension).
NATIONAL_TARGET_KINDS = ("strategy", "strategic_issue", "master_plan")


# ---------------------------------------------------------------------------------------------------
# Provincial (and province-group) development plans
# ---------------------------------------------------------------------------------------------------


class DevelopmentPlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return every plan to signed-in users: provincial development plans are public documents."""
        if not user.is_authenticated:
            return self.none()
        return self

    def covering(self, fiscal_year: int):
        """Keep plans whose period covers the fiscal year."""
        return self.filter(period_start_be__lte=fiscal_year, period_end_be__gte=fiscal_year)

    def for_province(self, province):
        """Keep the province's own plans and the plans of its province group."""
        q = Q(province=province)
        if province.group_id:
            q |= Q(province_group_id=province.group_id)
        return self.filter(q)


class ProvincialDevelopmentPlan(models.Model):
    """A provincial development plan (แผนพัฒนาจังหวัด) or a province-group plan: same shape, different area."""

    province = models.ForeignKey(
        "areas.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="development_plans",
        verbose_name=_("province"),
    )
    province_group = models.ForeignKey(
        "areas.ProvinceGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="development_plans",
        verbose_name=_("province group"),
    )
    name = models.CharField(_("name"), max_length=300)
    period_start_be = models.PositiveSmallIntegerField(_("first year (B.E.)"))
    period_end_be = models.PositiveSmallIntegerField(_("last year (B.E.)"))
    vision = models.TextField(_("vision"), blank=True)
    development_target = models.TextField(_("development target"), blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    objects = DevelopmentPlanQuerySet.as_manager()

    class Meta:
        ordering = ["province__code", "province_group__number", "-period_start_be"]
        verbose_name = _("provincial development plan")
        verbose_name_plural = _("provincial development plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(province__isnull=False, province_group__isnull=True)
                | Q(province__isnull=True, province_group__isnull=False),
                name="development_plan_one_area",
            ),
            models.UniqueConstraint(
                fields=["province", "period_start_be"],
                condition=Q(province__isnull=False),
                name="one_development_plan_per_province_period",
            ),
            models.UniqueConstraint(
                fields=["province_group", "period_start_be"],
                condition=Q(province_group__isnull=False),
                name="one_development_plan_per_group_period",
            ),
            models.CheckConstraint(
                condition=Q(period_start_be__lte=models.F("period_end_be")), name="development_plan_period_in_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def area(self):
        return self.province or self.province_group

    @property
    def is_group_plan(self) -> bool:
        return self.province_group_id is not None

    @property
    def period_label(self) -> str:
        return f"{self.period_start_be}–{self.period_end_be}"


class DevelopmentIssue(models.Model):
    """A numbered development issue (ประเด็นการพัฒนา) with its objectives, targets and strategies."""

    plan = models.ForeignKey(ProvincialDevelopmentPlan, on_delete=models.CASCADE, related_name="issues")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("development issue"), max_length=500)
    objectives = models.TextField(_("objectives"), blank=True, help_text=_("One per line."))
    targets = models.TextField(_("targets"), blank=True, help_text=_("One per line."))
    strategies = models.TextField(_("strategies"), blank=True, help_text=_("One per line."))
    group_issue = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="province_issues",
        verbose_name=_("province-group issue it feeds"),
    )
    aligns_to = models.ManyToManyField(
        "strategies.PlanNode",
        blank=True,
        related_name="development_issues",
        verbose_name=_("national items it serves"),
    )
    history = HistoricalRecords(m2m_fields=[aligns_to])

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("development issue")
        verbose_name_plural = _("development issues")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="development_issue_number_unique_in_plan"),
            models.CheckConstraint(condition=Q(number__gte=1), name="development_issue_number_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @staticmethod
    def _lines(text: str) -> list[str]:
        return [line.strip() for line in (text or "").splitlines() if line.strip()]

    @property
    def objective_list(self) -> list[str]:
        return self._lines(self.objectives)

    @property
    def target_list(self) -> list[str]:
        return self._lines(self.targets)

    @property
    def strategy_list(self) -> list[str]:
        return self._lines(self.strategies)


class DevelopmentIndicator(models.Model):
    """An indicator of the plan's development target (issue empty) or of one development issue."""

    plan = models.ForeignKey(ProvincialDevelopmentPlan, on_delete=models.CASCADE, related_name="indicators")
    issue = models.ForeignKey(
        DevelopmentIssue, on_delete=models.CASCADE, null=True, blank=True, related_name="indicators"
    )
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=60)
    baseline = models.DecimalField(_("baseline"), null=True, blank=True, **MONEY)
    target_value = models.DecimalField(_("target value"), **MONEY)
    target_year_be = models.PositiveSmallIntegerField(_("target year (B.E.)"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("development indicator")
        verbose_name_plural = _("development indicators")
        constraints = [
            models.CheckConstraint(condition=Q(target_value__gte=0), name="development_indicator_target_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.target_value} {self.unit}"


# ---------------------------------------------------------------------------------------------------
# Ceilings and pilot tambons
# ---------------------------------------------------------------------------------------------------


class BudgetCeilingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Keep the ceilings of the user's provinces, and every workstream ceiling."""
        if not user.is_authenticated:
            return self.none()
        if user.is_national:
            return self
        return self.filter(Q(province__isnull=True) | scope_of(user).overlapping("province__", level="province"))


class BudgetCeiling(models.Model):
    """The most that may be approved in a fiscal year for one province or one workstream."""

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    province = models.ForeignKey(
        "areas.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_ceilings",
        verbose_name=_("province"),
    )
    workstream = models.ForeignKey(
        "strategies.PlanNode",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_ceilings",
        limit_choices_to={"kind": "workstream"},
        verbose_name=_("workstream"),
    )
    amount = models.DecimalField(_("ceiling (baht)"), **MONEY)
    note = models.TextField(_("note"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    objects = BudgetCeilingQuerySet.as_manager()

    class Meta:
        ordering = ["fiscal_year", "province__code", "workstream__number"]
        verbose_name = _("budget ceiling")
        verbose_name_plural = _("budget ceilings")
        constraints = [
            models.CheckConstraint(
                condition=Q(province__isnull=False, workstream__isnull=True)
                | Q(province__isnull=True, workstream__isnull=False),
                name="budget_ceiling_one_dimension",
            ),
            models.UniqueConstraint(
                fields=["fiscal_year", "province"],
                condition=Q(province__isnull=False),
                name="one_ceiling_per_province_year",
            ),
            models.UniqueConstraint(
                fields=["fiscal_year", "workstream"],
                condition=Q(workstream__isnull=False),
                name="one_ceiling_per_workstream_year",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_ceiling_not_negative"),
            models.CheckConstraint(condition=BE_YEAR, name="budget_ceiling_year_is_be"),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year} {self.province or self.workstream}: {self.amount}"


class PilotTambon(models.Model):
    """A tambon in the area-based budgeting pilot of a fiscal year (100 tambons in FY2563)."""

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    tambon = models.ForeignKey(
        "areas.Subdistrict", on_delete=models.CASCADE, related_name="budget_pilots", verbose_name=_("tambon")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["fiscal_year", "tambon__code"]
        verbose_name = _("area-based budget pilot tambon")
        verbose_name_plural = _("area-based budget pilot tambons")
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "tambon"], name="one_pilot_entry_per_tambon_year"),
            models.CheckConstraint(condition=BE_YEAR, name="pilot_tambon_year_is_be"),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year} {self.tambon}"


# ---------------------------------------------------------------------------------------------------
# Budget requests
# ---------------------------------------------------------------------------------------------------


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the province")
    PRIORITISED = "prioritised", _("Prioritised by the province")
    FORWARDED = "forwarded", _("Forwarded to CODI")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    IN_EXECUTION = "in_execution", _("In execution")
    CLOSED = "closed", _("Closed")


# Where each status may go next; the services move requests through REQUEST_WORKFLOW, which enforces it.
TRANSITIONS = {
    RequestStatus.DRAFT: frozenset({RequestStatus.SUBMITTED}),
    RequestStatus.SUBMITTED: frozenset({RequestStatus.PRIORITISED, RequestStatus.DRAFT}),
    RequestStatus.PRIORITISED: frozenset({RequestStatus.PRIORITISED, RequestStatus.FORWARDED, RequestStatus.DRAFT}),
    RequestStatus.FORWARDED: frozenset({RequestStatus.APPROVED, RequestStatus.REJECTED, RequestStatus.DRAFT}),
    RequestStatus.APPROVED: frozenset({RequestStatus.IN_EXECUTION}),
    RequestStatus.IN_EXECUTION: frozenset({RequestStatus.CLOSED}),
    RequestStatus.REJECTED: frozenset(),
    RequestStatus.CLOSED: frozenset(),
}
# Approved money: these statuses count against the ceilings.
COMMITTED_STATUSES = (RequestStatus.APPROVED, RequestStatus.IN_EXECUTION, RequestStatus.CLOSED)
# A request counts as "requested" in consolidations from submission on.
REQUESTED_STATUSES = tuple(s for s in RequestStatus.values if s != RequestStatus.DRAFT)
# Projects funded by a request in these statuses cannot be funded again in the same fiscal year.
ACTIVE_STATUSES = tuple(s for s in RequestStatus.values if s != RequestStatus.REJECTED)


class ExpenseCategory(models.TextChoices):
    """The Budget Bureau's expenditure categories (งบรายจ่าย)."""

    PERSONNEL = "personnel", _("Personnel (งบบุคลากร)")
    OPERATING = "operating", _("Operating (งบดำเนินงาน)")
    INVESTMENT = "investment", _("Investment (งบลงทุน)")
    SUBSIDY = "subsidy", _("Subsidy (งบเงินอุดหนุน)")
    OTHER = "other", _("Other expenditure (งบรายจ่ายอื่น)")


class BudgetRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Keep the requests of the user's area; representatives see the requests that fund their tambons."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_national:
            return self
        if user.is_community_rep:
            funding = BudgetRequest.projects.through.objects.filter(
                project__plan__tambon_id__in=sorted(scope_of(user).tambon_ids)
            )
            return self.filter(pk__in=funding.values("budgetrequest_id"))
        return self.filter(scope_of(user).overlapping("province__", level="province"))

    def for_year(self, fiscal_year: int):
        """Keep the requests of one fiscal year (B.E.)."""
        return self.filter(fiscal_year=fiscal_year)

    def requested(self):
        """Keep requests past the draft stage: the ones consolidations count as requested."""
        return self.filter(status__in=REQUESTED_STATUSES)

    def committed(self):
        """Keep approved requests, in execution or closed: the money counted against ceilings."""
        return self.filter(status__in=COMMITTED_STATUSES)

    def with_pilot_flag(self):
        """Annotate `in_pilot`: whether any funded project lies in a pilot tambon of the request's year."""
        pilots = PilotTambon.objects.filter(fiscal_year=OuterRef("budgetrequest__fiscal_year"))
        funded = BudgetRequest.projects.through.objects.filter(budgetrequest=OuterRef("pk")).filter(
            Exists(pilots.filter(tambon_id=OuterRef("project__plan__tambon_id")))
        )
        return self.annotate(in_pilot=Exists(funded))

    def with_overspending_flag(self):
        """Annotate `overspent`: whether any recorded actual is over its cumulative plan."""
        return self.annotate(
            overspent=Exists(SpendingActual.objects.filter(activity__request=OuterRef("pk"), overspent=True))
        )


class BudgetRequest(ReviewedRecord):
    """A project-based area budget request (คำขอตั้งงบประมาณ) funding one or more tambon-plan projects."""

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    province = models.ForeignKey(
        "areas.Province", on_delete=models.PROTECT, related_name="budget_requests", verbose_name=_("province")
    )
    title = models.CharField(_("project name"), max_length=300)
    requesting_body = models.CharField(_("requesting body"), max_length=300)
    host_agency = models.CharField(_("host agency"), max_length=300, default="สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)")
    related_agencies = models.TextField(_("related agencies"), blank=True)
    projects = models.ManyToManyField(
        "workstreams.Project", blank=True, related_name="budget_requests", verbose_name=_("tambon-plan projects")
    )
    # Area dimension
    development_issue = models.ForeignKey(
        DevelopmentIssue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_requests",
        verbose_name=_("provincial development issue"),
    )
    # Policy dimension
    workstream = models.ForeignKey(
        "strategies.PlanNode",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_requests",
        limit_choices_to={"kind": "workstream"},
        verbose_name=_("workstream"),
    )
    programme = models.ForeignKey(
        "strategies.PlanNode",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programme_budget_requests",
        limit_choices_to={"kind": "programme"},
        verbose_name=_("programme"),
    )
    national_target = models.ForeignKey(
        "strategies.PlanNode",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="target_budget_requests",
        limit_choices_to={"kind__in": NATIONAL_TARGET_KINDS},
        verbose_name=_("national target"),
    )
    # The eMENSCR chain: the sub-plan target (Y1) the request serves first, and any others it also serves.
    primary_target = models.ForeignKey(
        "strategies.PlanNode",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="primary_target_budget_requests",
        limit_choices_to={"kind": "sub_plan_target"},
        verbose_name=_("primary target (Y1)"),
    )
    secondary_targets = models.ManyToManyField(
        "strategies.PlanNode",
        blank=True,
        related_name="secondary_target_budget_requests",
        limit_choices_to={"kind": "sub_plan_target"},
        verbose_name=_("secondary targets (Y1)"),
    )
    scope = models.TextField(_("scope"), blank=True)
    targets = models.TextField(_("targets"), blank=True)
    approach = models.TextField(_("approach"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    expected_benefits = models.TextField(_("expected benefits"), blank=True)
    # Money. requested_amount and spent_amount are kept equal to the sums of the expense lines and of the
    # recorded actuals by the services that write those rows, under this row's lock.
    requested_amount = models.DecimalField(_("requested (baht)"), default=0, **MONEY)
    approved_amount = models.DecimalField(_("approved (baht)"), null=True, blank=True, **MONEY)
    spent_amount = models.DecimalField(_("spent (baht)"), default=0, **MONEY)
    # Workflow
    status = models.CharField(_("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.DRAFT)
    rank = models.PositiveSmallIntegerField(_("priority rank in the province"), null=True, blank=True)
    priority_note = models.TextField(_("note on priority"), blank=True)
    redeployment_note = models.TextField(_("note on redeployment"), blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    history = HistoricalRecords(m2m_fields=[projects])

    objects = BudgetRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-fiscal_year", "province__code", "rank", "id"]
        verbose_name = _("budget request")
        verbose_name_plural = _("budget requests")
        constraints = [
            models.CheckConstraint(condition=BE_YEAR, name="budget_request_year_is_be"),
            models.CheckConstraint(condition=Q(requested_amount__gte=0), name="budget_request_requested_not_negative"),
            models.CheckConstraint(
                condition=Q(approved_amount__isnull=True)
                | Q(approved_amount__gte=0, approved_amount__lte=models.F("requested_amount")),
                name="budget_request_approved_within_requested",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=COMMITTED_STATUSES) | Q(approved_amount__isnull=False),
                name="budget_request_committed_has_amount",
            ),
            models.CheckConstraint(condition=Q(spent_amount__gte=0), name="budget_request_spent_not_negative"),
            models.CheckConstraint(
                condition=Q(rank__isnull=True) | Q(rank__gte=1), name="budget_request_rank_from_one"
            ),
            models.UniqueConstraint(
                fields=["province", "fiscal_year", "rank"],
                condition=Q(rank__isnull=False),
                name="budget_request_rank_unique_in_province_year",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(start_date__lte=models.F("end_date")),
                name="budget_request_dates_in_order",
            ),
        ]
        indexes = [
            models.Index(fields=["fiscal_year", "status"]),
            models.Index(fields=["fiscal_year", "province"]),
            models.Index(fields=["fiscal_year", "workstream"]),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year} {self.title}"

    def clean(self):
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.start_date > self.end_date:
            errors["end_date"] = _("The end date is before the start date.")
        if self.fiscal_year:
            first, last = fiscal_year_range(self.fiscal_year)
            for name in ("start_date", "end_date"):
                day = getattr(self, name)
                if day is not None and not first <= day <= last and name not in errors:
                    errors[name] = _(
                        "%(date)s is outside fiscal year %(year)s, which runs from %(first)s to %(last)s."
                    ) % {
                        "date": display_date(day),
                        "year": self.fiscal_year,
                        "first": display_date(first),
                        "last": display_date(last),
                    }
        if errors:
            raise ValidationError(errors)

    @property
    def is_editable(self) -> bool:
        return self.status == RequestStatus.DRAFT

    @property
    def is_committed(self) -> bool:
        return self.status in COMMITTED_STATUSES


class RequestIndicator(models.Model):
    """An indicator the request commits to, with its target and, at the ex-post evaluation, what was achieved."""

    request = models.ForeignKey(BudgetRequest, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=60)
    baseline = models.DecimalField(_("baseline"), null=True, blank=True, **MONEY)
    target_value = models.DecimalField(_("target value"), **MONEY)
    achieved_value = models.DecimalField(_("achieved"), null=True, blank=True, **MONEY)

    class Meta:
        ordering = ["id"]
        verbose_name = _("request indicator")
        verbose_name_plural = _("request indicators")
        constraints = [
            models.CheckConstraint(condition=Q(target_value__gte=0), name="request_indicator_target_not_negative"),
            models.CheckConstraint(
                condition=Q(achieved_value__isnull=True) | Q(achieved_value__gte=0),
                name="request_indicator_achieved_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.target_value} {self.unit}"

    @property
    def achievement_percent(self):
        if self.achieved_value is None or not self.target_value:
            return None
        return (self.achieved_value * 100 / self.target_value).quantize(Decimal("0.1"))


class ExpenseLine(models.Model):
    """Requested money in one expenditure category."""

    request = models.ForeignKey(BudgetRequest, on_delete=models.CASCADE, related_name="expense_lines")
    category = models.CharField(_("expenditure category"), max_length=12, choices=ExpenseCategory.choices)
    description = models.CharField(_("item"), max_length=300, blank=True)
    amount = models.DecimalField(_("amount (baht)"), **MONEY)

    class Meta:
        ordering = ["category", "id"]
        verbose_name = _("expense line")
        verbose_name_plural = _("expense lines")
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="expense_line_not_negative")]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.amount}"


class RequestTransition(Transition):
    """One move of a budget request through its workflow: who, when, from, to, and why."""

    request = models.ForeignKey(BudgetRequest, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=16, choices=RequestStatus.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=RequestStatus.choices)

    class Meta(Transition.Meta):
        verbose_name = _("request transition")
        verbose_name_plural = _("request transitions")

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_status} → {self.to_status}"


REQUEST_WORKFLOW = Workflow(transitions=TRANSITIONS, record=RequestTransition, subject="request")


# ---------------------------------------------------------------------------------------------------
# Spending plan (แบบ สงป. 301) and actuals (สงป. 302)
# ---------------------------------------------------------------------------------------------------

# Fiscal quarter of each calendar month: Q1 is October–December.
MONTH_QUARTER = {10: 1, 11: 1, 12: 1, 1: 2, 2: 2, 3: 2, 4: 3, 5: 3, 6: 3, 7: 4, 8: 4, 9: 4}
MONTH_IN_QUARTER = Q(month__isnull=True) | Q(
    *[Q(quarter=q, month__in=[m for m, mq in MONTH_QUARTER.items() if mq == q]) for q in (1, 2, 3, 4)],
    _connector=Q.OR,
)


class SpendingActivity(models.Model):
    """A main activity of the request's work plan, with its unit of output (a row of แบบ สงป. 301)."""

    request = models.ForeignKey(BudgetRequest, on_delete=models.CASCADE, related_name="activities")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("activity"), max_length=300)
    unit = models.CharField(_("unit"), max_length=60)
    category = models.CharField(_("expenditure category"), max_length=12, choices=ExpenseCategory.choices)

    class Meta:
        ordering = ["request", "number"]
        verbose_name = _("spending-plan activity")
        verbose_name_plural = _("spending-plan activities")
        constraints = [models.UniqueConstraint(fields=["request", "number"], name="activity_number_unique_in_request")]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class PeriodQuerySet(models.QuerySet):
    def through_quarter(self, quarter: int):
        """Keep the rows of quarters up to and including the given one (cumulative figures)."""
        return self.filter(quarter__lte=quarter)


class PeriodRow(models.Model):
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True, help_text=_("Calendar month 1–12."))

    objects = PeriodQuerySet.as_manager()

    class Meta:
        abstract = True


class SpendingPlanLine(PeriodRow):
    """Planned output and money of an activity in a quarter, or in one month of it."""

    activity = models.ForeignKey(SpendingActivity, on_delete=models.CASCADE, related_name="plan_lines")
    planned_quantity = models.DecimalField(_("planned quantity"), **MONEY)
    planned_amount = models.DecimalField(_("planned amount (baht)"), **MONEY)

    class Meta:
        ordering = ["activity", "quarter", "month"]
        verbose_name = _("spending-plan line")
        verbose_name_plural = _("spending-plan lines")
        constraints = [
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="plan_line_quarter_1_to_4"),
            models.CheckConstraint(condition=MONTH_IN_QUARTER, name="plan_line_month_in_quarter"),
            models.CheckConstraint(
                condition=Q(planned_quantity__gte=0, planned_amount__gte=0), name="plan_line_not_negative"
            ),
            models.UniqueConstraint(
                fields=["activity", "quarter"], condition=Q(month__isnull=True), name="one_plan_line_per_quarter"
            ),
            models.UniqueConstraint(
                fields=["activity", "month"], condition=Q(month__isnull=False), name="one_plan_line_per_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} Q{self.quarter} {self.planned_amount}"


class SpendingActual(PeriodRow):
    """Actual output and money of an activity in a quarter, or in one month of it (a row of สงป. 302)."""

    activity = models.ForeignKey(SpendingActivity, on_delete=models.CASCADE, related_name="actuals")
    actual_quantity = models.DecimalField(_("actual quantity"), **MONEY)
    actual_amount = models.DecimalField(_("actual amount (baht)"), **MONEY)
    overspent = models.BooleanField(_("over plan"), default=False)
    explanation = models.TextField(_("explanation"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["activity", "quarter", "month"]
        verbose_name = _("spending actual")
        verbose_name_plural = _("spending actuals")
        constraints = [
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="actual_quarter_1_to_4"),
            models.CheckConstraint(condition=MONTH_IN_QUARTER, name="actual_month_in_quarter"),
            models.CheckConstraint(
                condition=Q(actual_quantity__gte=0, actual_amount__gte=0), name="actual_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(overspent=False) | ~Q(explanation=""), name="overspent_actual_explained"
            ),
            models.UniqueConstraint(
                fields=["activity", "quarter"], condition=Q(month__isnull=True), name="one_actual_per_quarter"
            ),
            models.UniqueConstraint(
                fields=["activity", "month"], condition=Q(month__isnull=False), name="one_actual_per_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} Q{self.quarter} {self.actual_amount}"


# ---------------------------------------------------------------------------------------------------
# Monitoring before, during and after (Budget Procedure Act 2561, s.46)
# ---------------------------------------------------------------------------------------------------


class MonitoringPhase(models.TextChoices):
    EX_ANTE = "ex_ante", _("Before allocation (ex ante)")
    ONGOING = "ongoing", _("During spending (quarterly)")
    EX_POST = "ex_post", _("After spending (ex post)")


class MonitoringRecord(models.Model):
    """One monitoring entry: the automatic ex-ante check, a quarterly report, or the ex-post evaluation."""

    request = models.ForeignKey(BudgetRequest, on_delete=models.CASCADE, related_name="monitoring")
    phase = models.CharField(_("phase"), max_length=8, choices=MonitoringPhase.choices)
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    findings = models.JSONField(_("findings"), default=list, blank=True)
    progress = models.TextField(_("progress / achievement"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    obstacles = models.TextField(_("obstacles"), blank=True)
    remedies = models.TextField(_("remedies"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["request", "recorded_at", "id"]
        verbose_name = _("monitoring record")
        verbose_name_plural = _("monitoring records")
        constraints = [
            models.CheckConstraint(
                condition=Q(phase="ongoing", quarter__isnull=False, quarter__gte=1, quarter__lte=4)
                | (~Q(phase="ongoing") & Q(quarter__isnull=True)),
                name="monitoring_quarter_only_when_ongoing",
            ),
            models.UniqueConstraint(
                fields=["request", "quarter"], condition=Q(phase="ongoing"), name="one_ongoing_record_per_quarter"
            ),
            models.UniqueConstraint(
                fields=["request"], condition=Q(phase="ex_post"), name="one_ex_post_evaluation_per_request"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.phase} {self.quarter or ''}".strip()
