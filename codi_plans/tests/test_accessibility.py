"""Every section's main page passes axe-core's WCAG 2.1 A/AA rules, for an anonymous visitor and for each role.

One browser and one page for the whole module, signed in as each person in turn: the walk stays fast, and a
failure names every page and role that has a serious or critical violation, not only the first.
"""

import re

import pytest

from accounts.tests import factories as users
from accounts.tests.factories import PASSWORD
from conftest import AXE, accessibility_problems
from indicators import services as indicator_services
from indicators.models import ResultStatus
from indicators.tests.factories import ResultFactory
from opengov.models import EmenscrExport
from reports.tests.factories import FISCAL_YEAR, ReportFactory, sample_year
from strategies.tests.factories import demo_chain
from workstreams.models import PlanStatus, TambonPlan
from workstreams.tests.factories import (
    ProblemFactory,
    ProjectBudgetFactory,
    ProjectFactory,
    ProjectIndicatorFactory,
    TambonPlanFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}

# The plan tree, one plan item, and the area pages from a region down to a district's tambons.
# The eMENSCR chain: its overview, a master plan with its sub-plans and targets, and a sub-plan target (Y1).
PUBLIC = [
    "/",
    "/plans/",
    "/plans/WS-ECONOMY/",
    "/plans/chain/",
    "/plans/MP-2561-16/",
    "/plans/MP-2561-16-S1-T1/",
    "/areas/",
    "/areas/province/50/",
    "/areas/district/5001/",
]


def a_year_of_work(staff, rep) -> dict:
    """A year with something on every page: tambon plans in three states, results, budget requests and a report."""
    year = sample_year(by=staff)  # accepted plans for 500105/500106, requests in three provinces, approved results
    indicator_services.load_indicators()
    plan = TambonPlan.objects.get(tambon__code="500105")
    ProblemFactory(plan=plan, title="หนี้นอกระบบ", rank=1)
    project = plan.projects.get()
    ProjectBudgetFactory(project=project, fiscal_year=plan.period_start_be)
    ProjectIndicatorFactory(project=project, target_year_be=plan.period_end_be)
    submitted = TambonPlanFactory(
        tambon=plan.tambon.district.subdistricts.exclude(code__in=["500105", "500106"]).first(),
        period_start_be=plan.period_start_be,
        period_end_be=plan.period_end_be,
        status=PlanStatus.SUBMITTED,
        created_by=rep,
    )
    ProjectFactory(plan=submitted, number=1)
    ResultFactory(
        indicator=year["indicator"],
        fiscal_year=FISCAL_YEAR,
        quarter=3,
        tambon_code="500105",
        status=ResultStatus.SUBMITTED,
        created_by=rep,
        updated_by=rep,
    )
    ReportFactory(requested_by=staff)
    export = EmenscrExport.objects.create(
        scope_level="country",
        scope_key="country",
        fiscal_year=FISCAL_YEAR,
        audience_key="national",
        requested_by=staff,
        status="done",
        progress=100,
        xlsx_sha256="0" * 64,
        csv_sha256="1" * 64,
        candidates=2,
        row_count=1,
        problem_count=1,
        problems=[
            {
                "project_id": project.pk,
                "plan_id": plan.pk,
                "ref": "CODI-500105-2563-1",
                "name": project.name,
                "tambon": "ตำบลช้างคลาน",
                "province": "เชียงใหม่",
                "reasons": ["ไม่มีตัวชี้วัด"],
            }
        ],
    )
    demo_chain("MP-2561-16")
    return {"plan": plan, "export": export, "progress": progress_pages(project, rep)}


def progress_pages(project, rep) -> dict:
    """A submitted progress report on the project for the running quarter: the pages of the progress app."""
    from progress.selectors import current_period
    from progress.services import ProgressInput, save_report

    year, quarter = current_period()
    report = save_report(
        project=project, fiscal_year=year, quarter=quarter, data=ProgressInput("under_way"), by=rep, submit=True
    )
    detail = f"/progress/reports/{report.pk}/"
    return {
        "rep": ["/progress/", f"/progress/project/{project.pk}/", detail],
        "reviewer": ["/progress/queue/", detail, "/progress/excel/upload/"],
    }


def log_in(page, user):
    """Sign in through the login page as a fresh visitor."""
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("form.stack button[type=submit]").click()


def test_every_sections_main_page_passes_axe_for_every_role(browser_page):
    page = browser_page
    if AXE.exists():
        # Load axe-core into every page as it opens, rather than sending it over again after each navigation.
        page.context.add_init_script(path=str(AXE))
    staff = users.central_staff(username="a11y-staff")
    rep = users.community_rep("500105", "500106", username="a11y-rep")
    work = a_year_of_work(staff, rep)
    plan_page = f"/tambon-plans/{work['plan'].pk}/"
    province_plan = f"/tambon-plans/province/50/{work['plan'].period_start_be}/"
    indicators = ["/indicators/", "/indicators/plan/CODI-AP/", "/indicators/results/"]
    reviewers = ["/tambon-plans/review/", "/indicators/queue/", *work["progress"]["reviewer"]]
    budgets = [
        "/budgets/",
        "/budgets/consolidation/",
        "/map/",
        "/map/?figure=budget",
        "/map/?figure=reporting",
        "/budgets/fairness/?province=50",
    ]
    budgets += ["/coverage/", f"/plans/WS-ECONOMY-G1-P1/served-by/?fiscal_year={FISCAL_YEAR}"]  # coverage pages
    signed_in = ["/", "/plans/", "/plans/WS-ECONOMY/", "/areas/mine/", "/tambon-plans/"]
    walks = [
        ("anonymous visitor", None, DESKTOP, [*PUBLIC, "/accounts/login/"]),
        (
            "central staff",
            staff,
            DESKTOP,
            [*PUBLIC, "/plans/chain/upload/", "/areas/mine/", "/tambon-plans/", plan_page, province_plan]
            + reviewers
            + indicators
            + budgets
            + ["/reports/", "/exports/emenscr/", f"/exports/emenscr/{work['export'].pk}/", "/areas/population/"],
        ),
        (
            "regional staff",
            users.regional_staff("north", username="a11y-region"),
            DESKTOP,
            [*signed_in, plan_page, province_plan, *reviewers, *indicators, *budgets, "/reports/", "/exports/emenscr/"],
        ),
        (
            "provincial coordinator",
            users.provincial_coordinator("50", username="a11y-province"),
            DESKTOP,
            [*signed_in, plan_page, province_plan, *reviewers, *indicators, *budgets, "/reports/"],
        ),
        (
            "Budget Bureau viewer",
            users.budget_viewer(username="a11y-viewer"),
            DESKTOP,
            [*signed_in, plan_page, *indicators, *budgets, "/reports/"],
        ),
    ]
    rep_pages = [*signed_in, plan_page, "/tambon-plans/new/", *indicators, "/indicators/results/new/"]
    rep_pages += ["/budgets/", "/reports/", "/map/", *work["progress"]["rep"]]
    rep_pages += ["/coverage/", f"/plans/WS-ECONOMY-G1-P1/served-by/?fiscal_year={FISCAL_YEAR}"]
    walks += [("community representative", rep, viewport, rep_pages) for viewport in (DESKTOP, PHONE)]

    failures = {}
    for role, user, viewport, urls in walks:
        page.set_viewport_size(viewport)
        if user is None:
            page.context.clear_cookies()
        else:
            log_in(page, user)
            assert not re.search(r"/accounts/login/", page.url), f"{role} could not sign in"
        for url in urls:
            where = f"{role} at {viewport['width']}px: {url}"
            response = page.goto(url)
            assert response.status == 200, f"{where} answered {response.status}"
            problems = accessibility_problems(page)
            if problems:
                failures[where] = problems
    assert not failures, "axe-core found serious or critical WCAG 2.1 A/AA violations:\n" + "\n".join(
        f"{where}\n  " + "\n  ".join(problems) for where, problems in failures.items()
    )


def test_public_pages_pass_axe_for_anonymous_visitors(browser_page):
    """The public pages and open data (public/), in Thai and English, on a desktop and a phone, signed out."""
    page = browser_page
    if AXE.exists():
        page.context.add_init_script(path=str(AXE))
    staff = users.central_staff(username="a11y-open-staff")
    rep = users.community_rep("500105", "500106", username="a11y-open-rep")
    work = a_year_of_work(staff, rep)
    project = work["plan"].projects.get()
    year = f"year={FISCAL_YEAR}"
    urls = [
        f"/open/?{year}",
        f"/open/region/north/?{year}",
        f"/open/province/50/?{year}",
        f"/open/tambon/500105/?{year}",
        f"/open/tambon/500105/?{year}&lang=en",
        f"/open/project/{project.pk}/",
        "/open/data/",
        "/open/data/projects/?lang=en",
    ]
    failures = {}
    page.context.clear_cookies()
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        for url in urls:
            where = f"anonymous at {viewport['width']}px: {url}"
            response = page.goto(url)
            assert response.status == 200, f"{where} answered {response.status}"
            problems = accessibility_problems(page)
            if problems:
                failures[where] = problems
    assert not failures, "axe-core found serious or critical WCAG 2.1 A/AA violations:\n" + "\n".join(
        f"{where}: {problems}" for where, problems in failures.items()
    )
