"""The national map page (/map/) and the maps on the indicator dashboard and the budget consolidation: figures
computed by hand, scope, bad input, constant queries, no JavaScript needed."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.tests import factories as users
from areas.maps import PALETTES
from areas.models import Province
from budgets.models import RequestStatus
from budgets.tests.factories import BudgetRequestFactory
from indicators.models import AreaLevel
from indicators.selectors import province_progress, province_reporting
from indicators.tests.factories import IndicatorFactory, ResultFactory, TargetFactory

pytestmark = pytest.mark.django_db

FY = 2565  # the seed plan CODI-AP (2563–2565) is in force


@pytest.fixture(autouse=True)
def _english(client, settings):
    """Pages in English (the test asserts the English source messages and names)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def data(reference_data):
    """Chiang Mai (204 tambons): target 100 for the year, 30 reported in Q1 by two tambons; Khon Kaen (199 tambons):
    target 40, 6 reported by one tambon; Bangkok: target 100, nothing reported. Budget: Chiang Mai 80,000 approved
    (plus 999,999 only submitted), Khon Kaen 50,000 in execution."""
    indicator = IndicatorFactory(code="MAP-IND", name_en="Households with more income")
    for code, value in (("50", 100), ("40", 40), ("10", 100)):
        TargetFactory(indicator=indicator, fiscal_year=FY, value=Decimal(value), area_spec=(AreaLevel.PROVINCE, code))
    for tambon, value in (("500105", 20), ("500106", 10), ("400101", 6)):
        ResultFactory(indicator=indicator, fiscal_year=FY, quarter=1, tambon_code=tambon, value=Decimal(value))
    ResultFactory(indicator=indicator, fiscal_year=FY, quarter=1, tambon_code="400102", status="submitted")
    cm, kk = Province.objects.get(code="50"), Province.objects.get(code="40")
    BudgetRequestFactory(
        fiscal_year=FY, province=cm, status=RequestStatus.APPROVED, requested_amount=90000, approved_amount=80000
    )
    BudgetRequestFactory(fiscal_year=FY, province=cm, status=RequestStatus.SUBMITTED, requested_amount=999999)
    BudgetRequestFactory(
        fiscal_year=FY, province=kk, status=RequestStatus.IN_EXECUTION, requested_amount=50000, approved_amount=50000
    )
    return indicator


def shapes(body: str, map_id: str = "map") -> dict[str, str]:
    """{aria-label: fill} of the provinces drawn in one map of the page."""
    start = body.index(f'<figure class="province-map" id="{map_id}"')
    part = body[start : body.index("</figure>", start)]
    return dict(
        re.findall(
            r'aria-label="([^"]+)" class="map-province[^"]*"><title>[^<]*</title><path d="[^"]+" fill="([^"]+)"', part
        )
    )


def table(body: str, map_id: str = "map") -> dict[str, str]:
    start = body.index(f'<figure class="province-map" id="{map_id}"')
    part = body[start : body.index("</figure>", start)]
    rows = re.findall(
        r'<th scope="row"><a href="[^"]+">([^<]+)</a></th><td class="num">(?:<span class="muted">)?([^<]+)<', part
    )
    return dict(rows)


def test_province_progress_and_reporting_rate_by_hand(data):
    figures = province_progress(data, FY, 1)
    # Chiang Mai: expected at Q1 = 100 × 1/4 = 25; actual 20 + 10 = 30 → 120 %. Khon Kaen: 6 of 40 × 1/4 = 10 → 60 %.
    assert figures["50"].progress == Decimal("120.00")
    assert figures["40"].progress == Decimal("60.00")
    assert figures["10"].progress is None and figures["10"].short_note == "No results yet"
    assert figures["57"].progress is None and figures["57"].short_note == "No target"
    assert len(figures) == 77
    rates = province_reporting(FY, 1, {"50": 204, "40": 199, "10": 180})
    # 2 of 204 tambons (0.98 %), 1 of 199 (0.50 %: the submitted result does not count), none of Bangkok's 180.
    assert (rates["50"].reported, rates["50"].percent) == (2, Decimal("0.98"))
    assert (rates["40"].reported, rates["40"].percent) == (1, Decimal("0.50"))
    assert rates["10"].percent == Decimal("0.00")


def test_progress_map_page_by_hand(client, data):
    client.force_login(users.central_staff())
    body = client.get(
        "/map/", {"figure": "progress", "fiscal_year": FY, "quarter": 1, "indicator": "MAP-IND"}
    ).content.decode()
    drawn, rows = shapes(body), table(body)
    # Bins: < 50, 50 – < 70, 70 – < 90, 90 – < 110, ≥ 110 (the status bands at 70 and 90).
    assert drawn["Chiang Mai: 120 %"] == PALETTES[5][4]
    assert drawn["Khon Kaen: 60 %"] == PALETTES[5][1]
    assert drawn["Bangkok: No results yet"] == "url(#map-nodata)"
    assert drawn["Chiang Rai: No target"] == "url(#map-nodata)"
    assert rows["Chiang Mai"] == "120 %" and rows["Khon Kaen"] == "60 %" and rows["Bangkok"] == "No results yet"
    assert len(drawn) == 77 and len(rows) == 77
    for name, text in rows.items():  # the table says what the drawing shows
        assert f"{name}: {text}" in drawn
    assert "≥ 110 %" in body and "50 – &lt; 70 %" in body
    assert 'href="/areas/province/50/"' in body


def test_reporting_rate_map_by_hand(client, data):
    client.force_login(users.central_staff())
    body = client.get("/map/", {"figure": "reporting", "fiscal_year": FY, "quarter": 1}).content.decode()
    rows = table(body)
    assert rows["Chiang Mai"] == "1.0 %"  # 0.98 to one decimal
    assert rows["Khon Kaen"] == "0.5 %" and rows["Bangkok"] == "0 %"
    assert shapes(body)["Khon Kaen: 0.5 %"] == PALETTES[5][0]


def test_budget_map_for_central_staff_by_hand(client, data):
    client.force_login(users.central_staff())
    body = client.get("/map/", {"figure": "budget", "fiscal_year": FY}).content.decode()
    rows, drawn = table(body), shapes(body)
    # 80,000 / 204 = 392.16; 50,000 / 199 = 251.26; every other province 0 (the submitted request does not count).
    assert rows["Chiang Mai"] == "392 baht" and rows["Khon Kaen"] == "251 baht" and rows["Bangkok"] == "0 baht"
    # Quantile bins over 75 zeros and two amounts: three bins, 0 | 251 | 392.
    assert drawn["Bangkok: 0 baht"] == PALETTES[3][0]
    assert drawn["Khon Kaen: 251 baht"] == PALETTES[3][1]
    assert drawn["Chiang Mai: 392 baht"] == PALETTES[3][2]
    assert "(75 provinces)" in body


def test_budget_map_stops_at_the_coordinators_province_and_the_reps_tambons(client, data):
    client.force_login(users.provincial_coordinator("50"))
    body = client.get("/map/", {"figure": "budget", "fiscal_year": FY}).content.decode()
    rows = table(body)
    assert rows["Chiang Mai"] == "392 baht"
    assert rows["Khon Kaen"] == "outside your area" and rows["Bangkok"] == "outside your area"
    assert "(76 provinces)" in body
    client.force_login(users.regional_staff("north"))
    rows = table(client.get("/map/", {"figure": "budget", "fiscal_year": FY}).content.decode())
    assert rows["Chiang Mai"] == "392 baht" and rows["Chiang Rai"] == "0 baht"
    assert rows["Khon Kaen"] == "outside your area"
    client.force_login(users.community_rep("500105"))
    rows = table(client.get("/map/", {"figure": "budget", "fiscal_year": FY}).content.decode())
    assert set(rows.values()) == {"outside your area"}
    # Indicator results are official figures for every signed-in user: the rep sees the whole country's progress.
    body = client.get("/map/", {"fiscal_year": FY, "quarter": 1, "indicator": "MAP-IND"}).content.decode()
    assert table(body)["Khon Kaen"] == "60 %"


@pytest.mark.parametrize(
    "user", [users.budget_viewer, users.api_client_user, lambda: users.provincial_coordinator("40")]
)
def test_every_signed_in_role_reads_the_map(client, data, user):
    client.force_login(user())
    response = client.get("/map/", {"fiscal_year": FY, "quarter": 1})
    assert response.status_code == 200
    assert len(shapes(response.content.decode())) == 77


def test_anonymous_visitors_are_sent_to_log_in(client, reference_data):
    response = client.get("/map/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_bad_input_says_so_and_shows_the_default(client, data):
    client.force_login(users.central_staff())
    response = client.get("/map/", {"figure": "nonsense", "fiscal_year": "x", "quarter": "9", "indicator": "NO"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'role="alert"' in body and "Select a valid choice" in body
    assert len(shapes(body)) == 77  # the default figure: progress of the first headline indicator
    assert '<option value="progress" selected>' in body


def test_the_page_works_without_javascript(client, data):
    client.force_login(users.central_staff())
    body = client.get("/map/").content.decode()
    page_scripts = re.findall(r"<script[^>]*>", body)
    assert all("thai-date.js" in s or "scroll-regions.js" in s for s in page_scripts)
    assert '<form method="get" class="filters" id="map-form">' in body and '<button type="submit">' in body
    assert "style=" not in body[body.index('<figure class="province-map"') : body.index("</figure>")]


def queries(client, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/map/", params).status_code == 200
    return len(captured)


@pytest.mark.parametrize("figure", ["progress", "budget", "reporting"])
def test_queries_do_not_grow_with_the_data(client, data, figure):
    client.force_login(users.central_staff())
    params = {"figure": figure, "fiscal_year": FY, "quarter": 1, "indicator": "MAP-IND"}
    queries(client, params)  # warm the session and the per-process caches
    before = queries(client, params)
    for code in ("570101", "570102", "900101", "100101"):
        ResultFactory(indicator=data, fiscal_year=FY, quarter=1, tambon_code=code, value=Decimal(3))
    for code in ("57", "90", "96"):
        TargetFactory(indicator=data, fiscal_year=FY, value=Decimal(10), area_spec=(AreaLevel.PROVINCE, code))
        BudgetRequestFactory(
            fiscal_year=FY,
            province=Province.objects.get(code=code),
            status=RequestStatus.APPROVED,
            requested_amount=1,
            approved_amount=1,
        )
    assert queries(client, params) == before
    assert before <= 16


def test_the_dashboard_and_the_consolidation_carry_the_map(client, data):
    client.force_login(users.central_staff())
    body = client.get("/indicators/", {"fy": FY, "q": 1, "indicator": "MAP-IND"}).content.decode()
    assert table(body, "dashboard-map")["Chiang Mai"] == "120 %"
    body = client.get("/budgets/consolidation/", {"fiscal_year": FY}).content.decode()
    assert table(body, "consolidation-map")["Khon Kaen"] == "251 baht"


def test_project_progress_map_by_hand(client, reference_data):
    """Chiang Mai: two projects reported (one at 40 % of its indicator's target, one done without indicators: 100 %)
    and one not reported → mean of the reported 70 %; Khon Kaen: one project, nothing approved (only submitted)."""
    from areas.models import Subdistrict
    from progress.models import ActivityStatus, ProgressStatus
    from progress.tests.factories import AcceptedPlanFactory, IndicatorActualFactory, ProjectProgressFactory
    from workstreams.tests.factories import ProjectFactory, ProjectIndicatorFactory

    cm_plan = AcceptedPlanFactory()
    measured = ProjectFactory(plan=cm_plan, number=1)
    indicator = ProjectIndicatorFactory(project=measured, target_value=Decimal("50"))
    report = ProjectProgressFactory(project=measured, fiscal_year=FY, quarter=2)
    IndicatorActualFactory(report=report, indicator=indicator, value=Decimal("20"))
    done = ProjectFactory(plan=cm_plan, number=2)
    ProjectProgressFactory(project=done, fiscal_year=FY, quarter=1, activity_status=ActivityStatus.DONE)
    ProjectFactory(plan=cm_plan, number=3)
    kk_plan = AcceptedPlanFactory(tambon=Subdistrict.objects.get(code="400101"))
    ProjectProgressFactory(
        project=ProjectFactory(plan=kk_plan, number=1), fiscal_year=FY, status=ProgressStatus.SUBMITTED
    )

    client.force_login(users.central_staff())
    body = client.get("/map/", {"figure": "projects", "fiscal_year": FY}).content.decode()
    rows = table(body)
    assert rows["Chiang Mai"] == "70 %"  # (20 / 50 × 100 + 100) / 2
    assert rows["Khon Kaen"] == "0 of 1 projects reported"
    assert "Chiang Mai: 70 %" in shapes(body)

    client.force_login(users.provincial_coordinator("40"))
    rows = table(client.get("/map/", {"figure": "projects", "fiscal_year": FY}).content.decode())
    assert rows["Chiang Mai"] == "outside your area"
