import logging

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.tests.factories import PASSWORD, community_rep
from codi_plans.settings import client_address_settings

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


PROXY = "10.0.0.5"  # the reverse proxy's own address: every request behind it comes from here


def behind_proxies(settings, count: int, header: str = "X-Forwarded-For") -> None:
    """Configure the app as DJANGO_TRUSTED_PROXY_COUNT / DJANGO_CLIENT_IP_HEADER would."""
    values = client_address_settings(count, header)
    for name in ("AXES_IPWARE_META_PRECEDENCE_ORDER", "AXES_IPWARE_PROXY_COUNT", "AXES_IPWARE_PROXY_ORDER"):
        setattr(settings, name, values[name])
    settings.IPWARE_STRICT = values["IPWARE_STRICT"]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": values["NUM_PROXIES"]}


def login(client, user, password, *, forwarded_for=None, remote_addr=PROXY):
    """Log in as a browser whose request reaches the app from `remote_addr` with that X-Forwarded-For."""
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(reverse("login"), {"username": user.username, "password": password}, **extra)


@pytest.mark.parametrize("proxies", [1, 2])
def test_behind_proxies_failures_lock_that_client_and_username_but_not_another_client(
    client, reference_data, settings, django_user_model, proxies
):
    from django.test import Client

    behind_proxies(settings, proxies)
    # Each proxy appends the address it got the request from; the last one's own address is REMOTE_ADDR.
    inner = ["10.0.0.4"] * (proxies - 1)
    user = community_rep()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, user, "wrong", forwarded_for=", ".join(["198.51.100.7", *inner]))

    locked = login(client, user, PASSWORD, forwarded_for=", ".join(["198.51.100.7", *inner]))
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}
    # Addresses the client itself puts in front are skipped: it cannot talk its way out of the lock.
    spoofed = login(Client(), user, PASSWORD, forwarded_for=", ".join(["203.0.113.50", "198.51.100.7", *inner]))
    assert spoofed.status_code == 429

    neighbour = Client()
    response = login(neighbour, user, PASSWORD, forwarded_for=", ".join(["198.51.100.8", *inner]))
    assert response.status_code == 302 and neighbour.session["_auth_user_id"] == str(user.pk)


def test_behind_a_proxy_another_header_can_carry_the_client(client, reference_data, settings):
    behind_proxies(settings, 1, "X-Real-IP")
    user = community_rep()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": user.username, "password": "wrong"},
            REMOTE_ADDR=PROXY,
            HTTP_X_REAL_IP="198.51.100.7",
            HTTP_X_FORWARDED_FOR="192.0.2.1",  # not the configured header: ignored
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}


def test_without_a_proxy_setting_a_spoofed_forwarded_for_is_ignored(client, reference_data, settings):
    from django.test import Client

    assert settings.AXES_IPWARE_META_PRECEDENCE_ORDER == ("REMOTE_ADDR",)  # the default: no proxy
    user = community_rep()
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(client, user, "wrong", forwarded_for=f"198.51.100.{n + 10}", remote_addr="203.0.113.9")

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    locked = login(client, user, PASSWORD, forwarded_for="198.51.100.99", remote_addr="203.0.113.9")
    assert locked.status_code == 429
    elsewhere = Client()
    assert login(elsewhere, user, PASSWORD, remote_addr="203.0.113.10").status_code == 302


def test_a_client_address_header_without_a_proxy_count_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="DJANGO_CLIENT_IP_HEADER is only read behind"):
        client_address_settings(0, "X-Forwarded-For")


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
