"""Projects and budget requests link to sub-plan targets (Y1); the API shows the chain's fields."""

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.tests import factories as users
from budgets import selectors as budget_selectors
from budgets.tests.factories import BudgetRequestFactory
from strategies.models import PlanNode
from strategies.tests.factories import demo_chain
from workstreams import excel, services
from workstreams.forms import ProjectForm
from workstreams.models import TambonPlan
from workstreams.tests.test_excel import fill

pytestmark = pytest.mark.django_db


def node(code):
    return PlanNode.objects.get(code=code)


@pytest.fixture
def rep(reference_data):
    return users.community_rep("500105")


@pytest.fixture
def plan(rep):
    from areas.models import Subdistrict

    return services.create_tambon_plan(
        tambon=Subdistrict.objects.get(code="500105"), period_start_be=2563, period_end_be=2565, by=rep
    )


def reload(plan):
    return TambonPlan.objects.get(pk=plan.pk)


def test_the_project_form_offers_published_targets_of_the_edition_in_force_by_code(reference_data):
    old = demo_chain("MP-2561-16")
    new = demo_chain("MP-2566-16")
    choices = dict(ProjectForm(fiscal_year=2563).fields["primary_target"].choices)
    assert choices[old["y1"].pk] == "160101 เป้าหมายแผนย่อยทดสอบ 1"
    assert new["y1"].pk not in choices  # the 2566 edition does not govern 2563
    assert new["y1"].pk in dict(ProjectForm(fiscal_year=2567).fields["primary_target"].choices)


def test_a_project_serves_one_primary_and_other_secondary_targets(plan, rep):
    chain = demo_chain()
    plan = fill(plan, rep, projects=1)
    project = plan.projects.get()
    data = {f: getattr(project, f) for f in services.PROJECT_FIELDS}
    services.save_project(
        plan=plan,
        by=rep,
        expected_revision=plan.revision,
        project=project,
        data={**data, "primary_target": chain["y1"], "secondary_targets": [chain["y1b"], chain["y1"]]},
        budget_lines=[services.BudgetLineInput(b.fiscal_year, b.source, b.amount) for b in project.budget_lines.all()],
        indicators=[
            services.IndicatorInput(i.name, i.unit, i.target_value, i.target_year_be, baseline=i.baseline)
            for i in project.indicators.all()
        ],
    )
    project.refresh_from_db()
    assert project.primary_target == chain["y1"]
    assert list(project.secondary_targets.all()) == [chain["y1b"]]  # the primary is not also secondary
    with pytest.raises(ValidationError):
        services.save_project(
            plan=reload(plan),
            by=rep,
            expected_revision=reload(plan).revision,
            project=project,
            data={**data, "primary_target": chain["sub_plan"]},
            budget_lines=[],
            indicators=[services.IndicatorInput("x", "x", 1, 2565)],
        )


def test_the_tambon_plan_workbook_carries_the_targets_both_ways(plan, rep):
    chain = demo_chain()
    plan = fill(plan, rep, projects=2)
    content = excel.export_plan(plan)
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book["โครงการ"]
    headers = [c.value for c in sheet[1]]
    primary_col = headers.index("เป้าหมายแผนย่อยหลัก (Y1)") + 1
    secondary_col = headers.index("เป้าหมายแผนย่อยอื่น (Y1)") + 1
    sheet.cell(row=2, column=primary_col, value="๑๖๐๑๐๑")  # Thai digits
    sheet.cell(row=2, column=secondary_col, value="160102")
    out = io.BytesIO()
    book.save(out)
    result = excel.import_plan(file=SimpleUploadedFile("plan.xlsx", out.getvalue()), plan=plan, by=rep, dry_run=False)
    assert result.errors == [] and result.saved
    first = reload(plan).projects.get(number=1)
    assert first.primary_target == chain["y1"]
    assert list(first.secondary_targets.all()) == [chain["y1b"]]
    assert reload(plan).projects.get(number=2).primary_target is None
    again = openpyxl.load_workbook(io.BytesIO(excel.export_plan(reload(plan))))["โครงการ"]
    assert again.cell(row=2, column=primary_col).value == "160101"
    # An unknown code is reported on its row and nothing changes.
    again.cell(row=3, column=primary_col, value="999999")
    out = io.BytesIO()
    again.parent.save(out)
    result = excel.import_plan(
        file=SimpleUploadedFile("p.xlsx", out.getvalue()), plan=reload(plan), by=rep, dry_run=False
    )
    assert not result.saved
    assert any("999999" in str(e) for e in result.errors)


@pytest.fixture
def request_for(reference_data):
    def make(**kwargs):
        return BudgetRequestFactory(**kwargs)

    return make


def codes_of(findings, ok=None):
    return {f["code"] for f in findings if ok is None or f["ok"] is ok}


def test_the_ex_ante_check_follows_the_chain(request_for):
    economy = demo_chain("MP-2561-16")
    equality = demo_chain("MP-2561-17")
    # WS-ECONOMY serves master plan 16: a target of master plan 16 fits, one of 17 does not.
    fits = budget_selectors.chain_findings(request_for(primary_target=economy["y1"]))
    assert codes_of(fits, ok=False) == set()
    assert codes_of(fits, ok=True) == {
        "primary_target",
        "target_in_served_master_plan",
        "national_target_matches_chain",
    }
    wrong = budget_selectors.chain_findings(request_for(primary_target=equality["y1"]))
    assert codes_of(wrong, ok=False) == {"target_in_served_master_plan", "national_target_matches_chain"}
    messages = " ".join(f["message"] for f in wrong if not f["ok"])
    assert "170101" in messages and "17" in messages and "16" in messages
    # The workstream for welfare serves master plan 17: the same target then fits, but the national target does not.
    welfare = request_for(
        primary_target=equality["y1"], workstream=node("WS-WELFARE"), programme=node("WS-WELFARE-G1-P1")
    )
    assert codes_of(budget_selectors.chain_findings(welfare), ok=False) == {"national_target_matches_chain"}


def test_a_missing_target_is_required_only_once_targets_are_entered(request_for):
    bare = request_for()
    assert codes_of(budget_selectors.chain_findings(bare), ok=False) == set()
    demo_chain("MP-2561-16")  # the 2561 edition does not govern the request's year (2570)
    assert codes_of(budget_selectors.chain_findings(bare), ok=False) == set()
    demo_chain("MP-2566-16")
    assert codes_of(budget_selectors.chain_findings(bare), ok=False) == {"primary_target"}
    assert "primary_target" in codes_of(budget_selectors.ex_ante_findings(bare), ok=False)


def test_the_plan_node_api_shows_official_codes_and_filters_by_them(client, reference_data):
    chain = demo_chain()
    client.force_login(users.budget_viewer())
    response = client.get("/api/v1/plan-nodes/", {"official_code": "160101"})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["code"] for r in rows] == [chain["y1"].code]
    assert rows[0]["official_code"] == "160101" and rows[0]["kind"] == "sub_plan_target"
    y2 = client.get(f"/api/v1/plan-nodes/{chain['y2'].code}/").json()
    assert y2["aligns_to"] == [chain["z"].code]
