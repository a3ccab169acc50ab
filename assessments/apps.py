from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Self-assessments and reviews"

    def ready(self):
        # Adds the assessments section to people's subject access export.
        from . import subject_access  # noqa: F401
