"""The back office reads budget data but never changes it: requests move and are paid only through the services."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests import factories as users
from budgets.models import BudgetCeiling, BudgetRequest, RequestStatus
from budgets.tests.factories import BudgetCeilingFactory, DevelopmentIssueFactory, accepted_projects, forwarded_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def back_office(reference_data):
    client = Client()
    client.force_login(users.central_staff(is_superuser=True))
    return client


@pytest.fixture
def forwarded(reference_data):
    coordinator = users.provincial_coordinator("50")
    return forwarded_request(coordinator, accepted_projects("500105"), DevelopmentIssueFactory())


def _state(request):
    fresh = BudgetRequest.objects.get(pk=request.pk)
    return fresh.status, fresh.requested_amount, fresh.approved_amount, fresh.revision, fresh.transitions.count()


def test_the_admin_cannot_change_a_requests_status_or_amount(back_office, forwarded):
    before = _state(forwarded)
    change = reverse("admin:budgets_budgetrequest_change", args=[forwarded.pk])
    page = back_office.get(change)
    body = page.content.decode()
    assert page.status_code == 200
    assert 'name="status"' not in body and 'name="approved_amount"' not in body
    assert reverse("budgets:request", args=[forwarded.pk]) in body  # "view on site": where the services apply
    tampered = {"status": RequestStatus.APPROVED, "approved_amount": "1000000", "requested_amount": "1000000"}
    assert back_office.post(change, tampered).status_code == 403
    assert _state(forwarded) == before


def _whole_form(form) -> dict:
    """Return the POST data of a form as it is shown: every field with its initial value."""
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, list):
            data[name] = [getattr(item, "pk", item) for item in value]
        elif value is not None:
            data[name] = getattr(value, "pk", value)
    return data


def test_the_admin_history_cannot_revert_a_request_to_an_earlier_status(back_office, forwarded):
    """django-simple-history's revert page saves the old version on POST without asking for the change permission."""
    before = _state(forwarded)
    draft_version = forwarded.history.order_by("history_date").first()
    revert = reverse("admin:budgets_budgetrequest_simple_history", args=[forwarded.pk, draft_version.history_id])
    page = back_office.get(revert)
    assert page.status_code == 200  # the old version may be read
    data = _whole_form(page.context["adminform"].form)
    assert data["status"] == RequestStatus.DRAFT
    assert back_office.post(revert, data).status_code == 403
    assert _state(forwarded) == before


def test_the_admin_cannot_change_a_ceiling(back_office):
    ceiling = BudgetCeilingFactory(amount=Decimal("500000.00"))
    change = reverse("admin:budgets_budgetceiling_change", args=[ceiling.pk])
    assert back_office.post(change, {"amount": "1"}).status_code == 403
    assert BudgetCeiling.objects.get(pk=ceiling.pk).amount == Decimal("500000.00")
