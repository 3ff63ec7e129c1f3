"""Write the IATI 2.03 activity file of CODI's programmes and tambon projects (approved data only)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from codi_plans.thai_calendar import parse_be_year
from opengov import iati


class Command(BaseCommand):
    help = "Write the IATI 2.03 iati-activities file (default: the current fiscal year) to a path or stdout."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")
        parser.add_argument("--fiscal-year", help="Fiscal year in B.E. (default: the current one).")
        parser.add_argument("--validate", action="store_true", help="Check the file against the IATI 2.03 schema.")

    def handle(self, *args, output=None, fiscal_year=None, validate=False, **options):
        try:
            year = parse_be_year(fiscal_year, label="--fiscal-year") if fiscal_year else None
        except ValidationError as error:
            raise CommandError(error.messages[0]) from None
        xml = iati.activities_xml(year)
        if validate:
            errors = iati.validation_errors(xml)
            if errors:
                raise CommandError("The file does not follow the IATI 2.03 schema:\n" + "\n".join(errors[:20]))
        if output:
            path = Path(output)
            temporary = path.with_name(path.name + ".part")
            temporary.write_bytes(xml)
            temporary.replace(path)
            self.stderr.write(f"Wrote {len(xml):,} bytes to {path}")
        else:
            self.stdout.buffer.write(xml) if hasattr(self.stdout, "buffer") else self.stdout.write(xml.decode())
