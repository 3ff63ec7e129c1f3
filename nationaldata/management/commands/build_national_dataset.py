"""Build the national data set: a plan for every tambon, projects, budget requests, four quarters of results."""

import time

from django.core.management.base import BaseCommand, CommandError

from nationaldata import dataset


class Command(BaseCommand):
    help = (
        "Build, deterministically from a seed, a 2563–2565 plan with 3–8 projects for every tambon (or a --scale "
        "fraction of them), FY2565 budget requests and four quarters of approved results for the seeded indicators."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=dataset.DEFAULT_SEED, help="random seed (default 2563)")
        parser.add_argument(
            "--scale", type=float, default=1.0, help="fraction of the 7,436 tambons to cover (default 1.0: all)"
        )
        parser.add_argument("--reset", action="store_true", help="delete the generated rows first (and only them)")

    def handle(self, *args, seed, scale, reset, **options):
        from areas.models import Subdistrict
        from strategies.models import PlanNode

        if not 0 < scale <= 1:
            raise CommandError("--scale is a fraction of the tambons: more than 0, at most 1.")
        if not Subdistrict.objects.exists() or not PlanNode.objects.exists():
            raise CommandError("Load the reference data first: manage.py load_geography and load_plan_hierarchy.")
        wanted = dataset.marker_name(seed, scale)
        if reset:
            started = time.perf_counter()
            counts = dataset.reset_national_dataset()
            removed = ", ".join(f"{n:,} {what}" for what, n in counts.items() if n)
            self.stdout.write(
                f"Deleted the generated rows in {time.perf_counter() - started:.1f} s: {removed or 'none'}"
            )
        else:
            built = dataset.existing_marker()
            if built == wanted:
                self.stdout.write(f"The national data set {wanted} is already built: nothing to do (--reset rebuilds).")
                return
            if built is not None or dataset.has_generated_rows():
                raise CommandError(
                    f"Another national data set ({built or 'incomplete'}) is in the database: "
                    "run with --reset to delete its rows and build this one."
                )
        started = time.perf_counter()
        counts = dataset.build_national_dataset(seed=seed, scale=scale, log=self.stdout.write)
        seconds = time.perf_counter() - started
        dataset.analyze()
        total = sum(counts.values())
        self.stdout.write(
            self.style.SUCCESS(f"Built the national data set {wanted} in {seconds:.1f} s: {total:,} rows")
        )
        for what, n in counts.items():
            self.stdout.write(f"  {what:<22} {n:>10,}")
        self.stdout.write(f"Database size: {dataset.database_size()}")
