"""Roll-ups against totals computed by hand on a small tree of tambons, through approve, change and withdraw."""

from decimal import Decimal

import pytest

from accounts.tests.factories import central_staff, community_rep, provincial_coordinator
from areas.models import District, Province, ProvinceGroup, Region, Subdistrict
from indicators import selectors, services
from indicators.models import Aggregation, AreaLevel, Direction, Measure, ResultStatus
from strategies.models import PlanNode

from .factories import IndicatorFactory, ResultFactory, TargetFactory

pytestmark = pytest.mark.django_db

D = Decimal

# The small tree: three tambons in Chiang Mai (two in district 5001), one in Chiang Rai (also north),
# one in Khon Kaen (northeast) and one Bangkok khwaeng (in no region).
TREE = [
    ("500101", 1, 10),
    ("500101", 2, 5),
    ("500102", 1, 7),
    ("500203", 2, 4),
    ("570101", 2, 3),
    ("400101", 1, 6),
    ("100101", 1, 2),
]


def region(key):
    return Region.objects.get(key=key)


def rows_by_code(drill):
    return {row.area.code: row for row in drill.rows}


@pytest.fixture
def summed(reference_data):
    indicator = IndicatorFactory(aggregation=Aggregation.SUM)
    for code, quarter, value in TREE:
        ResultFactory(indicator=indicator, tambon_code=code, quarter=quarter, value=value)
    return indicator


def test_sum_rolls_up_tambon_district_province_group_region_country(summed):
    country = selectors.drilldown(summed, 2565, 2)
    assert country.total.actual == D(37)  # 10+5+7+4+3+6+2
    regions = rows_by_code(country)
    assert regions["north"].actual == D(29)  # 10+5+7+4+3
    assert regions["northeast"].actual == D(6)
    assert regions["central"].actual == D(0)
    assert regions[""].actual == D(2)  # Bangkok, in no region
    assert sum(r.actual for r in country.rows) == country.total.actual

    north = selectors.drilldown(summed, 2565, 2, level=AreaLevel.REGION, area=region("north"))
    assert north.total.actual == D(29)
    groups = {r.area.code: r.actual for r in north.rows if r.actual}
    chiang_mai_group = str(Province.objects.get(code="50").group.number)
    assert groups[chiang_mai_group] == D(26)  # Chiang Mai's group holds Chiang Mai; Chiang Rai may be in another
    chiang_mai = selectors.drilldown(summed, 2565, 2, level=AreaLevel.PROVINCE, area=Province.objects.get(code="50"))
    assert chiang_mai.total.actual == D(26)
    assert {r.area.code: r.actual for r in chiang_mai.rows if r.actual} == {"5001": D(22), "5002": D(4)}
    district = selectors.drilldown(summed, 2565, 2, level=AreaLevel.DISTRICT, area=District.objects.get(code="5001"))
    tambons = {r.area.code: r for r in district.rows}
    assert tambons["500101"].actual == D(15) and tambons["500101"].reporting == 1
    assert tambons["500102"].actual == D(7)
    assert tambons["500103"].actual == D(0) and tambons["500103"].reporting == 0
    assert district.total.actual == D(22)


def test_groups_add_up_to_their_region(summed):
    north = region("north")
    by_group = selectors.drilldown(summed, 2565, 2, level=AreaLevel.REGION, area=north)
    for row in by_group.rows:
        if row.area.id is None:
            continue
        group = ProvinceGroup.objects.get(pk=row.area.id)
        by_province = selectors.drilldown(summed, 2565, 2, level=AreaLevel.PROVINCE_GROUP, area=group)
        assert by_province.total.actual == row.actual
        assert sum(r.actual for r in by_province.rows) == row.actual


def test_per_period_figure_counts_the_year_to_date_only(summed):
    assert selectors.country_figure(summed, 2565, 1).actual == D(25)  # 10+7+6+2
    ResultFactory(indicator=summed, tambon_code="500103", fiscal_year=2564, quarter=4, value=100)
    assert selectors.country_figure(summed, 2565, 2).actual == D(37)


def test_only_approved_results_count_through_approve_change_and_withdraw(summed):
    coordinator = provincial_coordinator("50")
    rep = community_rep("500103")
    pending = services.create_result(
        indicator=summed,
        level=AreaLevel.TAMBON,
        area=Subdistrict.objects.get(code="500103"),
        fiscal_year=2565,
        quarter=2,
        value="100",
        submit=True,
        by=rep,
    )
    figure = lambda: selectors.country_figure(summed, 2565, 2).actual  # noqa: E731
    province = lambda: selectors.drilldown(  # noqa: E731
        summed, 2565, 2, level=AreaLevel.PROVINCE, area=Province.objects.get(code="50")
    )
    assert figure() == D(37)

    services.approve_result(result=pending, by=coordinator)
    assert figure() == D(137)
    assert province().total.actual == D(126)
    assert rows_by_code(province())["5001"].actual == D(122)

    pending.refresh_from_db()
    services.change_approved_result(
        result=pending, by=coordinator, expected_revision=pending.revision, reason="typo: 100 was 50", value="50"
    )
    assert figure() == D(87)
    assert rows_by_code(province())["5001"].actual == D(72)

    pending.refresh_from_db()
    services.withdraw_result(result=pending, by=coordinator, reason="evidence does not support it")
    assert figure() == D(37)
    assert rows_by_code(province())["5001"].actual == D(22)


def test_count_meeting_counts_each_tambons_latest_value_cumulatively(reference_data):
    indicator = IndicatorFactory(
        measure=Measure.YES_NO,
        aggregation=Aggregation.COUNT_MEETING,
        condition_threshold=1,
        cumulative=True,
        baseline_year=2562,
        baseline_value=0,
    )
    ResultFactory(indicator=indicator, tambon_code="500101", fiscal_year=2563, quarter=4, value=1)
    ResultFactory(indicator=indicator, tambon_code="500102", fiscal_year=2564, quarter=1, value=1)
    ResultFactory(indicator=indicator, tambon_code="500102", fiscal_year=2564, quarter=3, value=0)
    ResultFactory(indicator=indicator, tambon_code="400101", fiscal_year=2564, quarter=2, value=0)
    ResultFactory(indicator=indicator, tambon_code="400102", fiscal_year=2564, quarter=2, value=1)
    ResultFactory(
        indicator=indicator, tambon_code="400103", fiscal_year=2564, quarter=1, value=1, status=ResultStatus.SUBMITTED
    )
    assert selectors.country_figure(indicator, 2563, 4).actual == D(1)
    at_q2 = selectors.drilldown(indicator, 2564, 2)
    assert at_q2.total.actual == D(3)  # 500101, 500102 (still yes at Q2), 400102
    assert at_q2.total.reporting == 4
    assert rows_by_code(at_q2)["north"].actual == D(2)
    assert rows_by_code(at_q2)["northeast"].actual == D(1)
    assert selectors.country_figure(indicator, 2564, 4).actual == D(2)  # 500102 went back to no in Q3


def test_latest_adds_up_each_tambons_last_value_and_average_weights_every_value(reference_data):
    latest = IndicatorFactory(aggregation=Aggregation.LATEST, cumulative=True)
    ResultFactory(indicator=latest, tambon_code="500101", fiscal_year=2564, quarter=4, value=3)
    ResultFactory(indicator=latest, tambon_code="500101", fiscal_year=2565, quarter=1, value=4)
    ResultFactory(indicator=latest, tambon_code="500102", fiscal_year=2564, quarter=2, value=2)
    assert selectors.country_figure(latest, 2565, 2).actual == D(6)
    assert selectors.country_figure(latest, 2564, 4).actual == D(5)

    average = IndicatorFactory(measure=Measure.PERCENT, aggregation=Aggregation.AVERAGE)
    ResultFactory(indicator=average, tambon_code="500101", quarter=1, value=10)
    ResultFactory(indicator=average, tambon_code="500101", quarter=2, value=20)
    ResultFactory(indicator=average, tambon_code="400101", quarter=1, value=60)
    drill = selectors.drilldown(average, 2565, 2)
    assert drill.total.actual == D(30)  # (10+20+60)/3
    assert rows_by_code(drill)["north"].actual == D(15)
    assert rows_by_code(drill)["central"].actual is None


def test_lower_is_better_counts_areas_at_or_below_the_threshold(reference_data):
    indicator = IndicatorFactory(
        aggregation=Aggregation.COUNT_MEETING, condition_threshold=5, direction=Direction.LOWER
    )
    for code, value in [("500101", 3), ("500102", 5), ("500103", 8)]:
        ResultFactory(indicator=indicator, tambon_code=code, value=value)
    assert selectors.country_figure(indicator, 2565, 1).actual == D(2)


def test_expected_value_interpolates_from_the_baseline_to_a_multi_year_target(reference_data):
    indicator = IndicatorFactory(
        measure=Measure.YES_NO,
        aggregation=Aggregation.COUNT_MEETING,
        condition_threshold=1,
        cumulative=True,
        baseline_year=2562,
        baseline_value=0,
    )
    TargetFactory(indicator=indicator, fiscal_year=2565, value=3500)
    for i, tambon in enumerate(Subdistrict.objects.filter(province__code="50").order_by("code")[:200]):
        ResultFactory(indicator=indicator, tambon_code=tambon.code, fiscal_year=2563, quarter=1 + i % 4, value=1)
    figure = selectors.country_figure(indicator, 2564, 2)
    # Baseline 0 at the end of 2562, 3,500 at the end of 2565: 6 of 12 quarters gone → 1,750 expected.
    assert figure.expected == D(1750)
    assert figure.target == D(3500) and figure.target_year == 2565
    assert figure.actual == D(200)
    assert figure.progress == D("11.43")
    assert figure.band == selectors.Band.OFF_TRACK
    assert figure.percent_of_target == D("5.71")
    # Past its last target the indicator has none (issue 12: honest progress), never the 2565 target carried on.
    later = selectors.country_figure(indicator, 2566, 1)
    assert later.expected is None and later.band is None and later.reason == selectors.Reason.NO_TARGET


def test_per_period_target_is_spread_over_the_quarters_and_bands_follow_the_thresholds(summed, settings):
    TargetFactory(indicator=summed, value=80)  # country, FY2565
    figure = selectors.country_figure(summed, 2565, 2)
    assert figure.expected == D(40) and figure.target == D(80)
    assert figure.progress == D("92.50")  # 37 of 40
    assert figure.band == selectors.Band.ON_TRACK
    settings.INDICATOR_STATUS_BANDS = {"on_track": 95, "at_risk": 90}
    assert selectors.country_figure(summed, 2565, 2).band == selectors.Band.AT_RISK
    TargetFactory(indicator=summed, quarter=2, value=100)
    assert selectors.country_figure(summed, 2565, 2).expected == D(100)  # a quarter target wins


def test_area_targets_add_up_when_the_area_has_none_of_its_own(summed):
    TargetFactory(indicator=summed, value=50, area_spec=(AreaLevel.PROVINCE, "50"))
    TargetFactory(indicator=summed, value=30, area_spec=(AreaLevel.PROVINCE, "57"))
    TargetFactory(indicator=summed, value=8, area_spec=(AreaLevel.TAMBON, "400101"))
    country = selectors.drilldown(summed, 2565, 4)
    assert country.total.target == D(88)  # no country target: the provinces' and tambons' at the highest level
    regions = rows_by_code(country)
    assert regions["north"].target == D(80)
    assert regions["northeast"].target == D(8)
    assert regions["central"].target is None
    TargetFactory(indicator=summed, value=100, area_spec=(AreaLevel.REGION, "north"))
    assert rows_by_code(selectors.drilldown(summed, 2565, 4))["north"].target == D(100)  # its own target wins
    north = selectors.drilldown(summed, 2565, 4, level=AreaLevel.REGION, area=region("north"), by=AreaLevel.PROVINCE)
    assert north.total.target == D(100)
    assert rows_by_code(north)["50"].target == D(50)


def test_province_reported_indicator_stops_at_the_province(reference_data):
    indicator = IndicatorFactory(
        measure=Measure.YES_NO,
        aggregation=Aggregation.COUNT_MEETING,
        condition_threshold=1,
        cumulative=True,
        reporting_level=AreaLevel.PROVINCE,
    )
    ResultFactory(indicator=indicator, area_spec=(AreaLevel.PROVINCE, "50"), value=1)
    ResultFactory(indicator=indicator, area_spec=(AreaLevel.PROVINCE, "40"), value=1)
    north = selectors.drilldown(indicator, 2565, 1, level=AreaLevel.REGION, area=region("north"), by=AreaLevel.PROVINCE)
    assert north.total.actual == D(1)
    assert all(row.children_level is None for row in north.rows)
    assert selectors.country_figure(indicator, 2565, 1).actual == D(2)


def test_plan_progress_rolls_indicators_up_the_plan_tree(reference_data):
    services.load_indicators()
    coordinator = central_staff()
    economy = PlanNode.objects.get(code="WS-ECONOMY")
    progress = selectors.plan_progress(PlanNode.objects.get(code="CODI-AP"), 2565, 4)
    codes = {i.code for i, _figure in progress.items}
    assert {"ECON-TAMBONS-UPGRADED", "WELF-FUNDS-STRENGTHENED", "ABB-PILOT-TAMBONS"} <= codes
    parts = {p.node.code: p for p in progress.children}
    assert set(parts) >= {"WS-ECONOMY", "WS-WELFARE", "WS-HOUSING", "WS-COUNCIL", "CODI-FY2563"}
    assert parts["WS-ECONOMY"].summary.indicators == 5
    assert progress.summary.indicators == len(codes)
    national = selectors.plan_progress(PlanNode.objects.get(code="NS-4-I4"), 2565, 4)
    assert {i.code for i, _f in national.items} == codes  # every CODI item serves strategic issue 4
    # The action plan's own links are declarations; its workstreams and annual programmes serve the issue themselves.
    assert {"WS-ECONOMY", "WS-COUNCIL", "CODI-FY2563-P3"} <= {p.node.code for p in national.children}
    assert "CODI-AP" not in {p.node.code for p in national.children}
    assert economy.code in {p.node.code for p in progress.children}
    assert coordinator.is_central_staff


def test_country_figure_takes_a_fixed_number_of_queries(summed, django_assert_max_num_queries):
    TargetFactory(indicator=summed, value=80)
    with django_assert_max_num_queries(3):
        selectors.country_figure(summed, 2565, 2)
    with django_assert_max_num_queries(4):
        selectors.drilldown(summed, 2565, 2)


def test_country_figures_of_many_indicators_match_each_ones_own_figure(reference_data, django_assert_max_num_queries):
    """The batched national figures (two queries for all) equal each indicator's drilldown to the country."""
    kinds = [
        {"aggregation": Aggregation.SUM},
        {"aggregation": Aggregation.SUM, "cumulative": True, "baseline_year": 2563, "baseline_value": 0},
        {"measure": Measure.PERCENT, "aggregation": Aggregation.AVERAGE},
        {"aggregation": Aggregation.LATEST, "cumulative": True},
        {"aggregation": Aggregation.COUNT_MEETING, "condition_threshold": 5, "direction": Direction.LOWER},
        {
            "measure": Measure.YES_NO,
            "aggregation": Aggregation.COUNT_MEETING,
            "condition_threshold": 1,
            "cumulative": True,
            "baseline_year": 2562,
            "baseline_value": 0,
        },
        {
            "measure": Measure.YES_NO,
            "aggregation": Aggregation.COUNT_MEETING,
            "condition_threshold": 1,
            "cumulative": True,
            "reporting_level": AreaLevel.PROVINCE,
        },
        {"aggregation": Aggregation.SUM},  # no results at all
    ]
    indicators = [IndicatorFactory(**kind) for kind in kinds]
    for n, indicator in enumerate(indicators[:-1]):
        if indicator.reporting_level == AreaLevel.PROVINCE:
            for code, value in [("50", 1), ("40", 0), ("57", 1)]:
                ResultFactory(indicator=indicator, area_spec=(AreaLevel.PROVINCE, code), value=value)
        else:
            for i, (code, quarter, value) in enumerate(TREE):
                year = 2564 + (i + n) % 2
                ResultFactory(indicator=indicator, tambon_code=code, fiscal_year=year, quarter=quarter, value=value)
        TargetFactory(indicator=indicator, value=40 + n)
        TargetFactory(indicator=indicator, value=7, area_spec=(AreaLevel.PROVINCE, "50"), fiscal_year=2564)
    ResultFactory(indicator=indicators[0], tambon_code="500101", value=99, status=ResultStatus.SUBMITTED)
    fields = ("actual", "reporting", "target", "target_year", "expected", "progress", "percent_of_target", "band")
    for fiscal_year, quarter in [(2564, 2), (2565, 2), (2565, 4)]:
        with django_assert_max_num_queries(2):
            batch = selectors.country_figures(indicators, fiscal_year, quarter)
        for indicator in indicators:
            alone = selectors.drilldown(indicator, fiscal_year, quarter, by=AreaLevel.COUNTRY).total
            got = batch[indicator.id]
            assert [getattr(got, f) for f in fields] == [getattr(alone, f) for f in fields], indicator.aggregation
            assert got.area == alone.area and got.children_level == selectors.child_level(AreaLevel.COUNTRY, indicator)
    assert batch[indicators[0].id].actual == D(15)  # FY2565's rows only (5 + 4 + 6); the submitted 99 does not count


def test_master_plans_roll_up_through_the_most_specific_alignment(reference_data):
    """CODI-AP and CODI-FY2563 declare master plans 15, 16 and 17 at once; the roll-ups follow the workstreams.

    Seed: WS-COUNCIL → MP 15 (1 indicator on WS-COUNCIL-G2), WS-ECONOMY → MP 16 (5 indicators), WS-WELFARE and
    WS-HOUSING → MP 17 (2 + 3), and CODI-FY2563-P3 (ABB-PILOT-TAMBONS) serves none of the three.
    """
    services.load_indicators()
    tree = selectors.PlanTree()

    def codes(master_plan):
        progress = selectors.plan_progress(PlanNode.objects.get(code=master_plan), 2565, 4, tree=tree)
        return {i.code for i, _f in progress.items}, {p.node.code for p in progress.children}

    social, social_parts = codes("MP-2561-15")
    economy, economy_parts = codes("MP-2561-16")
    equality, equality_parts = codes("MP-2561-17")
    assert social == {"COUN-TAMBON-PLANS"}
    assert economy == {
        "ECON-TAMBONS-UPGRADED",
        "ECON-NEW-TAMBONS",
        "ECON-AREA-PLANS",
        "ECON-INCUBATION-CENTRES",
        "ECON-SOCIAL-ENTREPRENEURS",
    }
    assert equality == {
        "WELF-FUNDS-STRENGTHENED",
        "WELF-LEARNING-CLINICS",
        "HOUS-WHOLE-CITY-AREAS",
        "HOUS-HOUSEHOLDS-SURVEYED",
        "HOUS-PROVINCIAL-WORKING-GROUPS",
    }
    assert social_parts == {"WS-COUNCIL"}
    assert economy_parts == {"WS-ECONOMY"}
    assert equality_parts == {"WS-WELFARE", "WS-HOUSING"}  # P1 and P2 serve it but carry no indicator
    # The plan-wide declarations stay on the plan.
    assert set(PlanNode.objects.get(code="CODI-AP").aligns_to.values_list("code", flat=True)) >= {
        "MP-2561-15",
        "MP-2561-16",
        "MP-2561-17",
    }


def test_a_programme_aligned_elsewhere_in_one_plan_keeps_its_workstreams_link_in_another(reference_data):
    """WS-COUNCIL-P04 serves reform element RP-09-2 itself; for the master plans it still counts through WS-COUNCIL."""
    tree = selectors.PlanTree()
    p04 = tree.nodes[PlanNode.objects.get(code="WS-COUNCIL-P04").id]
    served = set(PlanNode.objects.filter(id__in=tree.effective_links(p04)).values_list("code", flat=True))
    assert served == {"RP-09-2", "MP-2561-15", "NS-4-I4"}
