import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


def fingerprint() -> dict[str, dict]:
    """Return row count and an order-independent checksum of every table in the database."""
    result = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            quoted = connection.ops.quote_name(table)
            # Table names come from introspection, never from input.
            if connection.vendor == "postgresql":
                row_hash = "md5(t::text)"
                sql = f"SELECT count(*), md5(coalesce(string_agg({row_hash}, '' ORDER BY {row_hash}), '')) FROM {quoted} t"  # noqa: S608, E501  # nosec B608 # table names from introspection, quoted
                cursor.execute(sql)
                count, checksum = cursor.fetchone()
            else:
                cursor.execute(f"SELECT count(*) FROM {quoted}")  # noqa: S608  # nosec B608 # introspected, quoted name
                count, checksum = cursor.fetchone()[0], None
            result[table] = {"rows": count, "checksum": checksum}
    return result


class Command(BaseCommand):
    help = "Print per-table row counts and checksums as JSON, or compare them with a saved file (--compare)."

    def add_arguments(self, parser):
        parser.add_argument("--compare", help="A JSON file written by this command; exit 1 on any difference.")

    def handle(self, *args, **options):
        current = fingerprint()
        if not options["compare"]:
            json.dump(current, sys.stdout, indent=1, sort_keys=True)
            sys.stdout.write("\n")
            return
        with open(options["compare"], encoding="utf-8") as handle:
            expected = json.load(handle)
        differences = [
            f"{table}: expected {expected.get(table)}, found {current.get(table)}"
            for table in sorted(set(expected) | set(current))
            if expected.get(table) != current.get(table)
        ]
        if differences:
            raise CommandError("Restore differs from the backup:\n" + "\n".join(differences))
        self.stdout.write(self.style.SUCCESS(f"{len(current)} tables match the backup (rows and checksums)."))
