"""A data set with everything the public must see and everything it must never see, for the public app's tests.

Fiscal year 2568 in Chiang Mai (province 50, the north): two public plans (one accepted, one endorsed) with known
budget lines, an approved request, approved results; beside them drafts, submitted and returned plans, requests
not yet approved, pending results, reviewers' notes and evidence, and people's names, phone numbers and e-mail
addresses in the free text of public records. SECRETS lists the strings no public page or file may contain.
"""

from decimal import Decimal

import pytest
from django.core.cache import cache

YEAR = 2568

# Strings that must never reach an anonymous visitor.
SECRETS = [
    "Privatefirst",
    "Privatelast",
    "private.person@example.org",
    "secretwriter",
    "02-555-0199",
    "081-234-5678",
    "089-765-4321",
    "0897654321",
    "somp@example.com",
    "a.b@example.com",
    "สมปอง",
    "ลับมาก",
    "DRAFT-PROJECT-SECRET",
    "SUBMITTED-PROJECT-SECRET",
    "RETURNED-PROJECT-SECRET",
    "SECRET-RATIONALE",
    "DECISION-NOTE-SECRET",
    "PRIORITY-NOTE-SECRET",
    "FORWARDED-REQUEST-SECRET",
    "DRAFT-REQUEST-SECRET",
    "RESULT-NOTE-SECRET",
    "PENDING-RESULT-REASON",
    "secret-evidence",
    "4321.5",
    "4,321.5",
    "TRANSITION-COMMENT-SECRET",
    "CAPITAL-PEOPLE-SECRET",
    "BASIC-NEEDS-SECRET",
    "/media/",
    # Staff pages (links start with the path; absolute URLs with the host).
    '"/tambon-plans/',
    '"/budgets/',
    '"/indicators/',
    "testserver/tambon-plans/",
    "testserver/budgets/",
    "csrfmiddlewaretoken",
]


@pytest.fixture
def world(reference_data):
    from accounts.tests.factories import UserFactory
    from areas.models import Subdistrict
    from budgets.models import BudgetRequest
    from budgets.tests.factories import BudgetRequestFactory
    from indicators.models import AreaLevel, ResultStatus
    from indicators.tests.factories import IndicatorFactory, ResultFactory, TargetFactory
    from workstreams.models import PlanTransition
    from workstreams.tests.factories import ProblemFactory, ProjectBudgetFactory, ProjectFactory, TambonPlanFactory

    cache.clear()
    writer = UserFactory(
        username="secretwriter",
        first_name="Privatefirst",
        last_name="Privatelast",
        email="private.person@example.org",
        phone="02-555-0199",
    )
    people = {"created_by": writer, "updated_by": writer}
    chiang_mai = list(Subdistrict.objects.filter(province__code="50").order_by("code")[:6])
    main = Subdistrict.objects.get(code="500105")
    others = [t for t in chiang_mai if t.code != "500105"]
    bangkok = Subdistrict.objects.filter(province__code="10").order_by("code").first()
    period = {"period_start_be": YEAR, "period_end_be": YEAR + 2}

    accepted = TambonPlanFactory(
        tambon=main,
        status="accepted",
        submitted_by=writer,
        accepted_by=writer,
        vision="ตำบลน่าอยู่ ติดต่อ 081-234-5678",
        capital_people="นายลับมาก สุดยอด CAPITAL-PEOPLE-SECRET",
        basic_needs="BASIC-NEEDS-SECRET",
        **period,
        **people,
    )
    ProblemFactory(plan=accepted, rank=1, title="หนี้สินครัวเรือน")
    PlanTransition.objects.create(
        plan=accepted, from_status="submitted", to_status="accepted", by=writer, comment="TRANSITION-COMMENT-SECRET"
    )
    p1 = ProjectFactory(
        plan=accepted,
        number=1,
        name="กลุ่มออมทรัพย์",
        responsible_body="นายสมปอง ใจดี โทร 089-765-4321 somp@example.com",
        rationale="SECRET-RATIONALE",
    )
    ProjectBudgetFactory(project=p1, fiscal_year=YEAR, source="codi", amount=Decimal("50000"))
    ProjectBudgetFactory(project=p1, fiscal_year=YEAR, source="community", amount=Decimal("10000"))
    ProjectBudgetFactory(project=p1, fiscal_year=YEAR + 1, source="codi", amount=Decimal("30000"))
    p2 = ProjectFactory(plan=accepted, number=2, name="ตลาดชุมชน", responsible_body="สภาองค์กรชุมชนตำบล")
    ProjectBudgetFactory(project=p2, fiscal_year=YEAR, source="local_government", amount=Decimal("20000"))

    endorsed = TambonPlanFactory(tambon=others[0], status="endorsed", **period, **people)
    p3 = ProjectFactory(plan=endorsed, number=1, name="บ้านมั่นคง")
    ProjectBudgetFactory(project=p3, fiscal_year=YEAR, source="codi", amount=Decimal("5000"))

    hidden = {}
    for status, tambon, name in (
        ("draft", bangkok, "DRAFT-PROJECT-SECRET"),
        ("submitted", others[1], "SUBMITTED-PROJECT-SECRET"),
        ("returned", others[2], "RETURNED-PROJECT-SECRET"),
    ):
        plan = TambonPlanFactory(tambon=tambon, status=status, **period, **people)
        project = ProjectFactory(plan=plan, number=1, name=name)
        ProjectBudgetFactory(project=project, fiscal_year=YEAR, source="codi", amount=Decimal("999999"))
        hidden[status] = project

    approved = BudgetRequestFactory(
        fiscal_year=YEAR,
        title="ยกระดับเศรษฐกิจฐานราก ติดต่อ a.b@example.com",
        status="approved",
        requested_amount=Decimal("100000"),
        approved_amount=Decimal("80000"),
        spent_amount=Decimal("30000"),
        decision_note="DECISION-NOTE-SECRET",
        priority_note="PRIORITY-NOTE-SECRET",
        **people,
    )
    approved.projects.add(p1)
    forwarded = BudgetRequestFactory(
        fiscal_year=YEAR,
        title="FORWARDED-REQUEST-SECRET",
        status="forwarded",
        requested_amount=Decimal("5000"),
        **people,
    )
    forwarded.projects.add(p2)
    BudgetRequestFactory(fiscal_year=YEAR, title="DRAFT-REQUEST-SECRET", **people)
    assert BudgetRequest.objects.count() == 3

    indicator = IndicatorFactory(name_th="ครัวเรือนที่มีบัญชีครัวเรือน", name_en="Households keeping accounts")
    ResultFactory(
        indicator=indicator,
        fiscal_year=YEAR,
        quarter=1,
        value=Decimal("12"),
        tambon_code="500105",
        note="RESULT-NOTE-SECRET",
        evidence="indicators/evidence/secret-evidence.pdf",
        **people,
    )
    ResultFactory(
        indicator=indicator,
        fiscal_year=YEAR,
        quarter=2,
        value=Decimal("4321.5"),
        tambon_code="500105",
        status=ResultStatus.SUBMITTED,
        **people,
    )
    ResultFactory(
        indicator=indicator,
        fiscal_year=YEAR,
        quarter=3,
        value=Decimal("4321.5"),
        tambon_code="500105",
        status=ResultStatus.RETURNED,
        status_reason="PENDING-RESULT-REASON",
        **people,
    )
    ResultFactory(
        indicator=indicator,
        fiscal_year=YEAR,
        quarter=1,
        value=Decimal("40"),
        area_spec=(AreaLevel.PROVINCE, "50"),
        **people,
    )
    TargetFactory(indicator=indicator, fiscal_year=YEAR, value=Decimal("20"), area_spec=(AreaLevel.TAMBON, "500105"))
    yield {
        "accepted": accepted,
        "endorsed": endorsed,
        "projects": [p1, p2, p3],
        "hidden": hidden,
        "request": approved,
        "indicator": indicator,
        "main": main,
        "other": others[0],
    }
    cache.clear()
