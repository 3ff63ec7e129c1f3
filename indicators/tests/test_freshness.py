"""Cached figures are never stale: the database changes the figures token whenever what they are made of changes.

These tests commit (transaction=True), as production does: on PostgreSQL the token changes at the commit."""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import budget_viewer, provincial_coordinator
from areas.models import District, Province, ProvinceGroup, Region, Subdistrict
from indicators import selectors, services
from indicators.freshness import FIGURES_ROW, WATCHED_TABLES, figures_token
from indicators.models import FiguresToken, Indicator, Result, ResultStatus, Target
from strategies.models import PlanNode

from .factories import IndicatorFactory, ResultFactory, TargetFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cached_figures(settings, reference_data):
    settings.INDICATOR_FIGURES_CACHE = True
    from django.core.cache import cache

    cache.clear()


def economy_goal():
    return PlanNode.objects.get(code="WS-ECONOMY-G1")


def test_every_table_the_figures_are_made_of_is_watched():
    assert FiguresToken._meta.db_table == "indicators_figurestoken"  # the triggers' SQL names it literally
    assert {m._meta.db_table for m in (Result, Target, Indicator, PlanNode, Region, ProvinceGroup, Province)} <= set(
        WATCHED_TABLES
    )
    assert {District._meta.db_table, Subdistrict._meta.db_table, PlanNode.aligns_to.through._meta.db_table} <= set(
        WATCHED_TABLES
    )


@pytest.mark.parametrize(
    "write",
    [
        lambda: Region.objects.filter(pk=Region.objects.first().pk).update(name_en="Somewhere"),
        lambda: ProvinceGroup.objects.filter(pk=ProvinceGroup.objects.first().pk).update(name_en="A group"),
        lambda: Province.objects.filter(code="50").update(name_en="Chiang Mai!"),
        lambda: District.objects.filter(code="5001").update(name_en="Mueang!"),
        lambda: Subdistrict.objects.filter(code="500101").update(name_en="Si Phum!"),
        lambda: PlanNode.objects.filter(code="WS-ECONOMY").update(name_en="Economy!"),
        lambda: PlanNode.objects.get(code="WS-ECONOMY").aligns_to.clear(),
        lambda: IndicatorFactory(plan_node=economy_goal()),
    ],
    ids=["region", "group", "province", "district", "tambon", "plan item", "alignment", "indicator"],
)
def test_a_committed_write_to_any_watched_table_changes_the_token(reference_data, write):
    before = figures_token()
    with transaction.atomic():
        write()
    assert figures_token() != before


def test_results_and_targets_change_the_token_and_a_rolled_back_write_does_not(reference_data):
    indicator = IndicatorFactory(plan_node=economy_goal())
    tokens = [figures_token()]
    TargetFactory(indicator=indicator, value=100)
    tokens.append(figures_token())
    result = ResultFactory(indicator=indicator, tambon_code="500101", value=Decimal("5"))
    tokens.append(figures_token())
    Result.objects.filter(pk=result.pk).delete()
    tokens.append(figures_token())
    assert len(set(tokens)) == 4
    with pytest.raises(RuntimeError), transaction.atomic():
        ResultFactory(indicator=indicator, tambon_code="500102", value=Decimal("7"))
        raise RuntimeError("rolled back")
    assert figures_token() == tokens[-1]


def test_results_change_the_token_only_when_they_are_or_were_approved(reference_data):
    indicator = IndicatorFactory(plan_node=economy_goal())
    before = figures_token()
    pending = ResultFactory(indicator=indicator, tambon_code="500101", status=ResultStatus.SUBMITTED)
    Result.objects.filter(pk=pending.pk).update(value=Decimal("9"))
    assert figures_token() == before, "saving or submitting a result changes no official figure"
    services.approve_result(result=Result.objects.get(pk=pending.pk), by=provincial_coordinator("50"))
    approved = figures_token()
    assert approved != before
    services.withdraw_result(
        result=Result.objects.get(pk=pending.pk), by=provincial_coordinator("50", username="second"), reason="ผิดพลาด"
    )
    assert figures_token() != approved, "withdrawing an approved result changes the figures"


def test_a_missing_token_row_is_created_with_a_fresh_token(reference_data):
    FiguresToken.objects.all().delete()
    token = figures_token()
    assert FiguresToken.objects.get(name=FIGURES_ROW).token == token
    assert figures_token() == token


def test_the_dashboard_is_served_from_the_cache_until_a_result_is_approved(cached_figures):
    indicator = IndicatorFactory(plan_node=economy_goal())
    TargetFactory(indicator=indicator, value=100)
    ResultFactory(indicator=indicator, tambon_code="500101", quarter=1, value=Decimal("30"))
    pending = ResultFactory(
        indicator=indicator, tambon_code="500102", quarter=1, value=Decimal("20"), status=ResultStatus.SUBMITTED
    )
    root = PlanNode.objects.get(code="CODI-AP")

    def actual():
        progress = selectors.plan_progress(root, 2565, 1)
        return dict((i.code, f.actual) for i, f in progress.items)[indicator.code]

    assert actual() == Decimal("30.00")
    with CaptureQueriesContext(connection) as queries:
        assert actual() == Decimal("30.00")
    assert len(queries) == 1, "a cached figure costs one query: the token"

    coordinator = provincial_coordinator("50")
    services.approve_result(result=Result.objects.get(pk=pending.pk), by=coordinator)
    assert actual() == Decimal("50.00"), "the approval's commit changed the token, so the figure is recomputed"


def test_the_dashboard_page_sends_the_same_queries_cached_whatever_the_data(cached_figures):
    client = Client()
    client.force_login(budget_viewer())
    url = "/indicators/?fy=2565&q=4"
    counts = []
    for n in (1, 6):
        for _ in range(n):
            indicator = IndicatorFactory(plan_node=economy_goal())
            TargetFactory(indicator=indicator, value=100)
            for quarter, code in enumerate(["500101", "500102", "570101", "400101"], start=1):
                ResultFactory(indicator=indicator, tambon_code=code, quarter=quarter, value=quarter)
        assert client.get(url).status_code == 200  # fills the cache
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
