from django.core.management.base import BaseCommand

from strategies.services import load_plan_hierarchy


class Command(BaseCommand):
    help = "Load the national strategy, master plans, reform plan and CODI's plans from the project's data file."

    def add_arguments(self, parser):
        parser.add_argument(
            "--update",
            action="store_true",
            help="Overwrite existing items with the file's content (staff edits are lost).",
        )

    def handle(self, *args, **options):
        report = load_plan_hierarchy(update=options["update"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Plan hierarchy: {report.created} created, {report.updated} updated, {report.unchanged} unchanged"
            )
        )
