"""What is due, where, by when and who answers for it now: every kind of due item is read with one set-based query
(however many tambons), then placed on the escalation ladder by its due date and today's date.

Kinds: quarterly indicator results (every tambon with an accepted plan, including tambons with no result row at
all), project progress (the projects of accepted plans), reviews waiting (tambon plans, submitted results, budget
requests: due a number of days after they reached the reviewer) and the Budget Bureau's quarterly monitoring of
budget requests in execution (15 days after the quarter). Quarterly kinds are about the quarter that ended last: a
quarter's items stay until the next one ends.
"""

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, Min, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language, ngettext

from accounts.responsibility import TOP, Level, level_of
from accounts.scope import PROVINCE, scope_of
from areas.models import Subdistrict, full_area_name
from budgets.models import BudgetRequest, MonitoringPhase, MonitoringRecord, RequestStatus
from codi_plans import thai_calendar
from codi_plans.templatetags.thai_calendar import fiscal_year as fiscal_year_label
from codi_plans.templatetags.thai_calendar import quarter as quarter_label
from indicators.models import AreaLevel, Indicator, Result, ResultStatus
from progress.models import AWAITING_PROGRESS_REVIEW, ProgressStatus, ProjectProgress
from reports.services import quarter_just_ended
from strategies.selectors import latest_plan
from workstreams.models import AWAITING_REVIEW_STATUSES, CONSOLIDATED_STATUSES, Project, TambonPlan

from .models import DueKind

# A result counts as reported once it is sent for review; drafts, returned and withdrawn ones are still due.
REPORTED = (ResultStatus.SUBMITTED, ResultStatus.APPROVED)
# A project's quarter counts as reported once its progress report is sent for review.
PROGRESS_SENT = (*AWAITING_PROGRESS_REVIEW, ProgressStatus.APPROVED)
# Requests waiting at the province (to rank and forward) and at CODI's centre (to decide).
PROVINCE_STEPS = (RequestStatus.SUBMITTED, RequestStatus.PRIORITISED)
CENTRAL_STEPS = (RequestStatus.FORWARDED,)
# Home pages list this many items per list, with the count of the rest.
LIST_LIMIT = 20
EVERYWHERE = Q()


@dataclass(frozen=True)
class Rules:
    """The ladder's timing, from settings (environment): reminder days before the due date, days per level once
    late, days a reviewer has."""

    reminder_days: tuple[int, ...]
    interval_days: int
    review_days: int

    @property
    def window(self) -> int:
        """How many days before its due date an item counts as due soon."""
        return max(self.reminder_days, default=0)


def rules() -> Rules:
    """Read the escalation settings."""
    days = tuple(sorted({int(d) for d in settings.ESCALATION_REMINDER_DAYS if int(d) > 0}, reverse=True))
    return Rules(
        reminder_days=days,
        interval_days=max(int(settings.ESCALATION_INTERVAL_DAYS), 1),
        review_days=max(int(settings.ESCALATION_REVIEW_DAYS), 0),
    )


@dataclass(frozen=True)
class DueItem:
    """One piece of work due in one area, where it stands today on the ladder."""

    kind: str
    key: str  # unique per item and due date: notices are recorded against it
    subject: str
    area_name: str
    due: dt.date
    responsible: Level  # who answers for it first
    current: Level  # who answers for it today (higher once late)
    days_late: int  # negative: days left before the due date
    tambon_id: int | None = None
    province_id: int | None = None
    region_id: int | None = None
    url_name: str = ""
    url_args: tuple = ()
    url_query: tuple = ()

    @property
    def is_late(self) -> bool:
        return self.days_late > 0

    @property
    def days_left(self) -> int:
        return -self.days_late

    @property
    def kind_label(self) -> str:
        return str(DueKind(self.kind).label)

    @property
    def level_label(self) -> str:
        return str(Level(self.current).label)

    @property
    def escalated(self) -> bool:
        return self.current > self.responsible

    @cached_property
    def url(self) -> str:
        path = reverse(self.url_name, args=self.url_args)
        return f"{path}?{urlencode(self.url_query)}" if self.url_query else path

    def area_id(self, level: int) -> int | None:
        """The id of the area the people of `level` answer for (None at the centre)."""
        return {
            Level.TAMBON: self.tambon_id,
            Level.PROVINCE: self.province_id,
            Level.REGION: self.region_id,
            Level.CENTRAL: None,
        }[Level(level)]


def place(due: dt.date, responsible: Level, today: dt.date, ladder: Rules) -> tuple[int, Level]:
    """Return (days late, level answering today): one level up per interval of lateness, never past the centre."""
    late = (today - due).days
    steps = late // ladder.interval_days if late > 0 else 0
    return late, Level(min(responsible + steps, TOP))


def _local_date(moment) -> dt.date:
    return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()


def period_label(fiscal_year: int, quarter: int) -> str:
    """Name a quarter in the page's language: 'ไตรมาส 1 ปีงบประมาณ 2569'."""
    return f"{quarter_label(quarter)} {fiscal_year_label(fiscal_year)}"


def _tambon_name(code: str, name_th: str, name_en: str, province: str) -> str:
    return f"{full_area_name('tambon', code[:2], name_th, name_en)}, {province}"


def _name(name_th: str, name_en: str) -> str:
    return name_en if (get_language() or "th").startswith("en") and name_en else name_th


# --- the kinds -----------------------------------------------------------------------------------------------------


def result_indicators(fiscal_year: int) -> list[int]:
    """The ids of the indicators every tambon reports each quarter: the headline ones reported per tambon under the
    CODI plan of the year (a project's own indicators are reported with the project's progress)."""
    plan = latest_plan(fiscal_year)
    if plan is None:
        return []
    return list(
        Indicator.objects.active()
        .under(plan.code)
        .filter(reporting_level=AreaLevel.TAMBON, project__isnull=True)
        .values_list("id", flat=True)
    )


def missing_results(today: dt.date, ladder: Rules, area_q: Q = EVERYWHERE) -> list[DueItem]:
    """Tambons with an accepted plan for the year that have not sent every headline result of the quarter in play,
    those with no result row at all included (one query for all tambons)."""
    fiscal_year, quarter = quarter_just_ended(today)
    indicator_ids = result_indicators(fiscal_year)
    if not indicator_ids:
        return []
    due = thai_calendar.quarter_report_due(fiscal_year, quarter)
    late, current = place(due, Level.TAMBON, today, ladder)
    expects = TambonPlan.objects.filter(
        tambon=OuterRef("pk"),
        status__in=CONSOLIDATED_STATUSES,
        period_start_be__lte=fiscal_year,
        period_end_be__gte=fiscal_year,
    )
    sent = (
        Result.objects.filter(
            level=AreaLevel.TAMBON,
            tambon=OuterRef("pk"),
            fiscal_year=fiscal_year,
            quarter=quarter,
            status__in=REPORTED,
            indicator_id__in=indicator_ids,
        )
        .order_by()
        .values("tambon")
        .annotate(n=Count("indicator", distinct=True))
        .values("n")
    )
    rows = (
        Subdistrict.objects.filter(area_q)
        .filter(Exists(expects))
        .annotate(sent=Coalesce(Subquery(sent, output_field=IntegerField()), Value(0)))
        .filter(sent__lt=len(indicator_ids))
        .order_by("code")
        .values("id", "code", "name_th", "name_en", "province_id", "province__region_id", "province__name_th", "sent")
    )
    items = []
    for row in rows:
        items.append(
            DueItem(
                kind=DueKind.RESULTS,
                key=f"results:{fiscal_year}:{quarter}:t{row['id']}",
                subject=period_label(fiscal_year, quarter),
                area_name=_tambon_name(row["code"], row["name_th"], row["name_en"], row["province__name_th"]),
                due=due,
                responsible=Level.TAMBON,
                current=current,
                days_late=late,
                tambon_id=row["id"],
                province_id=row["province_id"],
                region_id=row["province__region_id"],
                url_name="indicators:results",
                url_query=(("tambon", row["code"]), ("fiscal_year", fiscal_year), ("quarter", quarter)),
            )
        )
    return items


def missing_progress(today: dt.date, ladder: Rules, area_q: Q = EVERYWHERE) -> list[DueItem]:
    """Tambons whose accepted plan has projects with no progress report sent for the quarter in play, one item per
    tambon with the number of projects (one query for all tambons)."""
    fiscal_year, quarter = quarter_just_ended(today)
    due = thai_calendar.quarter_report_due(fiscal_year, quarter)
    late, current = place(due, Level.TAMBON, today, ladder)
    reported = ProjectProgress.objects.filter(
        project=OuterRef("pk"), fiscal_year=fiscal_year, quarter=quarter, status__in=PROGRESS_SENT
    )
    rows = (
        Project.objects.filter(
            area_q,
            plan__status__in=CONSOLIDATED_STATUSES,
            plan__period_start_be__lte=fiscal_year,
            plan__period_end_be__gte=fiscal_year,
        )
        .exclude(Exists(reported))
        .order_by()
        .values(
            "plan_id",
            "plan__tambon_id",
            "plan__tambon__code",
            "plan__tambon__name_th",
            "plan__tambon__name_en",
            "plan__tambon__province_id",
            "plan__tambon__province__region_id",
            "plan__tambon__province__name_th",
        )
        .annotate(n=Count("pk"))
        .order_by("plan__tambon__code")
    )
    return [
        DueItem(
            kind=DueKind.PROGRESS,
            key=f"progress:{fiscal_year}:{quarter}:t{row['plan__tambon_id']}",
            subject=ngettext("%(n)s project, %(period)s", "%(n)s projects, %(period)s", row["n"])
            % {"n": row["n"], "period": period_label(fiscal_year, quarter)},
            area_name=_tambon_name(
                row["plan__tambon__code"],
                row["plan__tambon__name_th"],
                row["plan__tambon__name_en"],
                row["plan__tambon__province__name_th"],
            ),
            due=due,
            responsible=Level.TAMBON,
            current=current,
            days_late=late,
            tambon_id=row["plan__tambon_id"],
            province_id=row["plan__tambon__province_id"],
            region_id=row["plan__tambon__province__region_id"],
            url_name="workstreams:detail",
            url_args=(row["plan_id"],),
        )
        for row in rows
    ]


def plans_awaiting_review(today: dt.date, ladder: Rules, area_q: Q = EVERYWHERE) -> list[DueItem]:
    """Tambon plans submitted or resubmitted and not yet decided: the province reviews them within the review days."""
    rows = (
        TambonPlan.objects.filter(area_q, status__in=AWAITING_REVIEW_STATUSES)
        .annotate(since=Coalesce("status_changed_at", "updated_at"))
        .order_by("tambon__code")
        .values(
            "pk",
            "period_start_be",
            "period_end_be",
            "since",
            "tambon_id",
            "tambon__code",
            "tambon__name_th",
            "tambon__name_en",
            "tambon__province_id",
            "tambon__province__region_id",
            "tambon__province__name_th",
        )
    )
    items = []
    for row in rows:
        due = _local_date(row["since"]) + dt.timedelta(days=ladder.review_days)
        late, current = place(due, Level.PROVINCE, today, ladder)
        items.append(
            DueItem(
                kind=DueKind.PLAN_REVIEW,
                key=f"plan_review:{row['pk']}:{due:%Y%m%d}",
                subject=f"{row['period_start_be']}–{row['period_end_be']}",
                area_name=_tambon_name(
                    row["tambon__code"],
                    row["tambon__name_th"],
                    row["tambon__name_en"],
                    row["tambon__province__name_th"],
                ),
                due=due,
                responsible=Level.PROVINCE,
                current=current,
                days_late=late,
                tambon_id=row["tambon_id"],
                province_id=row["tambon__province_id"],
                region_id=row["tambon__province__region_id"],
                url_name="workstreams:detail",
                url_args=(row["pk"],),
            )
        )
    return items


def results_awaiting_review(today: dt.date, ladder: Rules, area_q: Q = EVERYWHERE) -> list[DueItem]:
    """Results submitted and not yet decided, one item per province and quarter, due the review days after the
    oldest of them was sent."""
    rows = (
        Result.objects.filter(area_q, status=ResultStatus.SUBMITTED, province__isnull=False)
        .order_by()
        .values("province_id", "province__code", "province__name_th", "province__name_en", "province__region_id")
        .annotate(n=Count("pk"), since=Min(Coalesce("submitted_at", "updated_at")))
        .values(
            "province_id",
            "province__code",
            "province__name_th",
            "province__name_en",
            "province__region_id",
            "fiscal_year",
            "quarter",
            "n",
            "since",
        )
        .order_by("province__code", "fiscal_year", "quarter")
    )
    items = []
    for row in rows:
        due = _local_date(row["since"]) + dt.timedelta(days=ladder.review_days)
        late, current = place(due, Level.PROVINCE, today, ladder)
        items.append(
            DueItem(
                kind=DueKind.RESULT_REVIEW,
                key=f"result_review:p{row['province_id']}:{row['fiscal_year']}:{row['quarter']}:{due:%Y%m%d}",
                subject=ngettext("%(n)s result of %(period)s", "%(n)s results of %(period)s", row["n"])
                % {"n": row["n"], "period": period_label(row["fiscal_year"], row["quarter"])},
                area_name=_name(row["province__name_th"], row["province__name_en"]),
                due=due,
                responsible=Level.PROVINCE,
                current=current,
                days_late=late,
                province_id=row["province_id"],
                region_id=row["province__region_id"],
                url_name="indicators:queue",
            )
        )
    return items


def progress_awaiting_review(today: dt.date, ladder: Rules, area_q: Q = EVERYWHERE) -> list[DueItem]:
    """Project progress reports sent and not yet decided, one item per province and quarter, due the review days
    after the oldest of them was sent."""
    province = "project__plan__tambon__province"
    rows = (
        ProjectProgress.objects.filter(area_q, status__in=AWAITING_PROGRESS_REVIEW)
        .order_by()
        .values(f"{province}_id", f"{province}__name_th", f"{province}__name_en", f"{province}__region_id")
        .annotate(n=Count("pk"), since=Min(Coalesce("status_changed_at", "updated_at")))
        .values(
            f"{province}_id",
            f"{province}__name_th",
            f"{province}__name_en",
            f"{province}__region_id",
            "fiscal_year",
            "quarter",
            "n",
            "since",
        )
        .order_by(f"{province}__code", "fiscal_year", "quarter")
    )
    items = []
    for row in rows:
        due = _local_date(row["since"]) + dt.timedelta(days=ladder.review_days)
        late, current = place(due, Level.PROVINCE, today, ladder)
        province_id = row[f"{province}_id"]
        items.append(
            DueItem(
                kind=DueKind.PROGRESS_REVIEW,
                key=f"progress_review:p{province_id}:{row['fiscal_year']}:{row['quarter']}:{due:%Y%m%d}",
                subject=ngettext(
                    "%(n)s progress report of %(period)s", "%(n)s progress reports of %(period)s", row["n"]
                )
                % {"n": row["n"], "period": period_label(row["fiscal_year"], row["quarter"])},
                area_name=_name(row[f"{province}__name_th"], row[f"{province}__name_en"]),
                due=due,
                responsible=Level.PROVINCE,
                current=current,
                days_late=late,
                province_id=province_id,
                region_id=row[f"{province}__region_id"],
                url_name="progress:queue",
            )
        )
    return items


def _request_rows(queryset):
    return queryset.order_by("province__code", "pk").values(
        "pk",
        "title",
        "status",
        "fiscal_year",
        "province_id",
        "province__name_th",
        "province__name_en",
        "province__region_id",
        "status_changed_at",
        "updated_at",
    )


def requests_awaiting_decision(today: dt.date, ladder: Rules, area_q: Q = EVERYWHERE) -> list[DueItem]:
    """Budget requests waiting for the province's ranking or CODI's decision, due the review days after they came."""
    rows = _request_rows(BudgetRequest.objects.filter(area_q, status__in=PROVINCE_STEPS + CENTRAL_STEPS))
    items = []
    for row in rows:
        since = row["status_changed_at"] or row["updated_at"]
        due = _local_date(since) + dt.timedelta(days=ladder.review_days)
        responsible = Level.CENTRAL if row["status"] in CENTRAL_STEPS else Level.PROVINCE
        late, current = place(due, responsible, today, ladder)
        items.append(
            DueItem(
                kind=DueKind.REQUEST_DECISION,
                key=f"request_decision:{row['pk']}:{row['status']}:{due:%Y%m%d}",
                subject=row["title"],
                area_name=_name(row["province__name_th"], row["province__name_en"]),
                due=due,
                responsible=responsible,
                current=current,
                days_late=late,
                province_id=row["province_id"],
                region_id=row["province__region_id"],
                url_name="budgets:request",
                url_args=(row["pk"],),
            )
        )
    return items


def missing_monitoring(today: dt.date, ladder: Rules, area_q: Q = EVERYWHERE) -> list[DueItem]:
    """Budget requests in execution with no monitoring record for the quarter in play: the figures the Budget
    Bureau's quarterly report needs, due 15 days after the quarter."""
    fiscal_year, quarter = quarter_just_ended(today)
    due = thai_calendar.quarter_report_due(fiscal_year, quarter)
    late, current = place(due, Level.PROVINCE, today, ladder)
    reported = MonitoringRecord.objects.filter(request=OuterRef("pk"), phase=MonitoringPhase.ONGOING, quarter=quarter)
    rows = _request_rows(
        BudgetRequest.objects.filter(area_q, fiscal_year=fiscal_year, status=RequestStatus.IN_EXECUTION).exclude(
            Exists(reported)
        )
    )
    return [
        DueItem(
            kind=DueKind.BUDGET_BUREAU,
            key=f"budget_bureau:{row['pk']}:{fiscal_year}:{quarter}",
            subject=row["title"],
            area_name=_name(row["province__name_th"], row["province__name_en"]),
            due=due,
            responsible=Level.PROVINCE,
            current=current,
            days_late=late,
            province_id=row["province_id"],
            region_id=row["province__region_id"],
            url_name="budgets:monitoring",
            url_args=(row["pk"], quarter),
        )
        for row in rows
    ]


def due_items(today: dt.date | None = None, *, user=None, ladder: Rules | None = None) -> list[DueItem]:
    """Return every item due or late (within the user's area when a user is given), in a fixed number of queries."""
    today = today or timezone.localdate()
    ladder = ladder or rules()
    area = scope_of(user) if user is not None else None
    if area is not None and not area.works_somewhere:
        return []

    def where(path: str, level: str = "tambon") -> Q:
        return Q() if area is None else area.overlapping(path, level)

    return [
        *missing_results(today, ladder, where("")),
        *missing_progress(today, ladder, where("plan__tambon__")),
        *plans_awaiting_review(today, ladder, where("tambon__")),
        *results_awaiting_review(today, ladder, Q() if area is None else area.inside_q()),
        *progress_awaiting_review(today, ladder, where("project__plan__tambon__")),
        *requests_awaiting_decision(today, ladder, where("province__", PROVINCE)),
        *missing_monitoring(today, ladder, where("province__", PROVINCE)),
    ]


# --- one person's lists --------------------------------------------------------------------------------------------


@dataclass
class MyDueWork:
    """A person's part of the ladder: items that fall due soon at their level, and late items they answer for
    (their own, or escalated to them from below)."""

    due_soon: list[DueItem]
    overdue: list[DueItem]
    due_soon_count: int
    overdue_count: int
    escalated_count: int


def work_for(user, today: dt.date | None = None) -> MyDueWork | None:
    """Return the due-soon and overdue lists for the user's level and area (None for people off the ladder)."""
    level = level_of(user)
    if level is None:
        return None
    today = today or timezone.localdate()
    ladder = rules()
    # An item stays with every level it has reached: those who answer for it first, and each level above that it
    # climbed to (the representative still has to report when the region is chasing).
    mine = [item for item in due_items(today, user=user, ladder=ladder) if item.responsible <= level <= item.current]
    soon = sorted(
        (i for i in mine if not i.is_late and i.days_left <= ladder.window), key=lambda i: (i.due, i.area_name)
    )
    late = sorted((i for i in mine if i.is_late), key=lambda i: (-i.days_late, i.area_name))
    return MyDueWork(
        due_soon=soon[:LIST_LIMIT],
        overdue=late[:LIST_LIMIT],
        due_soon_count=len(soon),
        overdue_count=len(late),
        escalated_count=sum(1 for i in late if i.escalated),
    )
