"""Remind line managers of reviews left waiting: run once a day from cron (see the README)."""

from django.core.management.base import BaseCommand

from assessments.reminders import reminders_send


class Command(BaseCommand):
    help = (
        "Email line managers about self-assessments waiting more than 10 working days for "
        "their review (and their own managers after 20), at most once a week each. Safe to "
        "run more than once a day."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            required=True,
            help="The service's address for links in the emails, e.g. https://careerpath.example",
        )

    def handle(self, *args, base_url, **options):
        sent = reminders_send(base_url=base_url.rstrip("/"))
        for reminder in sent:
            self.stdout.write(
                f"Assessment {reminder.assessment_id}: {reminder.working_days} working days, "
                f"reminder {reminder.week + 1}, {len(reminder.to)} email(s)"
            )
        self.stdout.write(f"{len(sent)} reminder(s) sent")
