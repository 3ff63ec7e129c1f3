"""Pages that show many indicators or many results send the same number of queries whatever their number.

Measured through the real test client, signed in (force_login keeps a session), so the session and user look-ups
count too."""

import pytest
from django.test import Client

from accounts.tests.factories import budget_viewer, provincial_coordinator
from indicators.models import Aggregation, AreaLevel, Indicator, Result, ResultStatus
from strategies.models import PlanNode

from .factories import IndicatorFactory, ResultFactory, TargetFactory

pytestmark = pytest.mark.django_db

KINDS = [{"aggregation": Aggregation.SUM}, {"aggregation": Aggregation.LATEST, "cumulative": True}]
TAMBONS = ["500101", "500102", "570101", "400101"]


def indicators_with_results(n):
    goals = list(PlanNode.objects.filter(code__startswith="WS-ECONOMY-G").exclude(code__contains="-P").order_by("code"))
    for i in range(n):
        indicator = IndicatorFactory(plan_node=goals[i % len(goals)], **KINDS[i % len(KINDS)])
        TargetFactory(indicator=indicator, value=100)
        for quarter, code in enumerate(TAMBONS, start=1):
            ResultFactory(indicator=indicator, tambon_code=code, quarter=quarter, value=quarter + i)


MAX_PAGE_QUERIES = 40  # a ceiling for one page; what the tests check is that the count does not grow


def measure(assert_max_num_queries, client, url):
    with assert_max_num_queries(MAX_PAGE_QUERIES) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize(
    "url",
    [
        "/indicators/plan/WS-ECONOMY/?fiscal_year=2565&quarter=4",
        "/indicators/plan/CODI-AP/?fiscal_year=2565&quarter=4",
        "/indicators/?fiscal_year=2565&quarter=4",
        "/api/v1/indicators/plan-progress/?plan_node=CODI-AP&fiscal_year=2565&quarter=4",
    ],
)
def test_plan_tree_progress_sends_as_many_queries_for_12_indicators_as_for_1(
    reference_data, url, django_assert_max_num_queries
):
    assert not Indicator.objects.exists()
    client = Client()
    client.force_login(budget_viewer())
    indicators_with_results(1)
    one, _response = measure(django_assert_max_num_queries, client, url)
    indicators_with_results(11)
    assert Indicator.objects.count() == 12
    twelve, response = measure(django_assert_max_num_queries, client, url)
    assert twelve == one
    if url.startswith("/api/"):
        assert len(response.json()["indicators"]) == 12
    else:
        assert len(response.context["progress"].items) == 12


def results_in_chiang_mai(n, indicator):
    """n approved and submitted results in Chiang Mai: one on the province, one on a district, the rest on tambons."""
    from areas.models import Subdistrict

    tambons = list(Subdistrict.objects.filter(province__code="50").select_related("district").order_by("code")[:n])
    for i, tambon in enumerate(tambons):
        spec = {0: (AreaLevel.PROVINCE, "50"), 1: (AreaLevel.DISTRICT, tambon.district.code)}.get(
            i, (AreaLevel.TAMBON, tambon.code)
        )
        status = ResultStatus.APPROVED if i % 2 else ResultStatus.SUBMITTED
        ResultFactory(indicator=indicator, area_spec=spec, fiscal_year=2565, quarter=1 + i % 4, status=status)


@pytest.mark.parametrize("url", ["/indicators/results/", "/indicators/results/?province=50&fiscal_year=2565"])
def test_a_provinces_results_page_sends_as_many_queries_for_30_results_as_for_3(
    reference_data, url, django_assert_max_num_queries
):
    indicator = IndicatorFactory()
    client = Client()
    client.force_login(provincial_coordinator("50"))
    results_in_chiang_mai(3, indicator)
    three, response = measure(django_assert_max_num_queries, client, url)
    assert len(response.context["page"].object_list) == 3
    Result.objects.all().delete()
    results_in_chiang_mai(30, indicator)
    thirty, response = measure(django_assert_max_num_queries, client, url)
    assert len(response.context["page"].object_list) == 30
    assert thirty == three
