"""The national data set command: deterministic from its seed, the promised shape, idempotent, reset cleanly."""

from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Sum

from budgets.models import BudgetRequest
from indicators.models import AreaLevel, Indicator, Result
from nationaldata import dataset
from workstreams.models import CONSOLIDATED_STATUSES, Project, TambonPlan

SCALE = 0.01  # 74 tambons


def build(**options):
    call_command("build_national_dataset", scale=SCALE, stdout=open("/dev/null", "w"), **options)


def snapshot() -> dict:
    plans = TambonPlan.objects.order_by("tambon__code")
    return {
        "plans": list(plans.values_list("tambon__code", "status", "households")),
        "projects": list(
            Project.objects.order_by("plan__tambon__code", "number").values_list(
                "plan__tambon__code", "number", "workstream__code", "programme__code"
            )
        ),
        "requests": list(
            BudgetRequest.objects.order_by("title", "requested_amount").values_list(
                "title", "status", "requested_amount", "approved_amount", "rank"
            )
        ),
        "results": list(
            Result.objects.order_by("tambon__code", "indicator__code", "quarter").values_list(
                "tambon__code", "indicator__code", "quarter", "value"
            )
        ),
    }


@pytest.mark.django_db
def test_build_national_dataset_is_deterministic_for_a_seed(reference_data):
    build()
    first = snapshot()
    build(reset=True)
    assert snapshot() == first
    call_command("build_national_dataset", scale=SCALE, seed=7, reset=True, stdout=open("/dev/null", "w"))
    assert snapshot()["plans"] != first["plans"]


@pytest.mark.django_db
def test_build_national_dataset_creates_the_promised_shape(reference_data):
    build()
    tambons = dataset.select_tambons(dataset.DEFAULT_SEED, SCALE)
    plans = TambonPlan.objects.all()
    assert plans.count() == len(tambons) == 74
    assert set(plans.values_list("period_start_be", "period_end_be")) == {(2563, 2565)}
    project_counts = plans.annotate(n=Count("projects")).values_list("n", flat=True)
    assert min(project_counts) >= 3 and max(project_counts) <= 8
    statuses = Counter(plans.values_list("status", flat=True))
    assert statuses["accepted"] + statuses["endorsed"] > plans.count() / 2
    assert not Project.objects.filter(budget_lines__isnull=True).exists()
    assert not Project.objects.filter(indicators__isnull=True).exists()

    requests = BudgetRequest.objects.filter(fiscal_year=dataset.FISCAL_YEAR)
    assert requests.count() == plans.filter(status__in=CONSOLIDATED_STATUSES).count()
    for request in requests.prefetch_related("projects__plan__tambon", "expense_lines"):
        assert request.requested_amount == sum((line.amount for line in request.expense_lines.all()), Decimal(0))
        assert request.projects.exists()
        for project in request.projects.all():
            assert project.plan.status in CONSOLIDATED_STATUSES
            assert project.plan.tambon.province_id == request.province_id
        if request.is_committed:
            assert Decimal(0) < request.approved_amount <= request.requested_amount
    linked = BudgetRequest.projects.through.objects.filter(budgetrequest__in=requests)
    assert linked.values("project_id").distinct().count() == linked.count()  # no project funded twice

    indicators = Indicator.objects.filter(reporting_level=AreaLevel.TAMBON).count()
    assert indicators > 0
    results = Result.objects.filter(fiscal_year=dataset.FISCAL_YEAR, status="approved")
    assert results.count() == indicators * len(tambons) * 4
    assert set(results.values_list("quarter", flat=True)) == {1, 2, 3, 4}
    assert results.aggregate(total=Sum("value"))["total"] > 0


@pytest.mark.django_db
def test_build_national_dataset_is_idempotent_and_refuses_another_dataset(reference_data):
    build()
    before = snapshot()
    build()  # the same seed and scale: nothing to do
    assert snapshot() == before
    with pytest.raises(CommandError, match="--reset"):
        call_command("build_national_dataset", scale=0.02, stdout=open("/dev/null", "w"))


@pytest.mark.django_db
def test_reset_deletes_only_the_generated_rows(reference_data, django_user_model):
    keeper = django_user_model.objects.create(username="someone-else")
    build()
    counts = dataset.reset_national_dataset()
    assert counts["tambon plans"] == 74
    assert not TambonPlan.objects.exists()
    assert not BudgetRequest.objects.exists()
    assert not Result.objects.exists()
    assert dataset.existing_marker() is None
    assert django_user_model.objects.filter(pk=keeper.pk).exists()


@pytest.mark.django_db
def test_build_national_dataset_has_approved_progress_for_a_share_of_projects(reference_data):
    from progress.models import ProgressTransition, ProjectProgress
    from progress.selectors import project_progress, rollup

    build()
    reports = ProjectProgress.objects.all()
    assert reports.exists() and set(reports.values_list("status", flat=True)) == {"approved"}
    assert not reports.exclude(project__plan__status__in=CONSOLIDATED_STATUSES).exists()
    assert not reports.filter(approved_by=F("submitted_by")).exists()  # four-eyes
    assert ProgressTransition.objects.count() == 2 * reports.count()
    consolidated = Project.objects.filter(plan__status__in=CONSOLIDATED_STATUSES)
    summary = rollup(project_progress(consolidated, dataset.FISCAL_YEAR).values())
    assert 0.4 < summary.reported / summary.projects < 0.8
    assert summary.spent_total > 0 and 0 < summary.percent <= 100
    dataset.reset_national_dataset()
    assert not ProjectProgress.objects.exists()
