from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Self-assessments and reviews"

    def ready(self):
        # Add the assessments and development plan sections to people's subject access export.
        from . import plan_subject_access, subject_access  # noqa: F401
