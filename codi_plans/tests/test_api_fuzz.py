"""Schemathesis fuzzing of every API operation, as a read-only API client and as central staff.

The schema is fetched from /api/schema/ through the WSGI app and every operation is called in-process
(no server), inside the test's transaction, with the reference data and a few objects of each kind
loaded. Checks: no 5xx, status codes documented, content type and body match the schema.

CI runs a bounded form (FUZZ_EXAMPLES, default 5 examples per operation, each sent as both users, no
coverage phase); `make fuzz` runs the full form (FUZZ_EXAMPLES=100 and FUZZ_FULL=1: the coverage phase
too, every boundary and invalid value of every parameter).
"""

import os

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from codi_plans.wsgi import application

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
# The coverage phase (every boundary value of every parameter) is not bounded by max_examples: full runs only.
schema.config.phases.coverage.enabled = os.environ.get("FUZZ_FULL") == "1"

# Real keys per path prefix, filled by the `fuzz_data` fixture, so detail endpoints hit existing rows too.
KNOWN: dict[str, list] = {}


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Replace a generated id or code with a real one about half of the time."""
    if not path_parameters:
        return st.just(path_parameters)
    prefix = context.operation.path.split("{")[0]
    choices = KNOWN.get(prefix, [])
    key = "code" if "code" in path_parameters else "id" if "id" in path_parameters else None
    if key is None or not choices:
        return st.just(path_parameters)
    return st.one_of(
        st.just(path_parameters),
        st.sampled_from(choices).map(lambda value: {**path_parameters, key: value}),
    )


def _remember(prefix, values):
    KNOWN[f"/api/v1/{prefix}/"] = list(values)


@pytest.fixture
def fuzz_data(reference_data, django_capture_on_commit_callbacks):
    """A few objects of each kind: plans, projects, indicators, targets, results, budgets, reports."""
    from accounts.tests.factories import central_staff
    from areas.models import District, Province, ProvinceGroup, Region, Subdistrict
    from budgets.models import BudgetCeiling, BudgetRequest, ProvincialDevelopmentPlan
    from budgets.tests.factories import BudgetCeilingFactory, DevelopmentIssueFactory
    from indicators.models import Indicator, Result, Target
    from reports import services as report_services
    from reports.models import Report
    from reports.scopes import parse_scope
    from reports.tests.factories import sample_year
    from strategies.models import PlanNode
    from workstreams.models import Project, ProvincePlan, TambonPlan
    from workstreams.tests.factories import ProjectFactory, ProvincePlanFactory, TambonPlanFactory

    cache.clear()  # throttle counters: user ids repeat from one rolled-back test to the next
    staff = central_staff()
    sample_year(by=staff)
    for code in ("500105", "500106"):
        plan = TambonPlanFactory(tambon=Subdistrict.objects.get(code=code), created_by=staff)
        ProjectFactory(plan=plan)
    ProvincePlanFactory()
    BudgetCeilingFactory()
    DevelopmentIssueFactory()
    report_services.request_report(
        kind="plan", scope=parse_scope("country", None), fiscal_year=2569, quarter=None, language="th", by=staff
    )

    _remember("regions", Region.objects.values_list("pk", flat=True)[:3])
    _remember("province-groups", ProvinceGroup.objects.values_list("pk", flat=True)[:3])
    _remember("provinces", Province.objects.values_list("pk", flat=True)[:3])
    _remember("districts", District.objects.values_list("pk", flat=True)[:3])
    _remember("subdistricts", Subdistrict.objects.values_list("pk", flat=True)[:3])
    _remember("plan-nodes", PlanNode.objects.values_list("code", flat=True)[:5])
    _remember("plan-items", ["WS-ECONOMY-G1-P1", "WS-ECONOMY", "MP-2561-16"])
    _remember("tambon-plans", TambonPlan.objects.values_list("pk", flat=True))
    _remember("projects", Project.objects.values_list("pk", flat=True))
    _remember("province-plans", ProvincePlan.objects.values_list("pk", flat=True))
    _remember("indicators", Indicator.objects.values_list("code", flat=True)[:5])
    _remember("targets", Target.objects.values_list("pk", flat=True)[:5])
    _remember("results", Result.objects.values_list("pk", flat=True)[:5])
    _remember("budget-requests", BudgetRequest.objects.values_list("pk", flat=True)[:5])
    _remember("budget-ceilings", BudgetCeiling.objects.values_list("pk", flat=True)[:3])
    _remember("development-plans", ProvincialDevelopmentPlan.objects.values_list("pk", flat=True)[:3])
    _remember("reports", Report.objects.values_list("pk", flat=True)[:3])
    _remember("progress-reports", _progress_reports(staff))
    yield
    KNOWN.clear()


def _progress_reports(staff) -> list[int]:
    """Progress reports on an accepted plan covering the running fiscal year: one submitted, one approved."""
    from accounts.tests.factories import provincial_coordinator
    from areas.models import Subdistrict
    from progress import services as progress
    from progress.selectors import current_period
    from workstreams.tests.factories import ProjectFactory, ProjectIndicatorFactory, TambonPlanFactory

    year, quarter = current_period()
    plan = TambonPlanFactory(
        tambon=Subdistrict.objects.get(code="500107"), period_start_be=year - 1, period_end_be=year + 1
    )
    plan.status = "accepted"
    plan.save()
    made = []
    for number in (1, 2):
        project = ProjectFactory(plan=plan, number=number)
        indicator = ProjectIndicatorFactory(project=project)
        data = progress.ProgressInput("under_way", actuals={indicator.pk: 5}, spending={"codi": 100})
        made.append(
            progress.save_report(project=project, fiscal_year=year, quarter=quarter, data=data, by=staff, submit=True)
        )
    progress.approve_report(report=made[1], by=provincial_coordinator("50"))
    return [r.pk for r in made]


def _token_for(user):
    return {"Authorization": f"Token {Token.objects.create(user=user).key}"}


@pytest.fixture
def _keep_test_connection():
    """Requests go straight to the WSGI app, which closes the database connection when a request ends;
    that would close the test's own transaction on PostgreSQL. Django's test client detaches the same signal."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def users_headers(fuzz_data, _keep_test_connection):
    """Token headers of a read-only API client and of a central-staff user."""
    from accounts.tests.factories import api_client_user, central_staff

    return {"api_client": _token_for(api_client_user()), "central_staff": _token_for(central_staff())}


@schema.parametrize()
@hypothesis.settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(hypothesis.HealthCheck),
    database=None,
)
@pytest.mark.django_db
def test_api_operation_has_no_server_error_and_matches_the_schema(case, users_headers):
    # Each generated request goes out as both users: the data is built once per operation, not once per user.
    for headers in users_headers.values():
        case.call_and_validate(headers=headers, checks=CHECKS)
