import time

from django.core.management.base import BaseCommand

from areas.services import load_geography


class Command(BaseCommand):
    help = "Load Thailand's regions, province groups, provinces, districts and tambons (idempotent)."

    def handle(self, *args, **options):
        started = time.perf_counter()
        report = load_geography()
        elapsed = time.perf_counter() - started
        for label, created in report.created.items():
            self.stdout.write(f"{label}: {created} created, {report.updated[label]} updated")
        self.stdout.write(self.style.SUCCESS(f"Geography loaded in {elapsed:.2f} s"))
