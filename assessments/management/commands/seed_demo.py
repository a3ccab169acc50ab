"""manage.py seed_demo --people N [--seed S] [--export-csv FILE]: a generated organisation."""

import time

from django.core.management.base import BaseCommand, CommandError

from assessments.seed import seed_organisation
from people.seed import export_hr_csv


class Command(BaseCommand):
    help = (
        "Generate N staff in six departments (line-management trees, both professions, "
        "assessments in every status) for demos and benchmarks. Deterministic with --seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=0, help="How many people to add")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1)")
        parser.add_argument(
            "--prefix", default="G", help="Staff number prefix of generated people (default G)"
        )
        parser.add_argument(
            "--export-csv",
            metavar="FILE",
            help="Afterwards, write every person as an HR extract in the import_staff format",
        )

    def handle(self, *args, people, seed, prefix, export_csv=None, **options):
        if people < 0:
            raise CommandError("--people must be 0 or more")
        if people == 0 and not export_csv:
            raise CommandError("Say how many people to generate with --people N")
        started = time.monotonic()
        if people:
            try:
                result = seed_organisation(
                    people=people,
                    seed=seed,
                    stdout=self.stdout,
                    prefix=prefix,
                    progress=self.stderr.write,
                )
            except LookupError as error:
                raise CommandError(str(error)) from error
            statuses = ", ".join(f"{k}: {v}" for k, v in result.statuses.items())
            self.stdout.write(
                f"Seeded {result.people} people, {result.assessments} assessments ({statuses}), "
                f"{result.ratings} ratings, {result.events} events "
                f"in {time.monotonic() - started:.1f}s"
            )
        if export_csv:
            with open(export_csv, "w", encoding="utf-8", newline="") as handle:
                count = export_hr_csv(handle)
            self.stdout.write(f"Wrote {count} rows to {export_csv}")
