"""Every page of the back office opens: the changelist, the add page and a real object's change page of every
model registered in the admin, for central staff and for a superuser.

The objects are built once per module with the apps' factories (and the services where a factory gives too bare a
row), inside a transaction rolled back at the end. A meta-test fails when a model is registered with no object here.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import reverse

from nationaldata.dataset import ensure_reference_data

pytestmark = pytest.mark.django_db

REGISTERED = sorted(model._meta.label for model in admin.site._registry)


def _build_objects() -> dict:
    """Return one saved object for every model registered in the admin, keyed by its label."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.models import Group
    from django.utils import timezone
    from rest_framework.authtoken.models import Token, TokenProxy

    from accounts.responsibility import Level
    from accounts.tests.factories import central_staff, community_rep
    from areas.models import District, OfficialPopulation, Province, ProvinceGroup, Region, Subdistrict
    from budgets.tests import factories as budgets
    from escalation.models import DueKind, EscalationNotice, Occasion
    from indicators.models import AreaLevel
    from indicators.tests.factories import IndicatorFactory, ResultFactory, TargetFactory
    from opengov.models import EmenscrExport
    from reports.tests.factories import ReportFactory
    from strategies.models import NodeKind
    from strategies.tests.factories import PlanNodeFactory

    staff = central_staff()
    rep = community_rep("500105", phone="081-234-5678")

    # A budget request as the workflow leaves it: projects, indicators, expense lines, transitions, monitoring.
    issue = budgets.DevelopmentIssueFactory()
    budgets.DevelopmentIndicatorFactory(plan=issue.plan, issue=issue)
    budgets.DevelopmentIndicatorFactory(plan=issue.plan)
    request = budgets.forwarded_request(staff, budgets.accepted_projects("500105"), issue)
    budgets.MonitoringRecordFactory(request=request, recorded_by=staff)

    indicator = IndicatorFactory()
    token = Token.objects.create(user=staff)
    group = Group.objects.create(name="ผู้ตรวจสอบ")
    common = {"ip_address": "203.0.113.7", "user_agent": "pytest", "username": rep.username}
    objects = {
        "auth.Group": group,
        "authtoken.TokenProxy": TokenProxy.objects.get(pk=token.pk),
        "axes.AccessAttempt": AccessAttempt.objects.create(
            **common, get_data="", post_data="username=" + rep.username, failures_since_start=2
        ),
        "axes.AccessLog": AccessLog.objects.create(**common),
        "axes.AccessFailureLog": AccessFailureLog.objects.create(**common),
        # The geography is reference data, loaded from geothai for every test database.
        "areas.Region": Region.objects.get(key="north"),
        "areas.ProvinceGroup": ProvinceGroup.objects.filter(region__key="north").order_by("number").first(),
        "areas.Province": Province.objects.get(code="50"),
        "areas.District": District.objects.get(code="5001"),
        "areas.Subdistrict": Subdistrict.objects.get(code="500105"),
        "areas.OfficialPopulation": OfficialPopulation.objects.create(
            tambon=Subdistrict.objects.get(code="500105"),
            population=4100,
            households=1200,
            source="กรมการปกครอง",
            year_be=2567,
            imported_at=timezone.now(),
        ),
        "accounts.User": rep,
        "strategies.PlanNode": PlanNodeFactory(kind=NodeKind.PROGRAMME, parent=indicator.plan_node),
        "indicators.Indicator": indicator,
        "indicators.Target": TargetFactory(indicator=indicator, area_spec=(AreaLevel.PROVINCE, "50")),
        "indicators.Result": ResultFactory(indicator=indicator, tambon_code="500105", value=Decimal("3")),
        "budgets.ProvincialDevelopmentPlan": issue.plan,
        "budgets.BudgetCeiling": budgets.BudgetCeilingFactory(),
        "budgets.PilotTambon": budgets.PilotTambonFactory(),
        "budgets.BudgetRequest": request,
        "reports.Report": ReportFactory(requested_by=staff),
        "escalation.EscalationNotice": EscalationNotice.objects.create(
            item_key="results:2569:2:t1",
            kind=DueKind.RESULTS,
            level=Level.TAMBON,
            occasion=Occasion.LATE,
            recipient=rep,
            due_date=datetime.date(2026, 4, 15),
            batch="0" * 32,
        ),
        "opengov.EmenscrExport": EmenscrExport.objects.create(
            scope_level="province",
            province=Province.objects.get(code="50"),
            scope_key="province:50",
            fiscal_year=2569,
            audience_key="central",
            requested_by=staff,
        ),
    }
    return objects


@pytest.fixture(scope="module")
def objects(django_db_setup, django_db_blocker):
    """Build the objects once for the module, inside a transaction rolled back when the module is done."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            ensure_reference_data()  # an earlier transactional test may have flushed it
            yield _build_objects()
            transaction.set_rollback(True)


@pytest.fixture(params=["central_staff", "superuser"])
def admin_client(request, objects):
    from accounts.models import Role
    from accounts.tests.factories import UserFactory

    if request.param == "central_staff":
        user = UserFactory(role=Role.CENTRAL_STAFF, is_staff=True)
    else:
        user = UserFactory(role="", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    # A 500 must fail with its traceback, not only with the status code.
    client.raise_request_exception = True
    return client, user


def test_every_registered_model_has_an_object_in_this_test(objects):
    assert sorted(objects) == REGISTERED


def _model_admin(label):
    return next(ma for model, ma in admin.site._registry.items() if model._meta.label == label)


@pytest.mark.parametrize("label", REGISTERED)
def test_changelist_opens(admin_client, objects, label):
    client, _ = admin_client
    opts = objects[label]._meta
    response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


@pytest.mark.parametrize("label", REGISTERED)
def test_add_page_opens_where_adding_is_allowed(admin_client, objects, rf, label):
    client, user = admin_client
    opts = objects[label]._meta
    probe = rf.get("/admin/")
    probe.user = user
    allowed = _model_admin(label).has_add_permission(probe)
    response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert response.status_code == (200 if allowed else 403)


@pytest.mark.parametrize("label", REGISTERED)
def test_change_page_of_a_real_object_opens(admin_client, objects, label):
    client, _ = admin_client
    obj = objects[label]
    opts = obj._meta
    response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
    assert response.status_code == 200
    assert response.context["original"].pk == obj.pk


def test_budget_request_change_page_shows_its_inlines(admin_client, objects):
    client, _ = admin_client
    request = objects["budgets.BudgetRequest"]
    body = client.get(reverse("admin:budgets_budgetrequest_change", args=[request.pk])).content.decode()
    assert request.title in body
    for line in request.expense_lines.all():
        assert line.description in body
    assert request.indicators.first().name in body
    assert request.transitions.count() >= 3  # submitted, prioritised, forwarded


def test_the_admin_shows_dates_with_their_buddhist_era_year_and_takes_them_typed_that_way(admin_client, objects, rf):
    import datetime as dt

    from budgets.models import BudgetRequest
    from codi_plans.forms import ThaiDateField

    client, user = admin_client
    request = objects["budgets.BudgetRequest"]
    BudgetRequest.objects.filter(pk=request.pk).update(start_date=dt.date(2026, 10, 1))
    body = client.get(reverse("admin:budgets_budgetrequest_change", args=[request.pk])).content.decode()
    assert "1 ต.ค. 2569" in body and "Oct. 1, 2026" not in body and "1 ตุลาคม 2026" not in body
    listing = client.get(reverse("admin:budgets_budgetceiling_changelist")).content.decode()
    this_year = str(dt.date.today().year + 543)
    assert this_year in listing  # "updated at" with its B.E. year
    probe = rf.get("/admin/")
    probe.user = user
    field = _model_admin("budgets.BudgetRequest").formfield_for_dbfield(
        BudgetRequest._meta.get_field("start_date"), request=probe
    )
    assert isinstance(field, ThaiDateField) and field.clean("๐๑/๑๐/๒๕๖๙") == dt.date(2026, 10, 1)
    assert 'data-thai-date=""' in field.widget.render("start_date", dt.date(2026, 10, 1))
    # Numbers too: a text box with a numeric keyboard that reads Thai digits.
    from decimal import Decimal

    from strategies.models import PlanNode

    target = _model_admin("strategies.PlanNode").formfield_for_dbfield(
        PlanNode._meta.get_field("target_value"), request=probe
    )
    assert target.clean("๓,๕๐๐") == Decimal("3500.00")
    assert 'inputmode="decimal"' in target.widget.render("target_value", None)


def test_no_workflow_decision_can_be_made_in_the_admin(admin_client, objects):
    """Results and budget requests move only through the services (four-eyes and all): the admin cannot change them."""
    client, _ = admin_client
    for label, field in (("indicators.Result", "status"), ("budgets.BudgetRequest", "status")):
        obj = objects[label]
        opts = obj._meta
        before = getattr(type(obj).objects.get(pk=obj.pk), field)
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        response = client.post(url, {field: "approved"})
        assert response.status_code == 403, label
        assert getattr(type(obj).objects.get(pk=obj.pk), field) == before


@pytest.mark.parametrize("label", ["strategies.PlanNode", "indicators.Result", "indicators.Target"])
def test_a_read_only_model_cannot_be_changed_by_reverting_its_history(admin_client, objects, label):
    """django-simple-history's revert page saves on POST; it asks for the change permission here (HistoryAdmin)."""
    client, _ = admin_client
    obj = objects[label]
    opts = obj._meta
    version = obj.history.order_by("history_date").first()
    revert = reverse(f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[obj.pk, version.history_id])
    assert client.get(revert).status_code == 200  # an old version may be read
    before = type(obj).objects.filter(pk=obj.pk).values().get()
    assert client.post(revert, {"name_th": "ย้อนกลับ"}).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).values().get() == before
