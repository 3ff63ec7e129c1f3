"""The demo year: a coherent current fiscal year on a fresh install, loaded twice without change."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from accounts.services import create_demo_accounts
from budgets.models import BudgetRequest, RequestStatus, SpendingActual
from budgets.services import load_demo_budgets
from indicators.models import Result, ResultStatus, Target
from indicators.services import load_indicators
from nationaldata.demo_year import DEMO_MARK, load_demo_year
from reports.models import Report, ReportStatus
from strategies import selectors as plans
from strategies.models import PlanNode
from workstreams.models import PlanStatus, PlanTransition, TambonPlan

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 5)  # fiscal year 2570, quarter 1


def counts() -> dict:
    models = (PlanNode, TambonPlan, PlanTransition, Result, Target, BudgetRequest, SpendingActual, Report)
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def demo_world(reference_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_indicators()
    create_demo_accounts()
    load_demo_budgets()
    with time_machine.travel(dt.datetime(2026, 12, 5, 10, tzinfo=dt.UTC), tick=False):
        yield load_demo_year(today=TODAY)


def test_the_demo_year_rolls_the_plan_forward_and_fills_every_menu(demo_world):
    report = demo_world
    plan = plans.plan_in_force(2570)
    assert plan is not None and not plan.is_draft
    assert (plan.period_start_be, plan.period_end_be) == (2570, 2572)
    assert plan.copied_from.code == "CODI-AP"
    assert report.plans_created == 1
    # The seed's plan is history, untouched.
    seed = PlanNode.objects.get(code="CODI-AP")
    assert (seed.period_start_be, seed.period_end_be, seed.is_draft) == (2563, 2565, False)

    states = set(TambonPlan.objects.filter(period_start_be=2570).values_list("status", flat=True))
    assert states == set(PlanStatus.values)
    returned = TambonPlan.objects.get(status=PlanStatus.RETURNED)
    assert returned.tambon.code in {"500105", "500106"}  # the demo rep's: a reason to act on
    assert PlanTransition.objects.filter(plan=returned, to_status=PlanStatus.RETURNED).exclude(comment="").exists()

    year = Result.objects.filter(fiscal_year=2570)
    assert year.filter(status=ResultStatus.APPROVED).exists()  # the dashboards have figures
    assert year.filter(status=ResultStatus.SUBMITTED).exists()  # and the review queue has work
    assert Target.objects.filter(fiscal_year=2570, quarter=None).count() >= report.targets_set > 0

    request = BudgetRequest.objects.get(title__startswith=DEMO_MARK)
    assert request.status == RequestStatus.IN_EXECUTION and request.fiscal_year == 2570
    assert SpendingActual.objects.filter(activity__request=request, quarter=1).count() == 2

    filed = Report.objects.get(fiscal_year=2570)
    assert filed.status == ReportStatus.DONE and filed.pdf_file and filed.xlsx_file


def test_loading_the_demo_year_again_changes_nothing(demo_world):
    before = counts()
    again = load_demo_year(today=TODAY)
    assert counts() == before
    assert (again.plans_created, again.targets_set, again.tambon_plans, again.results) == (0, 0, 0, 0)


def test_the_demo_year_is_refused_under_production_settings(reference_data, settings):
    settings.DEMO_ACCOUNTS_ALLOWED = False
    with pytest.raises(ImproperlyConfigured, match="production settings"):
        load_demo_year(today=TODAY)
    assert not TambonPlan.objects.exists()


def test_the_command_needs_the_demo_accounts_first(reference_data):
    with pytest.raises(Exception, match="create_demo_accounts"):
        call_command("load_demo_year")
    assert not TambonPlan.objects.exists()


def test_the_demo_year_has_progress_reports_in_every_review_state(demo_world):
    from progress.models import ProgressStatus, ProgressTransition, ProjectProgress

    reports = ProjectProgress.objects.filter(fiscal_year=2570, quarter=1)
    assert set(reports.values_list("status", flat=True)) == {
        ProgressStatus.APPROVED,
        ProgressStatus.SUBMITTED,
        ProgressStatus.RETURNED,
    }
    assert demo_world.progress_reports == 4
    returned = reports.get(status=ProgressStatus.RETURNED)
    assert ProgressTransition.objects.filter(report=returned, to_status="returned").exclude(comment="").exists()
    for approved in reports.filter(status=ProgressStatus.APPROVED):
        assert approved.approved_by_id != approved.submitted_by_id  # four-eyes
    assert load_demo_year(today=TODAY).progress_reports == 0  # loading again adds none
