from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from areas.services import import_official_population


class Command(BaseCommand):
    help = (
        "Import official population and households per province and per tambon from a workbook (the same file as "
        "the staff page /areas/population/): every row is checked and all are saved, or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="an .xlsx workbook")
        parser.add_argument("--dry-run", action="store_true", help="check every row, save nothing")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        with path.open("rb") as handle:
            try:
                report = import_official_population(
                    upload=File(handle, name=path.name), by=None, dry_run=options["dry_run"]
                )
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from None
        if not report.ok:
            for e in report.errors:
                self.stderr.write(f"row {e.row}, {e.column}: {e.message}")
            raise CommandError(f"{len(report.errors)} errors: nothing was saved")
        verb = "would be saved" if report.dry_run else "saved"
        self.stdout.write(
            self.style.SUCCESS(f"{report.rows} rows right: {report.created} new, {report.updated} changed ({verb})")
        )
