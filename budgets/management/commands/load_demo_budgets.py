from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from budgets.services import load_demo_budgets


class Command(BaseCommand):
    help = (
        "Add demo provincial development plans (เชียงใหม่, ขอนแก่น, สงขลา and a province group), demo ceilings and "
        "demo pilot tambons for a first run. Idempotent: only missing rows are added; refused when DJANGO_DEBUG is off."
    )

    def handle(self, *args, **options):
        try:
            report = load_demo_budgets()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo budgets: {report.plans} plans, {report.issues} development issues, "
                f"{report.ceilings} ceilings, {report.pilot_tambons} pilot tambons added."
            )
        )
