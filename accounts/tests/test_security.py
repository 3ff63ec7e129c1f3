import logging

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.tests.factories import PASSWORD, community_rep

pytestmark = pytest.mark.django_db


def test_repeated_wrong_passwords_lock_the_login(client, reference_data, settings):
    user = community_rep()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": user.username, "password": "wrong"})
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert "_auth_user_id" not in client.session


def test_a_good_password_resets_the_failure_count(client, reference_data):
    user = community_rep()
    client.post(reverse("login"), {"username": user.username, "password": "wrong"})
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)


def test_failed_api_authorisation_is_logged(reference_data, caplog):
    with caplog.at_level(logging.WARNING, logger="codi_plans.security"):
        APIClient().get("/api/v1/plan-nodes/")
    assert any("API authorisation failed" in r.getMessage() for r in caplog.records)


def test_logout_needs_a_post_with_csrf(reference_data):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(community_rep())
    assert client.post(reverse("logout")).status_code == 403
    assert client.get(reverse("logout")).status_code == 405
