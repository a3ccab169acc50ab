from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = "Proposed changes"

    def ready(self):
        # Credit accepted proposals in the change note of the version that publishes them.
        from . import signals  # noqa: F401
