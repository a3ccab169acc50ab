"""`manage.py apply_retention`: remove what is past its retention period (people.retention).
Safe to run daily from cron; prints what it did."""

from django.core.management.base import BaseCommand

from people.retention import retention_apply


class Command(BaseCommand):
    help = "Erase leavers and delete history, sign-in records and sessions past their period."

    def handle(self, *args, **options):
        result = retention_apply()
        for line in result.lines():
            self.stdout.write(line)
