"""Every role against every page and API endpoint, with every method the view accepts: the permission matrix.

The expected outcomes live in codi_plans/tests/permission_matrix.py (one table, as data). Each table cell is its
own test, named `test_matrix[<role>-<METHOD>-<url name>-<inside|outside>]`. The meta-tests fail when a URL
pattern (or a method a DRF route accepts) is missing from the table, or when the table names a URL that is gone.

All the data is built once per module inside an outer transaction; each test runs in a savepoint that is rolled
back, so a write that succeeds (a submit, a delete) cannot change what later rows see.

Regenerate the observed outcomes (to review a diff against the table) with
    PERMISSION_MATRIX_DUMP=/tmp/observed.txt pytest codi_plans/tests/test_permission_matrix.py -k dump
"""

import os
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from codi_plans.tests import permission_matrix as pm
from nationaldata.dataset import ensure_reference_data

pytestmark = pytest.mark.django_db


# --- the world: one object inside the representative's area and one outside, for every kind of data ----------


def _build_world() -> dict:
    from rest_framework.authtoken.models import Token

    from accounts.tests import factories as people
    from areas.models import Province, ProvinceGroup, Region, Subdistrict
    from budgets.tests.factories import (
        BudgetCeilingFactory,
        BudgetRequestFactory,
        DevelopmentIssueFactory,
        ProvincialDevelopmentPlanFactory,
    )
    from indicators.models import AreaLevel, ResultStatus
    from indicators.tests.factories import IndicatorFactory, ResultFactory, TargetFactory
    from opengov.models import EmenscrExport
    from reports.models import Report
    from workstreams.tests.factories import ProjectFactory, ProvincePlanFactory, TambonPlanFactory

    inside = Subdistrict.objects.select_related("district").get(code="500105")
    outside = Subdistrict.objects.select_related("district").filter(province__code="10").order_by("code").first()
    province_in, province_out = Province.objects.get(code="50"), Province.objects.get(code="10")
    north = Region.objects.get(key="north")

    api_user = people.api_client_user()
    users = {
        "community_rep": people.community_rep("500105"),
        "provincial_coordinator": people.provincial_coordinator("50"),
        "regional_staff": people.regional_staff("north"),
        "central_staff": people.central_staff(),
        "budget_viewer": people.budget_viewer(),
        "api_client": api_user,
    }
    token = Token.objects.create(user=api_user).key

    plan_in = TambonPlanFactory(tambon=inside)
    plan_out = TambonPlanFactory(tambon=outside)
    project_in = ProjectFactory(plan=plan_in, number=1)
    project_out = ProjectFactory(plan=plan_out, number=1)
    devplan_in = ProvincialDevelopmentPlanFactory(province=province_in)
    devplan_out = ProvincialDevelopmentPlanFactory(province=province_out, name="แผนพัฒนากรุงเทพมหานคร")
    indicator = IndicatorFactory()
    result_kwargs = {"indicator": indicator, "status": ResultStatus.SUBMITTED, "value": Decimal("5")}

    def report(province):
        return Report.objects.create(
            kind="plan",
            scope_level="province",
            province=province,
            scope_key=f"province:{province.code}",
            fiscal_year=2569,
            audience_key="national",
            data_fingerprint="0" * 64,
            snapshot=f"snapshots/matrix-{province.code}.json",
        )

    def export(province):
        return EmenscrExport.objects.create(
            scope_level="province",
            province=province,
            scope_key=f"province:{province.code}",
            fiscal_year=2569,
            audience_key="national",
            requested_by=users["central_staff"],
        )

    objects = {
        "tambon_in": inside.pk,
        "tambon_out": outside.pk,
        "district_in": inside.district.code,
        "district_out": outside.district.code,
        "district_in_pk": inside.district_id,
        "district_out_pk": outside.district_id,
        "province_in": province_in.pk,
        "province_out": province_out.pk,
        "region": north.pk,
        "province_group": ProvinceGroup.objects.filter(region=north).order_by("number").first().pk,
        "plan_in": plan_in.pk,
        "plan_out": plan_out.pk,
        # Endorsed plans of an earlier period: their writers start the next plan from them.
        "endorsed_in": TambonPlanFactory(tambon=inside, period_start_be=2560, period_end_be=2562, status="endorsed").pk,
        "endorsed_out": TambonPlanFactory(
            tambon=outside, period_start_be=2560, period_end_be=2562, status="endorsed"
        ).pk,
        "project_in": project_in.pk,
        "project_out": project_out.pk,
        "province_plan_in": ProvincePlanFactory(province=province_in).pk,
        "province_plan_out": ProvincePlanFactory(province=province_out).pk,
        "devplan_in": devplan_in.pk,
        "devplan_out": devplan_out.pk,
        "issue_in": DevelopmentIssueFactory(plan=devplan_in).pk,
        "issue_out": DevelopmentIssueFactory(plan=devplan_out).pk,
        "ceiling_in": BudgetCeilingFactory(province=province_in).pk,
        "ceiling_out": BudgetCeilingFactory(province=province_out).pk,
        "request_in": BudgetRequestFactory(province=province_in).pk,
        "request_out": BudgetRequestFactory(province=province_out, title="คำขอกรุงเทพ").pk,
        "indicator": indicator.code,
        "target_in": TargetFactory(indicator=indicator, area_spec=(AreaLevel.PROVINCE, "50")).pk,
        "target_out": TargetFactory(indicator=indicator, area_spec=(AreaLevel.PROVINCE, "10")).pk,
        "result_in": ResultFactory(tambon_code=inside.code, **result_kwargs).pk,
        "result_out": ResultFactory(tambon_code=outside.code, **result_kwargs).pk,
        "report_in": report(province_in).pk,
        "report_out": report(province_out).pk,
        "export_in": export(province_in).pk,
        "export_out": export(province_out).pk,
    }
    objects.update(_own_work(users, inside, province_in, indicator))
    return {"users": users, "token": token, "objects": objects, "sessions": _sessions(users)}


def _sessions(users: dict) -> dict:
    """One logged-in session per role, made once: each row sends its cookie instead of logging in again (a row that
    logs out or rotates the session does so inside its savepoint, which is rolled back)."""
    sessions = {}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return sessions


def _own_work(users: dict, tambon, province, indicator) -> dict:
    """For each role, records whose decision would be that user's own work (four-eyes): a plan they submitted, one
    they accepted, a result they reported, a request they wrote (submitted, prioritised, forwarded). Anonymous
    visitors are shown the representative's. The rows are built directly: some roles could not have made them
    through the services, which is the point: whoever made them may not decide on them."""
    from budgets.models import RequestStatus
    from budgets.tests.factories import BudgetRequestFactory
    from indicators.models import ResultStatus
    from indicators.tests.factories import ResultFactory
    from workstreams.models import PlanStatus
    from workstreams.tests.factories import TambonPlanFactory

    own: dict[str, dict] = {}
    for n, (role, user) in enumerate(users.items()):
        objects = {
            "plan_submitted_own": TambonPlanFactory(
                tambon=tambon,
                period_start_be=2571 + n,
                period_end_be=2573 + n,
                status=PlanStatus.SUBMITTED,
                created_by=user,
                updated_by=user,
                submitted_by=user,
            ).pk,
            "plan_accepted_own": TambonPlanFactory(
                tambon=tambon,
                period_start_be=2581 + n,
                period_end_be=2583 + n,
                status=PlanStatus.ACCEPTED,
                created_by=user,
                updated_by=user,
                submitted_by=users["community_rep"],
                accepted_by=user,
            ).pk,
            "result_own": ResultFactory(
                indicator=indicator,
                tambon_code=tambon.code,
                fiscal_year=2566 + n // 4,
                quarter=1 + n % 4,
                status=ResultStatus.SUBMITTED,
                value=Decimal("5"),
                created_by=user,
                updated_by=user,
                submitted_by=user,
            ).pk,
        }
        for status, rank in (
            (RequestStatus.SUBMITTED, None),
            (RequestStatus.PRIORITISED, 10 + n),
            (RequestStatus.FORWARDED, 20 + n),
        ):
            objects[f"request_{status}_own"] = BudgetRequestFactory(
                province=province,
                status=status,
                rank=rank,
                created_by=user,
                updated_by=user,
                submitted_by=user,
                title=f"คำขอของ {role} ({status})",
            ).pk
        for key, pk in objects.items():
            own.setdefault(key, {})[role] = pk
    for values in own.values():
        values["anonymous"] = values["community_rep"]
    return own


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Build the data once for the module, inside a transaction rolled back when the module is done."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            ensure_reference_data()  # an earlier transactional test (e.g. the load test) may have flushed it
            yield _build_world()
            transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Rate limits (per user and anonymous) would turn later rows into 429s: start each row with none used."""
    cache.clear()


# --- requests and outcomes ------------------------------------------------------------------------------------


def url_for(name: str, scope: str, objects: dict, role: str) -> str:
    def value(v):
        if not (isinstance(v, str) and v.startswith("@")):
            return v
        found = objects[v[1:]]
        return found[role] if isinstance(found, dict) else found  # "own" objects differ by role

    spec = dict(pm.ROUTES[name][scope])
    query = {k: value(v) for k, v in spec.pop("?", {}).items()}
    url = reverse(name, kwargs={k: value(v) for k, v in spec.items()})
    return f"{url}?{urlencode(query)}" if query else url


def client_for(role: str, world: dict) -> Client:
    if role == "anonymous":
        return Client()
    if role == "api_client":
        # An API client holds a token and nothing else: HTML pages treat it as anonymous.
        return Client(HTTP_AUTHORIZATION=f"Token {world['token']}")
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][role]
    return client


def send(client: Client, method: str, url: str, is_api: bool):
    if method == "GET":
        return client.get(url)
    if is_api:
        return client.generic(method, url, data="{}", content_type="application/json")
    return client.generic(method, url, data="", content_type="application/x-www-form-urlencoded")


def outcome(response) -> str:
    """Name what happened, in the words the table uses."""
    status = response.status_code
    if status in (301, 302, 303) and "/login/" in response.get("Location", ""):
        return pm.LOGIN
    if 200 <= status < 400 or status in (400, 409):
        # 400/409: the request got past every permission check and was turned down on its content or state.
        return pm.OK
    return str(status)


def is_api_route(url: str) -> bool:
    return url.startswith("/api/")


# --- the matrix -----------------------------------------------------------------------------------------------


def _cases():
    for (name, scope, method), cells in pm.matrix().items():
        for role, expected in zip(pm.ROLES, cells, strict=True):
            suffix = "" if scope == "-" else f"-{scope}"
            marks = []
            bug = pm.BUGS.get((role, method, name, scope))
            if bug:
                marks.append(pytest.mark.xfail(reason=bug, strict=True))
            yield pytest.param(role, method, name, scope, expected, id=f"{role}-{method}-{name}{suffix}", marks=marks)


@pytest.mark.parametrize(("role", "method", "name", "scope", "expected"), list(_cases()))
def test_matrix(world, role, method, name, scope, expected):
    url = url_for(name, scope, world["objects"], role)
    response = send(client_for(role, world), method, url, is_api_route(url))
    assert response.status_code < 500, f"{method} {url} as {role}: server error {response.status_code}"
    assert outcome(response) == expected, (
        f"{method} {url} as {role}: {response.status_code} {response.get('Location', '')}"
    )
    if expected == "401":
        # A 401 must say how to authenticate (RFC 9110); DRF sends it when the first authentication class has a scheme.
        assert response.get("WWW-Authenticate") == "Token", f"{method} {url}: 401 without WWW-Authenticate"


# --- the meta-tests: nothing in the URL conf escapes the table ------------------------------------------------


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}:{p.namespace}" if namespace and p.namespace else (p.namespace or namespace)
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or prefix + str(p.pattern))
            yield prefix + str(p.pattern), name, p.callback


def url_conf() -> dict[str, set[str]]:
    """Return every URL name the project serves, with the methods a DRF route maps (empty for other views)."""
    found: dict[str, set[str]] = {}
    for route, name, callback in _walk(get_resolver().url_patterns):
        if route.startswith("admin/") and name != "admin:index":
            continue  # the admin's own pages: Django's admin checks is_staff/has_perm on every one of them
        if name.startswith("djdt:"):
            continue  # the debug toolbar, when installed in development
        # HEAD and OPTIONS follow GET and the view's metadata: not rows of their own.
        methods = {m.upper() for m in (getattr(callback, "actions", None) or {})} - {"HEAD", "OPTIONS"}
        found.setdefault(name, set()).update(methods)
    return found


def test_every_url_has_a_row_in_the_permission_matrix():
    missing = sorted(set(url_conf()) - {name for name, _, _ in pm.matrix()})
    assert not missing, f"URLs missing from codi_plans/tests/permission_matrix.py: {missing}"


def test_every_method_a_drf_route_accepts_has_a_row():
    table = {(name, method) for name, _, method in pm.matrix()}
    missing = sorted(
        (name, method) for name, methods in url_conf().items() for method in methods if (name, method) not in table
    )
    assert not missing, f"DRF route methods missing from the permission matrix: {missing}"


def test_the_matrix_names_only_urls_that_exist():
    stale = sorted({name for name, _, _ in pm.matrix()} - set(url_conf()))
    assert not stale, f"the permission matrix names URLs that no longer exist: {stale}"


def test_detail_urls_have_inside_and_outside_rows():
    for name, scopes in pm.ROUTES.items():
        rows = {scope for n, scope, _ in pm.matrix() if n == name}
        assert rows == set(scopes), f"{name}: table has scopes {rows}, routes define {set(scopes)}"


def test_every_xfail_names_a_cell_of_the_table():
    cells = {(role, method, name, scope) for (name, scope, method) in pm.matrix() for role in pm.ROLES}
    assert set(pm.BUGS) <= cells


# --- a tool, not a test: write what the code does now, in the table's format ----------------------------------


@pytest.mark.skipif(not os.environ.get("PERMISSION_MATRIX_DUMP"), reason="set PERMISSION_MATRIX_DUMP=<file>")
def test_dump_observed_matrix(world):
    conf = url_conf()
    lines = []
    for name, scopes in pm.ROUTES.items():
        methods = sorted(conf.get(name) or set()) or (["GET"] if name in pm.GET_ONLY else ["GET", "POST"])
        methods = sorted(set(methods) | {"GET"}, key=lambda m: (m != "GET", m))
        for scope in scopes:
            for method in methods:
                cells = []
                for role in pm.ROLES:
                    cache.clear()
                    sid = transaction.savepoint()
                    url = url_for(name, scope, world["objects"], role)
                    response = send(client_for(role, world), method, url, is_api_route(url))
                    transaction.savepoint_rollback(sid)
                    code = response.status_code
                    raw = os.environ.get("PERMISSION_MATRIX_RAW") and code in (400, 409)
                    cells.append(str(code) if code >= 500 or raw else outcome(response))
                lines.append(pm.format_row(name, scope, method, cells))
    with open(os.environ["PERMISSION_MATRIX_DUMP"], "w") as out:
        out.write("\n".join(lines) + "\n")
