from django.core.management.base import BaseCommand

from indicators.services import load_indicators


class Command(BaseCommand):
    help = "Load the seed's indicators and their headline targets from indicators/data/indicators.json."

    def add_arguments(self, parser):
        parser.add_argument(
            "--update",
            action="store_true",
            help="Overwrite existing indicator definitions with the file's text (staff edits are lost).",
        )

    def handle(self, *args, **options):
        report = load_indicators(update=options["update"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Indicators: {report.created} created, {report.updated} updated, {report.unchanged} unchanged; "
                f"{report.targets_created} targets created"
            )
        )
