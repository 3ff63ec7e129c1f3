"""Reads for each role's home page ("my work"): what is theirs to do now, in a fixed number of queries whatever the
number of tambons, plans or results. Writes stay in the apps' services; this app only reads."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, Exists, OuterRef, Q, Subquery, Value
from django.utils import timezone

from accounts.scope import scope_of
from areas.models import Province, Subdistrict
from budgets.models import BudgetRequest, RequestStatus
from codi_plans.thai_calendar import fiscal_quarter_of, fiscal_year_of, quarter_report_due
from indicators.models import AreaLevel, Indicator, Result, ResultStatus
from indicators.selectors import plan_progress
from reports.selectors import reports_for
from strategies.selectors import latest_plan, plan_in_force, plan_period_in_force
from workstreams.models import CONSOLIDATED_STATUSES, PlanStatus, PlanTransition, TambonPlan
from workstreams.selectors import awaiting_count, status_counts

# A result counts as reported once it has been sent for review; drafts, returned and withdrawn ones are still due.
REPORTED = (ResultStatus.SUBMITTED, ResultStatus.APPROVED)
# Home pages list a few rows and give the count of the rest; the full lists live on the apps' own pages.
LIST_LIMIT = 20
LATE_PROVINCES = 5
RECENT_REPORTS = 10


@dataclass(frozen=True)
class Period:
    """Where today stands: the fiscal year and quarter, the plan period in force, the last finished quarter."""

    today: dt.date
    fiscal_year: int
    quarter: int
    plan_start: int
    plan_end: int
    last_year: int
    last_quarter: int
    last_due: dt.date

    @property
    def last_quarter_overdue(self) -> bool:
        """Whether the last finished quarter's results are past their due date."""
        return self.today > self.last_due


def period_now(today: dt.date | None = None) -> Period:
    """Return today's fiscal year and quarter, the tambon plan period in force and the last finished quarter."""
    today = today or timezone.localdate()
    year, quarter = fiscal_year_of(today), fiscal_quarter_of(today)
    last_year, last_quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    start, end = plan_period_in_force(year)
    return Period(
        today=today,
        fiscal_year=year,
        quarter=quarter,
        plan_start=start,
        plan_end=end,
        last_year=last_year,
        last_quarter=last_quarter,
        last_due=quarter_report_due(last_year, last_quarter),
    )


def plans_in_period(period: Period):
    """Keep tambon plans whose period shares a year with the plan period in force."""
    return TambonPlan.objects.filter(period_start_be__lte=period.plan_end, period_end_be__gte=period.plan_start)


# --- community representatives -------------------------------------------------------------------------------------


@dataclass
class DueResult:
    indicator: Indicator
    result: Result | None  # a draft, returned or withdrawn result to finish; None when none is started


@dataclass
class TambonWork:
    tambon: Subdistrict
    plan: TambonPlan | None
    return_reason: str = ""
    due: list[DueResult] = field(default_factory=list)

    @property
    def due_count(self) -> int:
        return len(self.due)

    @property
    def due_shown(self) -> list[DueResult]:
        return self.due[:LIST_LIMIT]


def tambon_indicators(tambon_ids, fiscal_year: int) -> list[Indicator]:
    """Return the indicators reported per tambon under the latest CODI plan (a project's own ones included)."""
    plan = latest_plan(fiscal_year)
    if plan is None:
        return []
    return list(
        Indicator.objects.active()
        .under(plan.code)
        .filter(reporting_level=AreaLevel.TAMBON)
        .filter(Q(project__isnull=True) | Q(project__plan__tambon_id__in=sorted(tambon_ids)))
        .select_related("project__plan")
        .order_by("number", "code")
    )


def representative_work(user, period: Period) -> list[TambonWork]:
    """Each of the representative's tambons: its plan for the period in force (with why it was returned, if it
    was) and the results still due for this quarter."""
    tambon_ids = sorted(scope_of(user).tambon_ids)
    if not tambon_ids:
        return []
    tambons = Subdistrict.objects.filter(id__in=tambon_ids).select_related("district", "province").order_by("code")
    # The reason of the plan's latest return, from its workflow record (annotated: one query however many plans).
    returns = PlanTransition.objects.filter(plan=OuterRef("pk"), to_status=PlanStatus.RETURNED).order_by("-at", "-id")
    plans = (
        plans_in_period(period)
        .filter(tambon_id__in=tambon_ids)
        .annotate(last_return_reason=Subquery(returns.values("comment")[:1]))
        .order_by("tambon_id", "-period_start_be")
    )
    plan_of = {}
    for plan in plans:
        plan_of.setdefault(plan.tambon_id, plan)
    indicators = tambon_indicators(tambon_ids, period.fiscal_year)
    results = Result.objects.filter(
        level=AreaLevel.TAMBON,
        tambon_id__in=tambon_ids,
        fiscal_year=period.fiscal_year,
        quarter=period.quarter,
        indicator_id__in=[i.id for i in indicators],
    ).only("id", "indicator_id", "tambon_id", "status", "status_reason")
    result_of = {(r.indicator_id, r.tambon_id): r for r in results}
    work = []
    for tambon in tambons:
        plan = plan_of.get(tambon.id)
        reason = ""
        if plan is not None and plan.status == PlanStatus.RETURNED:
            reason = plan.last_return_reason or ""
        due = []
        for indicator in indicators:
            if indicator.project_id and indicator.project.plan.tambon_id != tambon.id:
                continue
            result = result_of.get((indicator.id, tambon.id))
            if result is None or result.status not in REPORTED:
                due.append(DueResult(indicator=indicator, result=result))
        work.append(TambonWork(tambon=tambon, plan=plan, return_reason=reason, due=due))
    return work


# --- provincial coordinators, regional and central staff -----------------------------------------------------------


def with_lateness(tambons, period: Period):
    """Annotate each tambon with `plan_submitted` (a plan for the period in force past its draft) and `results_late`
    (a consolidated plan covering the last finished quarter, that quarter past its due date, and no result sent)."""
    submitted = plans_in_period(period).filter(tambon=OuterRef("pk")).exclude(status=PlanStatus.DRAFT)
    tambons = tambons.annotate(plan_submitted=Exists(submitted))
    if not period.last_quarter_overdue:
        no = Value(False, output_field=BooleanField())
        return tambons.annotate(expects_results=no, sent_results=no)
    expects = TambonPlan.objects.filter(
        tambon=OuterRef("pk"),
        status__in=CONSOLIDATED_STATUSES,
        period_start_be__lte=period.last_year,
        period_end_be__gte=period.last_year,
    )
    sent = Result.objects.filter(
        level=AreaLevel.TAMBON,
        tambon=OuterRef("pk"),
        fiscal_year=period.last_year,
        quarter=period.last_quarter,
        status__in=REPORTED,
    )
    return tambons.annotate(expects_results=Exists(expects), sent_results=Exists(sent))


NO_PLAN = Q(plan_submitted=False)
RESULTS_LATE = Q(expects_results=True, sent_results=False)
OVERDUE = NO_PLAN | RESULTS_LATE


def overdue_counts(tambons) -> dict:
    """Count tambons with no submitted plan, with late results, and overdue either way (one aggregate query)."""
    return tambons.order_by().aggregate(
        tambons=Count("pk"),
        no_plan=Count("pk", filter=NO_PLAN),
        results_late=Count("pk", filter=RESULTS_LATE),
        overdue=Count("pk", filter=OVERDUE),
    )


def results_awaiting_review(user) -> int:
    """Count the results submitted inside the user's area and not yet decided."""
    return Result.objects.awaiting_review().filter(scope_of(user).inside_q()).count()


@dataclass
class CoordinatorWork:
    province: Province
    plan_counts: dict
    awaiting_review: int
    overdue: dict
    overdue_tambons: list
    results_to_review: int


def coordinator_work(user, period: Period) -> CoordinatorWork:
    """The coordinator's province: the review queue, overdue tambons and results awaiting review."""
    province = Province.objects.get(pk=user.province_id)
    counts = status_counts(TambonPlan.objects.visible_to(user))
    tambons = with_lateness(Subdistrict.objects.filter(province_id=province.id), period)
    overdue = overdue_counts(tambons)
    listed = list(tambons.filter(OVERDUE).select_related("district").order_by("code")[:LIST_LIMIT])
    return CoordinatorWork(
        province=province,
        plan_counts=counts,
        awaiting_review=awaiting_count(counts),
        overdue=overdue,
        overdue_tambons=listed,
        results_to_review=results_awaiting_review(user),
    )


@dataclass
class LateProvince:
    province: Province
    overdue: int
    no_plan: int
    results_late: int


@dataclass
class StaffWork:
    plan: object  # the CODI plan progress is measured against (None when no plan was ever published)
    plan_in_force: bool
    progress: object
    plan_counts: dict
    awaiting_review: int
    awaiting_endorsement: int
    results_to_review: int
    requests_waiting: int
    overdue: dict
    late_provinces: list[LateProvince]


def request_steps(user) -> tuple[str, ...]:
    """The budget request statuses waiting for the user's step: central staff decide forwarded requests; regional
    staff and coordinators rank and forward their provinces' submitted ones."""
    if user.is_central_staff:
        return (RequestStatus.FORWARDED,)
    if user.is_area_staff:
        return (RequestStatus.SUBMITTED, RequestStatus.PRIORITISED)
    return ()


def staff_work(user, period: Period) -> StaffWork:
    """Regional and central staff: progress against the plan in force, the queues of their area and what is late."""
    plan = latest_plan(period.fiscal_year)
    in_force = plan is not None and plan_in_force(period.fiscal_year) == plan
    progress = plan_progress(plan, period.fiscal_year, period.quarter) if plan is not None else None
    counts = status_counts(TambonPlan.objects.visible_to(user))
    tambons = with_lateness(Subdistrict.objects.filter(scope_of(user).overlapping()), period)
    overdue = overdue_counts(tambons)
    rows = list(
        tambons.filter(OVERDUE)
        .values("province_id")
        .annotate(
            overdue=Count("pk"),
            no_plan=Count("pk", filter=NO_PLAN),
            results_late=Count("pk", filter=RESULTS_LATE),
        )
        .order_by("-overdue", "province_id")[:LATE_PROVINCES]
    )
    provinces = Province.objects.in_bulk([row["province_id"] for row in rows])
    late = [
        LateProvince(
            province=provinces[row["province_id"]],
            overdue=row["overdue"],
            no_plan=row["no_plan"],
            results_late=row["results_late"],
        )
        for row in rows
    ]
    steps = request_steps(user)
    waiting = BudgetRequest.objects.visible_to(user).filter(status__in=steps).count() if steps else 0
    return StaffWork(
        plan=plan,
        plan_in_force=in_force,
        progress=progress,
        plan_counts=counts,
        awaiting_review=awaiting_count(counts),
        awaiting_endorsement=counts[PlanStatus.ACCEPTED],
        results_to_review=results_awaiting_review(user),
        requests_waiting=waiting,
        overdue=overdue,
        late_provinces=late,
    )


# --- Budget Bureau viewers -----------------------------------------------------------------------------------------


def latest_reports(user) -> list:
    """The newest reports the user may read."""
    return list(reports_for(user).order_by("-requested_at", "-id")[:RECENT_REPORTS])
