"""Indicators, their targets per fiscal period and area, and the results areas report each quarter.

Areas: a target or a result is set on the whole country or on one area (region, province group,
province, district or tambon). The row says its `level` and carries the area's foreign key; rows on a
province, district or tambon also carry the DOPA chain above it (tambon → district → province), which
never changes, so roll-ups group without joins. Region and province group are always looked up through
the province, because staff may correct the province grouping.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scope import scope_of
from codi_plans.models import Transition, optional_reference
from codi_plans.thai_calendar import THAI_DIGITS
from codi_plans.workflow import Workflow
from strategies.models import NATIONAL_KINDS, NodeKind


def _thai_first(th: str, en: str) -> str:
    if (get_language() or "th").startswith("en") and en:
        return en
    return th


class PlanLevel(models.TextChoices):
    NATIONAL_TARGET = "national_target", _("National target")
    CODI_PLAN = "codi_plan", _("CODI plan goal")
    WORKSTREAM_GOAL = "workstream_goal", _("Workstream goal")
    PROGRAMME = "programme", _("Programme")
    PROJECT = "project", _("Tambon project")


# Which kinds of plan item an indicator of each level may hang on.
LEVEL_NODE_KINDS = {
    PlanLevel.NATIONAL_TARGET: set(NATIONAL_KINDS),
    PlanLevel.CODI_PLAN: {
        NodeKind.CODI_STRATEGY,
        NodeKind.CODI_STRATEGIC_ISSUE,
        NodeKind.CODI_ACTION_PLAN,
        NodeKind.CODI_ANNUAL_PLAN,
    },
    PlanLevel.WORKSTREAM_GOAL: {NodeKind.WORKSTREAM, NodeKind.GOAL},
    PlanLevel.PROGRAMME: {NodeKind.PROGRAMME, NodeKind.ANNUAL_PROGRAMME},
    PlanLevel.PROJECT: {NodeKind.PROGRAMME},
}


class Measure(models.TextChoices):
    COUNT = "count", _("Count")
    PERCENT = "percent", _("Percent")
    BAHT = "baht", _("Baht")
    YES_NO = "yes_no", _("Yes / no")
    NARRATIVE = "narrative", _("Narrative")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Aggregation(models.TextChoices):
    SUM = "sum", _("Sum")
    AVERAGE = "average", _("Average")
    LATEST = "latest", _("Latest value")
    COUNT_MEETING = "count_meeting", _("Count of areas meeting the condition")


# Aggregations whose area figures add up, so the targets of the parts add up to the whole too.
ADDITIVE = {Aggregation.SUM, Aggregation.LATEST, Aggregation.COUNT_MEETING}


class AreaLevel(models.TextChoices):
    COUNTRY = "country", _("Country")
    REGION = "region", _("Region")
    PROVINCE_GROUP = "province_group", _("Province group")
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    TAMBON = "tambon", _("Tambon")


# From the top down; roll-ups go the other way.
AREA_LEVELS = [
    AreaLevel.COUNTRY,
    AreaLevel.REGION,
    AreaLevel.PROVINCE_GROUP,
    AreaLevel.PROVINCE,
    AreaLevel.DISTRICT,
    AreaLevel.TAMBON,
]
AREA_FIELDS = ["region", "province_group", "province", "district", "tambon"]
# The foreign keys each level sets; all others stay empty.
LEVEL_FIELDS = {
    AreaLevel.COUNTRY: set(),
    AreaLevel.REGION: {"region"},
    AreaLevel.PROVINCE_GROUP: {"province_group"},
    AreaLevel.PROVINCE: {"province"},
    AreaLevel.DISTRICT: {"district", "province"},
    AreaLevel.TAMBON: {"tambon", "district", "province"},
}


def area_shape_q(level: str) -> Q:
    """Return the condition for a row of this level: its foreign keys set, the others empty."""
    q = Q(level=level)
    for name in AREA_FIELDS:
        q &= Q(**{f"{name}__isnull": name not in LEVEL_FIELDS[level]})
    return q


def _area_constraints(prefix: str) -> list:
    shape = Q()
    for level in AREA_LEVELS:
        shape |= area_shape_q(level)
    return [models.CheckConstraint(condition=shape, name=f"{prefix}_area_matches_level")]


class AreaScoped(models.Model):
    """The area a target or result is set on: the whole country, or one area at one level."""

    level = models.CharField(_("area level"), max_length=16, choices=AreaLevel.choices)
    region = optional_reference("areas.Region", _("region"))
    province_group = optional_reference("areas.ProvinceGroup", _("province group"))
    province = optional_reference("areas.Province", _("province"))
    district = optional_reference("areas.District", _("district"))
    tambon = optional_reference("areas.Subdistrict", _("tambon"))

    class Meta:
        abstract = True

    @property
    def area(self):
        """Return the area object (None for the whole country)."""
        return {
            AreaLevel.COUNTRY: None,
            AreaLevel.REGION: self.region,
            AreaLevel.PROVINCE_GROUP: self.province_group,
            AreaLevel.PROVINCE: self.province,
            AreaLevel.DISTRICT: self.district,
            AreaLevel.TAMBON: self.tambon,
        }[self.level]

    @property
    def area_code(self) -> str:
        return area_code(self.level, self.area)

    @property
    def area_name(self) -> str:
        area = self.area
        return str(area) if area is not None else str(_("Whole country"))

    @property
    def level_label(self) -> str:
        """The level's name; a Bangkok district or tambon is a เขต or แขวง."""
        if self.level in (AreaLevel.DISTRICT, AreaLevel.TAMBON) and self.area is not None:
            return self.area.level_label
        return self.get_level_display()

    def set_area(self, level: str, area) -> None:
        """Point the row at an area, filling the DOPA chain above a district or tambon."""
        for name in AREA_FIELDS:
            setattr(self, name, None)
        self.level = level
        if level == AreaLevel.COUNTRY:
            return
        setattr(self, level, area)
        if level == AreaLevel.TAMBON:
            self.district_id, self.province_id = area.district_id, area.province_id
        elif level == AreaLevel.DISTRICT:
            self.province_id = area.province_id


def area_code(level: str, area) -> str:
    """Return the public code of an area: region key, group number, DOPA code, or '' for the country."""
    if area is None or level == AreaLevel.COUNTRY:
        return ""
    if level == AreaLevel.REGION:
        return area.key
    if level == AreaLevel.PROVINCE_GROUP:
        return str(area.number)
    return area.code


class IndicatorQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return every indicator of a published plan (public plan content); central staff also see drafts'."""
        if user.is_authenticated and user.is_central_staff:
            return self
        return self.filter(plan_node__is_draft=False)

    def active(self):
        """Keep indicators still in use."""
        return self.filter(is_active=True)

    def with_chain(self):
        """Fetch each indicator's plan item and the items above it (workstream, CODI plan) in the same query."""
        return self.select_related("plan_node__parent__parent__parent__parent")

    def under(self, node_code: str):
        """Keep indicators on a plan item or anywhere below it (the tree is at most five levels deep)."""
        q = Q()
        path = "plan_node"
        for _depth in range(6):
            q |= Q(**{f"{path}__code": node_code})
            path += "__parent"
        return self.filter(q)


class Indicator(models.Model):
    """What is measured, how it adds up, and which plan item it belongs to."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    number = models.PositiveSmallIntegerField(_("order"), default=0)
    name_th = models.CharField(_("Thai name"), max_length=500)
    name_en = models.CharField(_("English name"), max_length=500, blank=True)
    definition_th = models.TextField(_("definition (Thai)"), blank=True)
    definition_en = models.TextField(_("definition (English)"), blank=True)
    unit_th = models.CharField(_("unit (Thai)"), max_length=100)
    unit_en = models.CharField(_("unit (English)"), max_length=100, blank=True)
    measure = models.CharField(_("measure"), max_length=12, choices=Measure.choices)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    aggregation = models.CharField(_("aggregation"), max_length=16, choices=Aggregation.choices)
    cumulative = models.BooleanField(
        _("cumulative"),
        default=False,
        help_text=_(
            "On: a period's figure counts every result since the baseline year. "
            "Off: only the results of the fiscal year up to the chosen quarter."
        ),
    )
    condition_threshold = models.DecimalField(
        _("condition threshold"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "For 'count of areas meeting the condition': an area meets it when its value is at least this "
            "(at most this when lower is better)."
        ),
    )
    baseline_value = models.DecimalField(_("baseline value"), max_digits=16, decimal_places=2, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year (B.E.)"), null=True, blank=True)
    level = models.CharField(_("plan level"), max_length=16, choices=PlanLevel.choices)
    plan_node = models.ForeignKey(
        "strategies.PlanNode", on_delete=models.PROTECT, related_name="indicators", verbose_name=_("plan item")
    )
    project = models.ForeignKey(
        "workstreams.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_indicators",
        verbose_name=_("tambon project"),
    )
    reporting_level = models.CharField(
        _("reported per"),
        max_length=16,
        choices=AreaLevel.choices,
        default=AreaLevel.TAMBON,
        help_text=_("The area level results are reported for; roll-ups add them up from there."),
    )
    source_th = models.TextField(_("source excerpt"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["number", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=(Q(level="project") & Q(project__isnull=False))
                | (~Q(level="project") & Q(project__isnull=True)),
                name="indicator_project_iff_project_level",
            ),
            models.CheckConstraint(
                condition=~Q(aggregation="count_meeting") | Q(condition_threshold__isnull=False),
                name="indicator_count_meeting_has_threshold",
            ),
            models.CheckConstraint(
                condition=Q(baseline_year__isnull=True) | Q(baseline_year__gte=2500, baseline_year__lte=2700),
                name="indicator_baseline_year_is_be",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return _thai_first(self.name_th, self.name_en)

    @property
    def unit(self) -> str:
        return _thai_first(self.unit_th, self.unit_en)

    @property
    def definition(self) -> str:
        return _thai_first(self.definition_th, self.definition_en)

    @property
    def workstream(self):
        return workstream_of_node(self.plan_node)

    @property
    def is_numeric(self) -> bool:
        return self.measure != Measure.NARRATIVE

    @property
    def is_additive(self) -> bool:
        return self.aggregation in ADDITIVE

    def clean(self):
        super().clean()
        errors = {}
        if self.plan_node_id and self.level and self.plan_node.kind not in LEVEL_NODE_KINDS.get(self.level, set()):
            errors["plan_node"] = _("A %(level)s indicator cannot belong to a plan item of kind %(kind)s.") % {
                "level": self.get_level_display(),
                "kind": self.plan_node.get_kind_display(),
            }
        if self.level == PlanLevel.PROJECT and not self.project_id:
            errors["project"] = _("A tambon-project indicator needs its project.")
        if self.level != PlanLevel.PROJECT and self.project_id:
            errors["project"] = _("Only a tambon-project indicator belongs to a project.")
        if self.project_id and self.plan_node_id and self.project.programme_id != self.plan_node_id:
            errors["plan_node"] = _("A tambon-project indicator belongs to its project's programme.")
        if self.aggregation == Aggregation.COUNT_MEETING and self.condition_threshold is None:
            errors["condition_threshold"] = _("Say which value an area must reach to be counted.")
        if self.measure == Measure.NARRATIVE and self.aggregation != Aggregation.LATEST:
            errors["aggregation"] = _("A narrative indicator cannot be added up; use 'latest value'.")
        if (self.baseline_value is None) != (self.baseline_year is None):
            errors["baseline_year"] = _("Give the baseline value and its year together.")
        if errors:
            raise ValidationError(errors)

    def validate_value(self, value) -> None:
        """Refuse a result value that does not fit the measure."""
        if self.measure == Measure.NARRATIVE:
            if value is not None:
                raise ValidationError({"value": _("A narrative indicator takes a note, not a number.")})
            return
        if value is None:
            raise ValidationError({"value": _("Enter a value.")})
        value = Decimal(value)
        if self.measure == Measure.YES_NO and value not in (0, 1):
            raise ValidationError({"value": _("Enter 1 for yes or 0 for no.")})
        if self.measure == Measure.PERCENT and not (0 <= value <= 100):
            raise ValidationError({"value": _("A percentage lies between 0 and 100.")})
        if self.measure in (Measure.COUNT, Measure.YES_NO) and value != value.to_integral_value():
            raise ValidationError({"value": _("A count is a whole number.")})
        if value < 0 and self.measure != Measure.BAHT:
            raise ValidationError({"value": _("The value cannot be negative.")})


class TargetQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return every target of a published plan to a signed-in user; central staff also see drafts'."""
        if not user.is_authenticated:
            return self.none()
        if user.is_central_staff:
            return self
        return self.filter(indicator__plan_node__is_draft=False)


class Target(AreaScoped):
    """The value an indicator should reach in a fiscal year (or one quarter of it) in an area."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year (B.E.)"), validators=[MinValueValidator(2500), MaxValueValidator(2700)]
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text=_("Empty for the whole fiscal year."),
    )
    value = models.DecimalField(_("target value"), max_digits=16, decimal_places=2)
    note = models.TextField(_("note"), blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    history = HistoricalRecords()

    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "fiscal_year", "quarter", "level", "id"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            *_area_constraints("target"),
            # One target per indicator, period and area; NULLs folded to 0 so "no quarter" and "no area" compare.
            models.UniqueConstraint(
                F("indicator"),
                F("fiscal_year"),
                Coalesce(F("quarter"), Value(0)),
                F("level"),
                Coalesce(F("region"), Value(0)),
                Coalesce(F("province_group"), Value(0)),
                Coalesce(F("province"), Value(0)),
                Coalesce(F("district"), Value(0)),
                Coalesce(F("tambon"), Value(0)),
                name="one_target_per_indicator_period_area",
            ),
            models.CheckConstraint(condition=Q(fiscal_year__gte=2500, fiscal_year__lte=2700), name="target_year_is_be"),
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | Q(quarter__gte=1, quarter__lte=4), name="target_quarter_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        period = f"{self.fiscal_year}" + (f" Q{self.quarter}" if self.quarter else "")
        return f"{self.indicator.code} {period} {self.area_name}: {self.value}"


class ResultStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for correction")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Statuses in which the reporting side may still change the result.
EDITABLE_RESULT_STATUSES = {ResultStatus.DRAFT, ResultStatus.RETURNED, ResultStatus.WITHDRAWN}


def evidence_path(instance, filename: str) -> str:
    return f"indicators/evidence/{instance.fiscal_year}/{instance.indicator_id}/{filename}"


class ResultQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Approved results are official figures for every signed-in user; the rest only inside the user's area.

        Read-only accounts (Budget Bureau viewers, API clients) see official figures only.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        approved = Q(status=ResultStatus.APPROVED)
        if user.is_read_only:
            return self.filter(approved)
        if user.is_central_staff:
            return self
        return self.filter(approved | self.in_area_q(user))

    @staticmethod
    def in_area_q(user) -> Q:
        """Return the filter for results inside the user's working area (any level of area)."""
        return scope_of(user).inside_q()

    def approved(self):
        """Keep official figures."""
        return self.filter(status=ResultStatus.APPROVED)

    def awaiting_review(self):
        """Keep results submitted and not yet decided."""
        return self.filter(status=ResultStatus.SUBMITTED)

    def for_api(self):
        """Fetch everything a result row shows in the same query."""
        return self.select_related(
            "indicator", "region", "province_group", "province__region", "province__group", "district", "tambon"
        )


class Result(AreaScoped):
    """What an area achieved on an indicator in one quarter, with a note and evidence, through review."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="results")
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year (B.E.)"), validators=[MinValueValidator(2500), MaxValueValidator(2700)]
    )
    quarter = models.PositiveSmallIntegerField(_("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    # Quarters counted from year 0 (fiscal_year * 4 + quarter): "latest" and cumulative windows compare one number.
    period = models.GeneratedField(
        expression=F("fiscal_year") * 4 + F("quarter"), output_field=models.IntegerField(), db_persist=True
    )
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, blank=True, max_length=255)
    status = models.CharField(_("status"), max_length=12, choices=ResultStatus.choices, default=ResultStatus.DRAFT)
    status_reason = models.TextField(_("reason"), blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Who sent it for review: the reporter, with created_by; neither may approve it (four-eyes).
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["period"])

    objects = ResultQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("result")
        verbose_name_plural = _("results")
        constraints = [
            *_area_constraints("result"),
            models.UniqueConstraint(
                F("indicator"),
                F("fiscal_year"),
                F("quarter"),
                F("level"),
                Coalesce(F("region"), Value(0)),
                Coalesce(F("province_group"), Value(0)),
                Coalesce(F("province"), Value(0)),
                Coalesce(F("district"), Value(0)),
                Coalesce(F("tambon"), Value(0)),
                name="one_result_per_indicator_quarter_area",
            ),
            models.CheckConstraint(condition=Q(fiscal_year__gte=2500, fiscal_year__lte=2700), name="result_year_is_be"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="result_quarter_1_to_4"),
            models.CheckConstraint(
                condition=~Q(status__in=["returned", "withdrawn"]) | ~Q(status_reason=""),
                name="result_return_or_withdrawal_has_reason",
            ),
        ]
        indexes = [
            # API pages: one indicator and quarter, in id order (the cursor paginator's), so LIMIT stops early.
            models.Index(fields=["indicator", "fiscal_year", "quarter", "id"], name="result_page_idx"),
            # Roll-ups: one indicator's approved results in a window of periods, per unit.
            models.Index(fields=["indicator", "status", "period"], name="result_rollup_idx"),
            models.Index(fields=["indicator", "tambon", "period"], name="result_unit_period_idx"),
            models.Index(fields=["province", "fiscal_year", "quarter"], name="result_province_period_idx"),
            models.Index(fields=["status", "province"], name="result_queue_idx"),
            # The first and last years with results (indicators.selectors.data_years): one index probe each.
            models.Index(fields=["fiscal_year"], name="result_year_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.fiscal_year} Q{self.quarter} {self.area_name}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_RESULT_STATUSES

    @property
    def counts(self) -> bool:
        return self.status == ResultStatus.APPROVED


class ResultTransition(Transition):
    """One move of a result through review: who, when, from, to, and why (a correction is approved → approved)."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=12, choices=ResultStatus.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=ResultStatus.choices)

    class Meta(Transition.Meta):
        verbose_name = _("result transition")
        verbose_name_plural = _("result transitions")

    def __str__(self) -> str:
        return f"{self.result_id}: {self.from_status} → {self.to_status}"


RESULT_WORKFLOW = Workflow(
    transitions={
        ResultStatus.DRAFT: frozenset({ResultStatus.SUBMITTED}),
        ResultStatus.RETURNED: frozenset({ResultStatus.SUBMITTED}),
        ResultStatus.WITHDRAWN: frozenset({ResultStatus.SUBMITTED}),
        ResultStatus.SUBMITTED: frozenset({ResultStatus.APPROVED, ResultStatus.RETURNED}),
        # An approved result is corrected in place (approved → approved, with its reason) or withdrawn.
        ResultStatus.APPROVED: frozenset({ResultStatus.APPROVED, ResultStatus.WITHDRAWN}),
    },
    record=ResultTransition,
    subject="result",
)


def get_area(level: str, code: str | None):
    """Find an area by level and public code; None for the whole country. Raises ValidationError when unknown."""
    from areas.models import District, Province, ProvinceGroup, Region, Subdistrict

    if level == AreaLevel.COUNTRY:
        return None
    lookups = {
        AreaLevel.REGION: (Region, "key"),
        AreaLevel.PROVINCE_GROUP: (ProvinceGroup, "number"),
        AreaLevel.PROVINCE: (Province, "code"),
        AreaLevel.DISTRICT: (District, "code"),
        AreaLevel.TAMBON: (Subdistrict, "code"),
    }
    if level not in lookups:
        raise ValidationError({"level": _("Unknown area level %(level)s.") % {"level": level}})
    model, field = lookups[level]
    code = str(code or "").translate(THAI_DIGITS).strip()
    try:
        if field == "number":
            code = int(code) if code.isascii() and code.isdigit() and len(code) <= 4 else None
        elif len(code) > 20:
            code = None  # no area code is this long; never send it to the database
        return model.objects.get(**{field: code})
    except (model.DoesNotExist, ValueError, TypeError):
        raise ValidationError(
            {"area": _("There is no %(level)s with code %(code)s.") % {"level": AreaLevel(level).label, "code": code}}
        ) from None


def workstream_of_node(node):
    """Climb from a plan item to its workstream (None above or outside the workstreams)."""
    while node is not None and node.kind != NodeKind.WORKSTREAM:
        node = node.parent
    return node


class FiguresToken(models.Model):
    """A random token the database changes whenever anything official figures are made of changes (see
    indicators/freshness.py): cached figures are kept under it, so they are recomputed after every write."""

    name = models.CharField(primary_key=True, max_length=20)
    token = models.CharField(max_length=40)

    class Meta:
        verbose_name = _("figures token")
        verbose_name_plural = _("figures tokens")

    def __str__(self) -> str:
        return f"{self.name}: {self.token}"
