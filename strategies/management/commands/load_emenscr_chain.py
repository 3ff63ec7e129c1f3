from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError

from strategies.chain_workbook import load_chain_workbook


class Command(BaseCommand):
    help = (
        "Load the eMENSCR chain (national strategy targets Z, master-plan targets Y2, sub-plans, sub-plan targets Y1) "
        "from a workbook in the template's columns: every row is checked, and all rows are saved or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .xlsx file (download the template from /plans/chain/template.xlsx).")
        parser.add_argument("--dry-run", action="store_true", help="Check every row, save nothing.")

    def handle(self, *args, path, dry_run=False, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {path}")
        upload = SimpleUploadedFile(file.name, file.read_bytes())
        report = load_chain_workbook(file=upload, dry_run=dry_run)
        if not report.ok:
            for error in report.errors:
                self.stderr.write(f"row {error.row}, {error.column}: {error.message}")
            raise CommandError(f"{len(report.errors)} error(s); nothing was saved.")
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            self.style.SUCCESS(
                f"eMENSCR chain: {report.created} created, {report.updated} updated, {report.unchanged} unchanged "
                f"({report.rows} rows; {verb} saved)"
            )
        )
