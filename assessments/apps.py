from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Self-assessments and reviews"

    def ready(self):
        from django.db.models.signals import post_migrate

        # Add the assessments and development plan sections to people's subject access export.
        # This app's step of erasing a leaver (accounts.erasure).
        from . import (  # noqa: F401
            erasure,
            plan_subject_access,
            subject_access,
        )
        from .capability_data import installed_after_migrate

        # The triggers behind CapabilityDataVersion and PageDataVersion, again after every
        # migrate.
        post_migrate.connect(installed_after_migrate, sender=self)
