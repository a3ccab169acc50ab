"""manage.py import_staff FILE.csv [--deactivate-missing]: import an HR extract (all or nothing)."""

import time

from django.core.management.base import BaseCommand, CommandError

from people.importer import HEADER, ImportFailed, staff_import


class Command(BaseCommand):
    help = (
        f"Import staff records from an HR extract (CSV with the columns {', '.join(HEADER)}). "
        "The whole file is checked first; on any problem nothing changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the CSV file (UTF-8)")
        parser.add_argument(
            "--deactivate-missing",
            action="store_true",
            help="Mark active people who are not in the file as inactive (leavers).",
        )

    def handle(self, *args, file, deactivate_missing=False, **options):
        started = time.monotonic()

        def progress(message):
            self.stderr.write(message)
            if hasattr(self.stderr, "flush"):
                self.stderr.flush()

        try:
            with open(file, encoding="utf-8-sig", newline="") as handle:
                result = staff_import(
                    lines=handle, deactivate_missing=deactivate_missing, progress=progress
                )
        except FileNotFoundError as error:
            raise CommandError(f"No such file: {file}") from error
        except ImportFailed as failure:
            for problem in failure.errors:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(failure.errors)} problem(s) found: nothing has been changed"
            ) from None
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Created: {result.created}, updated: {result.updated}, "
            f"unchanged: {result.unchanged}, deactivated: {result.deactivated} "
            f"({result.rows} rows in {elapsed:.1f}s)"
        )
