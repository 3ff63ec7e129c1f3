"""Late work climbs the ladder: reminders before the due date, then one level per interval (representative →
province → region → centre), each e-mail once per item and level however often the daily job runs, and each level
sees the item on its "my work" page."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.responsibility import Level, people_at
from accounts.tests import factories as users
from areas.models import Subdistrict
from escalation import selectors, tasks
from escalation.models import DueKind, EscalationNotice, Occasion
from indicators.models import Indicator, ResultStatus
from indicators.tests.factories import IndicatorFactory, ResultFactory
from workstreams.models import PlanStatus, TambonPlan
from workstreams.tests.factories import TambonPlanFactory

pytestmark = pytest.mark.django_db

# Fiscal year 2569, quarter 2 (January–March 2026): its results fall due on 15 April 2026 (15 days after the quarter).
YEAR, QUARTER = 2569, 2
DUE = dt.date(2026, 4, 15)
HOME = "/my-work/"


@pytest.fixture(autouse=True)
def ladder(settings):
    settings.ESCALATION_REMINDER_DAYS = [7, 1]
    settings.ESCALATION_INTERVAL_DAYS = 7
    settings.ESCALATION_REVIEW_DAYS = 14
    settings.SITE_URL = "https://plans.codi.or.th"


def accepted_plan(code):
    return TambonPlanFactory(
        tambon=Subdistrict.objects.get(code=code), period_start_be=2568, period_end_be=2570, status=PlanStatus.ACCEPTED
    )


@pytest.fixture
def people(reference_data):
    IndicatorFactory()  # a headline indicator reported per tambon under the CODI plan
    return {
        "rep": users.community_rep("500105", email="rep@example.org"),
        "province": users.provincial_coordinator("50", email="cm@example.org"),
        "region": users.regional_staff("north", email="north@example.org"),
        "central": users.central_staff(email="hq@example.org"),
        # Elsewhere: must hear nothing about a Chiang Mai tambon.
        "other_province": users.provincial_coordinator("51", email="lp@example.org"),
        "other_region": users.regional_staff("south", email="south@example.org"),
    }


def run_twice(day: dt.date):
    """Run the daily job twice on the day (beat fired twice, or a rerun): return the mails the day sent."""
    before = len(mail.outbox)
    with time_machine.travel(dt.datetime.combine(day, dt.time(8, 0)).astimezone(dt.UTC), tick=False):
        first = tasks.send_notices.delay().get()
        second = tasks.send_notices.delay(day.isoformat()).get()
    assert second == {"notices": 0, "mails": 0}, "the second run of the day sends nothing"
    assert first["mails"] == len(mail.outbox) - before
    return mail.outbox[before:]


def home_rows(client, user, day):
    client.force_login(user)
    with time_machine.travel(dt.datetime.combine(day, dt.time(9, 0)).astimezone(dt.UTC), tick=False):
        response = client.get(HOME)
    assert response.status_code == 200
    html = response.content.decode()
    return html


def test_a_tambon_that_reported_nothing_is_reminded_then_escalated_to_province_region_and_centre(client, people):
    accepted_plan("500105")  # an accepted plan, and not one result row for the quarter
    key = f"results:{YEAR}:{QUARTER}:t{Subdistrict.objects.get(code='500105').pk}"

    timeline = {
        DUE - dt.timedelta(days=8): [],  # before the reminder window
        DUE - dt.timedelta(days=7): ["rep@example.org"],  # first reminder
        DUE - dt.timedelta(days=3): [],
        DUE - dt.timedelta(days=1): ["rep@example.org"],  # last reminder
        DUE: [],  # due today: nothing new
        DUE + dt.timedelta(days=1): ["rep@example.org"],  # late: the representative hears first
        DUE + dt.timedelta(days=6): [],
        DUE + dt.timedelta(days=7): ["cm@example.org"],  # one interval late: the province
        DUE + dt.timedelta(days=10): [],
        DUE + dt.timedelta(days=14): ["north@example.org"],  # two intervals: the region
        DUE + dt.timedelta(days=21): ["hq@example.org"],  # three: CODI's centre
        DUE + dt.timedelta(days=28): [],  # the top: it stays there, nobody is mailed again
    }
    for day, expected in timeline.items():
        sent = run_twice(day)
        assert [m.to[0] for m in sent] == expected, day

    # Each mail is Thai, names the tambon, the B.E. due date and a link to act.
    texts = [m.subject + m.body for m in mail.outbox]
    assert all("ช้างคลาน" in t and "15 เม.ย. 2569" in t for t in texts)
    assert "https://plans.codi.or.th/indicators/results/?tambon=500105" in mail.outbox[-1].body
    assert "ล่าช้า" in mail.outbox[-1].body and "ผลตามตัวชี้วัดรายไตรมาส" in mail.outbox[-1].body

    # One notice per level and occasion, each recorded once.
    notices = list(EscalationNotice.objects.filter(item_key=key).values_list("level", "occasion", "days_before"))
    assert sorted(notices) == [
        (Level.TAMBON, Occasion.BEFORE, 1),
        (Level.TAMBON, Occasion.BEFORE, 7),
        (Level.TAMBON, Occasion.LATE, 0),
        (Level.PROVINCE, Occasion.LATE, 0),
        (Level.REGION, Occasion.LATE, 0),
        (Level.CENTRAL, Occasion.LATE, 0),
    ]

    # My work shows the item to the right people at each step.
    soon = DUE - dt.timedelta(days=3)
    assert key in home_rows(client, people["rep"], soon)
    assert key not in home_rows(client, people["province"], soon)
    at_region = DUE + dt.timedelta(days=15)
    html = home_rows(client, people["region"], at_region)
    assert key in html and "15 เม.ย. 2569" in html
    assert key in home_rows(client, people["rep"], at_region)  # still theirs to report
    assert key in home_rows(client, people["province"], at_region)
    assert key not in home_rows(client, people["central"], at_region)  # not yet at the centre
    assert key not in home_rows(client, people["other_region"], at_region)
    assert key in home_rows(client, people["central"], DUE + dt.timedelta(days=22))


def test_reporting_every_headline_result_ends_the_chase(people):
    accepted_plan("500105")
    run_twice(DUE + dt.timedelta(days=1))
    assert [m.to for m in mail.outbox] == [["rep@example.org"]]
    for indicator in Indicator.objects.filter(pk__in=selectors.result_indicators(YEAR)):
        ResultFactory(
            indicator=indicator,
            fiscal_year=YEAR,
            quarter=QUARTER,
            tambon_code="500105",
            status=ResultStatus.SUBMITTED,
            created_by=people["rep"],
        )
    # Sent for review, no longer late for the tambon: the province is not chased about it.
    items = selectors.due_items(DUE + dt.timedelta(days=7))
    assert [i for i in items if i.kind == DueKind.RESULTS] == []


def test_a_late_tambon_with_no_representative_account_is_heard_by_its_province(people):
    accepted_plan("500106")  # nobody represents this tambon in the system, and it reported nothing
    # Reminders before the due date go only to the people answering for the item: nobody here.
    assert run_twice(DUE - dt.timedelta(days=7)) == []
    # Once late, the province hears at once rather than nobody.
    assert [m.to[0] for m in run_twice(DUE + dt.timedelta(days=1))] == ["cm@example.org"]
    # A week later the item reaches the province's own level: the coordinator already knows, no second mail.
    assert run_twice(DUE + dt.timedelta(days=7)) == []


def test_tambons_without_an_accepted_plan_owe_no_results(people):
    TambonPlanFactory(
        tambon=Subdistrict.objects.get(code="500105"), period_start_be=2568, period_end_be=2570, status=PlanStatus.DRAFT
    )
    assert [i for i in selectors.due_items(DUE) if i.kind == DueKind.RESULTS] == []


@pytest.mark.parametrize("argument", ["not a date", "2026-13-45", 20260415, "1999-01-01", ["2026-04-16"], "2026-4-16"])
def test_bad_task_arguments_change_nothing(people, argument):
    accepted_plan("500105")
    with time_machine.travel(dt.datetime(2026, 4, 16, 8, tzinfo=dt.UTC), tick=False):
        assert tasks.send_notices.delay(argument).get() == "refused"
    assert mail.outbox == [] and not EscalationNotice.objects.exists()


def test_a_review_waiting_too_long_climbs_from_the_province(people):
    plan = accepted_plan("500105")
    plan.status = PlanStatus.SUBMITTED
    plan.status_changed_at = dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC)
    plan.save()
    # Due 14 days after it reached the province: 15 March 2026. Province reminded 7 and 1 day before, then late.
    assert [m.to[0] for m in run_twice(dt.date(2026, 3, 8))] == ["cm@example.org"]
    assert [m.to[0] for m in run_twice(dt.date(2026, 3, 16))] == ["cm@example.org"]
    assert [m.to[0] for m in run_twice(dt.date(2026, 3, 22))] == ["north@example.org"]
    assert [m.to[0] for m in run_twice(dt.date(2026, 3, 29))] == ["hq@example.org"]
    (item,) = [i for i in selectors.due_items(dt.date(2026, 3, 29)) if i.kind == DueKind.PLAN_REVIEW]
    assert (item.due, item.responsible, item.current, item.days_late) == (
        dt.date(2026, 3, 15),
        Level.PROVINCE,
        Level.CENTRAL,
        14,
    )


def test_the_ladder_climbs_one_level_per_interval_and_stops_at_the_centre(settings):
    settings.ESCALATION_INTERVAL_DAYS = 3
    ladder = selectors.rules()
    due = dt.date(2026, 4, 15)
    assert selectors.place(due, Level.TAMBON, dt.date(2026, 4, 15), ladder) == (0, Level.TAMBON)
    assert selectors.place(due, Level.TAMBON, dt.date(2026, 4, 17), ladder) == (2, Level.TAMBON)
    assert selectors.place(due, Level.TAMBON, dt.date(2026, 4, 18), ladder) == (3, Level.PROVINCE)
    assert selectors.place(due, Level.TAMBON, dt.date(2026, 4, 24), ladder) == (9, Level.CENTRAL)
    assert selectors.place(due, Level.PROVINCE, dt.date(2026, 6, 1), ladder) == (47, Level.CENTRAL)


def test_people_of_each_level_are_found_for_many_areas_in_one_query(people, django_assert_num_queries):
    tambon = Subdistrict.objects.get(code="500105")
    with django_assert_num_queries(1):
        assert people_at(Level.TAMBON, [tambon.pk, 1])[tambon.pk] == [people["rep"]]
    with django_assert_num_queries(1):
        assert people_at(Level.PROVINCE, [tambon.province_id])[tambon.province_id] == [people["province"]]
    with django_assert_num_queries(1):
        assert dict(people_at(Level.CENTRAL, [])) == {None: [people["central"]]}


def test_due_items_take_the_same_queries_for_one_tambon_and_for_a_whole_province(people):
    accepted_plan("500105")
    with CaptureQueriesContext(connection) as one:
        assert len(selectors.due_items(DUE + dt.timedelta(days=1))) == 1
    tambons = Subdistrict.objects.filter(province__code="50").exclude(code="500105")
    TambonPlan.objects.bulk_create(
        TambonPlan(
            tambon=tambon,
            period_start_be=2568,
            period_end_be=2570,
            status=PlanStatus.ACCEPTED,
            created_by=people["rep"],
            updated_by=people["rep"],
        )
        for tambon in tambons
    )
    with CaptureQueriesContext(connection) as many:
        items = selectors.due_items(DUE + dt.timedelta(days=1))
    assert len(items) == Subdistrict.objects.filter(province__code="50").count() > 200
    assert len(many) == len(one)


def test_budget_requests_owe_the_budget_bureau_their_quarterly_monitoring_and_wait_for_decisions(people):
    from budgets.models import MonitoringPhase, MonitoringRecord, RequestStatus
    from reports.tests.factories import funded_request

    missing = funded_request(title="ไม่มีรายงาน", fiscal_year=YEAR, monitoring={})
    reported = funded_request(title="รายงานแล้ว", fiscal_year=YEAR, monitoring={})
    MonitoringRecord.objects.filter(request__in=[missing, reported], phase=MonitoringPhase.ONGOING).delete()
    MonitoringRecord.objects.create(
        request=reported, phase=MonitoringPhase.ONGOING, quarter=QUARTER, recorded_by=people["central"]
    )
    waiting = funded_request(title="รอจัดลำดับ", status=RequestStatus.SUBMITTED, fiscal_year=YEAR + 1)
    forwarded = funded_request(title="รอตัดสิน", status=RequestStatus.FORWARDED, fiscal_year=YEAR + 1)
    moved = dt.datetime(2026, 4, 1, 3, tzinfo=dt.UTC)  # 1 April in Bangkok: decisions due 15 April
    type(waiting).objects.filter(pk__in=[waiting.pk, forwarded.pk]).update(status_changed_at=moved)

    day = DUE + dt.timedelta(days=8)
    items = {(i.kind, i.subject): i for i in selectors.due_items(day) if i.kind != DueKind.RESULTS}
    assert set(items) == {
        (DueKind.BUDGET_BUREAU, "ไม่มีรายงาน"),
        (DueKind.REQUEST_DECISION, "รอจัดลำดับ"),
        (DueKind.REQUEST_DECISION, "รอตัดสิน"),
    }
    bureau = items[(DueKind.BUDGET_BUREAU, "ไม่มีรายงาน")]
    assert (bureau.due, bureau.responsible, bureau.current, bureau.days_late) == (DUE, Level.PROVINCE, Level.REGION, 8)
    assert bureau.url == f"/budgets/requests/{missing.pk}/monitoring/{QUARTER}/"
    assert items[(DueKind.REQUEST_DECISION, "รอจัดลำดับ")].current == Level.REGION
    assert items[(DueKind.REQUEST_DECISION, "รอตัดสิน")].responsible == Level.CENTRAL

    # On the pages: the north's staff see Chiang Mai's late monitoring; Lamphun's coordinator sees none of it.
    north = selectors.work_for(people["region"], day)
    assert {i.subject for i in north.overdue} >= {"ไม่มีรายงาน", "รอจัดลำดับ"}
    assert selectors.work_for(people["other_province"], day).overdue == []
    assert selectors.work_for(users.budget_viewer(), day) is None


def test_projects_without_a_progress_report_for_the_quarter_are_chased_per_tambon(people):
    from progress.models import ProgressStatus, ProjectProgress
    from workstreams.tests.factories import ProjectFactory

    plan = accepted_plan("500105")
    first, second = ProjectFactory(plan=plan, number=1), ProjectFactory(plan=plan, number=2)
    rep = people["rep"]

    def progress(project, status):
        ProjectProgress.objects.create(
            project=project, fiscal_year=YEAR, quarter=QUARTER, status=status, created_by=rep, updated_by=rep
        )

    progress(first, ProgressStatus.SUBMITTED)
    progress(second, ProgressStatus.DRAFT)  # started, not sent: still due
    (item,) = [i for i in selectors.due_items(DUE + dt.timedelta(days=7)) if i.kind == DueKind.PROGRESS]
    assert (item.subject, item.responsible, item.current) == ("1 โครงการ ไตรมาส 2 ปีงบประมาณ 2569", 0, 1)
    assert item.url == f"/tambon-plans/{plan.pk}/"
    ProjectProgress.objects.filter(project=second).update(status=ProgressStatus.APPROVED)
    assert [i for i in selectors.due_items(DUE + dt.timedelta(days=7)) if i.kind == DueKind.PROGRESS] == []


def test_progress_reports_waiting_too_long_climb_from_the_province(people):
    from progress.models import ProgressStatus, ProjectProgress
    from workstreams.tests.factories import ProjectFactory

    plan = accepted_plan("500105")
    rep = people["rep"]
    sent = dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC)
    for number, status in ((1, ProgressStatus.SUBMITTED), (2, ProgressStatus.RESUBMITTED), (3, ProgressStatus.DRAFT)):
        ProjectProgress.objects.create(
            project=ProjectFactory(plan=plan, number=number),
            fiscal_year=YEAR,
            quarter=QUARTER,
            status=status,
            status_changed_at=sent,
            created_by=rep,
            updated_by=rep,
        )
    # Two reports wait for the province (the draft is not sent): one item, due 14 days after they were sent.
    (item,) = [i for i in selectors.due_items(dt.date(2026, 3, 29)) if i.kind == DueKind.PROGRESS_REVIEW]
    assert (item.due, item.responsible, item.current, item.days_late) == (
        dt.date(2026, 3, 15),
        Level.PROVINCE,
        Level.CENTRAL,
        14,
    )
    assert item.subject == "รายงานความก้าวหน้า 2 ฉบับ ไตรมาส 2 ปีงบประมาณ 2569"
    assert item.url == "/progress/queue/"
    run_twice(dt.date(2026, 3, 16))
    notices = EscalationNotice.objects.filter(kind=DueKind.PROGRESS_REVIEW)
    assert [(n.recipient.email, n.level, n.occasion) for n in notices] == [
        ("cm@example.org", Level.PROVINCE, Occasion.LATE)
    ]
    ProjectProgress.objects.filter(status__in=[ProgressStatus.SUBMITTED, ProgressStatus.RESUBMITTED]).update(
        status=ProgressStatus.APPROVED
    )
    assert [i for i in selectors.due_items(dt.date(2026, 3, 29)) if i.kind == DueKind.PROGRESS_REVIEW] == []
