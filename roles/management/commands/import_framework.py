"""manage.py import_framework FILE --profession SLUG: a JSON export, a CSV matrix or a CSV list
of qualifications into a profession's working copy (never published). Checks the whole file
first; on any problem it lists every one and changes nothing."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from roles.importer import PROBLEMS_FOUND, ImportProblems, framework_import, read_file

CANNOT_READ = "Cannot read {path}: {error}"
NOT_SAVED = "Nothing was imported: {error}"
NOTHING_CHANGED = "Nothing changed: the working copy of {profession} already matches the file."
UNKNOWN_KIND = "Say whether the file is JSON or CSV with --format (the name ends in neither)"


class Command(BaseCommand):
    help = (
        "Import a framework (JSON export, CSV skills x levels matrix or CSV list of "
        "qualifications) into a working copy."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help="A .json export, a .csv matrix or a .csv list of qualifications"
        )
        parser.add_argument("--profession", required=True, help="The profession's slug")
        parser.add_argument(
            "--format", choices=["json", "csv"], help="Default: from the file name's ending"
        )

    def handle(self, *args, file, profession, format=None, **options):
        path = Path(file)
        kind = format or path.suffix.lower().lstrip(".")
        if kind not in ("json", "csv"):
            raise CommandError(UNKNOWN_KIND)
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise CommandError(CANNOT_READ.format(path=path, error=error)) from None
        try:
            # The bytes: read_file refuses anything but UTF-8, naming the line.
            found, data = read_file(raw, profession_slug=profession, kind=kind)
            summary = framework_import(profession=found, data=data)
        except ImportProblems as error:
            lines = [PROBLEMS_FOUND.format(count=len(error.problems))]
            lines.extend(f"  {problem}" for problem in error.problems)
            raise CommandError("\n".join(lines)) from None
        except ValidationError as error:  # a check the file reading missed: nothing was saved
            raise CommandError(NOT_SAVED.format(error="; ".join(error.messages))) from None
        if summary.changed:
            self.stdout.write(f"Imported {path.name} into the working copy of {found.name}.")
        else:
            self.stdout.write(NOTHING_CHANGED.format(profession=found.name))
        for line in summary.lines():
            self.stdout.write(f"  {line}")
        self.stdout.write("Nothing is published yet: preview and publish it in the admin.")
