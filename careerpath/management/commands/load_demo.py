"""Load the demo data of every app that has a `demo` module, and print the demo sign-ins.

Each app's `demo.load()` is idempotent and returns the sign-ins it made, as
(email, what it is for) pairs. Apps load in INSTALLED_APPS order, so roles comes before people,
and people before assessments.
"""

import importlib

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.demo import DEMO_PASSWORD

REFUSED = (
    "Demo data is not loaded when DEBUG is off. If this really is a demo database, "
    "run again with --allow-demo-data or set ALLOW_DEMO_DATA=true."
)


def demo_modules():
    for config in apps.get_app_configs():
        try:
            yield importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.demo":
                raise


class Command(BaseCommand):
    help = "Load demo data (idempotent) and print the demo sign-ins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-demo-data",
            action="store_true",
            help="Load even though DEBUG is off (for a throwaway demo database only).",
        )

    def handle(self, *args, allow_demo_data=False, **options):
        if not (settings.DEBUG or settings.ALLOW_DEMO_DATA or allow_demo_data):
            raise CommandError(REFUSED)
        sign_ins = []
        with transaction.atomic():
            for module in demo_modules():
                sign_ins.extend(module.load(password=DEMO_PASSWORD, stdout=self.stdout))
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for email, role in sign_ins:
            self.stdout.write(f"  {email:<34} {role}")
