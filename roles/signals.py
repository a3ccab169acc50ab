"""Signals other apps listen to, so that roles need not know them."""

from django.dispatch import Signal

# Sent by roles.services.framework_publish inside its transaction, after the new version is
# saved, with `version` (the FrameworkVersion). A receiver that raises undoes the publication.
version_published = Signal()
