"""A community starts its next tambon plan from its previous one: unfinished projects carried over and relinked."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.tests.factories import central_staff, community_rep, provincial_coordinator
from strategies.models import PlanNode
from strategies.services import publish_plan, roll_forward_plan
from workstreams import selectors
from workstreams.models import PlanStatus, Project, TambonPlan
from workstreams.services import start_next_tambon_plan
from workstreams.tests.factories import (
    ProblemFactory,
    ProjectBudgetFactory,
    ProjectFactory,
    ProjectIndicatorFactory,
    TambonPlanFactory,
)

pytestmark = pytest.mark.django_db


def node(code):
    return PlanNode.objects.get(code=code)


@pytest.fixture
def rep(reference_data):
    return community_rep("500105")


@pytest.fixture
def previous(rep):
    """An endorsed 2563–2565 plan: one project finished in 2564, one running into 2566, one with no years given."""
    plan = TambonPlanFactory(status=PlanStatus.ENDORSED, created_by=rep, updated_by=rep)
    ProblemFactory(plan=plan, rank=1, title="หนี้สินครัวเรือน")
    done = ProjectFactory(plan=plan, number=1, name="โครงการที่จบแล้ว")
    ProjectBudgetFactory(project=done, fiscal_year=2564)
    running = ProjectFactory(
        plan=plan,
        number=2,
        name="บ้านมั่นคงชนบท",
        workstream=node("WS-HOUSING"),
        goal=node("WS-HOUSING-G1"),
        programme=node("WS-HOUSING-G1-P1"),
        start_date=dt.date(2021, 1, 1),
    )
    ProjectBudgetFactory(project=running, fiscal_year=2565)
    ProjectBudgetFactory(project=running, fiscal_year=2570)
    ProjectIndicatorFactory(project=running)
    ProjectIndicatorFactory(project=ProjectFactory(plan=plan, number=3, name="สวัสดิการชุมชน"))
    return plan


@pytest.fixture
def next_codi_plan():
    staff = central_staff()
    plan = roll_forward_plan(plan=node("CODI-AP"), period_start_be=2569, period_end_be=2571, by=staff)
    return publish_plan(plan=plan, by=staff)


def test_unfinished_projects_are_carried_over_and_relinked_to_the_plan_in_force(previous, rep, next_codi_plan):
    before = selectors.plan_snapshot(previous)
    report = start_next_tambon_plan(previous=previous, period_start_be=2569, period_end_be=2571, by=rep)
    plan = report.plan
    assert (plan.period_start_be, plan.period_end_be, plan.status) == (2569, 2571, PlanStatus.DRAFT)
    assert plan.vision == previous.vision and plan.households == previous.households
    assert [p.title for p in plan.problems.all()] == ["หนี้สินครัวเรือน"]
    assert [p.name for p in report.finished] == ["โครงการที่จบแล้ว"]
    carried = list(plan.projects.order_by("number"))
    assert [p.name for p in carried] == ["บ้านมั่นคงชนบท", "สวัสดิการชุมชน"]
    housing = carried[0]
    assert housing.carried_over_from.plan == previous
    assert (housing.workstream.code, housing.goal.code, housing.programme.code) == (
        "WS-HOUSING-2569",
        "WS-HOUSING-G1-2569",
        "WS-HOUSING-G1-P1-2569",
    )
    assert [(b.fiscal_year, b.amount) for b in housing.budget_lines.all()] == [
        (2570, housing.budget_lines.get().amount)
    ]
    assert housing.indicators.count() == 1
    assert housing.start_date is None  # 2021 is outside the new period
    assert report.unmatched == [] and selectors.links_outside_plan(plan) == []
    assert selectors.plan_snapshot(TambonPlan.objects.get(pk=previous.pk)) == before


def test_links_with_no_successor_keep_their_old_items_and_are_reported(previous, rep, next_codi_plan):
    PlanNode.objects.filter(code="WS-HOUSING-G1-P1-2569").delete()
    report = start_next_tambon_plan(previous=previous, period_start_be=2569, period_end_be=2571, by=rep)
    assert [p.name for p in report.unmatched] == ["บ้านมั่นคงชนบท"]
    housing = report.plan.projects.get(name="บ้านมั่นคงชนบท")
    assert housing.programme.code == "WS-HOUSING-G1-P1"
    assert [p.pk for p in selectors.links_outside_plan(report.plan)] == [housing.pk]


def test_with_no_later_codi_plan_the_old_links_stay(previous, rep):
    report = start_next_tambon_plan(previous=previous, period_start_be=2569, period_end_be=2571, by=rep)
    assert len(report.carried_over) == 2
    assert {p.workstream.code for p in report.plan.projects.all()} == {"WS-HOUSING", "WS-ECONOMY"}


def test_only_the_tambons_writers_start_from_an_accepted_or_endorsed_plan(previous, next_codi_plan):
    for outsider in (community_rep("500106"), provincial_coordinator("50")):
        with pytest.raises(PermissionDenied):
            start_next_tambon_plan(previous=previous, period_start_be=2569, period_end_be=2571, by=outsider)
    TambonPlan.objects.filter(pk=previous.pk).update(status=PlanStatus.SUBMITTED)
    with pytest.raises(PermissionDenied):
        start_next_tambon_plan(previous=previous, period_start_be=2569, period_end_be=2571, by=community_rep("500105"))
    assert not TambonPlan.objects.filter(period_start_be=2569).exists()


@pytest.mark.parametrize(("first", "last"), [(2563, 2565), (2571, 2569), (2026, 2028)])
def test_bad_periods_are_refused(previous, rep, first, last):
    with pytest.raises(ValidationError):
        start_next_tambon_plan(previous=previous, period_start_be=first, period_end_be=last, by=rep)
    assert TambonPlan.objects.count() == 1


def test_starting_the_same_period_twice_is_refused(previous, rep):
    start_next_tambon_plan(previous=previous, period_start_be=2569, period_end_be=2571, by=rep)
    with pytest.raises(ValidationError):
        start_next_tambon_plan(previous=previous, period_start_be=2569, period_end_be=2571, by=rep)
    assert Project.objects.filter(plan__period_start_be=2569).count() == 2


def test_the_plan_page_offers_the_next_plan_and_labels_carried_over_projects(client, previous, rep, next_codi_plan):
    client.force_login(rep)
    page = client.get(reverse("workstreams:detail", args=[previous.pk])).content.decode()
    assert 'data-action="start-next"' in page
    form = client.get(reverse("workstreams:next", args=[previous.pk])).content.decode()
    assert 'value="2569"' in form and 'value="2571"' in form
    response = client.post(
        reverse("workstreams:next", args=[previous.pk]), {"period_start_be": "2569", "period_end_be": "2571"}
    )
    new = TambonPlan.objects.get(period_start_be=2569)
    assert response.status_code == 302 and response["Location"] == reverse("workstreams:detail", args=[new.pk])
    page = client.get(reverse("workstreams:detail", args=[new.pk])).content.decode()
    assert page.count('class="carried-over"') == 2 and "2563–2565" in page
    assert 'data-action="start-next"' not in page  # a draft does not start another plan


def test_others_get_no_next_plan_button(client, previous):
    client.force_login(provincial_coordinator("50"))
    page = client.get(reverse("workstreams:detail", args=[previous.pk])).content.decode()
    assert 'data-action="start-next"' not in page
    assert client.get(reverse("workstreams:next", args=[previous.pk])).status_code == 403


def test_the_project_form_offers_the_codi_plan_for_the_plans_period_and_never_drafts(client, previous, rep):
    staff = central_staff()
    draft = roll_forward_plan(plan=node("CODI-AP"), period_start_be=2569, period_end_be=2571, by=staff)
    client.force_login(rep)
    new = start_next_tambon_plan(previous=previous, period_start_be=2569, period_end_be=2571, by=rep).plan
    form = client.get(reverse("workstreams:project_new", args=[new.pk])).context["form"]
    # The draft is not offered: the latest published plan (the seed's) is, for reference.
    assert {w.code for w in form.fields["workstream"].queryset} == {
        "WS-COUNCIL",
        "WS-ECONOMY",
        "WS-WELFARE",
        "WS-HOUSING",
    }
    publish_plan(plan=draft, by=staff)
    form = client.get(reverse("workstreams:project_new", args=[new.pk])).context["form"]
    assert {w.code for w in form.fields["workstream"].queryset} == {
        "WS-COUNCIL-2569",
        "WS-ECONOMY-2569",
        "WS-WELFARE-2569",
        "WS-HOUSING-2569",
    }
    assert all(g.code.endswith("-2569") for g in form.fields["goal"].queryset)


def test_the_excel_workbook_says_where_a_project_was_carried_over_from_and_reads_back(previous, rep, next_codi_plan):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from workstreams.excel.export import export_plan
    from workstreams.excel.importer import import_plan
    from workstreams.excel.layout import SHEET_PROJECTS
    from workstreams.excel.workbook import read_workbook

    plan = start_next_tambon_plan(previous=previous, period_start_be=2569, period_end_be=2571, by=rep).plan
    data = export_plan(plan)
    table = read_workbook(data)[SHEET_PROJECTS]
    column = table.columns["ยกมาจากแผน (อ่านอย่างเดียว)"]
    assert [row[column] for _number, row in table.rows if row and row[column]] == ["2563–2565", "2563–2565"]
    before = selectors.plan_snapshot(plan)
    upload = SimpleUploadedFile("plan.xlsx", data)
    result = import_plan(plan=plan, file=upload, by=rep, dry_run=True)
    assert result.errors == []
    assert selectors.plan_snapshot(TambonPlan.objects.get(pk=plan.pk)) == before


def test_a_carried_over_indicators_target_year_moves_into_the_new_period(previous, rep, next_codi_plan):
    old = previous.projects.get(number=2).indicators.get()
    old.target_year_be = 2565
    old.save()
    plan = start_next_tambon_plan(previous=previous, period_start_be=2569, period_end_be=2571, by=rep).plan
    carried = plan.projects.get(name="บ้านมั่นคงชนบท").indicators.get()
    assert carried.target_year_be == 2569  # the page offers 2569–2571 only; 2565 would be a blank, refused choice
    assert previous.projects.get(number=2).indicators.get().target_year_be == 2565
