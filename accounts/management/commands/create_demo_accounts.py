from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token

from accounts.services import DEMO_PASSWORD, create_demo_accounts


class Command(BaseCommand):
    help = "Create one demo account per role (local first run only; refused when DJANGO_DEBUG is off)."

    def handle(self, *args, **options):
        try:
            users = create_demo_accounts()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        for user in users:
            self.stdout.write(f"{user.username:15} {user.get_role_display():30} {user.scope_label}")
        token = Token.objects.get(user__username="demo-api")
        self.stdout.write(self.style.SUCCESS(f"Demo password: {DEMO_PASSWORD}  API token of demo-api: {token.key}"))
