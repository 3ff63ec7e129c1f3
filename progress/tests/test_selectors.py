"""project_progress and rollup against hand-computed figures."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from workstreams.models import Project
from workstreams.tests.factories import ProjectFactory, ProjectIndicatorFactory

from ..models import ActivityStatus, ProgressStatus
from ..selectors import ProjectFigure, project_progress, reportable_quarters, rollup
from .factories import AcceptedPlanFactory, IndicatorActualFactory, ProgressSpendingFactory, ProjectProgressFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects(reference_data):
    plan = AcceptedPlanFactory()
    a, b, c, d, e = (ProjectFactory(plan=plan, number=n) for n in range(1, 6))
    # A: two indicators, approved Q1 and Q2, a submitted Q3 that must not count.
    a1 = ProjectIndicatorFactory(project=a, target_value=Decimal(100))
    a2 = ProjectIndicatorFactory(project=a, target_value=Decimal(40))
    q1 = ProjectProgressFactory(project=a, quarter=1)
    IndicatorActualFactory(report=q1, indicator=a1, value=Decimal(30))
    IndicatorActualFactory(report=q1, indicator=a2, value=Decimal(10))
    ProgressSpendingFactory(report=q1, source="codi", amount=Decimal(1000))
    ProgressSpendingFactory(report=q1, source="community", amount=Decimal(500))
    q2 = ProjectProgressFactory(project=a, quarter=2)
    IndicatorActualFactory(report=q2, indicator=a1, value=Decimal(60))
    ProgressSpendingFactory(report=q2, source="codi", amount=Decimal(2000))
    q3 = ProjectProgressFactory(project=a, quarter=3, status=ProgressStatus.SUBMITTED, activity_status="done")
    IndicatorActualFactory(report=q3, indicator=a1, value=Decimal(100))
    ProgressSpendingFactory(report=q3, source="codi", amount=Decimal(9999))
    # B: no indicators, done in Q1.
    b1 = ProjectProgressFactory(project=b, quarter=1, activity_status=ActivityStatus.DONE)
    ProgressSpendingFactory(report=b1, source="local_government", amount=Decimal(700))
    # C: stopped in Q2 although its indicator was met.
    c_ind = ProjectIndicatorFactory(project=c, target_value=Decimal(10))
    c2 = ProjectProgressFactory(project=c, quarter=2, activity_status=ActivityStatus.STOPPED, stop_reason="น้ำท่วม")
    IndicatorActualFactory(report=c2, indicator=c_ind, value=Decimal(10))
    ProgressSpendingFactory(report=c2, source="codi", amount=Decimal(200))
    # D: nothing approved (a returned draft only).
    ProjectProgressFactory(project=d, quarter=1, status=ProgressStatus.RETURNED, status_reason="ขาดหลักฐาน")
    # E: over target (capped at 100%) and a zero target met; money only in another fiscal year.
    e1 = ProjectIndicatorFactory(project=e, target_value=Decimal(20))
    e2 = ProjectIndicatorFactory(project=e, target_value=Decimal(0))
    eq = ProjectProgressFactory(project=e, quarter=1)
    IndicatorActualFactory(report=eq, indicator=e1, value=Decimal(50))
    IndicatorActualFactory(report=eq, indicator=e2, value=Decimal(0))
    old = ProjectProgressFactory(project=e, fiscal_year=2563, quarter=4)
    ProgressSpendingFactory(report=old, source="codi", amount=Decimal(5000))
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


def test_project_figures_are_the_hand_computed_ones(projects):
    with CaptureQueriesContext(connection) as queries:
        figures = project_progress(Project.objects.all(), 2564)
    assert len(queries) == 5
    a = figures[projects["a"].pk]
    # (60/100 + 10/40) / 2 × 100 = (0.6 + 0.25) / 2 × 100
    assert a.percent == Decimal("42.50")
    assert (a.quarter, a.activity_status, a.reported, a.stopped) == (2, "under_way", True, False)
    assert a.spent_total == Decimal(3500)
    assert a.spent_by_source == {"codi": Decimal(3000), "community": Decimal(500)}
    b = figures[projects["b"].pk]
    assert (b.percent, b.quarter, b.spent_total) == (Decimal(100), 1, Decimal(700))
    c = figures[projects["c"].pk]
    assert (c.percent, c.stopped, c.activity_status) == (Decimal(0), True, "stopped")
    assert figures[projects["d"].pk] == ProjectFigure(project_id=projects["d"].pk)
    e = figures[projects["e"].pk]
    assert (e.percent, e.spent_total, e.spent_by_source) == (Decimal(100), Decimal(0), {})


def test_no_indicator_project_counts_by_activity(projects):
    ProjectProgressFactory(project=projects["b"], quarter=2, activity_status=ActivityStatus.UNDER_WAY)
    assert project_progress(Project.objects.filter(pk=projects["b"].pk), 2564)[projects["b"].pk].percent == 50
    ProjectProgressFactory(project=projects["b"], quarter=3, activity_status=ActivityStatus.NOT_STARTED)
    assert project_progress(Project.objects.filter(pk=projects["b"].pk), 2564)[projects["b"].pk].percent == 0


def test_rollup_of_the_figures(projects):
    summary = rollup(project_progress(Project.objects.all(), 2564).values())
    assert (summary.projects, summary.reported) == (5, 4)
    # (42.50 + 100 + 0 + 100) / 4 = 60.625
    assert summary.percent == Decimal("60.63")
    assert summary.by_status == {"under_way": 2, "done": 1, "stopped": 1}
    assert summary.stopped == 1
    assert summary.spent_total == Decimal(4400)
    assert summary.reporting_rate == Decimal("80.00")


def test_rollup_of_nothing():
    summary = rollup([])
    assert (summary.projects, summary.reported, summary.percent, summary.spent_total) == (0, 0, None, 0)
    assert summary.reporting_rate is None


def test_query_count_does_not_grow_with_projects(projects):
    for n in range(6, 16):
        project = ProjectFactory(plan=projects["a"].plan, number=n)
        ProjectIndicatorFactory(project=project)
        ProjectProgressFactory(project=project, quarter=1)
    with CaptureQueriesContext(connection) as queries:
        figures = project_progress(Project.objects.all(), 2564)
    assert len(figures) == 15
    assert len(queries) == 5


def test_reportable_quarters_are_this_and_earlier_ones_of_the_running_year():
    import datetime as dt

    # 20 Feb 2026 is in quarter 2 of fiscal year 2569
    assert reportable_quarters(dt.date(2026, 2, 20)) == [(2569, 2), (2569, 1)]
    assert reportable_quarters(dt.date(2025, 10, 1)) == [(2569, 1)]
