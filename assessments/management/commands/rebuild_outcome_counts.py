"""manage.py rebuild_outcome_counts: recount the capability summary from the signed-off ratings."""

import time

from django.core.management.base import BaseCommand

from assessments.outcomes import outcome_counts_rebuild


class Command(BaseCommand):
    help = (
        "Recount the summary that capability reports read (OutcomeCount) from every signed-off "
        "assessment. Sign-offs keep it up to date themselves; run this after a bulk load."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        cells = outcome_counts_rebuild()
        self.stdout.write(f"Counted {cells} cells in {time.monotonic() - started:.1f}s")
