from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from nationaldata.demo_year import load_demo_year


class Command(BaseCommand):
    help = "Load the demo year for the current fiscal year (local first run only; refused when DJANGO_DEBUG is off)."

    def handle(self, *args, **options):
        try:
            report = load_demo_year()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo year {report.fiscal_year}: plan in force {report.plan} ({report.plans_created} rolled forward), "
                f"{report.targets_set} targets, {report.tambon_plans} tambon plans, {report.results} results, "
                f"budget request: {report.budget_request or '-'}, report: {report.report or '-'}"
            )
        )
