import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from accounts.models import Role, User
from accounts.services import DEMO_PASSWORD, create_demo_accounts

pytestmark = pytest.mark.django_db


def test_one_demo_account_per_role(reference_data, settings):
    settings.DEMO_ACCOUNTS_ALLOWED = True
    create_demo_accounts()
    create_demo_accounts()  # a second run resets, never duplicates
    users = User.objects.filter(username__startswith="demo-")
    assert sorted(users.values_list("role", flat=True)) == sorted(Role.values)
    assert all(u.check_password(DEMO_PASSWORD) for u in users)
    assert Token.objects.filter(user__username="demo-api").count() == 1
    assert User.objects.get(username="demo-staff").is_staff


def test_demo_accounts_are_never_created_under_production_settings(reference_data, settings):
    settings.DEMO_ACCOUNTS_ALLOWED = False
    with pytest.raises(ImproperlyConfigured, match="never created under production settings"):
        create_demo_accounts()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="never created under production settings"):
        call_command("create_demo_accounts")
    assert not User.objects.filter(username__startswith="demo-").exists()
