"""Fair distribution: the pure measures against hand computation, and a data set with known population and budgets."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.tests import factories as users
from areas.models import OfficialPopulation, Province, Subdistrict
from budgets.fairness import (
    FLAG_HIGH,
    FLAG_LOW,
    decile_ratio,
    fairness_for,
    flag_for,
    gini,
    lorenz_points,
)
from budgets.models import RequestStatus
from budgets.tests.factories import FISCAL_YEAR, BudgetRequestFactory, accepted_projects
from workstreams.models import FundingSource, TambonPlan
from workstreams.tests.factories import ProjectBudgetFactory, TambonPlanFactory

D = Decimal


# Pure measures ---------------------------------------------------------------------------------------------------


def test_gini_of_equal_weights_is_the_plain_gini():
    # Amounts 1, 2, 3 with weight 1 each: Lorenz Y = 1/6, 3/6, 6/6 at X = 1/3, 2/3, 1.
    # Σ ΔX (Y + Yprev) = 1/3 (1/6 + 4/6 + 9/6) = 14/18; Gini = 1 − 14/18 = 4/18 = 0.2222.
    # Check with the mean absolute difference: Σ|xi − xj| over ordered pairs = 8; 8 / (2 · 3² · 2) = 0.2222.
    assert gini([(1, 1), (1, 2), (1, 3)]) == D("0.2222")


def test_gini_even_and_concentrated():
    # The same amount per head everywhere: the Lorenz curve is the diagonal, Gini 0.
    assert gini([(100, 1000), (300, 3000), (50, 500)]) == D("0.0000")
    # Everything in one of four equal areas: points (¼,0), (½,0), (¾,0), (1,1); Σ = ¼ · 1 = 0.25; Gini = 0.75.
    assert gini([(1, 0), (1, 0), (1, 0), (1, 10)]) == D("0.7500")
    # Nothing to share, or nobody: no Gini.
    assert gini([(1, 0), (2, 0)]) is None
    assert gini([]) is None
    # Areas without weight are left out.
    assert gini([(0, 999), (1, 1), (1, 1)]) == D("0.0000")


def test_lorenz_points_are_sorted_by_amount_per_weight():
    # Per head: a = 10, b = 1, c = 5 → order b, c, a. Weights 1, 2, 1 (total 4); amounts 10, 2, 5 (total 17).
    points = lorenz_points([(1, 10), (2, 2), (1, 5)])
    assert points == [(D(0), D(0)), (D(2) / 4, D(2) / 17), (D(3) / 4, D(7) / 17), (D(1), D(1))]


def test_decile_ratio():
    # 20 rates 1..20: k = ⌊20/10⌋ = 2; top mean (19 + 20)/2 = 19.5; bottom (1 + 2)/2 = 1.5; ratio 13.
    result = decile_ratio(range(1, 21))
    assert (result.k, result.top_mean, result.bottom_mean, result.ratio) == (2, D("19.50"), D("1.50"), D("13.0000"))
    # 4 rates: k = max(1, 0) = 1: 40 / 10 = 4.
    assert decile_ratio([10, 20, 30, 40]).ratio == D("4.0000")
    # The lowest decile got nothing: no ratio; fewer than two rates: no ratio.
    assert decile_ratio([0, 5, 9]).ratio is None
    assert decile_ratio([7]).ratio is None
    # Unknown rates are left out.
    assert decile_ratio([None, 2, 6]).ratio == D("3.0000")


def test_flags_below_half_or_above_double_the_national_rate():
    national = D("62.50")
    assert flag_for(D("31.24"), national) == FLAG_LOW
    assert flag_for(D("31.25"), national) == ""  # exactly half is not below half
    assert flag_for(D("125.00"), national) == ""  # exactly double is not above double
    assert flag_for(D("125.01"), national) == FLAG_HIGH
    assert flag_for(None, national) == ""
    assert flag_for(D("10"), None) == ""


# A data set with known population and budgets -------------------------------------------------------------------


def official(*, province=None, tambon=None, population, households=None):
    return OfficialPopulation.objects.create(
        province=Province.objects.get(code=province) if province else None,
        tambon=Subdistrict.objects.get(code=tambon) if tambon else None,
        population=population,
        households=households,
        source="ทดสอบ",
        year_be=2567,
        imported_at=timezone.now(),
    )


def request(province, status, requested, approved="0", spent="0", projects=(), **kwargs):
    r = BudgetRequestFactory(
        province=Province.objects.get(code=province),
        status=status,
        requested_amount=D(requested),
        approved_amount=D(approved) if status in (RequestStatus.APPROVED, RequestStatus.CLOSED) else None,
        spent_amount=D(spent),
        **kwargs,
    )
    r.projects.set(projects)
    return r


def profile(project, population, households):
    TambonPlan.objects.filter(pk=project.plan_id).update(population=population, households=households)


@pytest.fixture
def fair_data(reference_data):
    """FY2570.

    Population (official figures override the tambon plans' profiles):
      เชียงใหม่ 50: official 1,000 people, 400 households (its tambon plans say 400 + 100 people: not used for the
        province); tambons 500105 (plan: 400 people, 160 households) and 500106 (plan: 100 people, 40 households).
      กรุงเทพฯ 10: official 2,000 / 1,000; tambons 100101 and 100102 (plans: 1,000 people each, 500 households).
      สงขลา 90: no official province figure: the sum of its tambons: 900101 (plan: 300 / 100) and 900102
        (official tambon figure 200 / 50, over its plan's 9,999): 500 people, 150 households.
      ขอนแก่น 40: official 500 / 200 people, no tambon figures.
    Requests:
      R1 เชียงใหม่ approved: requested 120,000, approved 100,000, spent 40,000; funds a project in 500105 with a CODI
        line of 30,000 and one in 500106 with 10,000 (and a local-government line of 90,000 that does not count):
        500105 gets ¾ (approved 75,000, requested 90,000, spent 30,000), 500106 gets ¼ (25,000 / 30,000 / 10,000).
      R2 เชียงใหม่ submitted: requested 50,000, no project: province level only (not approved).
      R3 กรุงเทพฯ approved 100,000 of 100,000: two projects without CODI lines: 50,000 each to 100101 and 100102.
      R4 สงขลา approved 50,000 of 60,000: one project in 900101 (CODI line 0): all of it to 900101.
      R5 ขอนแก่น approved 5,000 of 5,000, no project: province level only.
      R6 เชียงใหม่ draft of 999,999: counts nowhere.
      R7 สงขลา approved 7,000, another fiscal year (2569): counts nowhere.
    """
    official(province="50", population=1000, households=400)
    official(province="10", population=2000, households=1000)
    official(province="40", population=500, households=200)
    official(tambon="900102", population=200, households=50)
    cm1, cm2 = accepted_projects("500105", "500106")
    bkk1, bkk2 = accepted_projects("100101", "100102")
    sk1, sk2 = accepted_projects("900101", "900102")
    for project, people, homes in [
        (cm1, 400, 160),
        (cm2, 100, 40),
        (bkk1, 1000, 500),
        (bkk2, 1000, 500),
        (sk1, 300, 100),
        (sk2, 9999, 9999),
    ]:
        profile(project, people, homes)
    ProjectBudgetFactory(project=cm1, fiscal_year=FISCAL_YEAR, source=FundingSource.CODI, amount=D("30000"))
    ProjectBudgetFactory(project=cm2, fiscal_year=FISCAL_YEAR, source=FundingSource.CODI, amount=D("10000"))
    ProjectBudgetFactory(project=cm2, fiscal_year=FISCAL_YEAR, source=FundingSource.LOCAL_GOVERNMENT, amount=D("90000"))
    ProjectBudgetFactory(project=cm1, fiscal_year=FISCAL_YEAR - 1, source=FundingSource.CODI, amount=D("1"))
    ProjectBudgetFactory(project=sk1, fiscal_year=FISCAL_YEAR, source=FundingSource.CODI, amount=D("0"))
    request("50", RequestStatus.APPROVED, "120000", "100000", "40000", projects=[cm1, cm2])
    request("50", RequestStatus.SUBMITTED, "50000")
    request("10", RequestStatus.APPROVED, "100000", "100000", projects=[bkk1, bkk2])
    request("90", RequestStatus.APPROVED, "60000", "50000", projects=[sk1])
    request("40", RequestStatus.APPROVED, "5000", "5000")
    request("50", RequestStatus.DRAFT, "999999")
    request("90", RequestStatus.APPROVED, "7000", "7000", fiscal_year=FISCAL_YEAR - 1)
    return users.central_staff()


def by_key(areas):
    return {a.key: a for a in areas}


def test_attribution_and_per_tambon_figures(fair_data):
    result = fairness_for(user=fair_data, fiscal_year=FISCAL_YEAR)
    tambons = by_key(result.tambons)
    t = tambons["500105"]
    assert (t.requested, t.approved, t.spent) == (D(90000), D(75000), D(30000))
    assert (t.population, t.households, t.population_source) == (400, 160, "plans")
    assert t.approved_per_head == D("187.50")  # 75,000 / 400
    assert t.approved_per_household == D("468.75")  # 75,000 / 160
    t = tambons["500106"]
    assert (t.requested, t.approved, t.spent) == (D(30000), D(25000), D(10000))
    assert t.approved_per_head == D("250.00")  # 25,000 / 100
    assert tambons["100101"].approved == tambons["100102"].approved == D(50000)  # equal shares
    assert tambons["900101"].approved == D(50000)
    assert tambons["900101"].approved_per_head == D("166.67")  # 50,000 / 300
    t = tambons["900102"]
    assert (t.population, t.households, t.population_source, t.approved) == (200, 50, "official", D(0))
    assert t.funded_projects == 0
    # Khon Kaen's 5,000 funds no project: it is in no tambon.
    assert result.unattributed == D(5000)


def test_per_province_group_and_region(fair_data):
    result = fairness_for(user=fair_data, fiscal_year=FISCAL_YEAR)
    provinces = by_key(result.provinces)
    cm = provinces["50"]
    # Requested counts R1 and R2 (past draft), approved only R1.
    assert (cm.requested, cm.approved, cm.spent) == (D(170000), D(100000), D(40000))
    assert (cm.population, cm.households, cm.population_source) == (1000, 400, "official")
    assert cm.approved_per_head == D("100.00")  # 100,000 / 1,000
    assert cm.requested_per_head == D("170.00")
    assert cm.approved_per_household == D("250.00")  # 100,000 / 400
    assert cm.tambons == Subdistrict.objects.filter(province__code="50").count()
    sk = provinces["90"]
    assert (sk.population, sk.households, sk.population_source) == (500, 150, "plans")  # 300 + 200, 100 + 50
    assert sk.approved_per_head == D("100.00")  # 50,000 / 500
    assert provinces["10"].approved_per_head == D("50.00")  # 100,000 / 2,000
    assert provinces["40"].approved_per_head == D("10.00")  # 5,000 / 500
    assert provinces["20"].population is None and provinces["20"].approved_per_head is None
    # Chiang Mai is the only province of its region and group with figures.
    regions = by_key(result.regions)
    north = regions[Province.objects.get(code="50").region.key]
    assert (north.population, north.approved) == (1000, D(100000))
    group = by_key(result.groups)[str(Province.objects.get(code="50").group.number)]
    assert group.approved == D(100000) and group.population == 1000
    assert result.national.approved == D(255000)
    assert result.national.population == 4000


def test_national_rate_flags_gini_and_decile_ratio(fair_data):
    result = fairness_for(user=fair_data, fiscal_year=FISCAL_YEAR)
    # National rate: approved of provinces with a population 255,000 ÷ 4,000 people = 63.75 baht per head.
    assert result.national.extra["rate"] == "63.75"
    # Half is 31.875, double 127.50: Khon Kaen (10.00) is low; no province is above double.
    assert [(p.key, p.flag) for p in result.flagged] == [("40", FLAG_LOW)]
    # Gini across provinces (population-weighted), sorted by per head: KK (500, 5,000), BKK (2,000, 100,000),
    # CM (1,000, 100,000), SK (500, 50,000). Cumulative X: .125, .625, .875, 1; cumulative Y (÷ 255,000): 5,000,
    # 105,000, 205,000, 255,000. Σ ΔX (Y + Yprev) × 255,000 = .125·5,000 + .5·110,000 + .25·310,000 + .125·460,000
    # = 625 + 55,000 + 77,500 + 57,500 = 190,625; Gini = 1 − 190,625 / 255,000 = 64,375 / 255,000 = 0.25245 → 0.2525.
    assert result.gini_provinces == D("0.2525")
    # Gini across tambons with a population: 900102 (200, 0), 100101 (1,000, 50,000), 100102 (1,000, 50,000),
    # 900101 (300, 50,000), 500105 (400, 75,000), 500106 (100, 25,000); totals 3,000 people, 250,000 baht.
    # Σ ΔX·(Y + Yprev) in people × baht: 200·0 + 1,000·50,000 + 1,000·150,000 + 300·250,000 + 400·375,000
    # + 100·475,000 = 472,500,000; ÷ (3,000 · 250,000) = 0.63; Gini = 0.37. (Other tambons have no population.)
    assert result.gini_tambons == D("0.3700")
    # Decile ratio: 4 provinces with a population, k = 1: highest 100.00 ÷ lowest 10.00 = 10.
    assert (result.deciles.k, result.deciles.ratio) == (1, D("10.0000"))


def test_a_workstream_keeps_only_its_requests(fair_data):
    from budgets.tests.factories import node

    welfare = node("WS-WELFARE")
    result = fairness_for(user=fair_data, fiscal_year=FISCAL_YEAR, workstream=welfare)
    assert result.national.approved == D(0)
    assert result.gini_provinces is None
    BudgetRequestFactory(
        province=Province.objects.get(code="40"),
        status=RequestStatus.APPROVED,
        requested_amount=D(800),
        approved_amount=D(800),
        workstream=welfare,
        programme=node("WS-WELFARE-G1-P1"),
    )
    result = fairness_for(user=fair_data, fiscal_year=FISCAL_YEAR, workstream=welfare)
    assert result.national.approved == D(800)
    assert by_key(result.provinces)["40"].approved_per_head == D("1.60")  # 800 / 500


def test_a_coordinator_sees_their_province_only(fair_data):
    result = fairness_for(user=users.provincial_coordinator("50"), fiscal_year=FISCAL_YEAR)
    assert [p.key for p in result.provinces] == ["50"]
    assert result.national.approved == D(100000)
    assert {t.parent for t in result.tambons} == {"50"}


def test_query_count_does_not_grow_with_requests(fair_data):
    staff = fair_data
    with CaptureQueriesContext(connection) as before:
        fairness_for(user=staff, fiscal_year=FISCAL_YEAR)
    projects = accepted_projects("500107", "500108", "500109", "900103")
    for p in projects:
        request(
            "50" if p.plan.tambon.province.code == "50" else "90", RequestStatus.APPROVED, "1000", "1000", projects=[p]
        )
    TambonPlanFactory(tambon=Subdistrict.objects.get(code="400101"), period_start_be=2568, period_end_be=2570)
    with CaptureQueriesContext(connection) as after:
        fairness_for(user=staff, fiscal_year=FISCAL_YEAR)
    assert len(after.captured_queries) == len(before.captured_queries)
