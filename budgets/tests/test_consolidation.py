from decimal import Decimal

import pytest

from accounts.tests import factories as users
from areas.models import Province
from budgets import services
from budgets.consolidation import consolidate
from budgets.models import RequestStatus
from budgets.services import ActualInput
from budgets.tests.factories import (
    FISCAL_YEAR,
    BudgetRequestFactory,
    DevelopmentIssueFactory,
    PilotTambonFactory,
    ProvincialDevelopmentPlanFactory,
    accepted_projects,
    draft_request,
    forwarded_request,
    node,
    quarterly_plan,
)

pytestmark = pytest.mark.django_db


def rows(result, dimension):
    dim = next(d for d in result["dimensions"] if d.key == dimension)
    return {r.key: r for r in dim.rows}


def figures(row):
    return (row.requests, row.requested, row.approved, row.spent, row.ceiling)


D = Decimal


@pytest.fixture
def scenario(reference_data):
    """Chiang Mai: one request over two tambons, approved lower and half spent, one only submitted;
    Khon Kaen: one welfare request approved in full; plus a draft that counts nowhere."""
    staff = users.central_staff()
    cm = users.provincial_coordinator("50")
    kk = users.provincial_coordinator("40")
    cm_issue = DevelopmentIssueFactory()
    kk_issue = DevelopmentIssueFactory(plan=ProvincialDevelopmentPlanFactory(province=kk.province, name="ขอนแก่น"))
    services.set_ceiling(by=staff, fiscal_year=FISCAL_YEAR, amount="1000000", province=cm.province)
    services.set_ceiling(by=staff, fiscal_year=FISCAL_YEAR, amount="500000", province=kk.province)
    services.set_ceiling(by=staff, fiscal_year=FISCAL_YEAR, amount="2000000", workstream=node("WS-ECONOMY"))

    a = forwarded_request(cm, accepted_projects("500105", "500106"), cm_issue)
    services.approve_budget_request(request=a, by=staff, amount="80000")
    a.refresh_from_db()
    services.save_spending_plan(
        request=a, by=cm, expected_revision=a.revision, activities=quarterly_plan("20000", "30000", "20000", "10000")
    )
    services.start_execution(request=a, by=cm)
    for quarter, amount in ((1, "15000"), (2, "30000")):
        a.refresh_from_db()
        services.record_actuals(
            request=a, by=cm, expected_revision=a.revision, quarter=quarter, rows=[ActualInput(1, 1, amount)]
        )

    b = draft_request(cm, accepted_projects("500107"), cm_issue, amounts=("50000",))
    services.submit_budget_request(request=b, by=cm)

    c = forwarded_request(
        kk,
        accepted_projects("400101", workstream="WS-WELFARE"),
        kk_issue,
        amounts=("30000",),
        province=kk.province,
        workstream=node("WS-WELFARE"),
        programme=node("WS-WELFARE-G1-P1"),
        national_target=node("MP-2561-17"),
    )
    services.approve_budget_request(request=c, by=staff, amount="30000")

    draft_request(cm, accepted_projects("500108"), cm_issue, amounts=("999999",))
    PilotTambonFactory(tambon=a.projects.first().plan.tambon)
    return {"staff": staff, "cm": cm, "a": a, "b": b, "c": c}


def test_totals_by_every_dimension_against_the_ceilings(scenario):
    result = consolidate(user=users.budget_viewer(), fiscal_year=FISCAL_YEAR)
    assert figures(result["totals"]) == (3, D("180000"), D("110000"), D("45000"), D("1500000"))
    assert figures(rows(result, "province")["50"]) == (2, D("150000"), D("80000"), D("45000"), D("1000000"))
    assert figures(rows(result, "province")["40"]) == (1, D("30000"), D("30000"), D("0"), D("500000"))
    north = Province.objects.get(code="50")
    assert figures(rows(result, "province_group")[str(north.group.number)])[1:] == (
        D("150000"),
        D("80000"),
        D("45000"),
        D("1000000"),
    )
    assert figures(rows(result, "region")[str(north.region.number)])[1:] == (
        D("150000"),
        D("80000"),
        D("45000"),
        D("1000000"),
    )
    workstreams = {r.name: r for r in rows(result, "workstream").values()}
    assert figures(workstreams["เศรษฐกิจฐานราก"]) == (2, D("150000"), D("80000"), D("45000"), D("2000000"))
    assert figures(workstreams["สวัสดิการชุมชน"]) == (1, D("30000"), D("30000"), D("0"), None)
    targets = rows(result, "national_target")
    assert figures(targets["MP-2561-16"])[:4] == (2, D("150000"), D("80000"), D("45000"))
    assert figures(targets["MP-2561-17"])[:4] == (1, D("30000"), D("30000"), D("0"))
    # The two-tambon request counts half towards each tambon.
    tambons = rows(result, "tambon")
    assert figures(tambons["500105"])[:4] == (1, D("50000"), D("40000"), D("22500"))
    assert figures(tambons["500106"])[:4] == (1, D("50000"), D("40000"), D("22500"))
    assert figures(tambons["500107"])[:4] == (1, D("50000"), D("0"), D("0"))
    assert "500108" not in tambons  # drafts count nowhere
    pilot = rows(result, "pilot")
    assert figures(pilot["pilot"])[:2] == (1, D("100000")) and pilot["other"].requests == 2


def test_a_coordinator_consolidates_her_province_without_national_ceilings(scenario):
    result = consolidate(user=scenario["cm"], fiscal_year=FISCAL_YEAR)
    assert set(rows(result, "province")) == {"50"}
    assert all(r.ceiling is None for r in rows(result, "workstream").values())
    assert result["totals"].requested == D("150000")


def test_a_province_filter_narrows_every_dimension(scenario):
    result = consolidate(user=scenario["staff"], fiscal_year=FISCAL_YEAR, province_code="40")
    assert set(rows(result, "province")) == {"40"} and set(rows(result, "tambon")) == {"400101"}


def test_another_fiscal_year_is_empty(scenario):
    result = consolidate(user=scenario["staff"], fiscal_year=FISCAL_YEAR + 1)
    assert result["totals"].requests == 0 and rows(result, "province") == {}


def make_requests(n, start=0):
    """Submitted and approved requests made straight from factories: the consolidation only reads them."""
    provinces = [Province.objects.get(code=c) for c in ("50", "40", "90")]
    creator = users.central_staff()
    for i in range(start, start + n):
        province = provinces[i % 3]
        tambon = province.subdistricts.order_by("code")[i // 3]
        (project,) = accepted_projects(tambon.code)
        request = BudgetRequestFactory(
            province=province,
            created_by=creator,
            status=RequestStatus.APPROVED if i % 2 else RequestStatus.SUBMITTED,
            requested_amount=D("10000"),
            approved_amount=D("9000") if i % 2 else None,
            spent_amount=D("0"),
            national_target=node("MP-2561-16"),
        )
        request.projects.set([project])


def test_the_number_of_queries_does_not_grow_with_the_number_of_requests(
    reference_data, django_assert_num_queries, django_assert_max_num_queries
):
    viewer = users.budget_viewer()
    make_requests(2)
    with django_assert_max_num_queries(40) as few:  # a ceiling; what matters is that it does not grow
        small = consolidate(user=viewer, fiscal_year=FISCAL_YEAR)
    make_requests(18, start=2)
    with django_assert_num_queries(len(few.captured_queries)):
        large = consolidate(user=viewer, fiscal_year=FISCAL_YEAR)
    assert (small["totals"].requests, large["totals"].requests) == (2, 20)
    assert large["totals"].approved == D("90000")
