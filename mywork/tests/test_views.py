"""Each role's home page ("my work") shows that person's own work, and only theirs, in a fixed number of queries."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.services import DEMO_PASSWORD, create_demo_accounts
from accounts.tests import factories as users
from areas.models import Subdistrict
from budgets.models import RequestStatus
from indicators.models import ResultStatus
from indicators.tests.factories import IndicatorFactory, ResultFactory
from reports.tests.factories import ReportFactory
from workstreams.models import PlanStatus, PlanTransition
from workstreams.tests.factories import TambonPlanFactory

pytestmark = pytest.mark.django_db

# 5 December 2026: fiscal year 2570, first quarter; the last finished quarter (2569 Q4) was due on 15 October.
TODAY = dt.datetime(2026, 12, 5, 10, tzinfo=dt.UTC)
YEAR, QUARTER = 2570, 1
PERIOD = (2570, 2572)  # no CODI plan is in force in 2570: as long as the seed's plan, from this year
HOME = "/my-work/"


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


def plan(tambon_code, status, *, period=PERIOD, by=None):
    return TambonPlanFactory(
        tambon=Subdistrict.objects.get(code=tambon_code),
        period_start_be=period[0],
        period_end_be=period[1],
        status=status,
        **({"created_by": by} if by else {}),
    )


def returned(tambon_code, reason, *, by):
    p = plan(tambon_code, PlanStatus.RETURNED)
    PlanTransition.objects.create(plan=p, from_status=PlanStatus.DRAFT, to_status=PlanStatus.SUBMITTED, by=by)
    PlanTransition.objects.create(
        plan=p, from_status=PlanStatus.SUBMITTED, to_status=PlanStatus.RETURNED, by=by, comment=reason
    )
    return p


def home(client, user):
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response


def test_anonymous_visitors_are_sent_to_log_in(client, reference_data):
    response = client.get(HOME)
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.fixture
def demo_accounts(reference_data, settings):
    settings.DEMO_ACCOUNTS_ALLOWED = True
    return {u.username: u for u in create_demo_accounts()}


@pytest.mark.parametrize(
    "username", ["demo-staff", "demo-region", "demo-province", "demo-rep", "demo-viewer", "demo-api"]
)
def test_every_role_lands_on_its_own_work_after_login(client, demo_accounts, username):
    response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response["Location"] == HOME
    page = client.get(HOME)
    assert page.status_code == 200
    template = {
        "demo-staff": "staff",
        "demo-region": "staff",
        "demo-province": "coordinator",
        "demo-rep": "representative",
        "demo-viewer": "viewer",
        "demo-api": "other",
    }[username]
    assert f"mywork/{template}.html" in [t.name for t in page.templates]


def test_the_public_home_page_stays_public_and_signed_in_people_get_a_link_to_their_work(client, reference_data):
    assert 'href="/my-work/"' not in client.get("/").content.decode()
    client.force_login(users.budget_viewer())
    page = client.get("/")
    assert page.status_code == 200 and 'href="/my-work/"' in page.content.decode()


def test_a_representative_sees_their_tambons_plans_the_reason_a_plan_came_back_and_what_is_due(client, reference_data):
    coordinator = users.provincial_coordinator("50")
    rep = users.community_rep("500105", "500106")
    back = returned("500105", "งบประมาณโครงการที่ 2 เกินเพดาน", by=coordinator)
    plan("500107", PlanStatus.DRAFT)  # someone else's tambon
    indicator = IndicatorFactory(name_th="ครัวเรือนที่มีรายได้เพิ่มขึ้น")
    ResultFactory(indicator=indicator, fiscal_year=YEAR, quarter=QUARTER, tambon_code="500105", status="submitted")
    ResultFactory(indicator=indicator, fiscal_year=YEAR, quarter=QUARTER, tambon_code="500107", status="draft")

    response = home(client, rep)
    work = {w.tambon.code: w for w in response.context["tambons"]}
    assert set(work) == {"500105", "500106"}
    assert work["500105"].plan == back and work["500105"].return_reason == "งบประมาณโครงการที่ 2 เกินเพดาน"
    assert work["500105"].due == []  # reported this quarter
    assert work["500106"].plan is None
    assert [d.indicator for d in work["500106"].due] == [indicator]
    html = response.content.decode()
    assert "งบประมาณโครงการที่ 2 เกินเพดาน" in html
    assert f'href="{reverse("workstreams:edit", args=[back.pk])}"' in html  # fix the returned plan
    assert f'href="{reverse("workstreams:start")}"' in html  # start a plan for 500106
    assert f"?indicator={indicator.code}" in html  # report results
    assert "500107" not in html
    assert "งานของฉัน" in html and "แก้ไขแผนที่ถูกส่งกลับ" in html  # Thai first


def test_a_representative_continues_a_draft_and_finishes_a_draft_result(client, reference_data):
    rep = users.community_rep("500105")
    draft = plan("500105", PlanStatus.DRAFT, by=rep)
    indicator = IndicatorFactory()
    result = ResultFactory(
        indicator=indicator, fiscal_year=YEAR, quarter=QUARTER, tambon_code="500105", status=ResultStatus.DRAFT
    )
    html = home(client, rep).content.decode()
    assert f'href="{reverse("workstreams:edit", args=[draft.pk])}"' in html
    assert f'href="{reverse("indicators:result_edit", args=[result.pk])}"' in html


def test_a_coordinator_sees_the_review_queue_overdue_tambons_and_the_province_plan(client, reference_data):
    coordinator = users.provincial_coordinator("50")
    plan("500105", PlanStatus.SUBMITTED)
    plan("500106", PlanStatus.ACCEPTED, period=(2569, 2571))  # accepted: expected to report 2569 Q4, has not
    plan("500107", PlanStatus.DRAFT)
    plan("100101", PlanStatus.SUBMITTED)  # Bangkok: not this coordinator's
    ResultFactory(fiscal_year=YEAR, quarter=QUARTER, tambon_code="500105", status=ResultStatus.SUBMITTED)
    ResultFactory(fiscal_year=YEAR, quarter=QUARTER, tambon_code="100101", status=ResultStatus.SUBMITTED)

    response = home(client, coordinator)
    work = response.context["work"]
    in_province = Subdistrict.objects.filter(province__code="50").count()
    assert work.awaiting_review == 1
    assert work.results_to_review == 1
    assert work.overdue == {
        "tambons": in_province,
        "no_plan": in_province - 2,  # 500105 submitted, 500106 accepted
        "results_late": 1,  # 500106
        "overdue": in_province - 1,
    }
    listed = {t.code: t for t in work.overdue_tambons}
    assert "500105" not in listed and listed["500106"].plan_submitted and "500107" in listed
    html = response.content.decode()
    assert 'href="/tambon-plans/province/50/2570/"' in html
    assert 'href="/tambon-plans/review/"' in html and 'href="/indicators/queue/"' in html


def test_regional_staff_see_their_regions_queues_and_the_provinces_most_late(client, reference_data):
    staff = users.regional_staff("north")
    plan("500105", PlanStatus.SUBMITTED)
    plan("500106", PlanStatus.ACCEPTED)
    plan("100101", PlanStatus.SUBMITTED)  # Bangkok is not in the north
    ResultFactory(fiscal_year=YEAR, quarter=QUARTER, tambon_code="500105", status=ResultStatus.SUBMITTED)
    ResultFactory(fiscal_year=YEAR, quarter=QUARTER, tambon_code="100101", status=ResultStatus.SUBMITTED)

    work = home(client, staff).context["work"]
    assert (work.awaiting_review, work.awaiting_endorsement, work.results_to_review) == (1, 1, 1)
    north = Subdistrict.objects.filter(province__region__key="north")
    assert work.overdue["tambons"] == north.count()
    assert work.overdue["no_plan"] == north.count() - 2
    assert work.late_provinces and all(row.province.region.key == "north" for row in work.late_provinces)
    counts = [row.overdue for row in work.late_provinces]
    assert counts == sorted(counts, reverse=True)
    assert work.plan.code == "CODI-AP" and not work.plan_in_force  # the seed's plan, for reference


def test_central_staff_see_the_whole_country_and_the_requests_waiting_for_their_decision(client, reference_data):
    from budgets.tests.factories import BudgetRequestFactory

    staff = users.central_staff()
    plan("100101", PlanStatus.SUBMITTED)
    BudgetRequestFactory(status=RequestStatus.FORWARDED)
    BudgetRequestFactory(status=RequestStatus.SUBMITTED)  # the province's step, not central staff's
    work = home(client, staff).context["work"]
    assert work.awaiting_review == 1
    assert work.requests_waiting == 1
    assert work.overdue["tambons"] == Subdistrict.objects.count()


def test_a_budget_bureau_viewer_sees_the_latest_reports_newest_first(client, reference_data):
    viewer = users.budget_viewer()
    older, newer = ReportFactory(), ReportFactory()
    response = home(client, viewer)
    assert response.context["reports"][:2] == [newer, older]
    assert f'href="{reverse("reports:detail", args=[newer.pk])}"' in response.content.decode()


def test_an_api_client_is_pointed_to_the_api_docs(client, reference_data):
    html = home(client, users.api_client_user()).content.decode()
    assert f'href="{reverse("api-docs")}"' in html


# --- constant queries ---------------------------------------------------------------------------------------------


def _more_work(n, by, *, skip=0):
    """n more tambons with plans in every state, and results to review, in Chiang Mai (the people's area)."""
    statuses = [PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.RETURNED, PlanStatus.ACCEPTED]
    codes = Subdistrict.objects.filter(province__code="50").exclude(code__in=["500105", "500106"])
    for i, tambon in enumerate(codes.order_by("code")[skip : skip + n]):
        status = statuses[i % len(statuses)]
        p = TambonPlanFactory(tambon=tambon, period_start_be=2569, period_end_be=2571, status=status)
        if status == PlanStatus.RETURNED:
            PlanTransition.objects.create(
                plan=p, from_status=PlanStatus.SUBMITTED, to_status=PlanStatus.RETURNED, by=by, comment="แก้ไข"
            )
        ResultFactory(fiscal_year=YEAR, quarter=QUARTER, tambon_code=tambon.code, status=ResultStatus.SUBMITTED)


@pytest.mark.parametrize("role", ["rep", "coordinator", "regional", "central", "viewer"])
def test_each_home_page_takes_the_same_number_of_queries_for_small_and_larger_data(
    client, reference_data, django_assert_max_num_queries, role
):
    by = users.central_staff()
    user = {
        "rep": lambda: users.community_rep("500105", "500106"),
        "coordinator": lambda: users.provincial_coordinator("50"),
        "regional": lambda: users.regional_staff("north"),
        "central": lambda: users.central_staff(),
        "viewer": lambda: users.budget_viewer(),
    }[role]()
    IndicatorFactory()
    _more_work(2, by)
    ReportFactory()
    client.force_login(user)
    with CaptureQueriesContext(connection) as small:
        assert client.get(HOME).status_code == 200

    returned("500105", "เหตุผล", by=by)
    for _ in range(4):
        IndicatorFactory()
        ReportFactory()
    ResultFactory(fiscal_year=YEAR, quarter=QUARTER, tambon_code="500106", status=ResultStatus.DRAFT)
    _more_work(12, by, skip=2)
    with django_assert_max_num_queries(len(small)):
        assert client.get(HOME).status_code == 200
