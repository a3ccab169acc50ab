from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = "Proposed changes"

    def ready(self):
        # Credit accepted proposals in the change note of the version that publishes them.
        # Erasing a leaver removes what they proposed (accounts.erasure).
        from . import (
            erasure,  # noqa: F401
            signals,  # noqa: F401
        )
