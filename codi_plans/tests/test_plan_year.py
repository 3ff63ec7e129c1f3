"""A living plan year (issue 12, items 1 and 3): every default follows the current fiscal year and the plan in force,
and progress is judged only against the chosen year's targets.

The clock is frozen on 1 Oct 2569 (FY2570 Q1), 30 Sep 2570 (FY2570 Q4) and 15 Jan 2571 (FY2571 Q2). A CODI plan for
2569–2571 is in force on all three; the seed's CODI-AP (2563–2565) is history.
"""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from rest_framework.test import APIClient

from accounts.tests.factories import central_staff, community_rep
from indicators import selectors
from indicators.models import Aggregation
from indicators.tests.factories import IndicatorFactory, ResultFactory, TargetFactory
from strategies.models import NodeKind, PlanNode
from strategies.tests.factories import PlanNodeFactory

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
# The class of the red "ไม่ตามเป้า" badge or bar (the summary's count "0 off track" is no label).
OFF_TRACK_BADGE = 'band-off_track"'

# (today, fiscal year, quarter, quarters whose results are due by then, the report people ask for most)
DATES = [
    (dt.date(2026, 10, 1), 2570, 1, [], (2569, 4)),
    (dt.date(2027, 9, 30), 2570, 4, [1, 2, 3], (2570, 3)),
    (dt.date(2028, 1, 15), 2571, 2, [1], (2571, 1)),
]


def frozen(today):
    return time_machine.travel(dt.datetime.combine(today, dt.time(12), tzinfo=dt.UTC), tick=False)


@pytest.fixture
def plan_year(reference_data):
    """The plan in force (2569–2571) with three indicators: one with targets but no results, one whose only target is
    the seed's 2565, one cumulative with a declared straight line from its baseline to a 2572 target."""
    plan = PlanNodeFactory(
        code="AP-2569", kind=NodeKind.CODI_ACTION_PLAN, number=None, period_start_be=2569, period_end_be=2571
    )
    plan.name_th = plan.name_en = "แผนปฏิบัติการ พอช. 2569–2571"
    plan.save()
    workstream = PlanNodeFactory(code="AP-2569-WS1", kind=NodeKind.WORKSTREAM, parent=plan, number=1)
    no_results = IndicatorFactory(code="PY-NO-RESULTS", plan_node=workstream)
    for year in (2570, 2571):
        TargetFactory(indicator=no_results, fiscal_year=year, value=Decimal(100))
    old_target = IndicatorFactory(code="PY-OLD-TARGET", plan_node=workstream)
    TargetFactory(indicator=old_target, fiscal_year=2565, value=Decimal(100))
    ResultFactory(indicator=old_target, fiscal_year=2565, quarter=4, value=Decimal(5))
    line = IndicatorFactory(
        code="PY-LINE",
        plan_node=workstream,
        cumulative=True,
        aggregation=Aggregation.SUM,
        baseline_year=2568,
        baseline_value=Decimal(0),
    )
    TargetFactory(indicator=line, fiscal_year=2572, value=Decimal(400))
    ResultFactory(indicator=line, fiscal_year=2569, quarter=4, value=Decimal(300))
    return plan


def signed_in(user) -> Client:
    client = Client(**ENGLISH)
    client.force_login(user)
    return client


def figures_by_code(progress) -> dict:
    return {indicator.code: figure for indicator, figure in progress.items}


@pytest.mark.parametrize(("today", "fiscal_year", "quarter", "due", "report_period"), DATES)
def test_defaults_plan_in_force_and_honest_progress_on_pages(
    plan_year, today, fiscal_year, quarter, due, report_period
):
    staff = central_staff()
    with frozen(today):
        client = signed_in(staff)

        # Indicators dashboard: this year, at its current quarter (no results yet this year), the plan in force.
        page = client.get(reverse("indicators:dashboard"))
        assert page.status_code == 200
        assert (page.context["fiscal_year"], page.context["quarter"]) == (fiscal_year, quarter)
        assert page.context["root"] == plan_year and page.context["in_force"]
        assert fiscal_year in page.context["year_choices"] and fiscal_year + 1 in page.context["year_choices"]
        assert 2565 in page.context["year_choices"]  # the seed's targets and results stay reachable
        body = page.content.decode()
        assert plan_year.name_th in body and "2569–2571" in body
        figures = figures_by_code(page.context["progress"])
        assert figures["PY-NO-RESULTS"].band is None and figures["PY-NO-RESULTS"].reason == "no_results"
        assert figures["PY-NO-RESULTS"].due == due
        assert figures["PY-OLD-TARGET"].band is None and figures["PY-OLD-TARGET"].reason == "no_target"
        assert figures["PY-LINE"].band == selectors.Band.ON_TRACK  # 300 against a straight line to 400 in 2572
        with translation.override(page.wsgi_request.LANGUAGE_CODE):
            no_results, no_target = gettext("No results reported yet"), selectors.no_target_text(fiscal_year)
            nothing_due = gettext("No quarter has ended yet")
        assert no_results in body and no_target in body
        assert OFF_TRACK_BADGE not in body

        # One indicator's page: the same words, and the quarters due so far.
        detail = client.get(reverse("indicators:indicator", args=["PY-NO-RESULTS"])).content.decode()
        assert no_results in detail and OFF_TRACK_BADGE not in detail
        assert (nothing_due in detail) == (not due)

        # Budgets: this year by default; the selector runs to next year.
        budgets = client.get(reverse("budgets:index"))
        assert budgets.context["fiscal_year"] == fiscal_year
        assert list(budgets.context["years"])[:2] == [fiscal_year + 1, fiscal_year]

        # Reports: the quarter just ended by default; this year and the next are on offer.
        form = client.get(reverse("reports:list")).context["form"]
        assert (form["fiscal_year"].initial, form["quarter"].initial) == report_period
        offered = [year for year, _label in form.fields["fiscal_year"].choices]
        # Every year with data (the seed's 2565, the 2572 target) and this year and the next, newest first.
        assert offered == list(range(max(2572, fiscal_year + 1), 2564, -1))

        # Starting a tambon plan: the period in force.
        rep = signed_in(community_rep("500105"))
        start = rep.get(reverse("workstreams:start")).context["form"]
        assert start.periods == [(2569, 2571)]
        assert (start["period_start_be"].value(), start["period_end_be"].value()) == (2569, 2571)

        # The province plan link opens the period in force.
        link = rep.get(reverse("workstreams:province_in_force", args=["50"]))
        assert link.status_code == 302 and link["Location"] == reverse("workstreams:province", args=["50", 2569])


@pytest.mark.parametrize(("today", "fiscal_year", "quarter", "due", "report_period"), DATES)
def test_defaults_plan_in_force_and_honest_progress_in_the_api(
    plan_year, today, fiscal_year, quarter, due, report_period
):
    client = APIClient(**ENGLISH)
    client.force_authenticate(central_staff())
    with frozen(today):
        data = client.get("/api/v1/indicators/plan-progress/").json()
        assert (data["plan_node"], data["fiscal_year"], data["quarter"]) == ("AP-2569", fiscal_year, quarter)
        figures = {row["indicator"]: row["figure"] for row in data["indicators"]}
        assert figures["PY-NO-RESULTS"]["band"] is None and figures["PY-NO-RESULTS"]["reason"] == "no_results"
        assert figures["PY-NO-RESULTS"]["due"] == due
        assert figures["PY-OLD-TARGET"]["band"] is None and figures["PY-OLD-TARGET"]["reason"] == "no_target"
        assert figures["PY-LINE"]["band"] == "on_track" and figures["PY-LINE"]["reason"] is None
        assert data["summary"]["off_track"] == 0
        assert (data["summary"]["no_results"], data["summary"]["no_target"]) == (1, 1)

        rollup = client.get("/api/v1/indicators/PY-NO-RESULTS/rollup/").json()
        assert (rollup["fiscal_year"], rollup["quarter"]) == (fiscal_year, quarter)
        assert rollup["total"]["band"] is None and rollup["total"]["reason"] == "no_results"
        assert all(row["band"] != "off_track" for row in rollup["rows"])

        # A past year is judged against that year's targets: the seed's 2565 target, met at 5 of 100.
        past = client.get("/api/v1/indicators/PY-OLD-TARGET/rollup/", {"fiscal_year": 2565}).json()
        assert past["quarter"] == 4 and past["total"]["target"] == "100.00" and past["total"]["band"] == "off_track"


def test_with_no_plan_in_force_the_last_plan_is_shown_for_reference(reference_data):
    with frozen(dt.date(2026, 12, 5)):
        client = signed_in(central_staff())
        page = client.get(reverse("indicators:dashboard"))
        assert page.context["root"] == PlanNode.objects.get(code="CODI-AP") and not page.context["in_force"]
        assert "2563–2565" in page.content.decode()
        start = signed_in(community_rep("500105")).get(reverse("workstreams:start")).context["form"]
        # The period a plan written now should cover first, then the last CODI plan's.
        assert start.periods == [(2570, 2572), (2563, 2565)]


def test_a_report_for_a_past_year_uses_that_years_targets(plan_year):
    from reports.scopes import scope_from_key
    from reports.snapshot import _indicators

    with frozen(dt.date(2027, 9, 30)):
        rows = {
            row["code"]: row
            for row in _indicators(kind="progress", scope=scope_from_key("country"), fiscal_year=2565, quarter=4)
        }
        assert rows["PY-OLD-TARGET"]["target_year"] == "100.00" and rows["PY-OLD-TARGET"]["band"] == "off_track"
        now = {
            row["code"]: row
            for row in _indicators(kind="progress", scope=scope_from_key("country"), fiscal_year=2570, quarter=4)
        }
        assert now["PY-NO-RESULTS"]["band"] is None and now["PY-NO-RESULTS"]["reason"] == "no_results"
