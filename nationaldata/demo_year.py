"""A demo year that lives: the current fiscal year's work on top of the real reference data, for a first run.

`make run` (debug only) loads it after the demo accounts and demo budgets, so a newcomer sees a working system in
every menu: the next CODI plan rolled forward from the seed's and published, with targets for this year; tambon
plans in every state in the demo representative's and coordinator's areas (Chiang Mai); results for this year's
quarters so far; a budget request in execution with actuals; and one filed report.

Everything goes through the services, as people would do it, by the demo accounts (so the four-eyes rules, the
workflow records and the history are real). Every demo row is labelled: names start with DEMO_MARK. Loading twice
changes nothing: each part looks for what it would make and makes only what is missing.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from areas.models import Province, Subdistrict
from budgets import selectors as budget_selectors
from budgets import services as budgets
from budgets.models import BudgetRequest, DevelopmentIssue, ExpenseCategory
from codi_plans import thai_calendar
from indicators import services as indicators
from indicators.models import AreaLevel, Indicator, Result, Target
from progress import services as progress
from progress.models import ProgressStatus, ProjectProgress
from reports import services as reports
from reports.models import Report, ReportKind
from reports.scopes import COUNTRY
from strategies import selectors as plans
from strategies import services as strategies
from strategies.models import PlanNode
from workstreams import services as tambon_plans
from workstreams.models import CONSOLIDATED_STATUSES as CONSOLIDATED
from workstreams.models import PlanStatus, ProjectClass, TambonPlan
from workstreams.selectors import lineage_map

DEMO_MARK = "[ตัวอย่าง]"
D = Decimal

# The demo coordinator's province and the demo representative's two tambons, then four more tambons of the same
# district, so the review queue, the province plan and the rep's home each have something in every state.
PROVINCE = "50"
PLAN_STATES = {
    "500101": PlanStatus.ACCEPTED,
    "500102": PlanStatus.ENDORSED,
    "500103": PlanStatus.SUBMITTED,
    "500104": PlanStatus.RESUBMITTED,
    "500105": PlanStatus.RETURNED,  # the demo rep's: returned with a reason to act on
    "500106": PlanStatus.DRAFT,  # the demo rep's: a draft to finish
}
REP_TAMBONS = {"500105", "500106"}
WAITING_FOR_REVIEW = "500106"
# (workstream code in the seed's plan, goal, programme): what the demo projects serve, found in the plan in force
# through the copies' lineage.
PROJECT_LINKS = [
    ("WS-ECONOMY", "WS-ECONOMY-G1", "WS-ECONOMY-G1-P1", "กองทุนหมุนเวียนเพื่อสัมมาชีพชุมชน"),
    ("WS-WELFARE", "WS-WELFARE-G1", "WS-WELFARE-G1-P1", "ศูนย์เรียนรู้สวัสดิการชุมชน"),
]


@dataclass
class DemoYearReport:
    fiscal_year: int
    plan: str = ""
    plans_created: int = 0
    targets_set: int = 0
    tambon_plans: int = 0
    results: int = 0
    budget_request: str = ""
    report: str = ""
    progress_reports: int = 0


def _people() -> dict[str, User]:
    names = ("demo-staff", "demo-region", "demo-province", "demo-rep")
    people = {u.username: u for u in User.objects.filter(username__in=names)}
    missing = sorted(set(names) - set(people))
    if missing:
        raise ImproperlyConfigured(f"Create the demo accounts first (manage.py create_demo_accounts): {missing}")
    return people


def load_demo_year(*, today: dt.date | None = None) -> DemoYearReport:
    """Load (or complete) the demo year for the fiscal year of `today`; refused under production settings."""
    if not settings.DEMO_ACCOUNTS_ALLOWED:
        raise ImproperlyConfigured("The demo year is never loaded under production settings (DJANGO_DEBUG=False).")
    today = today or timezone.localdate()
    year = thai_calendar.fiscal_year_of(today)
    quarter = thai_calendar.fiscal_quarter_of(today)
    people = _people()
    report = DemoYearReport(fiscal_year=year)
    with transaction.atomic():
        plan = _plan_in_force(year, people["demo-staff"], report)
        _targets(plan, year, people["demo-staff"], report)
        _tambon_plans(plan, year, people, report)
        _results(plan, year, quarter, people, report)
        _budget_request(year, quarter, people, report)
        _progress(year, quarter, today, people, report)
    _filed_report(year, people["demo-staff"], report)
    return report


# --- the plan in force ---------------------------------------------------------------------------------------------


def _plan_in_force(year: int, staff: User, report: DemoYearReport) -> PlanNode:
    """The published plan governing the year; with none, the latest plan rolled forward to this year and published."""
    plan = plans.plan_in_force(year)
    if plan is None:
        first, last = plans.plan_period_in_force(year)
        draft = plans.codi_plans().filter(is_draft=True, period_start_be=first, period_end_be=last).first()
        if draft is None:
            draft = strategies.roll_forward_plan(
                plan=plans.latest_plan(year), period_start_be=first, period_end_be=last, by=staff
            )
            report.plans_created += 1
        plan = strategies.publish_plan(plan=draft, by=staff)
    report.plan = f"{plan.code} ({plan.period_start_be}–{plan.period_end_be})"
    return plan


def _in_plan(lineage: dict[int, PlanNode], seed_code: str) -> PlanNode:
    """The plan's item that is (or was rolled forward, at any remove, from) the seed's item `seed_code`."""
    node = lineage.get(PlanNode.objects.get(code=seed_code).pk)
    if node is None:
        raise ImproperlyConfigured(f"The plan in force has no item that continues {seed_code}.")
    return node


def _plan_indicators(plan: PlanNode):
    """The plan's own indicators (not those of tambon projects), on it or anywhere below it."""
    return Indicator.objects.under(plan.code).filter(project__isnull=True)


def _targets(plan: PlanNode, year: int, staff: User, report: DemoYearReport) -> None:
    """A national target for this year on each of the plan's indicators that has none."""
    has_target = Target.objects.filter(fiscal_year=year, level=AreaLevel.COUNTRY, quarter=None).values("indicator")
    in_plan = _plan_indicators(plan).exclude(pk__in=has_target)
    for indicator in in_plan.order_by("number", "code"):
        value = D("1") if indicator.measure == "yes_no" else D("20")
        if indicator.measure == "percent":
            value = D("60")
        indicators.set_target(
            indicator=indicator,
            level=AreaLevel.COUNTRY,
            area=None,
            fiscal_year=year,
            quarter=None,
            value=value,
            by=staff,
            note=f"{DEMO_MARK} เป้าหมายตัวอย่าง",
        )
        report.targets_set += 1


# --- tambon plans --------------------------------------------------------------------------------------------------


def _tambon_plans(plan: PlanNode, year: int, people: dict, report: DemoYearReport) -> None:
    first, last = plan.period_start_be, plan.period_end_be
    staff, rep = people["demo-staff"], people["demo-rep"]
    lineage = lineage_map(plan)
    for code, state in PLAN_STATES.items():
        tambon = Subdistrict.objects.get(code=code)
        if TambonPlan.objects.filter(tambon=tambon, period_start_be=first, period_end_be=last).exists():
            continue
        writer = rep if code in REP_TAMBONS else staff
        tambon_plan = tambon_plans.create_tambon_plan(
            tambon=tambon,
            period_start_be=first,
            period_end_be=last,
            by=writer,
            households=120 + int(code[-2:]) * 7,
            population=400 + int(code[-2:]) * 23,
            main_occupations="เกษตรกรรม รับจ้าง ค้าขาย",
            vision=f"{DEMO_MARK} ตำบล{tambon.name_th} ชุมชนพึ่งตนเอง มีรายได้ มีสวัสดิการ",
        )
        tambon_plan = tambon_plans.set_problems(
            plan=tambon_plan,
            by=writer,
            expected_revision=tambon_plan.revision,
            problems=[
                {"title": "รายได้ไม่พอกับรายจ่าย หนี้สินครัวเรือนสูง", "description": ""},
                {"title": "ผู้สูงอายุและผู้ด้อยโอกาสขาดการดูแล", "description": ""},
            ],
        )
        for workstream, goal, programme, name in PROJECT_LINKS:
            tambon_plan.refresh_from_db()
            tambon_plans.save_project(
                plan=tambon_plan,
                by=writer,
                expected_revision=tambon_plan.revision,
                data={
                    "workstream": _in_plan(lineage, workstream),
                    "goal": _in_plan(lineage, goal),
                    "programme": _in_plan(lineage, programme),
                    "project_class": ProjectClass.choices[0][0],
                    "name": f"{DEMO_MARK} {name} ตำบล{tambon.name_th}",
                    "objectives": "เพิ่มรายได้และสวัสดิการของครัวเรือนในตำบล",
                    "targets": "ครัวเรือนเป้าหมาย 50 ครัวเรือน",
                    "start_date": thai_calendar.fiscal_quarter_range(first, 1)[0],
                    "end_date": thai_calendar.fiscal_quarter_range(last, 4)[1],
                    "responsible_body": f"สภาองค์กรชุมชนตำบล{tambon.name_th}",
                },
                budget_lines=[
                    tambon_plans.BudgetLineInput(fy, source, D(amount))
                    for fy in range(first, last + 1)
                    for source, amount in (("codi", "50000"), ("community", "10000"))
                ],
                indicators=[tambon_plans.IndicatorInput("ครัวเรือนที่ได้รับประโยชน์", "ครัวเรือน", D("50"), last)],
            )
        _move_to(tambon_plan, state, writer, people)
        report.tambon_plans += 1


def _move_to(plan: TambonPlan, state: str, writer: User, people: dict) -> None:
    """Walk a new draft through the workflow to `state`, each step by the person who takes it."""
    coordinator, region = people["demo-province"], people["demo-region"]
    if state == PlanStatus.DRAFT:
        return
    plan = tambon_plans.submit_tambon_plan(plan=plan, by=writer)
    if state == PlanStatus.SUBMITTED:
        return
    if state in (PlanStatus.RETURNED, PlanStatus.RESUBMITTED):
        plan = tambon_plans.return_tambon_plan(
            plan=plan, by=coordinator, reason="โครงการที่ 2 ยังไม่ระบุกลุ่มเป้าหมายและงบประมาณสมทบจากชุมชนให้ชัดเจน"
        )
        if state == PlanStatus.RESUBMITTED:
            tambon_plans.submit_tambon_plan(plan=plan, by=writer, comment="เพิ่มกลุ่มเป้าหมายตามที่จังหวัดแนะนำแล้ว")
        return
    plan = tambon_plans.accept_tambon_plan(plan=plan, by=coordinator)
    if state == PlanStatus.ENDORSED:
        tambon_plans.endorse_tambon_plan(plan=plan, by=region)


# --- results -------------------------------------------------------------------------------------------------------


def _results(plan: PlanNode, year: int, quarter: int, people: dict, report: DemoYearReport) -> None:
    """Chiang Mai's results of this year's quarters so far: reported in the area, approved by someone else."""
    coordinator, region = people["demo-province"], people["demo-region"]
    rep = people["demo-rep"]
    province = Province.objects.get(code=PROVINCE)
    for indicator in _plan_indicators(plan).active().order_by("number", "code"):
        if indicator.reporting_level == AreaLevel.PROVINCE:
            areas = [(province, coordinator, region)]
        else:
            areas = [(Subdistrict.objects.get(code=code), rep, coordinator) for code in sorted(REP_TAMBONS)]
        for area, reporter, approver in areas:
            for q in range(1, quarter + 1):
                level = indicator.reporting_level
                if Result.objects.filter(indicator=indicator, fiscal_year=year, quarter=q, **{level: area}).exists():
                    continue
                value = D("1") if indicator.measure == "yes_no" else D(3 + q)
                result = indicators.create_result(
                    indicator=indicator,
                    level=level,
                    area=area,
                    fiscal_year=year,
                    quarter=q,
                    value=value,
                    by=reporter,
                    note=f"{DEMO_MARK} ผลตัวอย่าง",
                    submit=True,
                )
                # Reviewed, so the dashboards have figures; one tambon's current quarter waits in the review queue.
                if q < quarter or getattr(area, "code", "") != WAITING_FOR_REVIEW:
                    indicators.approve_result(result=result, by=approver)
                report.results += 1


# --- project progress ----------------------------------------------------------------------------------------------

# The accepted plans' projects this quarter: (tambon, project number) → what happens to its report. Reported by
# CODI staff from the tambon's paper form, reviewed by the demo coordinator: some approved (with the quarter before
# approved too), one waiting in the queue, one returned with a reason.
PROGRESS_STATES = {
    ("500101", 1): ProgressStatus.APPROVED,
    ("500101", 2): ProgressStatus.SUBMITTED,
    ("500102", 1): ProgressStatus.RETURNED,
    ("500102", 2): ProgressStatus.APPROVED,
}


def _progress(year: int, quarter: int, today, people: dict, report: DemoYearReport) -> None:
    staff, coordinator = people["demo-staff"], people["demo-province"]
    for (code, number), state in PROGRESS_STATES.items():
        plan = TambonPlan.objects.filter(
            tambon__code=code, period_start_be__lte=year, period_end_be__gte=year, status__in=CONSOLIDATED
        ).first()
        project = plan.projects.filter(number=number).first() if plan else None
        if project is None:
            continue
        quarters = range(1, quarter + 1) if state == ProgressStatus.APPROVED else [quarter]
        for q in quarters:
            if ProjectProgress.objects.filter(project=project, fiscal_year=year, quarter=q).exists():
                continue
            done = q == quarter and number == 2 and state == ProgressStatus.APPROVED
            data = progress.ProgressInput(
                activity_status="done" if done else "under_way",
                note=f"{DEMO_MARK} ความก้าวหน้าไตรมาส {q}",
                actuals={i.pk: D(min(50, 12 * q)) for i in project.indicators.all()},
                spending={"codi": D(12000), "community": D(2500)},
            )
            made = progress.save_report(
                project=project, fiscal_year=year, quarter=q, data=data, by=staff, submit=True, today=today
            )
            if state == ProgressStatus.APPROVED or q < quarter:
                progress.approve_report(report=made, by=coordinator)
            elif state == ProgressStatus.RETURNED:
                progress.return_report(report=made, by=coordinator, reason="ขอรูปถ่ายกิจกรรมและใบเสร็จค่าใช้จ่ายของไตรมาสนี้")
            report.progress_reports += 1


# --- a budget request in execution ---------------------------------------------------------------------------------


def _budget_request(year: int, quarter: int, people: dict, report: DemoYearReport) -> None:
    title = f"{DEMO_MARK} ยกระดับเศรษฐกิจฐานรากอำเภอเมืองเชียงใหม่ ปีงบประมาณ {year}"
    existing = BudgetRequest.objects.filter(title=title).first()
    if existing is not None:
        report.budget_request = f"{existing.title} ({existing.get_status_display()})"
        return
    coordinator, region, staff = people["demo-province"], people["demo-region"], people["demo-staff"]
    province = Province.objects.get(code=PROVINCE)
    projects = list(budget_selectors.eligible_projects(province=province, fiscal_year=year)[:2])
    issue = (
        DevelopmentIssue.objects.filter(
            plan__province=province, plan__period_start_be__lte=year, plan__period_end_be__gte=year
        )
        .order_by("number")
        .first()
    )
    first = projects[0] if projects else None
    request = budgets.create_budget_request(
        by=coordinator,
        province=province,
        fiscal_year=year,
        data={
            "title": title,
            "requesting_body": "ขบวนองค์กรชุมชนจังหวัดเชียงใหม่",
            "related_agencies": "สำนักงานพัฒนาชุมชนจังหวัด\nองค์การบริหารส่วนตำบล",
            "development_issue": issue,
            "workstream": first.workstream if first else None,
            "programme": first.programme if first else None,
            # The national master plan item the request serves (the ex-ante check asks for one).
            "national_target": PlanNode.objects.get(code="MP-2561-16"),
            "scope": "ตำบลในอำเภอเมืองเชียงใหม่ที่แผนพัฒนาตำบลผ่านการรับรองแล้ว",
            "targets": "ครัวเรือน 100 ครัวเรือนมีรายได้เพิ่มขึ้น",
            "approach": "อบรม แปรรูปผลผลิต และเปิดตลาดชุมชน",
            "expected_benefits": "รายได้ครัวเรือนเพิ่มขึ้น หนี้สินลดลง",
        },
        projects=projects,
        indicators=[budgets.IndicatorInput("ครัวเรือนที่มีรายได้เพิ่มขึ้น", "ครัวเรือน", D("100"))],
        expense_lines=[
            budgets.ExpenseInput(ExpenseCategory.OPERATING, D("60000"), "อบรมและศึกษาดูงาน"),
            budgets.ExpenseInput(ExpenseCategory.SUBSIDY, D("40000"), "ทุนตั้งต้นกลุ่มอาชีพ"),
        ],
    )
    request = budgets.submit_budget_request(request=request, by=coordinator)
    rank = budget_selectors.next_rank(request)
    request = budgets.prioritise_budget_request(request=request, by=region, rank=rank)
    request = budgets.forward_budget_request(request=request, by=region)
    request = budgets.approve_budget_request(request=request, by=staff, amount="100000")
    request.refresh_from_db()
    request = budgets.save_spending_plan(
        request=request,
        by=coordinator,
        expected_revision=request.revision,
        activities=[
            budgets.ActivityInput(
                "อบรมการแปรรูปผลผลิตและการตลาด",
                "ครั้ง",
                ExpenseCategory.OPERATING,
                [budgets.PeriodInput(q, D("1"), D("15000")) for q in range(1, 5)],
            ),
            budgets.ActivityInput(
                "ทุนตั้งต้นกลุ่มอาชีพ",
                "กลุ่ม",
                ExpenseCategory.SUBSIDY,
                [budgets.PeriodInput(q, D("1"), D("10000")) for q in range(1, 5)],
            ),
        ],
    )
    request = budgets.start_execution(request=request, by=coordinator)
    request.refresh_from_db()
    activities = list(request.activities.order_by("number"))
    spent = {1: D("13500"), 2: D("9000")}  # a little under each quarter's plan (15,000 and 10,000)
    for q in range(1, quarter + 1):
        request.refresh_from_db()
        budgets.record_actuals(
            request=request,
            by=coordinator,
            expected_revision=request.revision,
            quarter=q,
            rows=[budgets.ActualInput(a.number, D("1"), spent[a.number]) for a in activities],
        )
    request.refresh_from_db()
    report.budget_request = f"{request.title} ({request.get_status_display()})"


# --- one filed report ----------------------------------------------------------------------------------------------


def _filed_report(year: int, staff: User, report: DemoYearReport) -> None:
    """The year's plan report (สงป. 301) for the whole country, built now (it is small)."""
    filed = Report.objects.filter(kind=ReportKind.PLAN, scope_key=COUNTRY.key, fiscal_year=year).first()
    if filed is None:
        filed, _created = reports.request_report(
            kind=ReportKind.PLAN, scope=COUNTRY, fiscal_year=year, quarter=None, by=staff
        )
    if not filed.is_finished:
        reports.build_report(report_id=filed.pk)
        filed.refresh_from_db()
    report.report = f"{filed.get_kind_display()} {filed.fiscal_year} ({filed.get_status_display()})"
